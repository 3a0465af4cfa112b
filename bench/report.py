"""Charts and Markdown tables from bench/results/*.json (written by bench/bench.py).

    python bench/report.py [label ...]     # default: every result file, oldest first

Charts go to docs/img/bench-*.png; the tables are printed for docs/benchmarks.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after use("Agg"): the backend must be chosen first

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
IMAGES = ROOT / "docs" / "img"
TITLES = {
    "catalogue": "GET /products/?page=1&limit=10 (cached)",
    "product": "GET /products/{id} (cached)",
    "catalogue_filtered": "GET /products/?category=&price&sort= (8 pages, cached)",
    "catalogue_filtered_misses": "GET /products/?category=&price&sort= (1M rows, cache misses)",
    "catalogue_filtered_misses_c2": "the same at 2 connections",
    "search": "GET /products/?search= (1M rows, cache misses)",
    "search_c2": "GET /products/?search= at 2 connections",
    "order_search": "GET /orders/?q= (admin, 1M orders)",
    "order_search_c2": "GET /orders/?q= at 2 connections",
    "orders_hot": "POST /orders/ one hot product",
    "orders_many": "POST /orders/ many products",
    "login": "POST /users/login (bcrypt 12)",
}


def load(labels: list[str]) -> list[dict]:
    if labels:
        return [json.loads((RESULTS / f"{label}.json").read_text()) for label in labels]
    files = sorted(RESULTS.glob("*.json"), key=lambda p: p.stat().st_mtime)
    # compare-*.json (bench/compare.py) have a shape of their own.
    skip = ("profile", "compare-", "catalogue-explain", "order-search-explain")
    return [json.loads(p.read_text()) for p in files if not p.stem.startswith(skip)]


def table(runs: list[dict]) -> str:
    lines = [
        "| scenario | run | conns | req/s | p50 ms | p99 ms | errors (non-2xx / socket) "
        "| RSS all processes, max MB | largest process MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, title in TITLES.items():
        for run in runs:
            r = run["scenarios"].get(name)
            if r is None:
                continue
            lines.append(
                f"| {title} | {run['label']} | {r['connections']} | {r['rps']:.0f} "
                f"| {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
                f"| {r['errors_non2xx']} / {r['errors_socket']} "
                f"| {r['rss_total_max_mb']:.0f} | {r['rss_process_max_mb']:.0f} |"
            )
    return "\n".join(lines)


def chart(runs: list[dict], metric: str, ylabel: str, filename: str, log: bool = False) -> None:
    names = [n for n in TITLES if any(n in r["scenarios"] for r in runs)]
    width = 0.8 / max(len(runs), 1)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for i, run in enumerate(runs):
        values = [run["scenarios"].get(n, {}).get(metric, 0) for n in names]
        xs = [x + i * width for x in range(len(names))]
        bars = ax.bar(xs, values, width, label=run["label"])
        ax.bar_label(bars, fmt="%.0f", fontsize=7)
    ax.set_xticks([x + width * (len(runs) - 1) / 2 for x in range(len(names))])
    ax.set_xticklabels([n.replace("_", "\n") for n in names])
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")
    ax.legend()
    ax.set_title(ylabel)
    fig.tight_layout()
    IMAGES.mkdir(parents=True, exist_ok=True)
    fig.savefig(IMAGES / filename, dpi=110)
    plt.close(fig)


def main() -> None:
    runs = load(sys.argv[1:])
    chart(runs, "rps", "requests per second", "bench-throughput.png", log=True)
    chart(runs, "p99_ms", "p99 latency (ms)", "bench-p99.png", log=True)
    chart(runs, "p50_ms", "p50 latency (ms)", "bench-p50.png", log=True)
    chart(runs, "rss_total_max_mb", "server RSS, all processes (MB)", "bench-rss.png")
    print(table(runs))
    print(f"\ncharts in {IMAGES}")


if __name__ == "__main__":
    main()
