"""Load the bundled dataset (src/innochain/data/bundled) into a database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from innochain.registry.formats import read_path
from innochain.registry.importer import ImportReport, import_tables

__all__ = ["BUNDLED", "load_bundled"]

BUNDLED = Path(__file__).parent / "bundled"


def load_bundled(
    session: Session, *, path: Path = BUNDLED, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Validate and upsert the whole bundled dataset in the caller's transaction."""
    return import_tables(session, read_path(path), progress=progress)
