"""Settings read from the environment once, validated at start-up.

Every variable the reference documented keeps its name and meaning; ours are added beside them.
An invalid value stops the process with a message naming the variable, never a traceback later.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Long enough for HS256 (PyJWT warns below 32 bytes), and refused by the production check.
DEFAULT_SECRET_KEY = "change-me-in-production-development-only-key"  # noqa: S105
DEFAULT_SQLITE_URL = f"sqlite:///{PROJECT_ROOT / 'oms.db'}"


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

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("redis_url", "admin_email", "admin_password", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

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
        if (self.admin_email is None) != (self.admin_password is None):
            raise ValueError("ADMIN_EMAIL and ADMIN_PASSWORD must be set together")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def cors_origins(self) -> list[str]:
        return self.allowed_origins


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
