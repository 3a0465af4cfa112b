"""Settings read from the environment once, validated at start-up.

Every variable the reference documented keeps its name and meaning; ours are added beside them.
An invalid value stops the process with a message naming the variable, never a traceback later.
"""

from __future__ import annotations

import re
import sys
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Long enough for HS256 (PyJWT warns below 32 bytes), and refused by the production check.
DEFAULT_SECRET_KEY = "change-me-in-production-development-only-key"  # noqa: S105
DEFAULT_SQLITE_URL = f"sqlite:///{PROJECT_ROOT / 'oms.db'}"
CachePrefix = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]


class Settings(BaseSettings):
    # Only the process environment counts: a stray .env file must not turn a test run or a
    # local start into a production configuration. (docker compose reads .env itself.)
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    # The reference's variables
    secret_key: str = DEFAULT_SECRET_KEY
    algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    access_token_expire_minutes: int = Field(60, ge=1, le=60 * 24)
    database_url: str = DEFAULT_SQLITE_URL
    allowed_origins: Annotated[list[str], NoDecode] = ["http://localhost:3000"]
    redis_url: str | None = None

    # Ours
    app_env: Literal["development", "production", "test"] = "development"
    refresh_token_expire_days: int = Field(7, ge=1, le=365)
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    admin_email: str | None = None
    admin_password: str | None = None
    demo_data: bool = False
    bcrypt_rounds: int = Field(12, ge=4, le=16)
    cache_ttl_seconds: int = Field(300, ge=1)
    redis_timeout_seconds: float = Field(0.25, gt=0, le=5)
    log_json: bool = False
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Every Redis key OMS writes starts with this, so deployments sharing one Redis never read
    # each other's entries. Unset: "oms:" and the database name (see `redis_prefix`).
    cache_prefix: CachePrefix | None = None
    # Mail (password reset links) and the address those links point at.
    smtp_url: str | None = None
    mail_from: str = "OMS <no-reply@localhost>"
    public_url: str | None = None
    # Webhooks: private targets (loopback, LAN, link-local, cloud metadata) are refused unless
    # allowed, since an admin's URL would otherwise let the server probe its own network.
    webhook_allow_private_targets: bool = False
    webhook_timeout_seconds: float = Field(10, gt=0, le=60)
    # How long a sender holds a claimed delivery; a dead sender's claims fall due after it.
    webhook_lease_seconds: float = Field(60, gt=0, le=3600)
    # Senders wake at once for changes made in their own process and check for others' this often.
    webhook_poll_seconds: float = Field(2, gt=0, le=3600)
    webhook_concurrency: int = Field(16, ge=1, le=100)
    # Delivered and given-up deliveries (and their attempts) are deleted this long after they
    # ended, so the outbox does not grow for ever; pending ones are never touched.
    webhook_retention_days: int = Field(30, ge=1, le=3650)
    # Reflex's own: where browsers open the state websocket, when not on this origin.
    reflex_api_url: str | None = None

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator(
        "redis_url",
        "admin_email",
        "admin_password",
        "cache_prefix",
        "smtp_url",
        "public_url",
        "reflex_api_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            try:
                parts.port  # noqa: B018 - raises on a malformed port
            except ValueError:
                raise ValueError("the port must be a number") from None
            if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
                raise ValueError("must look like smtp://user:password@host:port (smtps:// for TLS)")
        return value

    @field_validator("mail_from")
    @classmethod
    def _an_address(cls, value: str) -> str:
        if "@" not in parseaddr(value)[1] or any(c in value for c in "\r\n"):
            raise ValueError('must be an email address, optionally named: "OMS <oms@example.com>"')
        return value

    @field_validator("public_url")
    @classmethod
    def _an_origin(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query:
            raise ValueError("must be the site's public http(s) URL, e.g. https://shop.example")
        return value.strip().rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _psycopg_driver(cls, value: str) -> str:
        """Accept the reference's plain `postgresql://` URLs; we speak psycopg 3."""
        for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> Settings:
        if self.app_env == "production" and (
            self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32
        ):
            raise ValueError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "when APP_ENV=production"
            )
        if self.workers > 1 and not self.redis_url:
            raise ValueError(
                "WORKERS > 1 needs REDIS_URL: without Redis each worker would keep its own "
                "copy of every browser session"
            )
        if self.webhook_lease_seconds <= self.webhook_timeout_seconds:
            raise ValueError(
                "WEBHOOK_LEASE_SECONDS must be longer than WEBHOOK_TIMEOUT_SECONDS, or a slow "
                "delivery could be sent twice at once"
            )
        if (self.admin_email is None) != (self.admin_password is None):
            raise ValueError("ADMIN_EMAIL and ADMIN_PASSWORD must be set together")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def cors_origins(self) -> list[str]:
        return self.allowed_origins

    @property
    def redis_prefix(self) -> str:
        """CACHE_PREFIX, else derived from the database's name: two deployments with their own
        databases keep apart on one Redis, and every instance of one deployment agrees."""
        if self.cache_prefix:
            return self.cache_prefix
        name = make_url(self.database_url).database or ""
        if self.is_sqlite:
            name = Path(name).stem
        return "oms:" + (re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "default")


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper() or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        sys.exit(f"OMS configuration error: {problems}")
