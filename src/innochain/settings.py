"""The one typed settings object. Every option is declared here once, with default and help."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_database_url"]


def default_database_url() -> str:
    """SQLite file in the user data directory (created on first use)."""
    data_dir = Path(platformdirs.user_data_dir("innochain", appauthor=False))
    return f"sqlite:///{data_dir / 'innochain.sqlite3'}"


class Settings(BaseSettings):
    """Read from the environment with the `INNOCHAIN_` prefix (e.g. `INNOCHAIN_DATABASE_URL`)."""

    model_config = SettingsConfigDict(env_prefix="INNOCHAIN_", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL. Default: SQLite in the user data directory; "
        "use postgresql+psycopg://user@host/db for PostgreSQL.",
    )
    environment: Literal["development", "production", "test"] = Field(
        default="development", description="Deployment kind; production refuses unsafe values."
    )
    host: str = Field(default="127.0.0.1", description="Address `innochain serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `innochain serve` uses.")
    page_size: int = Field(default=50, ge=1, le=500, description="Default page size of API lists.")
    semantic: bool = Field(
        default=False,
        description="Use the semantic matching component (needs the `semantic` extra; the "
        "model embeds the registry once, on the first match).",
    )
    import_max_mb: float = Field(
        default=25.0, gt=0, description="Largest file `innochain import` accepts, in megabytes."
    )

    public_url: str = Field(
        default="",
        description="The address people reach the app at, for invitation and reset links "
        "(default: http://HOST:PORT).",
    )
    session_hours: float = Field(
        default=12.0, gt=0, le=24 * 30, description="How long a browser session lasts, in hours."
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Send cookies over HTTPS only. Default: on in production, off in "
        "development and test (plain http on loopback); production refuses off.",
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="Wrong passwords in a row before an account is locked."
    )
    lockout_minutes: int = Field(
        default=15, ge=1, description="How long a locked account stays locked, in minutes."
    )
    login_rate_per_minute: int = Field(
        default=10, ge=0, description="Sign-in attempts per minute from one IP address (0: off)."
    )
    api_rate_per_minute: int = Field(
        default=600,
        ge=0,
        description="API requests per minute per IP address and per user or token (0: off).",
    )
    worker_threads: int = Field(
        default=8,
        ge=1,
        le=40,
        description="Threads that run request handlers in the one serving process.",
    )
    page_cache_seconds: float = Field(
        default=10.0,
        ge=0,
        description="How long an anonymous page or API read may be served from the response "
        "cache (changes made by the app itself clear it at once; 0: no cache).",
    )
    max_body_kb: int = Field(
        default=1024, ge=1, description="Largest request body the app accepts, in kilobytes."
    )
    assets_dir: Path = Field(
        default=Path(__file__).resolve().parents[2] / "node_modules",
        description="Folder of the npm-installed front-end packages (`make setup` runs `npm ci` "
        "in the checkout); without ECharts there, statistics charts stay static SVG.",
    )

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure is None:
            return self.environment == "production"
        return self.cookie_secure

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def link_url(self, secret: str) -> str:
        """The address of an invitation or password-reset link."""
        return f"{self.base_url}/link/{secret}"

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("database_url must be a sqlite:// or postgresql+psycopg:// URL")
        return value

    def check_safe(self) -> None:
        """Refuse settings that are fine for development but unsafe in production."""
        if self.environment != "production":
            return
        if not self.secure_cookies:
            raise ValueError("INNOCHAIN_COOKIE_SECURE=false is refused in production")
        if not self.public_url.startswith("https://"):
            raise ValueError(
                "INNOCHAIN_PUBLIC_URL must be the https:// address of the app in production "
                "(serve it behind a TLS-terminating proxy)"
            )
