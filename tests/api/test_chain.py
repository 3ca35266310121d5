"""The chain engine's endpoints and pages on the bundled data: shapes, bad input, the report."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration


def test_map_counts_add_up(loaded_client: TestClient) -> None:
    roots = loaded_client.get("/api/v1/chain/map").json()["roots"]
    battery = next(r for r in roots if r["id"] == "power-battery")
    cells = next(c for c in battery["children"] if c["id"] == "battery-cells")
    assert cells["suppliers"] == cells["domestic"] + cells["foreign"]
    assert battery["organizations"] >= max(c["organizations"] for c in battery["children"])
    assert [r["stage"] for r in roots] == sorted(
        (r["stage"] for r in roots), key=("upstream", "midstream", "downstream").index
    )


@pytest.mark.parametrize(
    "path",
    [
        "/network",
        "/leaders",
        "/brokers",
        "/chokepoints?top=5",
        "/dependencies",
        "/regions",
        "/regions/广东",
        "/regions/Shanghai?level=city",
        "/synergy",
        "/resilience?remove=catl",
        "/resilience?node=computing-soc&cascade=false",
        "/resilience?country=us",
    ],
)
def test_every_chain_endpoint_answers(loaded_client: TestClient, path: str) -> None:
    response = loaded_client.get("/api/v1/chain" + path)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "path,status,column",
    [
        ("/resilience", 400, "remove"),
        ("/resilience?remove=nobody", 400, "remove.0"),
        ("/resilience?node=warp", 400, "node.0"),
        ("/resilience?country=ZZ", 400, "country.0"),
        ("/regions/Tibet", 400, "region"),
        ("/regions/Shanghai?level=galaxy", 422, "level"),
    ],
)
def test_bad_chain_input_names_the_field(
    loaded_client: TestClient, path: str, status: int, column: str
) -> None:
    response = loaded_client.get("/api/v1/chain" + path)
    assert response.status_code == status
    assert column in [p["column"] for p in response.json()["problems"]]


def test_unknown_region_is_404_with_a_hint(loaded_client: TestClient) -> None:
    response = loaded_client.get("/api/v1/chain/regions/Atlantis")
    assert response.status_code == 404 and "Atlantis" in response.json()["detail"]


def test_region_page_links_a_self_contained_report(loaded_client: TestClient) -> None:
    page = loaded_client.get("/chain/regions/Guangdong")
    assert page.status_code == 200 and 'id="report-link"' in page.text
    report = loaded_client.get("/chain/regions/Guangdong/report.html")
    assert report.status_code == 200
    assert report.headers["content-disposition"].startswith("attachment;")
    assert "script-src" not in report.headers["content-security-policy"]
    assert "<script" not in report.text and "Guangdong" in report.text
    assert 'href="http' not in report.text.replace('href="https', "")  # nothing loaded


@pytest.mark.parametrize(
    "path",
    [
        "/chain",
        "/chain/battery-cells",
        "/chain/network",
        "/chain/chokepoints",
        "/chain/resilience",
        "/chain/resilience?remove=catl",
        "/chain/regions",
        "/chain/regions?level=city",
        "/chain/synergy",
    ],
)
def test_chain_pages_render(loaded_client: TestClient, path: str) -> None:
    response = loaded_client.get(path)
    assert response.status_code == 200
    assert 'href="/chain/chokepoints"' in response.text


def test_resilience_page_shows_the_scenario_and_its_errors(loaded_client: TestClient) -> None:
    page = loaded_client.get("/chain/resilience", params={"remove": "catl"})
    assert 'id="automakers-affected"' in page.text and "zeekr" in page.text
    bad = loaded_client.get("/chain/resilience", params={"remove": "nobody"})
    assert bad.status_code == 400 and "unknown organisation" in bad.text
