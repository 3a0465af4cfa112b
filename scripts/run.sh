#!/usr/bin/env bash
# Quick start: install what is missing, then serve OMS with demo data and an admin login.
# Says where to go, and with which logins, once the app answers.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
export DEMO_DATA="${DEMO_DATA:-1}"
export ADMIN_EMAIL="${ADMIN_EMAIL:-admin@example.com}"
admin_login="${ADMIN_EMAIL:-admin@example.com} (your ADMIN_PASSWORD)"
if [ -z "${ADMIN_PASSWORD:-}" ]; then admin_login="admin@example.com / admin-pass-123"; fi
export ADMIN_PASSWORD="${ADMIN_PASSWORD:-admin-pass-123}"
export PORT="${PORT:-8000}"
echo "Starting OMS on port ${PORT} (the first start also builds the frontend)..."

# Reflex prints its own listening address (0.0.0.0) before the app answers; ours comes instead,
# once it does.
scripts/start.sh 2>&1 | grep --line-buffered -v '^App running at:' &
server=$!
trap 'pkill -TERM -P $$ 2>/dev/null || true' INT TERM

until .venv/bin/python -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
  "http://127.0.0.1:${PORT}/api/health" 2>/dev/null; do
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit 1; }
  sleep 1
done
shopper=""
if [ "$DEMO_DATA" = "1" ]; then shopper="  shopper: shopper@example.com / shopper-demo-1"; fi
cat <<READY

OMS is ready: http://localhost:${PORT}
  admin:   ${admin_login}
${shopper}
  REST API and its docs: http://localhost:${PORT}/api

READY
wait "$server"
