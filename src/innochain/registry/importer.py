"""Validated, atomic, idempotent import of records into the store.

Every row is validated; every reference is checked against the database and the batch; all
problems are reported together as `file:row:column: reason`; nothing is written unless
everything is valid. Organisation references may use the id, English or Chinese name, or an
alias.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.domain import ENTITY_ORDER, RECORDS, Record, province_zh
from innochain.errors import InvalidInput, Problem
from innochain.registry.formats import RawRow, Table
from innochain.store.tables import TABLES

__all__ = ["ImportReport", "import_records", "import_tables", "search_text", "validate_tables"]

CHUNK = 500


@dataclass(frozen=True)
class ImportReport:
    """What an import did, per entity."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


@dataclass(frozen=True)
class _Located:
    record: Record
    file: str
    row: int


def _pydantic_problems(error: ValidationError, raw: RawRow) -> list[Problem]:
    out = []
    for item in error.errors():
        column = str(item["loc"][0]) if item["loc"] else ""
        message = item["msg"].removeprefix("Value error, ")
        value = raw.data.get(column, "") if column else ""
        shown = f" (got {str(value)[:60]!r})" if value not in ("", None) else ""
        out.append(Problem(f"{message}{shown}", file=raw.file, row=raw.row, column=column))
    return out


def search_text(record: Mapping[str, Any]) -> str:
    """Lower-cased text an organisation is found by, in both scripts.

    >>> search_text({"name_en": "CATL", "name_zh": "宁德时代", "aliases": ["Ningde Era"],
    ...              "province": "Fujian", "city": "Ningde"})
    'catl 宁德时代 ningde era fujian 福建 ningde'
    """
    parts = [
        record.get("name_en"),
        record.get("name_zh"),
        *record.get("aliases", []),
        record.get("province"),
        province_zh(record.get("province")),
        record.get("city"),
        record.get("description_en"),
        record.get("description_zh"),
    ]
    return " ".join(p for p in parts if p).lower()


class _OrgResolver:
    """Maps ids, names and aliases (case-insensitive) to organisation ids."""

    def __init__(self) -> None:
        self.index: dict[str, set[str]] = defaultdict(set)
        self.ids: set[str] = set()

    def add(self, org_id: str, names: Iterable[str | None]) -> None:
        self.ids.add(org_id)
        for name in (org_id, *names):
            if name:
                self.index[name.strip().lower()].add(org_id)

    def resolve(self, value: str) -> tuple[str | None, str]:
        if value in self.ids:
            return value, ""
        found = self.index.get(value.strip().lower(), set())
        if len(found) == 1:
            return next(iter(found)), ""
        if found:
            return None, f"{value!r} matches several organisations: {', '.join(sorted(found))}"
        return None, f"unknown organization {value!r}"


def _stored_organizations(session: Session) -> _OrgResolver:
    """A resolver over every organisation in the store."""
    resolver = _OrgResolver()
    orgs = TABLES["organizations"]
    for org_id, name_en, name_zh, aliases in session.execute(
        select(orgs.id, orgs.name_en, orgs.name_zh, orgs.aliases)
    ):
        resolver.add(org_id, [name_en, name_zh, *(aliases or [])])
    return resolver


