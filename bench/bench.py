"""Load benchmarks of the REST API in production mode: start, seed, drive with wrk, measure.

Run through `bash bench/run.sh` (which prepares a scratch copy of the repository, installs
wrk and the bench's Python packages, and then calls this). One run:

1. starts OMS with `scripts/start.sh` (APP_ENV=production, random SECRET_KEY, PostgreSQL,
   Redis, BCRYPT_ROUNDS unset = 12) on database $BENCH_DB and Redis db $BENCH_REDIS_DB;
2. bulk-loads 1,000,000 products with one INSERT ... SELECT generate_series (skipped when the
   database already holds them), one "hot" product and 200 users (one bcrypt hash at cost 12,
   computed once), then logs every user in through the API for their bearer tokens;
3. runs each scenario with wrk (Lua scripts in bench/wrk/) while sampling the RSS of every server
   process with psutil, and records EXPLAIN ANALYZE of the search queries;
4. for `order_search`, loads 100,000 customers and 1,000,000 orders (bench/order_search.py) and
   searches them as the admin, recording the EXPLAIN ANALYZE of each kind of search;
5. writes bench/results/<label>.json; `bench/report.py` turns the results into charts and tables.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bcrypt
import catalogue
import httpx
import order_search  # bench/order_search.py, beside this file
import psutil
import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = Path(os.environ.get("BENCH_RESULTS", BENCH / "results"))
PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "oms_bench")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
REDIS_DB = os.environ.get("BENCH_REDIS_DB", "9")
PRODUCTS = 1_000_000
USERS = 200
PASSWORD = "bench-password-1"  # noqa: S105 - the bench users' shared password
ADMIN_EMAIL = "bench-admin@example.com"
ADMIN_PASSWORD = "bench-admin-password"  # noqa: S105 - the bench server's start-up admin
HOT_NAME = "Bench Hot Product"

# Names like "Rustic Walnut Lamp 3FA2": 40 x 25 x 50 word combinations, 20 products each, plus a
# code from md5(id). Two-word searches ("rustic walnut", "walnut lamp") match 400-1,000 rows.
ADJECTIVES = [
    "rustic",
    "sleek",
    "ergonomic",
    "compact",
    "vintage",
    "modern",
    "classic",
    "premium",
    "durable",
    "portable",
    "elegant",
    "minimal",
    "sturdy",
    "handmade",
    "foldable",
    "wireless",
    "smart",
    "organic",
    "deluxe",
    "heavy",
    "light",
    "silent",
    "bright",
    "cozy",
    "rugged",
    "slim",
    "tall",
    "round",
    "square",
    "glossy",
    "matte",
    "soft",
    "quick",
    "nordic",
    "urban",
    "coastal",
    "royal",
    "golden",
    "silver",
    "eco",
]
MATERIALS = [
    "steel",
    "walnut",
    "oak",
    "bamboo",
    "leather",
    "cotton",
    "wool",
    "linen",
    "granite",
    "marble",
    "glass",
    "copper",
    "brass",
    "aluminum",
    "ceramic",
    "concrete",
    "rubber",
    "silk",
    "velvet",
    "cork",
    "maple",
    "cedar",
    "titanium",
    "plastic",
    "porcelain",
]
NOUNS = [
    "lamp",
    "chair",
    "table",
    "desk",
    "sofa",
    "shelf",
    "mug",
    "bottle",
    "kettle",
    "clock",
    "mirror",
    "rug",
    "pillow",
    "blanket",
    "basket",
    "vase",
    "bowl",
    "plate",
    "knife",
    "fork",
    "spoon",
    "pan",
    "pot",
    "backpack",
    "wallet",
    "belt",
    "hat",
    "scarf",
    "jacket",
    "boots",
    "sneakers",
    "watch",
    "speaker",
    "headphones",
    "keyboard",
    "mouse",
    "monitor",
    "stand",
    "charger",
    "cable",
    "tripod",
    "camera",
    "drone",
    "bicycle",
    "helmet",
    "tent",
    "lantern",
    "cooler",
    "hammock",
    "notebook",
]

LOAD_SQL = """
INSERT INTO products (name, description, price, stock, is_deleted, category_id, created_at,
                      updated_at)
