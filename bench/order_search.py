"""Order search at a million orders: the data, the request list for wrk, and the query plans.

Used by bench.py (scenario `order_search`), and on its own for the plans only, without starting
the server or any load:

    .venv/bin/python bench/order_search.py [--fresh]   # EXPLAIN (ANALYZE, BUFFERS), printed + saved

The database ($BENCH_DB, default oms_bench) is migrated to head first. 100,000 customers and
1,000,000 orders (one line each, a shipping address, spread over three years, realistic status
mix) are inserted with generate_series, in seconds; nothing is loaded twice. The plans are of
the very statements the app runs: they are built by oms_app.services.order_queries.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.dialects.postgresql import psycopg as pg_dialect  # noqa: E402
from sqlmodel import Session  # noqa: E402

from oms_app.models.common import PageParams  # noqa: E402
from oms_app.models.order_filters import MyOrderFilters, OrderFilters  # noqa: E402
from oms_app.services import order_queries  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "oms_bench")
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
CUSTOMERS = 100_000
ORDERS = 1_000_000
DOMAIN = "shop.example"

FIRST = [
    "grace",
    "alan",
    "ada",
    "linus",
    "barbara",
    "edsger",
    "margaret",
    "dennis",
    "frances",
    "ken",
    "radia",
    "tim",
    "hedy",
    "donald",
    "katherine",
    "john",
    "sophie",
    "guido",
    "annie",
    "claude",
]
LAST = [
    "hopper",
    "turing",
    "lovelace",
    "torvalds",
    "liskov",
    "dijkstra",
    "hamilton",
    "ritchie",
    "allen",
    "thompson",
    "perlman",
    "berners-lee",
    "lamarr",
    "knuth",
    "johnson",
    "backus",
    "wilson",
    "van rossum",
    "easley",
    "shannon",
    "kay",
    "lamport",
    "hoare",
    "milner",
    "wirth",
]

# Customers "Grace Hopper" <grace.hopper.17@shop.example>: 20 first names x 25 surnames; each
# full name is 200 customers (2,000 orders), each surname 4,000 (40,000 orders).
CUSTOMERS_SQL = """
INSERT INTO users (name, email, hashed_password, role, created_at, updated_at)
SELECT initcap(f[1 + i %% 20]) || ' ' || initcap(l[1 + (i / 20) %% 25]),
       replace(f[1 + i %% 20] || '.' || l[1 + (i / 20) %% 25], ' ', '') || '.' || i
           || '@' || %(domain)s,
       'not-a-login', 'user', now(), now()
FROM generate_series(1, %(customers)s) AS i,
     (SELECT %(first)s::text[] AS f, %(last)s::text[] AS l) AS names
"""
# Order i belongs to customer (i mod 100,000); one every ~95 s over three years, newest last.
# 10 % pending, 15 % shipped, 70 % delivered, 5 % cancelled; totals 1.00 to 1,000.00.
ORDERS_SQL = """
WITH c AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE email LIKE %(pattern)s)
INSERT INTO orders (user_id, status, total, shipping_address, created_at, updated_at)
SELECT c.ids[1 + i %% %(customers)s],
       CASE WHEN i %% 20 < 2 THEN 'pending' WHEN i %% 20 < 5 THEN 'shipped'
            WHEN i %% 20 = 5 THEN 'cancelled' ELSE 'delivered' END,
       1 + (i::bigint * 7919) %% 99900 / 100.0,
       json_build_object('full_name', 'Customer ' || (1 + i %% %(customers)s),
                         'line1', (i %% 200) || ' High Street', 'line2', NULL,
                         'city', 'Springfield', 'postal_code', lpad((i %% 99999)::text, 5, '0'),
                         'country', 'GB', 'phone', NULL),
       now() - make_interval(secs => (%(orders)s - i) * 95),
       now() - make_interval(secs => (%(orders)s - i) * 95)
