"""Every role x every visibility x every surface: a hidden need never shows, not even as a count.

The expected table is the rule of issue 5, written out here independently of the code:
anonymous visitors see public needs; every signed-in user sees members-only needs; members of
an organisation that has accepted a consortium's invitation see that consortium's needs; an
organisation sees all of its own; operators see everything. An invited (not yet accepted)
member sees no consortium rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from innochain import pipeline, registry
from innochain.app import create_app
from innochain.domain import SYSTEM
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store.db import session_scope
from tests.conftest import BACKENDS, fresh_database
from tests.factories import make_user, sign_in, token_for, write_csv, write_seed

pytestmark = pytest.mark.integration

VISIBILITIES = ("public", "members", "consortium", "private")
#: role -> (organisation, visibilities of BYD's needs it must see)
ROLES: dict[str, tuple[str | None, set[str]]] = {
    "anonymous": (None, {"public"}),
    "byd_admin": ("byd", set(VISIBILITIES)),
    "byd_member": ("byd", set(VISIBILITIES)),
    "byd_viewer": ("byd", set(VISIBILITIES)),
    "catl_member": ("catl", {"public", "members", "consortium"}),  # accepted consortium member
    "tesla_member": ("tesla", {"public", "members"}),  # invited, not accepted
    "operator": (None, set(VISIBILITIES)),
}
USER_ROLES = {
    "byd_admin": "member_admin",
    "byd_member": "member",
    "byd_viewer": "viewer",
    "catl_member": "member",
    "tesla_member": "member",
    "operator": "operator",
}
#: a word only the needs' titles contain, to test text search
WORD = "Zirconia"


class World:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.need_ids: dict[str, str] = {}
        self.project_ids: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        self.clients: dict[str, TestClient] = {}


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("matrix")
    with fresh_database(request.param, folder) as url:
        app = create_app(Settings(database_url=url, environment="test", api_rate_per_minute=0))
        seed = write_seed(folder / "seed", capabilities=True)
        write_csv(
            folder / "seed" / "consortia" / "seed.csv",
            "consortia",
            [{"id": "cell-consortium", "name_en": "Cell consortium", "lead_id": "byd"}],
        )
        write_csv(
            folder / "seed" / "consortium_members" / "seed.csv",
            "consortium_members",
            [
                {
                    "consortium_id": "cell-consortium",
                    "organization_id": "catl",
                    "status": "accepted",
                },
                {
                    "consortium_id": "cell-consortium",
                    "organization_id": "tesla",
                    "status": "invited",
                },
            ],
        )
        w = World(app)
        with session_scope(app.state.sessionmaker) as session:
            import_tables(session, read_path(seed))
            for visibility in VISIBILITIES:
                w.need_ids[visibility] = registry.create_need(
                    session,
                    {
                        "seeker_id": "byd",
                        "title_en": f"{WORD} separator coating, {visibility}",
                        "domain_ids": "lithium-ion-cells",
                        "visibility": visibility,
                        "consortium_id": "cell-consortium" if visibility == "consortium" else "",
                    },
                    viewer=SYSTEM,
                )
                w.project_ids[visibility] = project_id = pipeline.create_project(
                    session,
                    {
                        "owner_id": "byd",
                        "title_en": f"{WORD} separator line, {visibility}",
                        "visibility": visibility,
                        "consortium_id": "cell-consortium" if visibility == "consortium" else None,
                        "next_gate_budget_cny_m": 100,
                    },
                    viewer=SYSTEM,
                )
                pipeline.add_funding(
                    session,
                    project_id,
                    {"source": "vc_pe", "amount_m": 1, "received": date.today()},
                    viewer=SYSTEM,
                )
            for role, user_role in USER_ROLES.items():
                user = make_user(session, f"{role}@example.org", role=user_role, org=ROLES[role][0])
                w.tokens[role] = token_for(session, user, scopes=("read",))
        for role in ROLES:
            client = TestClient(app)
            if role != "anonymous":
                assert sign_in(client, f"{role}@example.org").status_code == 303
            w.clients[role] = client
        yield w
        for client in w.clients.values():
            client.close()
        app.state.engine.dispose()


def _api(w: World, role: str) -> tuple[TestClient, dict[str, str]]:
    """An API call as the role: with its token (anonymous: no credentials, no cookies)."""
    client = w.clients["anonymous"]
    return client, ({"Authorization": w.tokens[role]} if role in w.tokens else {})


def _ids(items: list[dict[str, Any]]) -> set[str]:
    return {i["id"] for i in items}


def api_list(w: World, role: str, need_id: str) -> bool:
    client, headers = _api(w, role)
    return need_id in _ids(client.get("/api/v1/needs", headers=headers).json()["items"])


def api_detail(w: World, role: str, need_id: str) -> bool:
    client, headers = _api(w, role)
    status = client.get(f"/api/v1/needs/{need_id}", headers=headers).status_code
    assert status in (200, 404)  # never 403: that would confirm the need exists
    return status == 200


def api_search(w: World, role: str, need_id: str) -> bool:
    client, headers = _api(w, role)
    found = client.get("/api/v1/needs", params={"q": WORD.lower()}, headers=headers).json()
    return need_id in _ids(found["items"])


def api_match(w: World, role: str, need_id: str) -> bool:
    client, headers = _api(w, role)
    status = client.post("/api/v1/match", json={"need_id": need_id}, headers=headers).status_code
    assert status in (200, 404)
    return status == 200


def api_consortium(w: World, role: str, need_id: str) -> bool:
    """A consortium proposal for a stored need (issue 6) obeys the need's visibility."""
    client, headers = _api(w, role)
    response = client.post(
        "/api/v1/consortia/propose",
        json={"need_id": need_id, "min_size": 1, "max_size": 3},
        headers=headers,
    )
    assert response.status_code in (200, 404)
    return response.status_code == 200


