#!/usr/bin/env bash
# The whole check, as CI runs it: ruff, then every test against real PostgreSQL and Redis,
# then the browser tests in headless Chromium against the app in production mode.
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

# Coverage of oms_app across both runs, the servers the browser suite starts included (see
# [tool.coverage.run] in pyproject.toml): one combined figure at the end.
rm -rf .coverage-data && mkdir -p .coverage-data

# Playwright keeps an event loop on the main thread, so the browser suite runs on its own.
# (Not beside the other suite: both start `reflex run` in this checkout, sharing .web/.)
coverage run -m pytest --ignore=tests/e2e "$@"
coverage run -m pytest tests/e2e "$@"

coverage combine --quiet
coverage report
echo "Coverage of oms_app (services, API, pages, states, components; both suites): $(coverage report --format=total)%"
