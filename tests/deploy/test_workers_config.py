"""WORKERS: how many server processes start, and the guard that keeps them from losing sessions.

Each case runs in a fresh interpreter, because settings and rxconfig are read once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = "WORKERS > 1 needs REDIS_URL"


def run(command: list[str], **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"GRANIAN_WORKERS", "REFLEX_REDIS_URL", "WORKERS", "REDIS_URL"}
    }
    env.update({"APP_ENV": "test", "PORT": "8199", **overrides})
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def load_rxconfig(**overrides: str) -> subprocess.CompletedProcess[str]:
    probe = "import os, rxconfig; print(os.environ['GRANIAN_WORKERS'], rxconfig.config.redis_url)"
    return run([sys.executable, "-c", probe], **overrides)


def test_several_workers_without_redis_refuse_to_start_with_a_clear_message() -> None:
    result = load_rxconfig(WORKERS="2", REDIS_URL="")
    assert result.returncode == 1
    assert MESSAGE in result.stderr
    assert "Traceback" not in result.stderr


def test_the_start_script_stops_at_once_with_the_same_message() -> None:
    result = run(["bash", "scripts/start.sh"], WORKERS="2", REDIS_URL="")
    assert result.returncode != 0
    assert MESSAGE in result.stdout + result.stderr


def test_several_workers_share_browser_sessions_through_redis() -> None:
    result = load_rxconfig(WORKERS="3", REDIS_URL="redis://127.0.0.1:6379/14")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "redis://127.0.0.1:6379/14"]


def test_one_worker_keeps_sessions_in_memory_and_redis_for_the_cache() -> None:
    result = load_rxconfig(WORKERS="1", REDIS_URL="redis://127.0.0.1:6379/14")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "None"]
