from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from innochain.data import load_bundled
from innochain.domain import SYSTEM
from innochain.errors import InvalidInput
from innochain.registry import export_records, import_tables, read_path, write_path
from innochain.store.db import make_sessionmaker, session_scope
from innochain.store.tables import Capability, Organization, Relation
from tests.factories import ORGANIZATIONS, WIKI_CATL, write_csv, write_seed

pytestmark = pytest.mark.integration

MakeEngine = Callable[[str], Engine]


def _import(engine: Engine, path: Path, kind: str | None = None) -> object:
    with session_scope(make_sessionmaker(engine)) as session:
        return import_tables(session, read_path(path, kind=kind))


def _count(engine: Engine, model: type) -> int:
    with make_sessionmaker(engine)() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_import_creates_then_updates_by_id(
    empty_db: str, engine_of: MakeEngine, tmp_path: Path
) -> None:
    engine = engine_of(empty_db)
    first = _import(engine, write_seed(tmp_path / "seed"))
    assert first.created["organizations"] == 3  # type: ignore[attr-defined]
    second = _import(engine, tmp_path / "seed")
    assert second.created["organizations"] == 0  # type: ignore[attr-defined]
    assert second.updated["organizations"] == 3  # type: ignore[attr-defined]
    assert _count(engine, Organization) == 3


def test_three_bad_rows_give_three_errors_and_write_nothing(
    empty_db: str, engine_of: MakeEngine, tmp_path: Path
) -> None:
    engine = engine_of(empty_db)
    _import(engine, write_seed(tmp_path / "seed"))
    good = {
        "organization_id": "catl",
        "domain_id": "lithium-ion-cells",
        "trl": "9",
        "source_url": WIKI_CATL,
    }
    path = write_csv(
        tmp_path / "capabilities.csv",
        "capabilities",
        [
            {**good, "organization_id": "byd"},
            {**good, "trl": "12"},  # row 3: out of range
            {**good, "organization_id": "no-such-firm"},  # row 4: dangling reference
            {**good, "domain_id": "warp-drive"},  # row 5: unknown domain
        ],
    )
    with pytest.raises(InvalidInput) as caught:
        _import(engine, path)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (3, "trl"),
        (4, "organization_id"),
        (5, "domain_id"),
    ]
    assert str(caught.value.problems[1]) == (
        f"{path}:4:organization_id: unknown organization 'no-such-firm'"
    )
    assert _count(engine, Capability) == 0  # the good row was not written either


def test_organisations_resolve_by_chinese_name_and_alias(
    empty_db: str, engine_of: MakeEngine, tmp_path: Path
) -> None:
    engine = engine_of(empty_db)
    _import(engine, write_seed(tmp_path / "seed"))
    path = write_csv(
        tmp_path / "relations.csv",
        "relations",
        [
            {
                "source_id": "宁德时代",
                "target_id": "Tesla, Inc.",
                "type": "supplies",
                "year": "2020",
                "source_url": WIKI_CATL,
            }
        ],
    )
    _import(engine, path)
    with make_sessionmaker(engine)() as session:
        relation = session.scalars(select(Relation)).one()
    assert (relation.source_id, relation.target_id, relation.id) == (
        "catl",
        "tesla",
        "catl:supplies:tesla:",
    )


def test_ambiguous_alias_is_refused(empty_db: str, engine_of: MakeEngine, tmp_path: Path) -> None:
    engine = engine_of(empty_db)
    seed = write_seed(tmp_path / "seed")
    rows = [dict(o) for o in ORGANIZATIONS]
    rows[2]["aliases"] = "Tesla, Inc.|BYD Company"  # now two firms answer to "BYD Company"
    write_csv(seed / "organizations" / "seed.csv", "organizations", rows)
    write_csv(
        seed / "relations" / "seed.csv",
        "relations",
        [
            {
                "source_id": "BYD Company",
                "target_id": "catl",
                "type": "strategic_alliance",
                "source_url": WIKI_CATL,
            }
        ],
    )
    with pytest.raises(
        InvalidInput, match="'BYD Company' matches several organisations: byd, tesla"
    ):
        _import(engine, seed)
    assert _count(engine, Organization) == 0


def test_duplicate_ids_point_to_the_first_row(
    empty_db: str, engine_of: MakeEngine, tmp_path: Path
) -> None:
    engine = engine_of(empty_db)
    seed = write_seed(tmp_path / "seed")
    write_csv(
        seed / "organizations" / "seed.csv", "organizations", [*ORGANIZATIONS, ORGANIZATIONS[0]]
    )
    with pytest.raises(InvalidInput) as caught:
        _import(engine, seed)
    [problem] = caught.value.problems
    assert problem.row == 5
    assert problem.reason.startswith("duplicate organizations key 'catl' (first at ")
    assert problem.reason.endswith("seed.csv:2)")


def test_gbk_file_imports_with_chinese_intact(
    empty_db: str, engine_of: MakeEngine, tmp_path: Path
) -> None:
    engine = engine_of(empty_db)
    seed = write_seed(tmp_path / "seed")
    (seed / "organizations" / "seed.csv").unlink()
    _import(engine, seed)
    path = write_csv(tmp_path / "organizations.csv", "organizations", ORGANIZATIONS, encoding="gbk")
    _import(engine, path)
    with make_sessionmaker(engine)() as session:
        assert session.get(Organization, "byd").name_zh == "比亚迪"  # type: ignore[union-attr]


def test_taxonomy_cycle_is_refused(empty_db: str, engine_of: MakeEngine, tmp_path: Path) -> None:
    engine = engine_of(empty_db)
    seed = write_seed(tmp_path / "seed")
    from tests.factories import CHAIN_NODES

    nodes = [dict(n) for n in CHAIN_NODES]
    nodes[0]["parent_id"] = "battery-cells"
    write_csv(seed / "chain_nodes" / "seed.csv", "chain_nodes", nodes)
    with pytest.raises(InvalidInput, match="parent_id makes a cycle"):
        _import(engine, seed)


@pytest.mark.parametrize("fmt,name", [("json", "all.json"), ("xlsx", "all.xlsx"), ("csv", "all")])
def test_bundled_export_imports_into_empty_database_identically(
    loaded_db: str, empty_db: str, engine_of: MakeEngine, tmp_path: Path, fmt: str, name: str
) -> None:
    source = make_sessionmaker(engine_of(loaded_db))
    with source() as session:
        exported = export_records(session, viewer=SYSTEM)
    write_path(exported, tmp_path / name, fmt=fmt)
    target = engine_of(empty_db)
    _import(target, tmp_path / name)
    with make_sessionmaker(target)() as session:
        assert export_records(session, viewer=SYSTEM) == exported


def test_loading_the_bundled_dataset_twice_changes_nothing(
    loaded_db: str, engine_of: MakeEngine
) -> None:
    factory = make_sessionmaker(engine_of(loaded_db))
    with factory() as session:
        before = export_records(session, viewer=SYSTEM)
        report = load_bundled(session)
        session.rollback()  # the shared database stays as it was
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == sum(len(rows) for rows in before.values())
