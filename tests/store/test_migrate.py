from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from innochain.app import create_app
from innochain.errors import NotMigrated
from innochain.settings import Settings
from innochain.store import current_revision, ensure_migrated, head_revision, upgrade

pytestmark = pytest.mark.integration


def test_unmigrated_database_is_refused_with_the_command_to_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    with pytest.raises(NotMigrated, match="run: innochain db upgrade"):
        create_app(Settings(database_url=url))


def test_upgrade_reaches_head_and_is_idempotent(
    empty_db: str, engine_of: Callable[[str], Engine]
) -> None:
    engine = engine_of(empty_db)
    assert current_revision(engine) == head_revision()
    assert upgrade(engine) == head_revision()
    ensure_migrated(engine)


def test_sqlite_has_foreign_keys_and_wal(
    tmp_path: Path, engine_of: Callable[[str], Engine]
) -> None:
    engine = engine_of(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