SELECT initcap(a[1 + i %% 40]) || ' ' || initcap(m[1 + (i / 40) %% 25]) || ' '
       || initcap(n[1 + (i / 1000) %% 50]) || ' ' || upper(left(md5(i::text), 4)),
       'A ' || a[1 + i %% 40] || ' ' || n[1 + (i / 1000) %% 50] || ' made of '
       || m[1 + (i / 40) %% 25] || '.',
       round((1 + (i::bigint * 7919) %% 99900 / 100.0)::numeric, 2),
       1000, false,
       c[1 + (i / 7) %% array_length(c, 1)],
       now() - make_interval(secs => %(products)s - i),
       now() - make_interval(secs => %(products)s - i)
FROM generate_series(1, %(products)s) AS i,
     (SELECT %(adjectives)s::text[] AS a, %(materials)s::text[] AS m, %(nouns)s::text[] AS n,
             (SELECT array_agg(id ORDER BY id) FROM categories) AS c) AS w
"""
# The products' secondary indexes, as the migrations made them (the primary key stays).
SECONDARY_INDEXES = (
    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'products'"
    " AND indexname <> 'products_pkey' ORDER BY indexname"
)


# --------------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, workers: int, log: Path, extra_env: dict[str, str]) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {
            **os.environ,
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": f"{PG}/{DB}",
            "REDIS_URL": f"{REDIS}/{REDIS_DB}",
            "WORKERS": str(workers),
            "PORT": str(self.port),
            "ADMIN_EMAIL": ADMIN_EMAIL,
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "LOG_JSON": "1",
            "ALLOWED_ORIGINS": f"http://127.0.0.1:{self.port}",
            **extra_env,
        }
        env.pop("BCRYPT_ROUNDS", None)  # production's default cost, 12
        self.process = subprocess.Popen(
            ["bash", "scripts/start.sh"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"OMS exited early:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.base}/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        self.stop()
        raise RuntimeError(f"OMS did not start:\n{log.read_text()[-3000:]}")

    def processes(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def workers(self) -> list[psutil.Process]:
        """Granian's worker processes: the leaves of the tree that hold the app's sockets."""
        procs = self.processes()
        return [p for p in procs if not p.children()] if len(procs) > 1 else procs

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class RssSampler(threading.Thread):
    """Samples the resident memory of every server process (sum, and the largest one)."""

    def __init__(self, server: Server, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.interval = interval
        self.stop_event = threading.Event()
        self.total_max = 0
        self.total_sum = 0
        self.samples = 0
        self.per_process_max = 0

    def run(self) -> None:
        while not self.stop_event.is_set():
            total = 0
            for proc in self.server.processes():
                try:
                    rss = proc.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                self.per_process_max = max(self.per_process_max, rss)
            self.total_max = max(self.total_max, total)
            self.total_sum += total
            self.samples += 1
            self.stop_event.wait(self.interval)

    def result(self) -> dict[str, float]:
        mb = 1024 * 1024
        return {
            "rss_total_max_mb": round(self.total_max / mb, 1),
            "rss_total_mean_mb": round(self.total_sum / max(self.samples, 1) / mb, 1),
            "rss_process_max_mb": round(self.per_process_max / mb, 1),
        }


# --------------------------------------------------------------------------- data


def _connect(dbname: str = DB) -> psycopg.Connection:
    return psycopg.connect(f"{PG}/{dbname}", autocommit=True)


def settle(database: str = DB) -> None:
    """Every order load starts from a vacuumed products table.

    Thousands of updates a second to one row, with every backend pinning its page, leave the
    page no moment to prune its dead row versions; the chain each UPDATE walks grows, and
    throughput on the hot product falls run after run (pgbench alone: 650 tps, then 470, 220,
    130; 570 again after a VACUUM). Without this, a load would pay for the ones before it."""
    with _connect(database) as conn:
        conn.execute("VACUUM products")


def ensure_database(fresh: bool) -> None:
    with _connect("postgres") as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB}"')


def load_data() -> dict[str, object]:
    """Products, the hot product and the users; returns what the scenarios need to know."""
    info: dict[str, object] = {}
    with _connect() as conn:
        catalogue.ensure_categories(conn)
        count = conn.execute(
            "SELECT count(*) FROM products WHERE category_id IS NOT NULL"
        ).fetchone()[0]
        if count < PRODUCTS:  # missing, or loaded before products had categories
            conn.execute("TRUNCATE products, orders, order_items, order_events CASCADE")
            started = time.perf_counter()
            # Building each index once over the loaded table is several times faster than
            # maintaining it row by row; each is rebuilt with the migration's definition.
            indexes = conn.execute(SECONDARY_INDEXES).fetchall()
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
            conn.execute(
                LOAD_SQL,
                {
                    "products": PRODUCTS,
                    "adjectives": ADJECTIVES,
                    "materials": MATERIALS,
                    "nouns": NOUNS,
                },
            )
            info["load_seconds"] = round(time.perf_counter() - started, 1)
            conn.execute("SET maintenance_work_mem = '512MB'")
            built: dict[str, float] = {}
            for name, definition in indexes:
                started = time.perf_counter()
                conn.execute(definition)
                built[name] = round(time.perf_counter() - started, 1)
            conn.execute("VACUUM ANALYZE products")
            info["index_seconds"] = round(sum(built.values()), 1)
            info["index_build_seconds"] = built
        hot = conn.execute("SELECT id FROM products WHERE name = %s", (HOT_NAME,)).fetchone()
        if hot is None:
            hot = conn.execute(
                "INSERT INTO products (name, description, price, stock, is_deleted,"
                " created_at, updated_at) VALUES (%s, 'Everybody wants one.', 9.99,"
                " 1000000000, false, now() - interval '1000 days', now()) RETURNING id",
                (HOT_NAME,),
            ).fetchone()
        else:
            conn.execute("UPDATE products SET stock = 1000000000 WHERE id = %s", hot)
        info["hot_product"] = hot[0]
        info["product_range"] = list(
            conn.execute(
                "SELECT min(id), max(id) FROM products WHERE name <> %s", (HOT_NAME,)
            ).fetchone()
        )
        # Refill stock the previous run's orders took, so "many products" never runs dry.
        conn.execute("UPDATE products SET stock = 1000 WHERE stock < 500")
        hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(12)).decode()
        conn.execute(
            "INSERT INTO users (name, email, hashed_password, role, created_at, updated_at)"
            " SELECT 'Bench User ' || i, 'bench-user-' || i || '@example.com', %s, 'user',"
            " now(), now() FROM generate_series(1, %s) AS i ON CONFLICT (email) DO NOTHING",
            (hashed, USERS),
        )
        info["products"] = conn.execute("SELECT count(*) FROM products").fetchone()[0]
        info["newest_ids"] = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM products WHERE NOT is_deleted"
                " ORDER BY created_at DESC, id DESC LIMIT 100"
            )
        ]
    return info


def flush_cache() -> None:
    redis.Redis.from_url(f"{REDIS}/{REDIS_DB}").flushdb()


def log_in(base: str, email: str, password: str) -> str:
    """An access token, through the API (bcrypt at cost 12 on the server)."""
    response = httpx.post(
        f"{base}/api/v1/users/login", data={"username": email, "password": password}, timeout=60
    )
    response.raise_for_status()
    return response.json()["access_token"]


def log_in_users(base: str) -> list[str]:
    """Log every bench user in."""

    def one(i: int) -> str:
        return log_in(base, f"bench-user-{i}@example.com", PASSWORD)

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(1, USERS + 1)))


def search_paths() -> list[str]:
    """Every two-word phrase the names contain (1,000 "adjective material" + 1,250 "material
    noun"), each on pages 1-4: 9,000 distinct searches, shuffled, none repeated within a run."""
    terms = [f"{a} {m}" for a in ADJECTIVES for m in MATERIALS]
    terms += [f"{m} {n}" for m in MATERIALS for n in NOUNS]
    paths = [
        f"/api/v1/products/?page={page}&limit=10&search={term.replace(' ', '%20')}"
        for term in terms
        for page in range(1, 5)
    ]
    random.Random(7).shuffle(paths)
    return paths


def explain_search(term: str) -> dict[str, str]:
    """EXPLAIN ANALYZE of the statement a search runs now (one trigram scan for the page and
    its total), and of the count and page statements it replaced."""
    pattern = f"%{term}%"
    with _connect() as conn:
        plans = {}
        for label, sql in (
            (
                "search",
                "WITH matches AS (SELECT id, created_at FROM products WHERE is_deleted = false"
                " AND name ILIKE %s ESCAPE '\\') SELECT products.*,"
                " (SELECT count(*) FROM matches) AS total FROM products JOIN (SELECT id FROM"
                " matches ORDER BY created_at DESC, id DESC LIMIT 10 OFFSET 0) AS page"
                " ON products.id = page.id ORDER BY products.created_at DESC, products.id DESC",
            ),
            (
                "count",
                "SELECT count(*) FROM products WHERE is_deleted = false"
                " AND name ILIKE %s ESCAPE '\\'",
            ),
            (
                "page",
                "SELECT * FROM products WHERE is_deleted = false AND name ILIKE %s ESCAPE '\\'"
                " ORDER BY created_at DESC, id DESC LIMIT 10 OFFSET 0",
            ),
        ):
            rows = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, (pattern,)).fetchall()
            plans[label] = "\n".join(r[0] for r in rows)
        return plans


