#!/usr/bin/env bash
# Starts OMS in production mode on $PORT: the compiled frontend, the state websocket and the
# REST API on one port. The app itself applies migrations and ensures ADMIN_EMAIL at start-up.
# This is the container's command too (see Dockerfile), so what runs there is what runs here.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${REFLEX_USE_SYSTEM_BUN:-}" ]; then
  # shellcheck source=scripts/env.sh
  source scripts/env.sh
fi
exec reflex run --env prod --loglevel "${REFLEX_LOGLEVEL:-info}"
