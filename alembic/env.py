"""Alembic environment: the URL comes from the app's settings, the schema from its models."""

from logging.config import fileConfig

from sqlmodel import SQLModel

import oms_app.models  # noqa: F401 - registers every table on SQLModel.metadata
from alembic import context
from oms_app.core.config import get_settings
from oms_app.core.db import make_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata
# Created by hand in the migrations, on PostgreSQL only: the models cannot describe them.
DATABASE_ONLY_INDEXES = {"ix_products_name_trgm", "ix_users_email_trgm", "ix_users_name_trgm"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in DATABASE_ONLY_INDEXES)


def run_migrations_offline() -> None:
    context.configure(
        url=get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # The app hands over a connection that already holds the migration lock.
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(get_settings().database_url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
