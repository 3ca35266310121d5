"""Consortia rows obey their own visibility, through `store.visibility` like needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from innochain import registry
from innochain.domain import ANONYMOUS, SYSTEM, Role, Viewer
from innochain.errors import NotFound
from innochain.registry import import_tables, read_path
from innochain.store import make_engine
from innochain.store.db import make_sessionmaker, session_scope
from tests.factories import write_csv, write_seed

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "visibility,seen_by",
    [
        ("public", {"anonymous", "byd", "catl", "tesla", "operator"}),
        ("members", {"byd", "catl", "tesla", "operator"}),
        ("consortium", {"byd", "catl", "operator"}),
        ("private", {"byd", "operator"}),
    ],
)
def test_consortium_visibility(
    empty_db: str, tmp_path: Path, visibility: str, seen_by: set[str]
) -> None:
    seed = write_seed(tmp_path / "seed")
    write_csv(
        seed / "consortia" / "seed.csv",
        "consortia",
        [{"id": "cells", "name_en": "Cells", "lead_id": "byd", "visibility": visibility}],
    )
    write_csv(
        seed / "consortium_members" / "seed.csv",
        "consortium_members",
        [
            {"consortium_id": "cells", "organization_id": "byd", "role": "lead"},
            {"consortium_id": "cells", "organization_id": "catl", "role": "core"},
        ],
    )
    engine = make_engine(empty_db)
    viewers = {
        "anonymous": ANONYMOUS,
        "byd": Viewer(user_id=1, organization_id="byd", role=Role.MEMBER),
        "catl": Viewer(
            user_id=2, organization_id="catl", role=Role.VIEWER, consortium_ids=frozenset({"cells"})
        ),
        "tesla": Viewer(user_id=3, organization_id="tesla", role=Role.MEMBER),
        "operator": SYSTEM,
    }
    with session_scope(make_sessionmaker(engine)) as session:
        import_tables(session, read_path(seed))
        for name, viewer in viewers.items():
            listed = [c["id"] for c in registry.list_consortia(session, viewer=viewer)]
            assert (listed == ["cells"]) is (name in seen_by), name
            counted = registry.count_entities(session, ["consortium_members"], viewer=viewer)
            assert counted["consortium_members"] == (2 if name in seen_by else 0), name
            if name not in seen_by:
                with pytest.raises(NotFound):
                    registry.get_consortium(session, "cells", viewer=viewer)
    engine.dispose()
