#!/usr/bin/env bash
# The load benchmarks, in one command:   bash bench/run.sh [bench.py options]
#   e.g. bash bench/run.sh --label after --workers 2 --duration 15
#        bash bench/run.sh --compare --rounds 3 [--reference DIR]   (bench/compare.py)
# Needs PostgreSQL on 127.0.0.1:5432 (trust, user postgres) and Redis on 127.0.0.1:6379, like the
# tests. Uses database $BENCH_DB (oms_bench) and Redis db $BENCH_REDIS_DB (9); results go to
# bench/results/, charts to docs/img/. The server runs from a scratch copy of the repository
# ($BENCH_WORKDIR), because a production start rewrites .web/ where it runs.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORKDIR="${BENCH_WORKDIR:-/tmp/oms-bench-run}"

# shellcheck source=scripts/env.sh
source "$REPO/scripts/env.sh"   # the project venv, bun, offline build settings
if ! command -v wrk >/dev/null; then
  apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
"$REPO/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$REPO/bench/requirements.txt"

rsync -a --delete --exclude .web --exclude .git --exclude .venv --exclude .tools \
  --exclude reflex.lock --exclude bench/results "$REPO/" "$WORKDIR/"
ln -sfn "$REPO/.venv" "$WORKDIR/.venv"
ln -sfn "$REPO/.tools" "$WORKDIR/.tools"

export BENCH_RESULTS="$REPO/bench/results"
if [ "${1:-}" = "--compare" ]; then   # side by side: bench/compare.py
  shift
  exec "$REPO/.venv/bin/python" "$WORKDIR/bench/compare.py" "$@"
fi
"$REPO/.venv/bin/python" "$WORKDIR/bench/bench.py" "$@"
"$REPO/.venv/bin/python" "$REPO/bench/report.py"
