"""The append-only audit log, chained by hashes so that tampering is detectable.

Each entry's `hash` is SHA-256 over the previous entry's hash and the entry's own canonical
JSON; `verify` recomputes the chain and reports the first entry that does not fit. Entries are
only ever added (no function here changes or deletes one). On PostgreSQL, appends take a
transaction-level advisory lock so that concurrent writers cannot fork the chain; SQLite
serialises writers by itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from innochain.domain import Viewer
from innochain.store.account_tables import AuditEntry

__all__ = [
    "GENESIS",
    "AuditCheck",
    "entry_dict",
    "entry_rows",
    "list_entries",
    "record",
    "utcnow",
    "verify",
]

#: the `prev_hash` of the first entry
GENESIS = "0" * 64
_LOCK_KEY = 7_310_455  # arbitrary, constant: the advisory lock of the audit chain
CSV_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor",
    "organization_id",
    "action",
    "entity",
    "entity_id",
    "detail",
    "ip",
    "prev_hash",
    "hash",
)


def utcnow() -> datetime:
    """Naive UTC, to the microsecond, the way every table stores time."""
    return datetime.now(UTC).replace(tzinfo=None)


#: the columns an entry's hash covers (all but its id and the hashes themselves)
HASHED = ("actor_id", "actor", "organization_id", "action", "entity", "entity_id", "detail", "ip")


def _digest(prev_hash: str, entry: AuditEntry) -> str:
    body = {name: getattr(entry, name) for name in HASHED}
    body["at"] = entry.at.isoformat(timespec="microseconds")
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def record(
    session: Session,
    viewer: Viewer,
    action: str,
    *,
    entity: str = "",
    entity_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    ip: str = "",
) -> AuditEntry:
    """Append one entry in the caller's transaction (it lands with the change it describes)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    body = dict(detail or {})
    if before is not None:
        body["before"] = before
    if after is not None:
        body["after"] = after
    entry = AuditEntry(
        at=utcnow(),
        actor_id=viewer.user_id,
        actor=viewer.label,
        organization_id=viewer.organization_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=json.loads(json.dumps(body, default=str)),
        ip=ip,
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = _digest(entry.prev_hash, entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class AuditCheck:
    """The result of `verify`: how many entries were checked and the first broken one."""

    entries: int
    ok: bool
    broken_id: int | None = None
    reason: str = ""


def verify(session: Session) -> AuditCheck:
    """Recompute the hash chain from the first entry; stop at the first that does not fit."""
    prev = GENESIS
    count = 0
    expected_id: int | None = None
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        if expected_id is not None and entry.id != expected_id:
            return AuditCheck(count, False, entry.id, f"entries before id {entry.id} are missing")
        if entry.prev_hash != prev:
            return AuditCheck(count, False, entry.id, "does not follow the entry before it")
        if _digest(prev, entry) != entry.hash:
            return AuditCheck(count, False, entry.id, "content does not match its hash")
        prev = entry.hash
        expected_id = entry.id + 1
    return AuditCheck(count, True)


def _filtered(
    *,
    actor_id: int | None,
    action: str | None,
    entity: str | None,
    organization_id: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Any:
    query = select(AuditEntry)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if organization_id:
        query = query.where(AuditEntry.organization_id == organization_id)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    return query


def list_entries(
    session: Session,
    *,
    actor_id: int | None = None,
    action: str | None = None,
    entity: str | None = None,
    organization_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[AuditEntry], int]:
    """Entries matching the filters, newest first, and how many match in all."""
    query = _filtered(
        actor_id=actor_id,
        action=action,
        entity=entity,
        organization_id=organization_id,
        since=since,
        until=until,
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
    return list(rows), total


def entry_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(timespec="seconds"),
        **{name: getattr(entry, name) for name in HASHED},
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def entry_rows(session: Session, **filters: Any) -> Iterator[list[Any]]:
    """The matching entries as rows of `CSV_COLUMNS`, oldest first (`detail` as JSON text)."""
    query = _filtered(**{k: filters.get(k) for k in _FILTERS}).order_by(AuditEntry.id)
    for entry in session.scalars(query.execution_options(yield_per=500)):
        row = entry_dict(entry)
        row["detail"] = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
        yield [row[c] for c in CSV_COLUMNS]


_FILTERS = ("actor_id", "action", "entity", "organization_id", "since", "until")