def api_export(w: World, role: str, need_id: str) -> bool:
    client, headers = _api(w, role)
    body = client.get("/api/v1/export", params={"kind": "needs"}, headers=headers).json()
    return need_id in _ids(body.get("needs", []))


def page_list(w: World, role: str, need_id: str) -> bool:
    html = w.clients[role].get("/needs").text
    return f'href="/needs/{need_id}"' in html


def page_search(w: World, role: str, need_id: str) -> bool:
    body = w.clients[role].get("/needs", params={"q": WORD, "format": "json"}).json()
    return need_id in _ids(body["needs"])


def page_detail(w: World, role: str, need_id: str) -> bool:
    status = w.clients[role].get(f"/needs/{need_id}").status_code
    assert status in (200, 404)
    return status == 200


def page_match(w: World, role: str, need_id: str) -> bool:
    """The Find partners page, showing a saved need by id."""
    status = w.clients[role].get("/match", params={"saved": need_id}).status_code
    assert status in (200, 404)
    return status == 200


SURFACES: dict[str, Callable[[World, str, str], bool]] = {
    f.__name__: f
    for f in (
        api_list,
        api_detail,
        api_search,
        api_match,
        api_consortium,
        api_export,
        page_list,
        page_search,
        page_detail,
        page_match,
    )
}


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_need_is_seen_exactly_by_those_allowed(
    world: World, role: str, visibility: str, surface: str
) -> None:
    expected = visibility in ROLES[role][1]
    assert SURFACES[surface](world, role, world.need_ids[visibility]) is expected


@pytest.mark.parametrize("role", ROLES)
def test_counts_and_charts_count_only_visible_needs(world: World, role: str) -> None:
    expected = len(ROLES[role][1])
    client, headers = _api(world, role)
    assert client.get("/api/v1/stats", headers=headers).json()["needs"] == expected
    assert (
        world.clients[role].get("/", params={"format": "json"}).json()["counts"]["needs"]
        == expected
    )
    listed = client.get("/api/v1/needs", headers=headers).json()
    assert listed["total"] == expected
    page = world.clients[role].get("/needs", params={"format": "json"}).json()
    assert page["total"] == expected


@pytest.mark.parametrize("role", ROLES)
def test_a_missing_need_and_a_hidden_need_look_the_same(world: World, role: str) -> None:
    client, headers = _api(world, role)
    missing = client.get("/api/v1/needs/need-that-never-was", headers=headers)
    assert missing.status_code == 404
    hidden = [v for v in VISIBILITIES if v not in ROLES[role][1]]
    for visibility in hidden:
        response = client.get(f"/api/v1/needs/{world.need_ids[visibility]}", headers=headers)
        assert (response.status_code, response.json()["error"]) == (404, missing.json()["error"])


def project_api_list(w: World, role: str, project_id: str) -> bool:
    client, headers = _api(w, role)
    return project_id in _ids(client.get("/api/v1/projects", headers=headers).json()["items"])


def project_api_search(w: World, role: str, project_id: str) -> bool:
    client, headers = _api(w, role)
    found = client.get("/api/v1/projects", params={"q": WORD.lower()}, headers=headers).json()
    return project_id in _ids(found["items"])


def project_api_detail(w: World, role: str, project_id: str) -> bool:
    client, headers = _api(w, role)
    status = client.get(f"/api/v1/projects/{project_id}", headers=headers).status_code
    assert status in (200, 404)
    return status == 200


def project_api_at_risk(w: World, role: str, project_id: str) -> bool:
    """Every project has a funding gap, so the portfolio lists exactly the visible ones."""
    client, headers = _api(w, role)
    risky = client.get("/api/v1/portfolio", headers=headers).json()["at_risk"]
    return project_id in _ids(risky)


def project_page_board(w: World, role: str, project_id: str) -> bool:
    return f'href="/projects/{project_id}"' in w.clients[role].get("/projects").text


def project_page_detail(w: World, role: str, project_id: str) -> bool:
    status = w.clients[role].get(f"/projects/{project_id}").status_code
    assert status in (200, 404)
    return status == 200


def project_page_portfolio(w: World, role: str, project_id: str) -> bool:
    return f'href="/projects/{project_id}"' in w.clients[role].get("/portfolio").text


PROJECT_SURFACES: dict[str, Callable[[World, str, str], bool]] = {
    f.__name__: f
    for f in (
        project_api_list,
        project_api_search,
        project_api_detail,
        project_api_at_risk,
        project_page_board,
        project_page_detail,
        project_page_portfolio,
    )
}


@pytest.mark.parametrize("surface", PROJECT_SURFACES)
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_project_is_seen_exactly_by_those_allowed(
    world: World, role: str, visibility: str, surface: str
) -> None:
    """Projects follow the same rule as needs (issue 6: the accounts rules apply to all of it)."""
    expected = visibility in ROLES[role][1]
    assert PROJECT_SURFACES[surface](world, role, world.project_ids[visibility]) is expected


@pytest.mark.parametrize("role", ROLES)
def test_portfolio_sums_only_visible_projects(world: World, role: str) -> None:
    expected = len(ROLES[role][1])
    client, headers = _api(world, role)
    portfolio = client.get("/api/v1/portfolio", headers=headers).json()
    assert portfolio["projects"] == expected
    assert portfolio["funding"]["total"] == float(expected)  # CNY 1 m each
    page = world.clients[role].get("/portfolio", params={"format": "json"}).json()
    assert page["portfolio"]["funding"]["matrix"]["vc_pe"]["research"] == float(expected)
