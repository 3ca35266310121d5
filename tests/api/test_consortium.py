"""The consortium builder on the bundled data, through the API, the page and the CLI."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from innochain.cli.main import app as cli

pytestmark = pytest.mark.integration

SOLID_STATE = {"domain_ids": ["solid-state-batteries", "silicon-anode"], "lead_id": "byd"}


def test_proposal_covers_every_domain_with_roles_and_reasons(loaded_client: TestClient) -> None:
    body = loaded_client.post(
        "/api/v1/consortia/propose", json=SOLID_STATE | {"max_size": 5, "alternatives": 2}
    ).json()
    result = body["result"]
    assert result["feasible"] is True
    best = result["proposals"][0]
    assert best["optimal"] is True
    assert sorted(best["coverage"]) == ["silicon-anode", "solid-state-batteries"]
    roles = [m["role"] for m in best["members"]]
    assert roles[0] == "lead" and roles.count("core") == 1
    assert best["members"][0]["organization_id"] == "byd"
    members = {m["organization_id"] for m in best["members"]}
    assert set(best["coverage"].values()) <= members
    assert all(m["why"] for m in best["members"][1:])
    assert len(result["proposals"]) == 3
    objectives = [p["objective"] for p in result["proposals"]]
    assert objectives == sorted(objectives, reverse=True)


def test_research_requirement_puts_a_university_or_institute_in(loaded_client: TestClient) -> None:
    body = loaded_client.post(
        "/api/v1/consortia/propose", json=SOLID_STATE | {"require_research": True, "max_size": 4}
    ).json()
    kinds = {m["kind"] for m in body["result"]["proposals"][0]["members"]}
    assert kinds & {"university", "research_institute"}


def test_infeasible_says_what_is_missing_and_what_to_relax(loaded_client: TestClient) -> None:
    body = loaded_client.post(
        "/api/v1/consortia/propose",
        json={"domain_ids": ["sic-power-devices"], "lead_id": "nio", "require_research": True},
    ).json()
    result = body["result"]
    assert result["feasible"] is False and result["proposals"] == []
    assert (
        result["relaxation"]["change"]
        == "lower min_size to 1 and drop the research-member requirement"
    )


@pytest.mark.parametrize(
    "payload,status,fragment",
    [
        ({"text": "x", "lead_id": "nobody"}, 404, "no organization with id 'nobody'"),
        ({"domain_ids": ["warp-drive"], "lead_id": "byd"}, 400, "warp-drive"),
        (SOLID_STATE | {"min_size": 6, "max_size": 2}, 400, "min_size <= max_size"),
        (SOLID_STATE | {"exclude": ["nobody"]}, 400, "unknown organization(s) nobody"),
        (SOLID_STATE | {"max_size": -1}, 422, "greater than or equal to 1"),
        ({"need_id": "need-that-never-was"}, 404, "no need"),
    ],
)
def test_bad_input_gets_a_clear_4xx(
    loaded_client: TestClient, payload: dict[str, object], status: int, fragment: str
) -> None:
    response = loaded_client.post("/api/v1/consortia/propose", json=payload)
    assert response.status_code == status
    assert fragment in response.text


def test_page_shows_the_proposal_with_a_coverage_matrix(loaded_client: TestClient) -> None:
    page = loaded_client.get(
        "/consortia/propose",
        params={"domain": SOLID_STATE["domain_ids"], "lead": "byd", "max_size": 5},
    )
    assert page.status_code == 200
    assert 'id="proposal-0"' in page.text and 'class="coverage"' in page.text
    twin = loaded_client.get(
        "/consortia/propose",
        params={"domain": SOLID_STATE["domain_ids"], "lead": "byd", "format": "json"},
    ).json()
    assert twin["proposal"]["result"]["feasible"] is True


def test_cli_propose_json(loaded_db: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--database-url",
            loaded_db,
            "consortium",
            "propose",
            "--domain",
            "solid-state-batteries",
            "--domain",
            "silicon-anode",
            "--lead",
            "byd",
            "--max-size",
            "5",
            "--alternatives",
            "1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["result"]["proposals"][0]["members"][0]["role"] == "lead"
    infeasible = CliRunner().invoke(
        cli,
        [
            "--database-url",
            loaded_db,
            "consortium",
            "propose",
            "--domain",
            "sic-power-devices",
            "--lead",
            "nio",
            "--require-research",
        ],
    )
    assert infeasible.exit_code == 1
    assert "feasible if you" in infeasible.output


def test_bundled_consortia_are_listed_with_sourced_members(loaded_client: TestClient) -> None:
    listed = loaded_client.get("/api/v1/consortia").json()
    assert listed["total"] >= 5
    kinds = {c["kind"] for c in listed["items"]}
    assert {"supplier_network", "cross_industry_alliance", "government_project"} <= kinds
    hima = loaded_client.get("/api/v1/consortia/hima-alliance").json()
    members = {m["organization_id"]: m for m in hima["member_list"]}
    assert members["huawei"]["role"] == "lead"
    assert "seres" in members
    assert all(m["source_url"] for m in hima["member_list"])
    page = loaded_client.get("/consortia/hima-alliance")
    assert page.status_code == 200 and 'id="members"' in page.text
    assert loaded_client.get("/consortia/nothing-like-it").status_code == 404
    assert loaded_client.get("/api/v1/consortia", params={"kind": "cartel"}).status_code == 400
