from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration


def test_list_organizations_is_paginated(loaded_client: TestClient) -> None:
    body = loaded_client.get("/api/v1/organizations", params={"size": 10}).json()
    assert (body["page"], body["size"], len(body["items"])) == (1, 10, 10)
    assert body["pages"] == -(-body["total"] // 10)


def test_search_in_chinese_and_english_agree_on_catl(loaded_client: TestClient) -> None:
    zh = loaded_client.get("/api/v1/organizations", params={"q": "宁德时代"}).json()
    en = loaded_client.get("/api/v1/organizations", params={"q": "Contemporary Amperex"}).json()
    assert "catl" in [o["id"] for o in zh["items"]]
    assert "catl" in [o["id"] for o in en["items"]]


def test_errors_are_json_with_the_right_status(loaded_client: TestClient) -> None:
    missing = loaded_client.get("/api/v1/organizations/no-such-firm")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "not_found",
        "detail": "no organization with id 'no-such-firm'",
    }
    bad = loaded_client.get("/api/v1/organizations", params={"kind": "oem"})
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["reason"].startswith("kind 'oem' is not one of")
    page = loaded_client.get("/api/v1/organizations", params={"page": 0})
    assert page.status_code == 422
    assert page.json()["problems"][0]["column"] == "page"
    assert loaded_client.get("/api/v1/nowhere").status_code == 404


def test_injection_strings_are_just_text(loaded_client: TestClient) -> None:
    for q in ("' OR 1=1 --", "%' UNION SELECT * FROM sources --", '"; DROP TABLE organizations;'):
        body = loaded_client.get("/api/v1/organizations", params={"q": q}).json()
        assert body["total"] == 0
    assert loaded_client.get("/api/v1/stats").json()["organizations"] > 0


def test_detail_and_taxonomy_endpoints(loaded_client: TestClient) -> None:
    catl = loaded_client.get("/api/v1/organizations/catl").json()
    assert catl["organization"]["name_zh"] == "宁德时代"
    tree = loaded_client.get("/api/v1/chain-nodes/tree").json()["roots"]
    assert tree[0]["stage"] == "upstream"
    node = loaded_client.get("/api/v1/chain-nodes/battery-cells").json()
    assert node["ancestors"] == [
        {"id": "power-battery", "name_en": "Power batteries", "name_zh": "动力电池"}
    ]
    techs = loaded_client.get("/api/v1/technologies", params={"q": "钠离子"}).json()
    assert "sodium-ion" in [t["id"] for t in techs["items"]]
    caps = loaded_client.get("/api/v1/capabilities", params={"organization_id": "catl"}).json()
    assert caps["total"] == len(catl["capabilities"])
    rels = loaded_client.get(
        "/api/v1/relations", params={"organization_id": "catl", "size": 500}
    ).json()
    assert rels["total"] == len(catl["relations"])


def test_openapi_lists_every_resource(loaded_client: TestClient) -> None:
    paths = loaded_client.get("/api/openapi.json").json()["paths"]
    for resource in (
        "organizations",
        "chain-nodes",
        "technologies",
        "capabilities",
        "relations",
        "needs",
        "series",
        "stats",
    ):
        assert f"/api/v1/{resource}" in paths


def test_api_routes_validate_no_response_model_in_a_second_thread(
    loaded_client: TestClient,
) -> None:
    """A response model makes FastAPI validate a sync handler's result in another worker
    thread while the session holds its connection: the load benchmark deadlocked on it."""
    from fastapi.routing import APIRoute

    def walk(routes: list[object]) -> list[APIRoute]:
        found: list[APIRoute] = []
        for r in routes:
            if isinstance(r, APIRoute):
                found.append(r)
            elif hasattr(r, "original_router"):  # a router included with a prefix
                found.extend(walk(r.original_router.routes))
        return found

    routes = [
        r
        for r in walk(loaded_client.app.routes)  # type: ignore[attr-defined]
        if r.operation_id is None and r.include_in_schema and "/bare" not in r.path
    ]
    assert len(routes) >= 25
    assert [r.path for r in routes if r.response_model is not None] == []
