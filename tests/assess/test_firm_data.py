"""What the public assessment may count: the firm reports and rankings are shown to anyone, so
a consortium that is not public must not move a firm's consortium-role indicator."""

from __future__ import annotations

from pathlib import Path

import pytest

from innochain.assess.firms import load_firms
from innochain.registry import import_tables, read_path
from innochain.store import make_engine
from innochain.store.db import make_sessionmaker, session_scope
from innochain.store.tables import Consortium, ConsortiumMember, FirmIndicator
from tests.factories import WIKI_CATL, write_seed

pytestmark = pytest.mark.integration


def test_only_public_consortia_count_in_the_firm_data(empty_db: str, tmp_path: Path) -> None:
    engine = make_engine(empty_db)
    with session_scope(make_sessionmaker(engine)) as s:
        import_tables(s, read_path(write_seed(tmp_path / "seed")))
        s.add(
            FirmIndicator(
                id="catl:2023:revenue",
                organization_id="catl",
                year=2023,
                indicator="revenue",
                value=400917.0,
                unit="CNY_m",
                source_url=WIKI_CATL,
            )
        )
        for cid, visibility, role in (("open", "public", "core"), ("secret", "private", "lead")):
            s.add(
                Consortium(
                    id=cid,
                    name_en=cid,
                    kind="innovation_consortium",
                    lead_id="byd",
                    visibility=visibility,
                    status="active",
                )
            )
            s.add(
                ConsortiumMember(
                    id=f"{cid}:catl",
                    consortium_id=cid,
                    organization_id="catl",
                    role=role,
                    status="accepted",
                    joined=2020,
                )
            )
    with make_sessionmaker(engine)() as s:
        catl = load_firms(s).firms["catl"]
    # core in the public consortium counts 2; the private one's lead role (3) does not count
    assert catl.facts.graph[2023]["consortium_roles"] == 2.0
    engine.dispose()
