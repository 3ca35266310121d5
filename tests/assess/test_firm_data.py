"""The firm data the assessment ranks: what the public reports may count (a consortium that
is not public must not move a firm's consortium-role indicator), and how the app keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.requests import Request

from innochain.api.deps import get_firms
from innochain.app import create_app
from innochain.assess.firms import load_firms
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store import make_engine
from innochain.store.db import make_sessionmaker, session_scope
from innochain.store.tables import Consortium, ConsortiumMember, FirmIndicator
from tests.factories import WIKI_CATL, write_seed

pytestmark = pytest.mark.integration


def _catl_revenue() -> FirmIndicator:
    """One annual-report figure, so that CATL is among the firms the assessment ranks."""
    return FirmIndicator(
        id="catl:2023:revenue",
        organization_id="catl",
        year=2023,
        indicator="revenue",
        value=400917.0,
        unit="CNY_m",
        source_url=WIKI_CATL,
    )


def test_only_public_consortia_count_in_the_firm_data(empty_db: str, tmp_path: Path) -> None:
    engine = make_engine(empty_db)
    with session_scope(make_sessionmaker(engine)) as s:
        import_tables(s, read_path(write_seed(tmp_path / "seed")))
        s.add(_catl_revenue())
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


def test_the_app_keeps_the_firm_data_until_the_registry_changes(
    empty_db: str, tmp_path: Path
) -> None:
    app = create_app(Settings(database_url=empty_db, environment="test"))
    with session_scope(app.state.sessionmaker) as s:
        import_tables(s, read_path(write_seed(tmp_path / "seed")))
    request = Request({"type": "http", "app": app})
    with app.state.sessionmaker() as s:
        first = get_firms(request, s)
        assert get_firms(request, s) is first  # kept, not read again
        assert "catl" not in first.firms
    engine = make_engine(empty_db)  # another process adds a figure
    with session_scope(make_sessionmaker(engine)) as s:
        s.add(_catl_revenue())
    engine.dispose()
    app.state.page_cache.invalidate()  # as after a commit of the app's own
    with app.state.sessionmaker() as s:
        assert "catl" in get_firms(request, s).firms
    app.state.engine.dispose()
