"""No package registry is named in the repository: builds use the one npm is configured with.

A registry's host written into scripts or the Dockerfile overrides what the machine, the CI
runner or the operator's mirror says; every build here takes npm's own setting instead.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.deploy.test_packaging import ROOT, arguments_of, dockerfile_stages

# Package registries' hosts look like these (npm's, yarn's, Debian's, PyPI's and their mirrors).
REGISTRY_HOST = re.compile(
    r"\b(?:registry|deb|pypi|files\.pythonhosted)(?:\.[a-z0-9-]+)*\.(?:org|com|net|io|dev)\b",
    re.IGNORECASE,
)


def tracked_text_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    return [name.decode() for name in listed if name and (ROOT / name.decode()).is_file()]


def test_no_tracked_file_names_a_registry_host() -> None:
    found = []
    for name in tracked_text_files():
        content = (ROOT / name).read_bytes()
        if b"\0" in content:
            continue  # binary
        found += [
            f"{name}: {m[0]}" for m in REGISTRY_HOST.finditer(content.decode(errors="ignore"))
        ]
    assert found == []


def test_the_pattern_would_catch_one() -> None:
    # Spelled in pieces, or this file would be a finding of the test above.
    assert REGISTRY_HOST.search("echo https://" + ".".join(["registry", "example", "org"]) + "/")
    assert not REGISTRY_HOST.search("from reflex.utils.registry import get_npm_registry")


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
@pytest.mark.parametrize("configured", [None, "http://127.0.0.1:4873/"])
def test_env_sh_hands_reflex_the_registry_npm_uses(monkeypatch, configured: str | None) -> None:
    if configured is None:
        monkeypatch.delenv("NPM_CONFIG_REGISTRY", raising=False)
    else:
        monkeypatch.setenv("NPM_CONFIG_REGISTRY", configured)
    npm_says = subprocess.run(
        ["npm", "config", "get", "registry"], capture_output=True, text=True, check=True
    ).stdout.strip()
    exported = subprocess.run(
        ["bash", "-c", 'source scripts/env.sh >/dev/null && printf %s "$NPM_CONFIG_REGISTRY"'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert exported == npm_says
    if configured is not None:
        assert exported == configured


def test_the_image_build_takes_the_registry_from_npm() -> None:
    stages = dockerfile_stages()
    assert not [
        a for a in arguments_of(stages["bun"], "ARG") if a.startswith("NPM_CONFIG_REGISTRY=")
    ]
    assert any("npm config get registry >" in run for run in arguments_of(stages["bun"], "RUN"))
    builder_runs = arguments_of(stages["builder"], "RUN")
    export = next(run for run in builder_runs if "reflex export" in run)
    assert 'NPM_CONFIG_REGISTRY="$(cat /opt/npm-registry)"' in export
