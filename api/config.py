"""Configuration from the environment (prefix ``BACKBONE_``), validated at start-up."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "insecure-development-secret-do-not-use-in-production"  # noqa: S105 - production refuses it


class Mode(StrEnum):
    production = "production"
    development = "development"
    demo = "demo"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKBONE_", extra="ignore")

    mode: Mode = Mode.production
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file in the data directory"
    )
    secret_key: SecretStr | None = None
    token_ttl_minutes: int = Field(default=8 * 60, ge=1)
    invitation_days: int = Field(default=7, ge=1, le=90, description="days an invitation link works")
    smtp_host: str | None = Field(
        default=None, description="mail server for invitations; none: the staff copy the link"
    )
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_sender: str = Field(default="Backbone <backbone@localhost>", description="the From of the mails sent")
    smtp_starttls: bool = Field(default=True, description="encrypt the connection with STARTTLS before logging in")
    database_pool_size: int = Field(
        default=10,
        ge=1,
        le=1000,
        description="PostgreSQL connections each process keeps open (twice as many more under load); "
        "every process of every host together must stay within the server's max_connections",
    )
    read_model_file: bool = Field(
        default=True,
        description="keep each process's read model in a DuckDB file in the data directory, so that a restart "
        "pulls only what changed while it was down; false: in memory, loaded whole at every start",
    )
    read_model_dir: Path | None = Field(
        default=None,
        description="where the read model files are kept; default: readmodel/ in the data directory. With several "
        "hosts on one shared data directory, a directory on each host's own disk",
    )
    read_model_memory_limit: str = Field(
        default="1GB",
        pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="memory DuckDB may take for one process's read model file and its queries (e.g. 512MB, 2GB); "
        "past it, DuckDB reads from the file and spills to disk",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=15_000, ge=0, description="how long a write waits for another write to finish"
    )
    max_batch_rows: int = Field(default=100_000, ge=1, description="rows in one JSON batch")
    max_upload_bytes: int = Field(default=512 * 1024 * 1024, ge=1, description="size of one uploaded file")
    max_import_rows: int = Field(default=2_000_000, ge=1, description="rows in one imported file")
    max_line_bytes: int = Field(default=64 * 1024, ge=64, description="length of one line of a CSV file")
    reporting_deadline_days: int = Field(
        default=120, ge=0, le=3650, description="days after a period ends before its report is overdue"
    )
    max_error_count: int = Field(default=1000, ge=1, description="errors listed per rejection")
    login_rate_limit: str = Field(
        default="10/minute",
        description="failed logins per username from one client (all processes together on PostgreSQL)",
    )
    login_client_rate_limit: str = Field(
        default="100/minute",
        description="login attempts from one client address (all processes together on PostgreSQL)",
    )
    cors_origins: str = Field(
        default="", description="comma-separated origins (https://example.org) allowed to call the API from a browser"
    )
    hsts_max_age: int = Field(default=31_536_000, ge=0, description="Strict-Transport-Security over https; 0: none")
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="proxies whose X-Forwarded-For/-Proto are believed (https, client address); '*' for any",
    )

    @field_validator("login_rate_limit", "login_client_rate_limit")
    @classmethod
    def _rate(cls, value: str) -> str:
        from api.ratelimit import Rate

        Rate.parse(value)
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        for origin in filter(None, (part.strip() for part in value.split(","))):
            parts = urlsplit(origin.rstrip("/"))
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
                raise ValueError(f"BACKBONE_CORS_ORIGINS: {origin!r} is not an origin like https://example.org")
        return value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.mode is Mode.production:
            secret = self.secret_key.get_secret_value() if self.secret_key else ""
            if not secret or secret == DEV_SECRET:
                raise ValueError(
                    "BACKBONE_SECRET_KEY must be set outside demo and development mode "
                    "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"
                )
            if len(secret) < 32:
                raise ValueError("BACKBONE_SECRET_KEY must be at least 32 characters long")
        return self

    @cached_property
    def secret(self) -> bytes:
        value = self.secret_key.get_secret_value() if self.secret_key else DEV_SECRET
        return value.encode()

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'backbone.db').resolve()}"

    @property
    def cors_origin_list(self) -> list[str]:
        return [part.strip().rstrip("/") for part in self.cors_origins.split(",") if part.strip()]

    @property
    def upload_dir(self) -> Path:
        """Where uploads are spooled while they are checked (large files never sit in memory)."""
        return self.data_dir / "uploads"

    @property
    def read_model_files(self) -> Path:
        """Where each process keeps its read model file (``read_model_file``)."""
        return self.read_model_dir or self.data_dir / "readmodel"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")
