"""Export the store as records, in the same shape the importer reads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from innochain.domain import ENTITY_ORDER, RECORDS, Record, Viewer
from innochain.errors import InvalidInput
from innochain.store.tables import TABLES
from innochain.store.visibility import restrict

__all__ = ["export_records", "to_record"]


def to_record(obj: Any, entity: str) -> Record:
    """The record of one table row."""
    model = TABLES[entity]
    record = RECORDS[entity]
    data: dict[str, Any] = {}
    for name in record.columns():
        if name in model.__links__:
            data[name] = [linked.id for linked in getattr(obj, model.__links__[name])]
        else:
            data[name] = getattr(obj, name)
    return record.model_validate(data)


def export_records(
    session: Session, entities: Iterable[str] | None = None, *, viewer: Viewer
) -> dict[str, list[Record]]:
    """Every row the viewer may see of the chosen entities (all by default), by key.

    Entities without rows are left out, so that every exported file can be imported again.
    The caller records the export in the audit log.
    """
    chosen = list(entities) if entities else list(ENTITY_ORDER)
    unknown = [e for e in chosen if e not in RECORDS]
    if unknown:
        raise InvalidInput(f"unknown kind(s): {', '.join(unknown)}")
    out: dict[str, list[Record]] = {}
    for entity in ENTITY_ORDER:
        if entity not in chosen:
            continue
        model = TABLES[entity]
        query = restrict(select(model).order_by(getattr(model, model.__key__)), model, viewer)
        for relation in model.__links__.values():
            query = query.options(selectinload(getattr(model, relation)))
        rows = [to_record(obj, entity) for obj in session.scalars(query)]
        if rows:
            out[entity] = rows
    return out
