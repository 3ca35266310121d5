"""Storage: SQLAlchemy tables, engines and sessions, Alembic migrations."""

from innochain.store import account_tables, alert_tables, work_tables
from innochain.store.db import make_engine, make_sessionmaker, session_scope
from innochain.store.migrate import current_revision, ensure_migrated, head_revision, upgrade
from innochain.store.tables import TABLES, Base

__all__ = [
    "TABLES",
    "Base",
    "account_tables",
    "alert_tables",
    "current_revision",
    "ensure_migrated",
    "head_revision",
    "make_engine",
    "make_sessionmaker",
    "session_scope",
    "upgrade",
    "work_tables",
]
