"""What the webhook outbox costs an order: order throughput with no webhook versus one endpoint
subscribed to every event type, whose receiver (a local HTTP server in this process) answers 200.

Run through `bash bench/webhooks.sh [--workers 2 --duration 15 --rounds 2]`. It starts OMS in
production mode on its own database ($BENCH_DB, default oms_bench_webhooks: small, rebuilt each
run), loads 1,000 products with ample stock (so no stock_low event fires), the "hot" product and
50 users, then alternates rounds without and with the endpoint, each running the two order
scenarios of bench.py (one hot product, random products) with wrk. With the endpoint it also
records how many deliveries were sent during the run and how long the backlog took to drain
afterwards. Results: bench/results/webhooks-<label>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Before bench.py reads it: this run drops and rebuilds its database, never bench.py's.
os.environ.setdefault("BENCH_DB", "oms_bench_webhooks")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bcrypt
import httpx

import bench  # bench/bench.py

PRODUCTS = 1000
# Fewer users than bench.py's 200: logging each in costs a bcrypt hash at cost 12, and 50 bearer
# tokens keep 32 connections just as busy.
bench.USERS = 50
EVENTS = ["order.created", "order.status_changed", "order.cancelled", "product.stock_low"]


class _Server(ThreadingHTTPServer):
    # The default listen backlog (5) drops a burst of connections, which then wait a second for
    # TCP to try again: a sender working in batches opens many at once.
    request_queue_size = 128
    daemon_threads = True


class Receiver:
    """Counts webhook POSTs and answers 200 at once."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                with receiver.lock:
                    receiver.count += 1
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/oms-events"


def load_data() -> dict[str, object]:
    with bench._connect() as conn:
        conn.execute(
            "INSERT INTO products (name, description, price, stock, is_deleted, created_at,"
            " updated_at) SELECT 'Bench product ' || i, '', 9.99, 1000000000, false, now(), now()"
            " FROM generate_series(1, %s) AS i",
            (PRODUCTS,),
        )
        hot = conn.execute(
            "INSERT INTO products (name, description, price, stock, is_deleted, created_at,"
            " updated_at) VALUES (%s, '', 9.99, 1000000000, false, now(), now()) RETURNING id",
            (bench.HOT_NAME,),
        ).fetchone()[0]
        hashed = bcrypt.hashpw(bench.PASSWORD.encode(), bcrypt.gensalt(12)).decode()
        conn.execute(
            "INSERT INTO users (name, email, hashed_password, role, created_at, updated_at)"
            " SELECT 'Bench User ' || i, 'bench-user-' || i || '@example.com', %s, 'user',"
            " now(), now() FROM generate_series(1, %s) AS i",
            (hashed, bench.USERS),
        )
        lo, hi = conn.execute(
            "SELECT min(id), max(id) FROM products WHERE name <> %s", (bench.HOT_NAME,)
        ).fetchone()
    return {"hot_product": hot, "product_range": [lo, hi]}


def outbox() -> dict[str, int]:
    with bench._connect() as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM webhook_deliveries GROUP BY status"
        ).fetchall()
    return dict(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--label", default="current")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of (none, one endpoint)")
    args = parser.parse_args()
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    bench.ensure_database(fresh=True)
    receiver = Receiver()
    work = Path(bench.tempfile.mkdtemp(prefix="oms-bench-webhooks-"))
    result: dict[str, object] = {
        "label": args.label,
        "workers": args.workers,
        "duration_s": args.duration,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "runs": [],
    }
    server = bench.Server(
        args.workers,
        bench.RESULTS / f"server-webhooks-{args.label}.log",
        {"WEBHOOK_ALLOW_PRIVATE_TARGETS": "1"},
    )
    try:
        data = load_data()
        tokens = work / "tokens.txt"
        tokens.write_text("\n".join(bench.log_in_users(server.base)) + "\n")
        admin = {
            "Authorization": "Bearer "
            + bench.log_in(server.base, bench.ADMIN_EMAIL, bench.ADMIN_PASSWORD)
        }
        lo, hi = data["product_range"]
        scenarios = {
            "orders_hot": {"BENCH_PRODUCT": str(data["hot_product"])},
            "orders_many": {"BENCH_PRODUCT_LO": str(lo), "BENCH_PRODUCT_HI": str(hi)},
        }
        hook_id = None
        for round_number in range(args.rounds):
            for mode in ("none", "one_endpoint"):
                if mode == "one_endpoint" and hook_id is None:
                    created = httpx.post(
                        f"{server.base}/api/v1/webhooks",
                        json={"url": receiver.url, "events": EVENTS},
                        headers=admin,
                        timeout=120,  # the server may still be working off the last run
                    )
                    created.raise_for_status()
                    hook_id = created.json()["id"]
                if mode == "none" and hook_id is not None:
                    httpx.delete(
                        f"{server.base}/api/v1/webhooks/{hook_id}", headers=admin, timeout=120
                    ).raise_for_status()
                    hook_id = None
                for name, env in scenarios.items():
                    print(f"round {round_number + 1}, {mode}, {name} ...", flush=True)
                    before = receiver.count
                    measured = bench.wrk(
                        server,
                        "orders.lua",
                        32,
                        args.duration,
                        {"BENCH_TOKENS": str(tokens), **env},
                    )
                    measured.update({"round": round_number + 1, "mode": mode, "scenario": name})
                    if mode == "one_endpoint":
                        measured["delivered_during_run"] = receiver.count - before
                        started = time.monotonic()
                        while outbox().get("pending", 0) and time.monotonic() - started < 120:
                            time.sleep(0.5)
                        measured["drain_after_run_s"] = round(time.monotonic() - started, 1)
                        measured["outbox"] = outbox()
                    print(f"    {json.dumps(measured)}", flush=True)
                    result["runs"].append(measured)
    finally:
        server.stop()
        receiver.server.shutdown()
    summary: dict[str, dict[str, float]] = {}
    for name in ("orders_hot", "orders_many"):
        rates = {
            mode: [r["rps"] for r in result["runs"] if r["scenario"] == name and r["mode"] == mode]
            for mode in ("none", "one_endpoint")
        }
        none = sum(rates["none"]) / len(rates["none"])
        one = sum(rates["one_endpoint"]) / len(rates["one_endpoint"])
        summary[name] = {"none_rps": round(none, 1), "one_rps": round(one, 1)}
        summary[name]["ratio"] = round(one / none, 3)
    result["summary"] = summary
    print(json.dumps(summary, indent=2))
    out = bench.RESULTS / f"webhooks-{args.label}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
