#!/usr/bin/env bash
# The whole check, as CI runs it: ruff, then every test against real PostgreSQL and Redis,
# and, side by side, the browser tests in headless Chromium against the app in production mode.
# Needs PostgreSQL (OMS_TEST_PG, default postgresql://postgres@127.0.0.1:5432) and Redis
# (OMS_TEST_REDIS, default redis://127.0.0.1:6379); test databases are created by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Installing Chromium from Debian for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

ruff check .
ruff format --check .

# Coverage of oms_app across both runs, the servers the browser suite starts and the xdist
# workers included (see [tool.coverage.run] in pyproject.toml): one combined figure at the end.
rm -rf .coverage-data && mkdir -p .coverage-data test-results

# The two suites run side by side, each in its own process: Playwright keeps an event loop on the
# main thread, so the browser suite cannot share a process with the others. They share nothing
# that either empties or rebuilds: the browser suite's servers are the only ones that build the
# frontend (.web/), each keeps its sessions in a folder of its own, every process has its own
# PostgreSQL database and Redis database (tests/support.py), and pytest-playwright, which empties
# its output folder when a run starts, is kept out of the other suite and given a folder of its
# own in this one (server logs and screenshots stay in test-results/). The other suite is spread
# over pytest-xdist workers (OMS_TEST_WORKERS, by default one per CPU, at most 4).
workers="${OMS_TEST_WORKERS:-$(nproc)}"
if [ -z "${OMS_TEST_WORKERS:-}" ] && [ "$workers" -gt 4 ]; then workers=4; fi
coverage run -m pytest --ignore=tests/e2e -p no:playwright -n "$workers" --dist worksteal "$@" \
  >test-results/suite.log 2>&1 &
suite=$!
coverage run -m pytest tests/e2e --output test-results/playwright "$@" \
  >test-results/browser.log 2>&1 &
browser=$!
trap 'kill "$suite" "$browser" 2>/dev/null || true' INT TERM
echo "Running the service/API suite ($workers workers) and the browser suite side by side;"
echo "their output goes to test-results/suite.log and test-results/browser.log, shown when done."

status=0
wait "$suite" || status=$?
echo "=== pytest --ignore=tests/e2e (exit $status) ==="
cat test-results/suite.log
browser_status=0
wait "$browser" || browser_status=$?
echo "=== pytest tests/e2e (exit $browser_status) ==="
cat test-results/browser.log
if [ "$status" -ne 0 ] || [ "$browser_status" -ne 0 ]; then
  exit 1
fi

coverage combine --quiet
coverage report
echo "Coverage of oms_app (services, API, pages, states, components; both suites): $(coverage report --format=total)%"
