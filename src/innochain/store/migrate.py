"""Alembic, driven from code: `innochain db upgrade` and the start-up check."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from innochain.errors import NotMigrated
from innochain.store.db import make_engine

__all__ = ["current_revision", "ensure_migrated", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(url_or_engine: str | Engine, revision: str = "head") -> str:
    """Migrate the database to `revision`; returns the revision reached."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    command.upgrade(_config(engine), revision)
    reached = current_revision(engine)
    assert reached is not None
    return reached


def ensure_migrated(engine: Engine) -> None:
    """Raise `NotMigrated` with the command to run unless the schema is at head."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        where = make_url(str(engine.url)).render_as_string(hide_password=True)
        raise NotMigrated(
            f"the database {where} is at schema revision {current or 'none'}, "
            f"this innochain needs {head}; run: innochain db upgrade"
        )