FROM generate_series(1, %(orders)s) AS i, c
"""
# One line per order that has none (run without parameters: a single % is SQL's modulo).
ITEMS_SQL = """
WITH p AS (SELECT array_agg(id) AS ids, count(*) AS n
           FROM (SELECT id FROM products ORDER BY id LIMIT 1000) s)
INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price)
SELECT o.id, p.ids[1 + o.id % p.n], 'Bench product', 1, o.total
FROM orders o, p
WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)
"""


def _connect(dbname: str = DB) -> psycopg.Connection:
    return psycopg.connect(f"{PG}/{dbname}", autocommit=True)


def migrate() -> None:
    """Bring $BENCH_DB to the app's schema, as the server does at start-up."""
    with _connect("postgres") as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone():
            conn.execute(f'CREATE DATABASE "{DB}"')
    subprocess.run(
        [sys.executable, "-m", "oms_app.cli", "migrate"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"{PG}/{DB}", "REDIS_URL": ""},
        check=True,
    )


def load_orders() -> dict[str, object]:
    """The customers and their million orders (skipped when already there)."""
    info: dict[str, object] = {}
    pattern = f"%@{DOMAIN}"
    with _connect() as conn:
        if not conn.execute("SELECT 1 FROM products LIMIT 1").fetchone():
            conn.execute(
                "INSERT INTO products (name, description, price, stock, is_deleted,"
                " created_at, updated_at) SELECT 'Bench product ' || i, '', 9.99, 1000, false,"
                " now(), now() FROM generate_series(1, 1000) AS i"
            )
        started = time.perf_counter()
        customers = conn.execute(
            "SELECT count(*) FROM users WHERE email LIKE %s", (pattern,)
        ).fetchone()[0]
        if customers < CUSTOMERS:
            conn.execute("DELETE FROM users WHERE email LIKE %s", (pattern,))
            conn.execute(
                CUSTOMERS_SQL,
                {"domain": DOMAIN, "customers": CUSTOMERS, "first": FIRST, "last": LAST},
            )
        loaded = conn.execute(
            "SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email LIKE %s",
            (pattern,),
        ).fetchone()[0]
        if loaded < ORDERS:
            conn.execute(
                "DELETE FROM orders WHERE user_id IN (SELECT id FROM users WHERE email LIKE %s)",
                (pattern,),
            )
            conn.execute(ORDERS_SQL, {"pattern": pattern, "customers": CUSTOMERS, "orders": ORDERS})
            conn.execute(ITEMS_SQL)
            conn.execute("VACUUM ANALYZE users")
            conn.execute("VACUUM ANALYZE orders")
            conn.execute("VACUUM ANALYZE order_items")
            info["orders_load_seconds"] = round(time.perf_counter() - started, 1)
        # The order loads share this database: their orders (up to ~500,000 of the newest, for
        # 200 customers) would skew every plan measured here, so the searches run on the
        # million orders above alone. Lines and events go with them (ON DELETE CASCADE).
        others = conn.execute(
            "DELETE FROM orders WHERE user_id IS NULL OR user_id NOT IN"
            " (SELECT id FROM users WHERE email LIKE %s)",
            (pattern,),
        ).rowcount
        if others:
            conn.execute("VACUUM ANALYZE orders")
            info["other_orders_deleted"] = others
        info["orders"] = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
        info["customers"] = conn.execute(
            "SELECT count(*) FROM users WHERE email LIKE %s", (pattern,)
        ).fetchone()[0]
        info["one_customer"] = conn.execute(
            "SELECT id, email FROM users WHERE email LIKE %s ORDER BY id LIMIT 1 OFFSET 4321",
            (pattern,),
        ).fetchone()
        info["an_order"] = conn.execute(
            "SELECT id FROM orders ORDER BY id LIMIT 1 OFFSET 654321"
        ).fetchone()[0]
    return info


