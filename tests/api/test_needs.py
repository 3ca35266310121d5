from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from innochain.app import create_app
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store.db import session_scope
from tests.factories import form_token, make_user, sign_in, token_for, write_seed

pytestmark = pytest.mark.integration


@pytest.fixture
def client(empty_db: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=empty_db, environment="test"))
    seed = write_seed(tmp_path / "seed", capabilities=True)
    with session_scope(app.state.sessionmaker) as session:
        import_tables(session, read_path(seed))
        tesla = make_user(session, "dev@tesla.example", org="tesla")
        app.state.tesla_token = token_for(session, tesla)
        viewer = make_user(session, "viewer@tesla.example", role="viewer", org="tesla")
        app.state.viewer_token = token_for(session, viewer, scopes=("read",))
        app.state.operator_token = token_for(
            session, make_user(session, "ops@x.example", role="operator")
        )
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _auth(client: TestClient, who: str = "tesla") -> dict[str, str]:
    return {"Authorization": getattr(client.app.state, f"{who}_token")}  # type: ignore[attr-defined]


def test_save_a_need_then_match_it_by_id(client: TestClient) -> None:
    created = client.post(
        "/api/v1/needs",
        json={
            "seeker_id": "特斯拉",
            "title_en": "LFP cells for a compact car",
            "domain_ids": ["lithium-ion-cells"],
            "required_trl": 9,
        },
        headers=_auth(client),
    )
    assert created.status_code == 201
    need = created.json()
    assert need["seeker_id"] == "tesla"  # resolved from the Chinese name
    assert need["id"].startswith("need-lfp-cells-for-a-compact-car-")
    assert client.get("/api/v1/needs").json()["total"] == 1
    matched = client.post("/api/v1/match", json={"need_id": need["id"]}).json()
    assert sorted(c["organization_id"] for c in matched["candidates"]) == ["byd", "catl"]


@pytest.mark.parametrize(
    "body,status,fragment",
    [
        ({"seeker_id": "nobody", "title_en": "x"}, 400, "unknown organization 'nobody'"),
        ({"seeker_id": "byd", "title_en": "x"}, 403, "for their own organisation only"),
        ({"title_en": "x", "domain_ids": ["warp"]}, 400, "unknown technology_domains id 'warp'"),
        ({"title_en": "x", "visibility": "secret"}, 422, "visibility"),
        ({"title_en": "x", "visibility": "consortium"}, 400, "names the consortium"),
        ({"title_en": "x", "budget_cny_m": -1}, 422, "greater than or equal to 0"),
        ({"title_en": "x", "budget_cny_m": "lots"}, 422, "budget_cny_m"),
    ],
)
def test_bad_needs_are_refused_and_nothing_is_saved(
    client: TestClient, body: dict[str, object], status: int, fragment: str
) -> None:
    response = client.post("/api/v1/needs", json=body, headers=_auth(client))
    assert response.status_code == status
    assert fragment in response.text
    assert client.get("/api/v1/needs", headers=_auth(client)).json()["total"] == 0


def test_anonymous_and_read_only_callers_cannot_save(client: TestClient) -> None:
    body = {"title_en": "LFP cells"}
    assert client.post("/api/v1/needs", json=body).status_code == 401
    assert (
        client.post("/api/v1/needs", json=body, headers=_auth(client, "viewer")).status_code == 403
    )
    assert client.get("/api/v1/needs", headers=_auth(client)).json()["total"] == 0


def test_owner_changes_and_deletes_a_need_with_audit(client: TestClient) -> None:
    need = client.post(
        "/api/v1/needs",
        json={"title_en": "Cell supply", "visibility": "private"},
        headers=_auth(client),
    ).json()
    assert client.get(f"/api/v1/needs/{need['id']}").status_code == 404
    changed = client.patch(
        f"/api/v1/needs/{need['id']}",
        json={"visibility": "public", "status": "matched"},
        headers=_auth(client),
    )
    assert changed.status_code == 200
    assert (changed.json()["visibility"], changed.json()["status"]) == ("public", "matched")
    assert client.get(f"/api/v1/needs/{need['id']}").status_code == 200
    deleted = client.delete(f"/api/v1/needs/{need['id']}", headers=_auth(client))
    assert deleted.status_code == 204
    assert client.get(f"/api/v1/needs/{need['id']}", headers=_auth(client)).status_code == 404


def test_find_partners_page_saves_the_need_privately_by_default(client: TestClient) -> None:
    assert sign_in(client, "dev@tesla.example").status_code == 303
    page = client.get("/match", params={"text": "刀片电池电芯 LFP"})
    form = {
        "title": "刀片电池电芯",
        "text": "刀片电池电芯 LFP",
        "trl": "9",
        "csrf_token": form_token(page.text),
    }
    response = client.post("/needs", data=form, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "Saved" in page.text
    saved = client.get("/api/v1/needs", params={"format": "json"}).json()["items"]
    assert [(n["seeker_id"], n["title_zh"], n["required_trl"], n["visibility"]) for n in saved] == [
        ("tesla", "刀片电池电芯", 9, "private")
    ]


def test_form_post_without_csrf_token_is_refused(client: TestClient) -> None:
    sign_in(client, "dev@tesla.example")
    response = client.post("/needs", data={"title": "x"})
    assert response.status_code == 403
    assert "CSRF" in response.text
    entries = client.get(
        "/api/v1/audit", params={"action": "csrf_rejected"}, headers=_auth(client, "operator")
    ).json()["items"]
    assert [(e["actor"], e["entity_id"]) for e in entries] == [("dev@tesla.example", "/needs")]
    assert client.get("/api/v1/needs", headers=_auth(client)).json()["total"] == 0
