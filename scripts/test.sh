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

# The service/API suite first, spread over pytest-xdist workers (OMS_TEST_WORKERS, by default one
# per CPU, at most 4; each worker has its own PostgreSQL and Redis database, tests/support.py),
# then the browser suite on its own: Playwright keeps an event loop on the main thread, and its
# servers build the frontend in this checkout. pytest-playwright, which empties its output
# folder when a run starts, is kept out of the first suite and given a folder of its own in the
# second (server logs and screenshots stay in test-results/).
workers="${OMS_TEST_WORKERS:-$(nproc)}"
if [ -z "${OMS_TEST_WORKERS:-}" ] && [ "$workers" -gt 4 ]; then workers=4; fi
coverage run -m pytest --ignore=tests/e2e -p no:playwright -n "$workers" --dist worksteal "$@"
coverage run -m pytest tests/e2e --output test-results/playwright "$@"

coverage combine --quiet
coverage report
echo "Coverage of oms_app (services, API, pages, states, components; both suites): $(coverage report --format=total)%"
