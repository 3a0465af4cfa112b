"""Side by side on one machine, in one run: OMS (1 and 2 workers), the reference, a bare ASGI
app on the same granian, and PostgreSQL alone running the order's statements (pgbench).

    bash bench/run.sh --compare [--rounds 3] [--duration 10] [--reference /tmp/reference]

Every round runs every load against every target, one after the other, so a disturbance from
outside (the machine is shared) spreads over all of them instead of sinking one; the report is
the median of the rounds, and the ratios are taken within the run.

Loads (wrk, 2 threads, the Lua scripts in bench/wrk/):

- `orders_hot`: POST /api/v1/orders/ of one unit of one product, 200 users' tokens, 32 conns;
- `orders_300`: the same on a random one of 300 products, 32 conns;
- `catalogue`: cached GET /api/v1/products/?page=1&limit=10, 64 conns (3 s warm-up first);
- `product`: cached GET /api/v1/products/{id}, 100 ids in turn, 64 conns (warm-up first).

The bare ASGI app (bench/bare_asgi.py) answers the catalogue load with one Redis GET per
request; the pgbench ceiling runs bench/pgbench/order_stock_first.sql (and, for the record, the
same statements lines-first) with 32 clients on OMS's own tables.

The reference is *not* part of this repository and nothing here fetches it. To include it, put
a checkout of it in a directory with its own virtualenv (`<dir>/.venv`, its requirements plus
uvicorn) and pass `--reference <dir>`; it is started with one uvicorn worker on its own
database (`oms_reference`), with 1,000 products, the hot product and 200 users, and tokens
signed with the key it is given (it checks a token by loading its user, as it does at login).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import redis

import bench  # bench/bench.py, beside this file

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
REFERENCE_DB = os.environ.get("BENCH_REFERENCE_DB", "oms_reference")
HOT_STOCK = 1_000_000_000


class Process:
    """A server started here, stopped with its whole process group."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        self.name = name
        self.port = bench._free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = bench.RESULTS / f"server-compare-{name}.log"
        argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.process = subprocess.Popen(
            argv,
            cwd=cwd,
            env={**os.environ, **env},
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.base + path, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not start:\n{self.log.read_text()[-3000:]}")

    processes = bench.Server.processes
    workers = bench.Server.workers
    stop = bench.Server.stop


def start_bare(workers: int) -> Process:
    """bench/bare_asgi.py under granian with Reflex's production arguments."""
    launcher = (
        "import sys; from granian.constants import Interfaces; "
        "from granian.server import Server; "
        "Server(target='bare_asgi:factory', factory=True, address='127.0.0.1', "
        "port=int(sys.argv[1]), interface=Interfaces.ASGI, workers=int(sys.argv[2]), "
        "log_level='warning').serve()"
    )
    server = Process(
        f"bare-w{workers}",
        [sys.executable, "-c", launcher, "{port}", str(workers)],
        {"BARE_REDIS_URL": f"{bench.REDIS}/{bench.REDIS_DB}", "PYTHONPATH": str(BENCH)},
        BENCH,
    )
    server.wait_ready("/")
    return server


def start_reference(directory: Path, secret: str) -> tuple[Process, dict[str, object]]:
    with bench._connect("postgres") as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (REFERENCE_DB,)
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{REFERENCE_DB}"')
    server = Process(
        "reference",
        [
            str(directory / ".venv/bin/uvicorn"),
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
            "--workers",
            "1",
        ],
        {
            "ENV_FILE": "/dev/null",
            "DATABASE_URL": f"{bench.PG.replace('postgresql://', 'postgresql+psycopg2://')}"
            f"/{REFERENCE_DB}",
            "SECRET_KEY": secret,
            "ALGORITHM": "HS256",
            "ACCESS_TOKEN_EXPIRE_MINUTES": "600",
            "REDIS_URL": f"{bench.REDIS}/8",
            "ALLOWED_ORIGINS": "http://127.0.0.1",
        },
        directory,
    )
    server.wait_ready("/api/v1/products/1")  # 404 is fine: it answers; tables exist
    with bench._connect(REFERENCE_DB) as conn:
        conn.execute("TRUNCATE orders, products, users RESTART IDENTITY CASCADE")
        conn.execute(
            "INSERT INTO products (name, description, price, stock, is_deleted)"
            " SELECT 'Product ' || i, 'A product.', 9.99, 1000000, false"
            " FROM generate_series(1, 1000) AS i"
        )
        hot = conn.execute(
            "INSERT INTO products (name, description, price, stock, is_deleted)"
            " VALUES ('Bench Hot Product', 'Everybody wants one.', 9.99, %s, false)"
            " RETURNING id",
            (HOT_STOCK,),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO users (name, email, hashed_password, role)"
            " SELECT 'Bench User ' || i, 'bench-user-' || i || '@example.com', 'x', 'user'"
            " FROM generate_series(1, %s) AS i",
            (bench.USERS,),
        )
        user_ids = [r[0] for r in conn.execute("SELECT id FROM users ORDER BY id")]
    redis.Redis.from_url(f"{bench.REDIS}/8").flushdb()
    expires = datetime.now(UTC) + timedelta(hours=10)
    tokens = [
        jwt.encode(
            {"sub": str(uid), "role": "user", "type": "access", "exp": expires},
            secret,
            algorithm="HS256",
        )
        for uid in user_ids
    ]
    return server, {"hot": hot, "range": [1, 300], "tokens": tokens, "detail": list(range(1, 101))}


def start_oms(workers: int, secret: str) -> bench.Server:
    # One key for both OMS servers: the tokens logged in on one are good on the other.
    return bench.Server(
        workers, bench.RESULTS / f"server-compare-oms-w{workers}.log", {"SECRET_KEY": secret}
    )


def mint_oms_tokens(secret: str) -> list[str]:
    """An access token for a new login of each bench user, made as `auth.login` makes them
    (an AuthSession row, a token naming it), without 200 bcrypt checks at cost 12 (which take
    minutes on a loaded two-core machine). OMS still checks each one against its session."""
    now = datetime.now(UTC)
    tokens = []
    with bench._connect() as conn:
        users = [r[0] for r in conn.execute("SELECT id FROM users WHERE email LIKE 'bench-user-%'")]
        for user_id in users:
            sid = secrets.token_hex(16)
            conn.execute(
                "INSERT INTO auth_sessions (id, user_id, created_at, expires_at)"
                " VALUES (%s, %s, now(), now() + interval '1 day')",
                (sid, user_id),
            )
            claims = {
                "sub": str(user_id),
                "type": "access",
                "sid": sid,
                "iat": now,
                "exp": now + timedelta(hours=10),
                "jti": secrets.token_hex(16),
            }
            tokens.append(jwt.encode(claims, secret, algorithm="HS256"))
    return tokens


def run_load(server, load: str, target: dict[str, object], work: Path, duration: int) -> dict:
    tokens = work / f"tokens-{id(target)}.txt"
    tokens.write_text("\n".join(target["tokens"]) + "\n")
    if load == "orders_hot":
        env = {"BENCH_TOKENS": str(tokens), "BENCH_PRODUCT": str(target["hot"])}
        return bench.wrk(server, "orders.lua", 32, duration, env)
    if load == "orders_300":
        lo, hi = target["range"]
        env = {
            "BENCH_TOKENS": str(tokens),
            "BENCH_PRODUCT_LO": str(lo),
            "BENCH_PRODUCT_HI": str(hi),
        }
        return bench.wrk(server, "orders.lua", 32, duration, env)
    paths = work / f"paths-{load}.txt"
    if load == "catalogue":
        paths.write_text("/api/v1/products/?page=1&limit=10\n")
    else:
        paths.write_text("".join(f"/api/v1/products/{i}\n" for i in target["detail"]))
    env = {"BENCH_PATHS": str(paths)}
    bench.wrk(server, "get.lua", 64, 5, env)  # fill the cache
    return bench.wrk(server, "get.lua", 64, duration, env)


def pgbench(script: str, hot: bool, data: dict[str, object], duration: int) -> dict:
    """PostgreSQL alone, 32 clients, the order's statements on OMS's tables."""
    with bench._connect() as conn:
        # The bench users, inserted by one statement: consecutive ids.
        users = conn.execute(
            "SELECT min(id), max(id) FROM users WHERE email LIKE 'bench-user-%'"
        ).fetchone()
    lo, hi = (data["hot_product"],) * 2 if hot else (data["product_range"][0],) * 2
    if not hot:
        hi = lo + 299
    out = subprocess.run(
        [
            "pgbench",
            "-n",
            "-M",
            "prepared",
            "-c",
            "32",
            "-j",
            "2",
            "-T",
            str(duration),
            "-f",
            str(BENCH / "pgbench" / script),
            "-D",
            f"plo={lo}",
            "-D",
            f"phi={hi}",
            "-D",
            f"ulo={users[0]}",
            "-D",
            f"uhi={users[1]}",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            bench.DB,
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"pgbench failed: {out.stderr[-2000:]}")
    out = out.stdout
    tps = float(re.search(r"tps = ([0-9.]+)", out).group(1))
    latency = float(re.search(r"latency average = ([0-9.]+) ms", out).group(1))
    return {"rps": round(tps, 1), "latency_avg_ms": latency}


def wait_events(seconds: float = 5.0) -> dict[str, int]:
    """PostgreSQL's wait events over the OMS database's backends, sampled every 50 ms."""
    counts: dict[str, int] = {}
    with bench._connect("postgres") as conn:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for kind, event in conn.execute(
                "SELECT wait_event_type, wait_event FROM pg_stat_activity"
                " WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid()",
                (bench.DB,),
            ):
                key = f"{kind}:{event}" if kind else "CPU"
                counts[key] = counts.get(key, 0) + 1
            time.sleep(0.05)
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--label", default="compare")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--reference", type=Path, help="a checkout of the reference, see above")
    parser.add_argument("--profile", action="store_true", help="py-spy OMS (1 worker) first")
    parser.add_argument("--loads", default="orders_hot,orders_300,catalogue,product")
    parser.add_argument("--pgbench-only", action="store_true", help="no servers, only pgbench")
    args = parser.parse_args()
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="oms-compare-"))
    bench.ensure_database(False)

    secret = secrets.token_urlsafe(48)
    servers: dict[str, object] = {}
    targets: dict[str, dict[str, object]] = {}
    result: dict[str, object] = {
        "label": args.label,
        "rounds": args.rounds,
        "duration_s": args.duration,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_average_before": os.getloadavg(),
    }
    out = bench.RESULTS / f"compare-{args.label}.json"
    runs: dict[str, dict[str, list[dict]]] = {}
    try:
        if args.pgbench_only:
            data = bench.load_data()
            raise _SkipServers
        print("starting OMS, 1 worker ...", flush=True)
        servers["oms-w1"] = start_oms(1, secret)
        data = bench.load_data()
        bench.flush_cache()
        lo = data["product_range"][0]
        oms_target = {
            "hot": data["hot_product"],
            "range": [lo, lo + 299],
            "tokens": mint_oms_tokens(secret),
            "detail": data["newest_ids"],
        }
        targets["oms-w1"] = oms_target
        print("starting OMS, 2 workers ...", flush=True)
        servers["oms-w2"] = start_oms(2, secret)
        targets["oms-w2"] = oms_target
        if args.reference:
            print("starting the reference, 1 uvicorn worker ...", flush=True)
            servers["reference"], targets["reference"] = start_reference(args.reference, secret)
        for workers in (1, 2):
            servers[f"bare-w{workers}"] = start_bare(workers)
            targets[f"bare-w{workers}"] = {"tokens": [], "detail": [1]}
        # The bare app sends what the cached catalogue page sends, byte for byte.
        page = httpx.get(f"{servers['oms-w1'].base}/api/v1/products/?page=1&limit=10")
        redis.Redis.from_url(f"{bench.REDIS}/{bench.REDIS_DB}").set("bench:bare:body", page.content)
        result["memory_idle_mb"] = {
            name: [round(p.memory_info().rss / 2**20, 1) for p in server.workers()]
            for name, server in servers.items()
        }

        loads = args.loads.split(",")
        if args.profile:
            # A pass of its own before the rounds: py-spy slows what it samples.
            result["profiles"] = {}
            for load in ("orders_hot", "catalogue"):
                name = f"compare-{args.label}-{load}"
                print(f"profiling {load} on oms-w1 ...", flush=True)
                spies = bench.start_profilers(servers["oms-w1"], args.duration, name)
                run_load(servers["oms-w1"], load, targets["oms-w1"], work, args.duration)
                for spy in spies:
                    spy.wait()
                result["profiles"][load] = bench.summarise_profile(name)
        for round_no in range(1, args.rounds + 1):
            for load in loads:
                for name, server in servers.items():
                    if name.startswith("bare") and load != "catalogue":
                        continue
                    print(f"round {round_no}: {load} on {name} ...", flush=True)
                    if load.startswith("orders"):
                        bench.settle(REFERENCE_DB if name == "reference" else bench.DB)
                    outcome = run_load(server, load, targets[name], work, args.duration)
                    outcome["load_average"] = os.getloadavg()[0]
                    runs.setdefault(load, {}).setdefault(name, []).append(outcome)
                    print(f"    {json.dumps(outcome)}", flush=True)
        # The hot product's wait events while OMS (2 workers) takes orders on it.
        sampler_env = {
            "BENCH_TOKENS": str(work / "tokens-events.txt"),
            "BENCH_PRODUCT": str(oms_target["hot"]),
        }
        (work / "tokens-events.txt").write_text("\n".join(oms_target["tokens"]) + "\n")
        load_process = subprocess.Popen(
            [
                "wrk",
                "-t2",
                "-c32",
                "-d8s",
                "-s",
                str(BENCH / "wrk" / "orders.lua"),
                servers["oms-w2"].base,
            ],
            env={
                **os.environ,
                **sampler_env,
                "WRK_LIB": str(BENCH / "wrk"),
                "WRK_OUT": str(work / "events-wrk.json"),
                "WRK_THREADS": "2",
            },
            stdout=subprocess.DEVNULL,
        )
        time.sleep(1.5)
        result["wait_events_orders_hot_oms_w2"] = wait_events(5.0)
        load_process.wait()
        result["memory_after_mb"] = {
            name: [round(p.memory_info().rss / 2**20, 1) for p in server.workers()]
            for name, server in servers.items()
        }
        with bench._connect() as conn:
            result["oversold"] = conn.execute(
                "SELECT count(*) FROM products WHERE stock < 0"
            ).fetchone()[0]
    except _SkipServers:
        pass
    finally:
        for server in servers.values():
            server.stop()
        result["runs"] = runs
        out.write_text(json.dumps(result, indent=1))  # what was measured, whatever follows
    # PostgreSQL alone, once the servers are gone: 32 more clients beside their pools would
    # exceed max_connections on a shared server.
    for round_no in range(1, args.rounds + 1):
        for script, hot, name in (
            ("order_stock_first.sql", True, "pgbench-stock-first"),
            ("order_stock_first.sql", False, "pgbench-stock-first"),
            ("order_lines_first.sql", True, "pgbench-lines-first"),
        ):
            load = "orders_hot" if hot else "orders_300"
            print(f"round {round_no}: {load} on {name} ...", flush=True)
            bench.settle()
            outcome = pgbench(script, hot, data, args.duration)
            runs.setdefault(load, {}).setdefault(name, []).append(outcome)
            print(f"    {json.dumps(outcome)}", flush=True)
    result["runs"] = runs
    result["medians"] = {
        load: {name: _median(outcomes) for name, outcomes in by_target.items()}
        for load, by_target in runs.items()
    }
    out.write_text(json.dumps(result, indent=1))
    print(f"wrote {out}")
    print(report(result))


