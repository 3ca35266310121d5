"""Alembic environment: the engine comes from `innochain.store.migrate`, never from a file."""

from __future__ import annotations

from alembic import context

from innochain.store import account_tables, alert_tables, work_tables  # noqa: F401 - registers their tables
from innochain.store.tables import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
