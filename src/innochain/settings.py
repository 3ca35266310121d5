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

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("database_url must be a sqlite:// or postgresql+psycopg:// URL")
        return value

    def check_safe(self) -> None:
        """Refuse settings that are fine for development but unsafe in production."""
        if self.environment == "production" and self.host not in ("127.0.0.1", "localhost"):
            # Serving beyond loopback needs accounts and TLS, which arrive with issue 5.
            raise ValueError(
                "INNOCHAIN_HOST must stay on loopback in production until accounts exist"
            )