def explain_catalogue() -> list[dict[str, object]]:
    """bench/catalogue.py's plans of filtered, sorted pages, on the data just loaded."""
    subprocess.run(
        [sys.executable, str(BENCH / "catalogue.py"), "--no-load"],
        env={**os.environ, "BENCH_RESULTS": str(RESULTS)},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads((RESULTS / "catalogue-explain.json").read_text())["pages"]


# --------------------------------------------------------------------------- wrk


def wrk(
    server: Server,
    script: str,
    connections: int,
    duration: int,
    env: dict[str, str],
    path: str = "/",
    threads: int = 2,
) -> dict[str, object]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        full_env = {
            **os.environ,
            **env,
            "WRK_LIB": str(BENCH / "wrk"),
            "WRK_OUT": out.name,
            "WRK_THREADS": str(threads),
        }
        sampler = RssSampler(server)
        sampler.start()
        subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                str(BENCH / "wrk" / script),
                server.base + path,
            ],
            env=full_env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        sampler.stop_event.set()
        sampler.join()
        raw = json.loads(Path(out.name).read_text())
    seconds = raw["duration_us"] / 1e6
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "connections": connections,
        "duration_s": round(seconds, 1),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors_non2xx": raw["status"],
        "errors_socket": socket_errors,
        **sampler.result(),
        "workers_rss_mb": [round(p.memory_info().rss / 1024 / 1024, 1) for p in server.workers()],
    }


