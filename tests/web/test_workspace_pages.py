"""The consortium workspace and project pages through their forms, signed in as members."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from innochain.app import create_app
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store.db import session_scope
from tests.factories import form_token, make_user, sign_in, write_seed

pytestmark = pytest.mark.integration


@pytest.fixture
def app(empty_db: str, tmp_path: Path) -> Iterator[object]:
    app = create_app(Settings(database_url=empty_db, environment="test", api_rate_per_minute=0))
    with session_scope(app.state.sessionmaker) as session:
        import_tables(session, read_path(write_seed(tmp_path / "seed", capabilities=True)))
        for org in ("tesla", "catl"):
            make_user(session, f"dev@{org}.example", org=org)
    yield app
    app.state.engine.dispose()


def _member(app: object, org: str) -> TestClient:
    client = TestClient(app)  # type: ignore[arg-type]
    assert sign_in(client, f"dev@{org}.example").status_code == 303
    return client


def test_from_proposal_page_to_agreement_and_exit(app: object) -> None:
    tesla, catl = _member(app, "tesla"), _member(app, "catl")
    page = tesla.get(
        "/consortia/propose",
        params={"domain": "lithium-ion-cells", "lead": "tesla", "min_size": 2, "max_size": 3},
    )
    assert 'action="/consortia/new"' in page.text
    created = tesla.post(
        "/consortia/new",
        data={
            "csrf_token": form_token(page.text),
            "name": "Cell consortium",
            "lead": "tesla",
            "domain": "lithium-ion-cells",
            "member": ["catl:core"],
            "visibility": "consortium",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    url = created.headers["location"]
    invited = catl.get(url)
    assert 'id="invitation"' in invited.text and 'id="members"' not in invited.text
    accepted = catl.post(
        f"{url}/members/catl/accept",
        data={"csrf_token": form_token(invited.text)},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    workspace = tesla.get(url)
    assert 'id="coverage"' in workspace.text and 'id="agreement-form"' in workspace.text
    token = form_token(workspace.text)
    bad = tesla.post(
        f"{url}/agreement",
        data={
            "csrf_token": token,
            "foreground_ip": "joint",
            "licensing": "frand",
            "share_org": ["tesla", "catl"],
            "cost_pct": ["50", "40"],
            "benefit_pct": ["50", "50"],
        },
    )
    assert bad.status_code == 400 and "cost shares sum to 90 %, not 100 %" in bad.text
    good = tesla.post(
        f"{url}/agreement",
        data={
            "csrf_token": token,
            "foreground_ip": "joint",
            "licensing": "frand",
            "share_org": ["tesla", "catl"],
            "cost_pct": ["60", "40"],
            "benefit_pct": ["50", "50"],
        },
        follow_redirects=False,
    )
    assert good.status_code == 303
    preview = catl.get(f"{url}/members/catl/exit")
    assert "lithium-ion-cells" in preview.text and "shares to renegotiate" in preview.text
    left = catl.post(
        f"{url}/members/catl/exit",
        data={"csrf_token": form_token(preview.text)},
        follow_redirects=False,
    )
    assert left.status_code == 303
    assert "no longer members: catl" in tesla.get(url).text


def test_project_page_refuses_a_skipped_stage(app: object) -> None:
    catl = _member(app, "catl")
    board = catl.get("/projects")
    made = catl.post(
        "/projects/new",
        data={"csrf_token": form_token(board.text), "title": "钠离子电池", "started": "2024-01-02"},
        follow_redirects=False,
    )
    url = made.headers["location"]
    page = catl.get(url)
    skipped = catl.post(
        f"{url}/gates",
        data={
            "csrf_token": form_token(page.text),
            "decision": "go",
            "trl": "8",
            "decided_on": "2024-02-01",
            "to_stage": "mass_production",
            "criterion": ["works"],
            "met": ["0"],
        },
    )
    assert skipped.status_code == 400 and "would skip a gate" in skipped.text
    assert catl.get(url, params={"format": "json"}).json()["project"]["stage"] == "research"