def resolve_organization(session: Session, value: str, *, column: str = "organization_id") -> str:
    """The id of the organisation named by `value` (an id, a name or an alias, as imports
    accept them); unknown or ambiguous names are `InvalidInput` naming `column`."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput.at(column, "name an organisation (id, name or alias)")
    found, problem = _stored_organizations(session).resolve(value)
    if found is None:
        raise InvalidInput.at(column, problem)
    return found


def _existing_keys(session: Session, entity: str) -> set[str]:
    model = TABLES[entity]
    return set(session.scalars(select(getattr(model, model.__key__))))


def validate_tables(
    session: Session, tables: Mapping[str, Table]
) -> tuple[dict[str, list[_Located]], list[Problem]]:
    """Validate raw tables against the schema, each other and the database."""
    problems: list[Problem] = []
    parsed: dict[str, list[_Located]] = {}
    for entity in ENTITY_ORDER:
        table = tables.get(entity)
        if table is None:
            continue
        problems.extend(table.problems)
        model = RECORDS[entity]
        rows: list[_Located] = []
        for raw in table.rows:
            try:
                rows.append(_Located(model.model_validate(raw.data), raw.file, raw.row))
            except ValidationError as error:
                problems.extend(_pydantic_problems(error, raw))
        parsed[entity] = rows

    # Organisations may be referred to by name or alias: resolve before computing keys.
    resolver = _stored_organizations(session)
    for item in parsed.get("organizations", []):
        org = item.record
        resolver.add(org.key(), [org.name_en, org.name_zh, *org.aliases])  # type: ignore[attr-defined]

    known: dict[str, set[str]] = {}

    def keys_of(entity: str) -> set[str]:
        if entity not in known:
            known[entity] = _existing_keys(session, entity) | {
                i.record.key() for i in parsed.get(entity, [])
            }
        return known[entity]

    for entity, items in parsed.items():
        model = RECORDS[entity]
        resolved: list[_Located] = []
        for item in items:
            updates: dict[str, Any] = {}
            row_ok = True
            for column, target in model.refs:
                value = getattr(item.record, column)
                if value in (None, "", []):
                    continue
                values = value if isinstance(value, list) else [value]
                fixed = []
                for one in values:
                    if target == "organizations":
                        org_id, why = resolver.resolve(one)
                        if org_id is None:
                            problems.append(Problem(why, item.file, item.row, column))
                            row_ok = False
                        else:
                            fixed.append(org_id)
                    elif one not in keys_of(target):
                        problems.append(
                            Problem(f"unknown {target} id {one!r}", item.file, item.row, column)
                        )
                        row_ok = False
                    else:
                        fixed.append(one)
                if row_ok and fixed != values:
                    updates[column] = fixed if isinstance(value, list) else fixed[0]
            record = item.record.model_copy(update=updates) if updates else item.record
            for column in ("source_id", "investor_id"):
                other = {"source_id": "target_id", "investor_id": "investee_id"}[column]
                if hasattr(record, column) and getattr(record, column) == getattr(record, other):
                    problems.append(
                        Problem(
                            "an organisation cannot relate to itself", item.file, item.row, other
                        )
                    )
                    row_ok = False
            if row_ok:
                resolved.append(_Located(record, item.file, item.row))
        first_seen: dict[str, _Located] = {}
        for item in resolved:
            key = item.record.key()
            if key in first_seen:
                first = first_seen[key]
                problems.append(
                    Problem(
                        f"duplicate {entity} key {key!r} (first at {first.file}:{first.row})",
                        item.file,
                        item.row,
                    )
                )
            else:
                first_seen[key] = item
        parsed[entity] = resolved
    problems.extend(_cycles(parsed))
    return parsed, problems


def _cycles(parsed: Mapping[str, list[_Located]]) -> list[Problem]:
    """Taxonomy parents must form a tree."""
    out = []
    for entity in ("chain_nodes", "technology_domains"):
        parent = {
            i.record.key(): getattr(i.record, "parent_id", None) for i in parsed.get(entity, [])
        }
        where = {i.record.key(): i for i in parsed.get(entity, [])}
        for start in parent:
            seen, node = {start}, parent[start]
            while node is not None and node in parent:
                if node in seen:
                    item = where[start]
                    out.append(Problem("parent_id makes a cycle", item.file, item.row, "parent_id"))
                    break
                seen.add(node)
                node = parent[node]
    return out


def _parents_first(items: list[_Located]) -> list[_Located]:
    by_key = {i.record.key(): i for i in items}
    done: set[str] = set()
    out: list[_Located] = []

    def visit(key: str) -> None:
        if key in done:
            return
        done.add(key)
        parent = getattr(by_key[key].record, "parent_id", None)
        if parent in by_key:
            visit(parent)
        out.append(by_key[key])

    for key in by_key:
        visit(key)
    return out


def _fill(session: Session, obj: Any, record: Record) -> None:
    model = type(obj)
    data = record.model_dump(mode="python")
    for name, value in data.items():
        if name in model.__links__:
            target = TABLES[dict(RECORDS[record.entity].refs)[name]]
            setattr(obj, model.__links__[name], [session.get(target, v) for v in value])
        elif name == "source_url" and value is None:
            setattr(obj, name, None)
        else:
            setattr(obj, name, value.value if hasattr(value, "value") else value)
    if model.__key__ == "id":
        obj.id = record.key()
    if record.entity == "organizations":
        obj.search_text = search_text(data)


def import_records(
    session: Session,
    records: Mapping[str, list[_Located]],
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert already-validated records by their stable keys (no commit)."""
    created: dict[str, int] = {}
    updated: dict[str, int] = {}
    with session.no_autoflush:
        for entity in ENTITY_ORDER:
            _upsert_entity(session, entity, records.get(entity), created, updated, progress)
    return ImportReport(created=created, updated=updated)


def _upsert_entity(
    session: Session,
    entity: str,
    items: list[_Located] | None,
    created: dict[str, int],
    updated: dict[str, int],
    progress: Callable[[int], None] | None,
) -> None:
    if not items:
        return
    if entity in ("chain_nodes", "technology_domains"):
        items = _parents_first(items)
    model = TABLES[entity]
    key_column = getattr(model, model.__key__)
    keys = [i.record.key() for i in items]
    existing: dict[str, Any] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        for obj in session.scalars(select(model).where(key_column.in_(chunk))):
            existing[getattr(obj, model.__key__)] = obj
    created[entity] = updated[entity] = 0
    for item in items:
        obj = existing.get(item.record.key())
        if obj is None:
            obj = model()
            session.add(obj)
            created[entity] += 1
        else:
            updated[entity] += 1
        _fill(session, obj, item.record)
        if progress:
            progress(1)
    session.flush()


def import_tables(
    session: Session,
    tables: Mapping[str, Table],
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate then upsert; raises `InvalidInput` with every problem and writes nothing.

    The caller owns the transaction (use `innochain.store.session_scope`).
    """
    parsed, problems = validate_tables(session, tables)
    if problems:
        raise InvalidInput(problems)
    report = import_records(session, parsed, progress=progress)
    encodings: dict[str, str] = {}
    for table in tables.values():
        encodings.update(table.encodings)
    return ImportReport(created=report.created, updated=report.updated, encodings=encodings)
