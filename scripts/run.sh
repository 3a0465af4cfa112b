#!/usr/bin/env bash
# Quick start: install what is missing, then serve OMS with demo data and an admin login.
#   http://localhost:${PORT:-8000}   admin@example.com / admin-pass-123
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
export DEMO_DATA="${DEMO_DATA:-1}"
export ADMIN_EMAIL="${ADMIN_EMAIL:-admin@example.com}"
export ADMIN_PASSWORD="${ADMIN_PASSWORD:-admin-pass-123}"
export PORT="${PORT:-8000}"
echo "OMS on http://localhost:${PORT}  (admin: ${ADMIN_EMAIL}; API docs: /api)"
exec scripts/start.sh
