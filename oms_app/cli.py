"""Command line: `python -m oms_app.cli migrate | create-admin | load-demo`.

The app migrates and ensures ADMIN_EMAIL by itself at start-up; these are for operators who want
to do it by hand (before a deploy, or to make a first admin without restarting).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from pydantic import ValidationError

from oms_app.core.logging import configure_logging
from oms_app.core.migrations import startup_lock, upgrade_to_head
from oms_app.models.user import UserCreate
from oms_app.services.bootstrap import ensure_admin, load_demo_data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oms_app.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    admin = commands.add_parser("create-admin", help="create an admin, or promote a user")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="Administrator")
    admin.add_argument(
        "--password-env",
        default="OMS_NEW_ADMIN_PASSWORD",
        help="environment variable holding the password (asked for when unset)",
    )
    commands.add_parser("load-demo", help="load the demo catalogue and demo shopper")
    args = parser.parse_args(argv)

    configure_logging()
    with startup_lock():
        upgrade_to_head()
        if args.command == "create-admin":
            password = os.environ.get(args.password_env) or getpass.getpass("Password: ")
            try:
                UserCreate(name=args.name, email=args.email, password=password)
            except ValidationError as exc:
                print(f"Invalid admin: {exc.errors()[0]['msg']}", file=sys.stderr)
                return 2
            ensure_admin(args.email, password, args.name)
            print(f"{args.email} is an admin")
        elif args.command == "load-demo":
            load_demo_data()
            print("Demo data loaded")
        else:
            print("Database is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
