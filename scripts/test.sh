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

# Playwright keeps an event loop on the main thread, so the browser suite runs on its own.
pytest --ignore=tests/e2e "$@"
pytest tests/e2e "$@"