def cases(info: dict[str, object]) -> dict[str, tuple[MyOrderFilters, int | None]]:
    """The searches whose plans are recorded (filters, and the customer for /orders/me)."""
    customer_id, email = info["one_customer"]
    week = (date.today().replace(day=1), date.today().replace(day=7))
    admin = {
        "newest first, no filter": OrderFilters(),
        "q = one customer's whole email": OrderFilters(q=email),
        "q = a full name (200 customers, 2,000 orders)": OrderFilters(q="ada wilson"),
        "q = a surname (4,000 customers, 40,000 orders)": OrderFilters(q="lovelace"),
        "q = a surname, by total": OrderFilters(q="Lovelace", sort="-total"),
        "q = an order number": OrderFilters(q=f"#{info['an_order']}"),
        "status = pending (10 %)": OrderFilters(status=["pending"]),
        "status = pending or shipped, by total": OrderFilters(
            status=["pending", "shipped"], sort="-total"
        ),
        "one week, by total": OrderFilters(created_from=week[0], created_to=week[1], sort="-total"),
        "customer_id, by total": OrderFilters(customer_id=customer_id, sort="-total"),
        "q = the mail domain (every customer)": OrderFilters(q=DOMAIN),
    }
    mine = MyOrderFilters(status=["delivered"], sort="-total")
    return {
        **{label: (filters, None) for label, filters in admin.items()},
        "/orders/me: delivered, by total": (mine, customer_id),
    }


def explain(info: dict[str, object]) -> dict[str, dict[str, str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of each search's statements: for a search, the lookup of its
    customers; then its total and its page."""
    dialect = pg_dialect.dialect()
    plans: dict[str, dict[str, str]] = {}
    engine = create_engine(f"{PG.replace('postgresql://', 'postgresql+psycopg://')}/{DB}")
    with _connect() as conn, Session(engine) as session:
        for label, (filters, user_id) in cases(info).items():
            plans[label] = {}
            # As the app does: a narrow search's customers first, then its two statements.
            customers = order_queries.matching_customers(session, filters)
            count, page = order_queries.page_statements(filters, PageParams(), user_id, customers)
            parts = [("total", count), ("page", page)]
            if getattr(filters, "q", None) is not None:
                parts.insert(0, ("customers", order_queries.customer_lookup(filters.q)))
            for part, statement in parts:
                compiled = statement.compile(
                    dialect=dialect, compile_kwargs={"render_postcompile": True}
                )
                conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}", compiled.params)  # warm
                rows = conn.execute(
                    f"EXPLAIN (ANALYZE, BUFFERS) {compiled}", compiled.params
                ).fetchall()
                plans[label][part] = "\n".join(row[0] for row in rows)
    return plans


def search_paths(info: dict[str, object]) -> list[str]:
    """Admin order searches for wrk: surnames, first names and 50 full names (2,000 to 50,000
    matching orders each), alone, with a status or by total, pages 1-2; and 100 order numbers."""
    full_names = [f"{first} {last}" for first in FIRST for last in LAST][::10]
    queries: list[dict[str, object]] = []
    for term in [*LAST, *FIRST, *full_names]:
        for extra in ({}, {"status": "pending"}, {"sort": "-total"}):
            for page in (1, 2):
                queries.append({"q": term, "page": page, "limit": 10, **extra})
    first_order = int(info["an_order"])
    queries += [{"q": f"#{first_order + n * 997}"} for n in range(100)]
    return [f"/api/v1/orders/?{urlencode(q)}" for q in queries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="drop $BENCH_DB first")
    args = parser.parse_args()
    if args.fresh:
        with _connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    migrate()
    info = load_orders()
    print(json.dumps(info, default=str), flush=True)
    plans = explain(info)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "order-search-explain.json"
    out.write_text(json.dumps({"data": info, "explain": plans}, indent=2, default=str) + "\n")
    for label, parts in plans.items():
        for part, plan in parts.items():
            print(f"\n### {label} — {part}\n{plan}")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
