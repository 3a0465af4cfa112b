"""The filtered, sorted catalogue over a million products: categories for the bench data, the
request lists wrk sends (bench.py's catalogue_filtered scenarios), and EXPLAIN plans.

    python bench/catalogue.py [--no-load]

runs the EXPLAIN part on its own, without a server or wrk: migrates $BENCH_DB, loads the million
products if they are missing (bench.load_data), then calls the real service for each page in
PAGES, once with an empty cache (capturing every SQL statement it runs and recording
`EXPLAIN (ANALYZE, BUFFERS)` of each) and once from the cache, and writes
bench/results/catalogue-explain.json and the Markdown in docs/benchmarks.md's format to stdout.
A load rebuilds every index of the products after the rows are in, timing each (what migration
0004 would cost on a table this size is in `data.index_build_seconds`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = [
    "Furniture",
    "Lighting",
    "Kitchen",
    "Bathroom",
    "Garden",
    "Outdoor",
    "Travel",
    "Fashion",
    "Footwear",
    "Accessories",
    "Audio",
    "Computing",
    "Cameras",
    "Sports",
    "Cycling",
    "Camping",
    "Office",
    "Stationery",
    "Toys",
    "Pets",
]
SORTS = ["-created_at", "price", "-price", "name"]

# The pages whose plans docs/benchmarks.md shows: (label, query). "lighting" is one category
# of 20 (50,000 products); prices run from 1.00 to 1,000.00, evenly.
PAGES = [
    ("no filter (the baseline)", {}),
    ("category, newest first", {"category": "lighting"}),
    ("category by price", {"category": "lighting", "sort": "price"}),
    ("category by name", {"category": "lighting", "sort": "name"}),
    (
        "price range 100-200, dearest first",
        {"min_price": "100", "max_price": "200", "sort": "-price"},
    ),
    ("price range 100-110, newest first", {"min_price": "100", "max_price": "110"}),
    ("in stock, by price", {"in_stock": "true", "sort": "price"}),
    (
        "everything: category, range, in stock, by name",
        {
            "category": "lighting",
            "min_price": "50",
            "max_price": "500",
            "in_stock": "true",
            "sort": "name",
        },
    ),
    ("category by price, page 500", {"category": "lighting", "sort": "price", "page": "500"}),
    (
        "search + category, by price",
        {"search": "walnut lamp", "category": "lighting", "sort": "price"},
    ),
]


def ensure_categories(conn) -> None:
    """The bench's 20 categories (the products' load spreads them evenly)."""
    for name in CATEGORIES:
        conn.execute(
            "INSERT INTO categories (name, slug, created_at, updated_at)"
            " VALUES (%s, %s, now(), now()) ON CONFLICT (slug) DO NOTHING",
            (name, name.lower()),
        )


def cached_paths() -> list[str]:
    """The few filtered, sorted pages the cached scenario repeats (all of PAGES but the deep
    one and the search)."""
    return [_path(query) for _, query in PAGES[:8]]


def uncached_paths() -> list[str]:
    """Distinct filtered, sorted pages, shuffled: 20 categories x 4 sorts x 20 price windows x
    in stock or not x pages 1-2 = 6,400 requests, none repeated within a run."""
    paths = []
    for category in CATEGORIES:
        for sort in SORTS:
            for low in range(0, 1000, 50):
                for in_stock in ("true", "false"):
                    for page in ("1", "2"):
                        query = {
                            "category": category.lower(),
                            "min_price": str(low),
                            "max_price": str(low + 150),
                            "in_stock": in_stock,
                            "sort": sort,
                            "page": page,
                        }
                        paths.append(_path(query))
    random.Random(11).shuffle(paths)
    return paths


def _path(query: dict[str, str]) -> str:
    return "/api/v1/products/" + (f"?{urlencode(query)}" if query else "")


# --------------------------------------------------------------------------- EXPLAIN


def explain_pages(repeats: int = 5) -> list[dict[str, object]]:
    """Run each page through the service, uncached and cached; plans of what the miss ran."""
    from sqlalchemy import event

    from oms_app.core.cache import get_cache
    from oms_app.core.db import get_engine
    from oms_app.models.common import PageParams
    from oms_app.models.product import ProductFilters
    from oms_app.services import products

    engine = get_engine()
    captured: list[tuple[str, object]] = []
    recording = False

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if recording:
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    results = []
    for label, query in PAGES:
        params = PageParams(page=int(query.get("page", 1)), limit=10)
        fields = {k: v for k, v in query.items() if k in ProductFilters.model_fields}
        filters = ProductFilters.model_validate(fields)

        def call(params=params, filters=filters, search=query.get("search")) -> float:
            started = time.perf_counter()
            products.list_products_json(params, search, filters)
            return (time.perf_counter() - started) * 1000

        misses, hits, statements = [], [], []
        for _ in range(repeats):
            get_cache().client.flushdb()
            captured.clear()
            recording = True
            misses.append(call())
            statements = list(captured)
            captured.clear()
            hits.append(call())
            recording = False
            if captured:
                raise RuntimeError(f"a cache hit ran SQL: {captured}")
        with engine.connect() as conn:
            plans = [
                {
                    "sql": statement,
                    "plan": "\n".join(
                        row[0]
                        for row in conn.exec_driver_sql(
                            "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                        )
                    ),
                }
                for statement, parameters in statements
            ]
        results.append(
            {
                "label": label,
                "path": _path(query),
                "uncached_ms_median": round(statistics.median(misses), 2),
                "cached_ms_median": round(statistics.median(hits), 3),
                "statements_uncached": len(statements),
                "plans": plans,
            }
        )
        print(f"  {label}: {results[-1]['uncached_ms_median']} ms uncached", flush=True)
    event.remove(engine, "before_cursor_execute", capture)
    return results


def markdown(result: dict[str, object]) -> str:
    lines = []
    if "index_build_seconds" in result.get("data", {}):
        lines += ["| index (built over the loaded table) | seconds |", "|---|---|"]
        for name, seconds in result["data"]["index_build_seconds"].items():
            lines.append(f"| `{name}` | {seconds} |")
        lines.append("")
    lines += [
        "| page | uncached (service, median ms) | cached (median ms) | SQL statements on a miss |",
        "|---|---|---|---|",
    ]
    for page in result["pages"]:
        lines.append(
            f"| {page['label']} | {page['uncached_ms_median']} | {page['cached_ms_median']} "
            f"| {page['statements_uncached']} |"
        )
    for page in result["pages"]:
        lines += ["", f"#### {page['label']}", "", f"`GET {page['path']}`", ""]
        for plan in page["plans"]:
            # The category lookups (slug to id; the page's categories by id) are index scans of
            # a 20-row table, a few microseconds each: shown once in the text, not per page.
            if "FROM categories" in plan["sql"]:
                continue
            lines += ["```", _one_line(plan["sql"]), "", plan["plan"], "```"]
    return "\n".join(lines)


def _one_line(sql: str) -> str:
    return " ".join(sql.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-load", action="store_true", help="the data is there already")
    args = parser.parse_args()
    sys.path.append(str(ROOT))  # oms_app; bench/ itself is first, as the script's folder
    import bench as harness

    os.environ.update(
        {
            "DATABASE_URL": f"{harness.PG}/{harness.DB}",
            "REDIS_URL": f"{harness.REDIS}/{harness.REDIS_DB}",
            "APP_ENV": "development",
        }
    )
    result: dict[str, object] = {"started": time.strftime("%Y-%m-%d %H:%M:%S")}
    if not args.no_load:
        harness.ensure_database(fresh=False)
        subprocess.run([sys.executable, "-m", "oms_app.cli", "migrate"], cwd=ROOT, check=True)
        result["data"] = {k: v for k, v in harness.load_data().items() if k != "newest_ids"}
        print(f"data: {result['data']}", flush=True)
    result["pages"] = explain_pages()
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    (harness.RESULTS / "catalogue-explain.json").write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result))


if __name__ == "__main__":
    main()