def start_profilers(server: Server, seconds: int, name: str) -> list[subprocess.Popen]:
    """py-spy record of every worker for `seconds`, as collapsed stacks (see summarise_profile)."""
    py_spy = str(Path(sys.executable).with_name("py-spy"))
    return [
        subprocess.Popen(
            [
                py_spy,
                "record",
                "--pid",
                str(worker.pid),
                "--duration",
                str(seconds),
                "--rate",
                "100",
                "--nonblocking",
                "--format",
                "raw",
                "--output",
                str(RESULTS / f"profile-{name}-{i}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i, worker in enumerate(server.workers())
    ]


def summarise_profile(name: str, top: int = 25) -> dict[str, list[tuple[str, float]]]:
    """Share of samples per function, inclusive (on the stack) and self (on top of it)."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for path in RESULTS.glob(f"profile-{name}-*.txt"):
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack:
                continue
            n = int(count)
            frames = [
                f.split(" (")[0] + " " + f.split("/")[-1].rstrip(")") for f in stack.split(";")
            ]
            if frames[-1].startswith(("process_", "thread ")):
                continue
            total += n
            for frame in set(frames):
                inclusive[frame] = inclusive.get(frame, 0) + n
            own[frames[-1]] = own.get(frames[-1], 0) + n

    def share(d: dict[str, int]) -> list[tuple[str, float]]:
        ranked = sorted(d.items(), key=lambda kv: -kv[1])[:top]
        return [(k, round(100 * v / max(total, 1), 1)) for k, v in ranked]

    return {"samples": total, "inclusive": share(inclusive), "self": share(own)}


# --------------------------------------------------------------------------- main


SCENARIOS = (
    "catalogue",
    "product",
    "catalogue_filtered",
    "search",
    "order_search",
    "orders_hot",
    "orders_many",
    "login",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--label", default="current")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--fresh", action="store_true", help="drop and reload the database")
    parser.add_argument(
        "--profile", default="", help="scenarios to run under py-spy (numbers then skewed)"
    )
    args = parser.parse_args()
    profiled = set(filter(None, args.profile.split(",")))
    scenarios = args.scenarios.split(",")
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="oms-bench-"))

    ensure_database(args.fresh)
    result: dict[str, object] = {
        "label": args.label,
        "workers": args.workers,
        "duration_s": args.duration,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "scenarios": {},
    }
    print(f"starting OMS ({args.workers} workers) ...", flush=True)
    server = Server(args.workers, RESULTS / f"server-{args.label}.log", {})
    try:
        result["startup_rss_mb"] = RssSampler(server).result()
        data = load_data()
        result["data"] = {k: v for k, v in data.items() if k != "newest_ids"}
        print(f"data: {result['data']}", flush=True)
        flush_cache()  # the rows changed under the cache's feet

        paths = work / "paths.txt"
        detail = work / "detail.txt"
        terms = work / "terms.txt"
        tokens = work / "tokens.txt"
        emails = work / "emails.txt"
        filtered = work / "filtered.txt"
        filtered_misses = work / "filtered-misses.txt"
        paths.write_text("/api/v1/products/?page=1&limit=10\n")
        filtered.write_text("\n".join(catalogue.cached_paths()) + "\n")
        filtered_misses.write_text("\n".join(catalogue.uncached_paths()) + "\n")
        detail.write_text("".join(f"/api/v1/products/{i}\n" for i in data["newest_ids"]))
        terms.write_text("\n".join(search_paths()) + "\n")
        emails.write_text("".join(f"bench-user-{i}%40example.com\n" for i in range(1, USERS + 1)))
        if {"orders_hot", "orders_many"} & set(scenarios):
            started = time.perf_counter()
            tokens.write_text("\n".join(log_in_users(server.base)) + "\n")
            result["login_setup_seconds"] = round(time.perf_counter() - started, 1)

        def run(name: str, script: str, connections: int, env: dict[str, str]) -> None:
            print(f"  {name}: {connections} connections, {args.duration} s ...", flush=True)
            spies = start_profilers(server, args.duration, name) if name in profiled else []
            measured = wrk(server, script, connections, args.duration, env)
            for spy in spies:
                spy.wait()
            if spies:
                result.setdefault("profiles", {})[name] = summarise_profile(name)
            result["scenarios"][name] = measured
            print(f"    {json.dumps(measured)}", flush=True)

        if "catalogue" in scenarios:
            wrk(server, "get.lua", 64, 3, {"BENCH_PATHS": str(paths)})  # warm the cache
            run("catalogue", "get.lua", 64, {"BENCH_PATHS": str(paths)})
        if "product" in scenarios:
            wrk(server, "get.lua", 64, 3, {"BENCH_PATHS": str(detail)})
            run("product", "get.lua", 64, {"BENCH_PATHS": str(detail)})
        if "catalogue_filtered" in scenarios:
            # Filtered and sorted pages: a few, cached; then distinct ones, each a cache miss.
            wrk(server, "get.lua", 64, 3, {"BENCH_PATHS": str(filtered)})
            run("catalogue_filtered", "get.lua", 64, {"BENCH_PATHS": str(filtered)})
            flush_cache()
            misses = {"BENCH_PATHS": str(filtered_misses)}
            run("catalogue_filtered_misses", "search.lua", 32, misses)
            run("catalogue_filtered_misses_c2", "search.lua", 2, misses)
            result["explain_catalogue"] = explain_catalogue()
        if "search" in scenarios:
            flush_cache()
            run("search", "search.lua", 32, {"BENCH_PATHS": str(terms)})
            # The same at 2 connections (one per core): the latency of a search on its own.
            run("search_c2", "search.lua", 2, {"BENCH_PATHS": str(terms)})
            result["search_distinct_requests"] = len(search_paths())
            result["explain"] = {
                "rustic walnut": explain_search("rustic walnut"),
                "walnut lamp": explain_search("walnut lamp"),
            }
        if "order_search" in scenarios:
            # The rows of an order list are never cached, its total is (per filter, until an
            # order or a customer changes). First every search once, on an empty cache: no
            # total known yet, except that a filter's page 2 and other sort find its page 1's.
            orders_info = order_search.load_orders()
            result["order_search_data"] = orders_info
            flush_cache()
            order_paths = work / "order-paths.txt"
            order_paths.write_text("\n".join(order_search.search_paths(orders_info)) + "\n")
            env = {
                "BENCH_PATHS": str(order_paths),
                "BENCH_TOKEN": log_in(server.base, ADMIN_EMAIL, ADMIN_PASSWORD),
            }
            print(f"  order_search_once_c2: each of {len(order_paths.read_text().split())} once")
            result["scenarios"]["order_search_once_c2"] = wrk(
                server, "get_auth_once.lua", 2, max(args.duration, 40), env
            )
            print(f"    {json.dumps(result['scenarios']['order_search_once_c2'])}", flush=True)
            run("order_search", "get_auth.lua", 32, env)
            run("order_search_c2", "get_auth.lua", 2, env)
            result["order_search_explain"] = order_search.explain(orders_info)
        if "orders_hot" in scenarios:
            settle()
            run(
                "orders_hot",
                "orders.lua",
                32,
                {"BENCH_TOKENS": str(tokens), "BENCH_PRODUCT": str(data["hot_product"])},
            )
        if "orders_many" in scenarios:
            settle()
            lo, hi = data["product_range"]
            run(
                "orders_many",
                "orders.lua",
                32,
                {
                    "BENCH_TOKENS": str(tokens),
                    "BENCH_PRODUCT_LO": str(lo),
                    "BENCH_PRODUCT_HI": str(hi),
                },
            )
        if "login" in scenarios:
            run(
                "login",
                "login.lua",
                16,
                {"BENCH_EMAILS": str(emails), "BENCH_PASSWORD": PASSWORD},
            )
        result["after_rss_mb"] = {
            "workers": [round(p.memory_info().rss / 1024 / 1024, 1) for p in server.workers()],
            "total": round(sum(p.memory_info().rss for p in server.processes()) / 1024**2, 1),
        }
    finally:
        server.stop()
    out = RESULTS / f"{args.label}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
