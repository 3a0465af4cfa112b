# Sourced by the other scripts: installs what OMS needs into the repo (idempotent) and sets the
# environment Reflex needs to build offline. Everything lands in .venv/ and .tools/.
set -euo pipefail

OMS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$OMS_ROOT"

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Reinstall only when requirements.txt changed since the last install.
if ! cmp -s requirements.txt .venv/.installed-requirements 2>/dev/null; then
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
  cp requirements.txt .venv/.installed-requirements
fi

# Reflex builds the frontend with bun; it would download bun from the internet, so we take it
# from the npm registry instead (the binary ships inside the package).
BUN_VERSION="1.4.5"
if [ ! -x .tools/bun/bin/bun ]; then
  npm install --global --prefix .tools/bun "bun@${BUN_VERSION}" --no-audit --no-fund --loglevel=error
fi

export PATH="$OMS_ROOT/.tools/bun/bin:$OMS_ROOT/.venv/bin:$PATH"
export REFLEX_USE_SYSTEM_BUN=1
export REFLEX_CHECK_LATEST_VERSION=0
export REFLEX_DIR="$OMS_ROOT/.tools/reflex"
export BUN_INSTALL_CACHE_DIR="$OMS_ROOT/.tools/bun-cache"
# Without NPM_CONFIG_REGISTRY Reflex probes registries it knows of over the network; hand it the
# one npm is configured with instead (no registry is named here).
if NPM_CONFIG_REGISTRY="$(npm config get registry 2>/dev/null)" && [ -n "$NPM_CONFIG_REGISTRY" ]; then
  export NPM_CONFIG_REGISTRY
else
  unset NPM_CONFIG_REGISTRY
fi
