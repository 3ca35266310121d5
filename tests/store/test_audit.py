"""The audit log's hash chain: intact when untouched, broken by any edit, insert or delete."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from typer.testing import CliRunner

from innochain.cli.main import app as cli
from innochain.domain import SYSTEM, Viewer
from innochain.store import audit, make_engine
from innochain.store.account_tables import AuditEntry
from innochain.store.db import make_sessionmaker, session_scope

pytestmark = pytest.mark.integration


def _write(url: str, n: int) -> None:
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as session:
        for i in range(n):
            audit.record(
                session,
                Viewer(user_id=7, organization_id="byd", name="dev@byd.example"),
                "change",
                entity="needs",
                entity_id=f"need-{i}",
                before={"visibility": "private"},
                after={"visibility": "public", "title": "碳化硅 <b>"},
                ip="10.0.0.1",
            )
    engine.dispose()


def _verify(url: str) -> audit.AuditCheck:
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as session:
        check = audit.verify(session)
    engine.dispose()
    return check


def _tamper(url: str, statement: object) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(statement)  # type: ignore[call-overload]
    engine.dispose()


def test_untouched_chain_verifies(empty_db: str) -> None:
    _write(empty_db, 5)
    assert _verify(empty_db) == audit.AuditCheck(entries=5, ok=True)
    result = CliRunner().invoke(cli, ["--database-url", empty_db, "audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "ok: 5 entries" in result.output


def test_changed_detail_is_detected(empty_db: str) -> None:
    _write(empty_db, 5)
    _tamper(empty_db, update(AuditEntry).where(AuditEntry.id == 3).values(detail={"after": {}}))
    check = _verify(empty_db)
    assert (check.ok, check.broken_id, check.reason) == (
        False,
        3,
        "content does not match its hash",
    )
    result = CliRunner().invoke(cli, ["--database-url", empty_db, "audit", "verify"])
    assert result.exit_code == 1
    assert "TAMPERED: entry 3" in result.output


def test_changed_actor_with_recomputed_hash_breaks_the_next_link(empty_db: str) -> None:
    _write(empty_db, 4)
    engine = make_engine(empty_db)
    with session_scope(make_sessionmaker(engine)) as session:
        entry = session.get(AuditEntry, 2)
        assert entry is not None
        entry.actor = "someone else"
        entry.hash = audit._digest(entry.prev_hash, entry)  # a careful forger
    engine.dispose()
    check = _verify(empty_db)
    assert (check.ok, check.broken_id) == (False, 3)


def test_deleted_entry_is_detected(empty_db: str) -> None:
    _write(empty_db, 4)
    _tamper(empty_db, delete(AuditEntry).where(AuditEntry.id == 2))
    check = _verify(empty_db)
    assert (check.ok, check.broken_id) == (False, 3)


def test_csv_export_has_every_entry_oldest_first(empty_db: str, tmp_path: Path) -> None:
    _write(empty_db, 3)
    out = tmp_path / "audit.csv"
    result = CliRunner().invoke(cli, ["--database-url", empty_db, "audit", "export", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,at,actor_id,actor,organization_id,action")
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "3", "4"]  # 4: the export
    assert "碳化硅 <b>" in lines[1]
    assert _verify(empty_db).ok


def test_entries_are_appended_in_the_callers_transaction(empty_db: str) -> None:
    engine = make_engine(empty_db)
    factory = make_sessionmaker(engine)
    with pytest.raises(RuntimeError), session_scope(factory) as session:
        audit.record(session, SYSTEM, "create", entity="needs", entity_id="x")
        raise RuntimeError("the change failed")
    with session_scope(factory) as session:
        assert session.scalars(select(AuditEntry)).all() == []
        assert session.execute(text("select count(*) from audit_log")).scalar() == 0
    engine.dispose()
