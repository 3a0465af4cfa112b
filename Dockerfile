# syntax=docker/dockerfile:1
# OMS: the Reflex UI, the state websocket and the REST API on one port ($PORT).
#
#   docker build -t oms .
#   docker run --env-file .env -p 8000:8000 oms        (or: docker compose up --build)
#
# The command is scripts/start.sh, the same one the README documents for running without Docker.
# `reflex run --env prod` (Reflex 0.10.1) always recompiles the pages and re-runs the frontend
# build when it starts; that is Reflex's own supported single-process deployment (its
# docker-example/simple-one-process). So this image installs every frontend package at build time
# (`reflex export` below, which also fails the build early if a page does not compile) and keeps
# bun in the runtime stage: a start needs no network and takes a few seconds, and PORT and
# REFLEX_API_URL stay run-time settings instead of being baked into the image.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# --- bun, from the npm registry (Reflex would otherwise download it at run time) -------------
FROM ${NODE_IMAGE} AS bun
ARG BUN_VERSION=1.4.5
# Unset: the registry npm is configured with. The builder's frontend install uses the same one.
ARG NPM_CONFIG_REGISTRY
RUN npm install --global --prefix /opt/bun "bun@${BUN_VERSION}" --no-audit --no-fund --loglevel=error \
    && mkdir /opt/bun-dist \
    && cp -L /opt/bun/bin/bun /opt/bun-dist/bun \
    && /opt/bun-dist/bun --version \
    && npm config get registry > /opt/bun-dist/npm-registry

# --- builder: Python packages in a venv, frontend packages and a first build in .web ----------
FROM ${PYTHON_IMAGE} AS builder
ENV PATH=/opt/venv/bin:$PATH \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    REFLEX_USE_SYSTEM_BUN=1 \
    REFLEX_CHECK_LATEST_VERSION=0 \
    REFLEX_DIR=/app/.tools/reflex \
    BUN_INSTALL_CACHE_DIR=/tmp/bun-cache
COPY --from=bun /opt/bun-dist/bun /usr/local/bin/bun
COPY --from=bun /opt/bun-dist/npm-registry /opt/npm-registry
WORKDIR /app

# Only the runtime section of requirements.txt: test tools (pytest, Playwright, linters) stay out.
COPY requirements.txt ./
RUN --mount=type=cache,target=/root/.cache/pip \
    sed '/^# Tests and tooling/,$d' requirements.txt > /tmp/runtime-requirements.txt \
    && python -m venv /opt/venv \
    && pip install -r /tmp/runtime-requirements.txt

COPY . .
# Creates .web/ (frontend packages in .web/node_modules) and proves the pages compile. Without
# NPM_CONFIG_REGISTRY Reflex would probe registries over the network: give it npm's.
RUN --mount=type=cache,target=/tmp/bun-cache \
    NPM_CONFIG_REGISTRY="$(cat /opt/npm-registry)" \
    reflex export --frontend-only --no-zip --loglevel info \
    && rm -rf .web/build .states

# --- runtime: no compilers, no npm; a non-root user ------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
# tini as PID 1 forwards SIGTERM to Reflex and reaps the build's child processes.
# /data/uploads holds product images (REFLEX_UPLOADED_FILES_DIR); compose mounts a volume there.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 oms \
    && useradd --system --uid 10001 --gid oms --home-dir /app --no-create-home oms \
    && install -d -o oms -g oms /data/uploads
COPY --from=bun /opt/bun-dist/bun /usr/local/bin/bun
COPY --from=builder /opt/venv /opt/venv
# Reflex rewrites .web/ when it starts, so the app user owns the tree.
COPY --from=builder --chown=oms:oms /app /app
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/app \
    REFLEX_USE_SYSTEM_BUN=1 \
    REFLEX_CHECK_LATEST_VERSION=0 \
    REFLEX_DIR=/app/.tools/reflex \
    BUN_INSTALL_CACHE_DIR=/app/.tools/bun-cache \
    APP_ENV=production \
    LOG_JSON=1 \
    PORT=8000 \
    REFLEX_UPLOADED_FILES_DIR=/data/uploads
USER 10001:10001
VOLUME ["/data/uploads"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/api/health', timeout=4)"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["scripts/start.sh"]