class _SkipServers(Exception):
    """--pgbench-only: straight to PostgreSQL alone."""


def _median(outcomes: list[dict]) -> dict[str, float]:
    keys = [k for k in ("rps", "p50_ms", "p99_ms", "latency_avg_ms") if k in outcomes[0]]
    median = {k: round(statistics.median(o[k] for o in outcomes), 1) for k in keys}
    median["rps_each_round"] = [o["rps"] for o in outcomes]
    if "errors_non2xx" in outcomes[0]:
        median["errors"] = sum(o["errors_non2xx"] + o["errors_socket"] for o in outcomes)
    return median


def report(result: dict) -> str:
    """The medians as a Markdown table, with each target's ratio to the reference."""
    lines = [
        "| load | target | req/s (median) | each round | p50 ms | p99 ms | vs reference |",
        "|---|---|---|---|---|---|---|",
    ]
    for load, by_target in result["medians"].items():
        reference = by_target.get("reference", {}).get("rps")
        for name, m in by_target.items():
            ratio = f"{m['rps'] / reference:.2f}x" if reference else "-"
            lines.append(
                f"| {load} | {name} | {m['rps']:.0f} | {m['rps_each_round']} "
                f"| {m.get('p50_ms', '-')} | {m.get('p99_ms', '-')} | {ratio} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
