from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from innochain.app import create_app
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store.db import session_scope
from tests.factories import write_seed

pytestmark = pytest.mark.integration


@pytest.fixture
def client(empty_db: str, tmp_path: Path) -> TestClient:
    app = create_app(Settings(database_url=empty_db))
    seed = write_seed(tmp_path / "seed", capabilities=True)
    with session_scope(app.state.sessionmaker) as session:
        import_tables(session, read_path(seed))
    with TestClient(app) as client:
        yield client  # type: ignore[misc]
    app.state.engine.dispose()


def test_save_a_need_then_match_it_by_id(client: TestClient) -> None:
    created = client.post(
        "/api/v1/needs",
        json={
            "seeker_id": "特斯拉",
            "title_en": "LFP cells for a compact car",
            "domain_ids": ["lithium-ion-cells"],
            "required_trl": 9,
        },
    )
    assert created.status_code == 201
    need = created.json()
    assert need["seeker_id"] == "tesla"  # resolved from the Chinese name
    assert need["id"].startswith("need-lfp-cells-for-a-compact-car-")
    assert client.get("/api/v1/needs").json()["total"] == 1
    matched = client.post("/api/v1/match", json={"need_id": need["id"]}).json()
    assert sorted(c["organization_id"] for c in matched["candidates"]) == ["byd", "catl"]


@pytest.mark.parametrize(
    "body,fragment",
    [
        ({"seeker_id": "nobody", "title_en": "x"}, "unknown organization 'nobody'"),
        (
            {"seeker_id": "byd", "title_en": "x", "domain_ids": ["warp"]},
            "unknown technology_domains id 'warp'",
        ),
        (
            {"seeker_id": "byd", "title_en": "x", "visibility": "private"},
            "only public needs can be saved",
        ),
    ],
)
def test_bad_needs_are_refused_and_nothing_is_saved(
    client: TestClient, body: dict, fragment: str
) -> None:  # type: ignore[type-arg]
    response = client.post("/api/v1/needs", json=body)
    assert response.status_code == 400
    assert fragment in response.text
    assert client.get("/api/v1/needs").json()["total"] == 0


def test_find_partners_page_saves_the_need(client: TestClient) -> None:
    form = {"seeker": "tesla", "title": "刀片电池电芯", "text": "刀片电池电芯 LFP", "trl": "9"}
    response = client.post("/needs", data=form, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "Saved as need" in page.text
    saved = client.get("/api/v1/needs").json()["items"]
    assert [(n["seeker_id"], n["title_zh"], n["required_trl"]) for n in saved] == [
        ("tesla", "刀片电池电芯", 9)
    ]
