#!/usr/bin/env bash
# Order throughput with one webhook endpoint registered versus none:
#   bash bench/webhooks.sh [--workers 2 --duration 15 --rounds 2 --label current]
# Needs what bench/run.sh needs (PostgreSQL, Redis, wrk). Uses database $BENCH_DB
# (oms_bench_webhooks, rebuilt every run); writes bench/results/webhooks-<label>.json.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORKDIR="${BENCH_WORKDIR:-/tmp/oms-bench-webhooks}"

# shellcheck source=scripts/env.sh
source "$REPO/scripts/env.sh"
command -v wrk >/dev/null || { echo "bench/webhooks.sh needs wrk (bash bench/run.sh installs it)"; exit 1; }

# A production start rewrites .web/ where it runs: run from a scratch copy.
rsync -a --delete --exclude .web --exclude .git --exclude .venv --exclude .tools \
  --exclude reflex.lock --exclude bench/results "$REPO/" "$WORKDIR/"
ln -sfn "$REPO/.venv" "$WORKDIR/.venv"
ln -sfn "$REPO/.tools" "$WORKDIR/.tools"

export BENCH_RESULTS="$REPO/bench/results"
export BENCH_REDIS_DB="${BENCH_REDIS_DB:-8}"
"$REPO/.venv/bin/python" "$WORKDIR/bench/webhooks.py" "$@"
