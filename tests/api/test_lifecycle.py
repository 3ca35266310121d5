"""A consortium run over the API: created from a proposal, invitations answered, agreement
with shares that must sum to 100 %, shared resources, outcomes, and a member's exit with
its effect on the coverage of the consortium's domains. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.app import create_app
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store.account_tables import AuditEntry
from innochain.store.db import session_scope
from tests.factories import make_user, token_for, write_seed

pytestmark = pytest.mark.integration


@pytest.fixture
def client(empty_db: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=empty_db, environment="test", api_rate_per_minute=0))
    seed = write_seed(tmp_path / "seed", capabilities=True)
    with session_scope(app.state.sessionmaker) as session:
        import_tables(session, read_path(seed))
        for org in ("tesla", "catl", "byd"):
            user = make_user(session, f"lead@{org}.example", org=org)
            setattr(app.state, org, token_for(session, user))
        app.state.viewer = token_for(
            session,
            make_user(session, "ro@tesla.example", role="viewer", org="tesla"),
            scopes=("read",),
        )
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _as(client: TestClient, who: str) -> dict[str, str]:
    return {"Authorization": getattr(client.app.state, who)}  # type: ignore[attr-defined]


def _create(client: TestClient) -> str:
    body = {
        "name_en": "LFP cell consortium",
        "domain_ids": ["lithium-ion-cells"],
        "members": [
            {"organization_id": "宁德时代", "role": "core"},
            {"organization_id": "byd", "role": "supporting"},
        ],
    }
    created = client.post("/api/v1/consortia", json=body, headers=_as(client, "tesla"))
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_invite_accept_decline_then_exit_shows_the_lost_coverage(client: TestClient) -> None:
    cid = _create(client)
    url = f"/api/v1/consortia/{cid}"
    tesla, catl, byd = (_as(client, o) for o in ("tesla", "catl", "byd"))
    workspace = client.get(url, headers=tesla).json()
    assert workspace["status"] == "proposed" and workspace["visibility"] == "consortium"
    assert {m["organization_id"]: m["status"] for m in workspace["member_list"]} == {
        "tesla": "accepted",
        "catl": "invited",
        "byd": "invited",
    }
    # the lead (Tesla) has no capability in the domain, and nobody else has accepted yet
    assert workspace["coverage"]["uncovered"] == ["lithium-ion-cells"]
    # an invited organisation sees its invitation, not the workspace
    assert client.get("/api/v1/consortia/invitations", headers=catl).json()["total"] == 1
    assert client.get(url, headers=catl).json()["invitation"] == {"role": "core"}
    assert "member_list" not in client.get(url, headers=catl).json()
    assert client.post(f"{url}/members/catl/accept", headers=byd).status_code == 403
    assert client.post(f"{url}/members/catl/accept", headers=catl).json()["status"] == "accepted"
    assert client.post(f"{url}/members/byd/decline", headers=byd).json()["status"] == "declined"
    workspace = client.get(url, headers=catl).json()
    assert workspace["coverage"]["matrix"] == {"lithium-ion-cells": {"catl": 9}}
    # CATL covers the only domain: its exit would uncover it, and BYD (TRL 9) could replace it
    effect = client.get(f"{url}/members/catl/exit", headers=tesla).json()
    assert effect["lost_domains"] == ["lithium-ion-cells"] and effect["dry_run"]
    assert effect["replacements"]["lithium-ion-cells"][0]["organization_id"] == "byd"
    assert client.get(url, headers=tesla).json()["coverage"]["uncovered"] == []
    left = client.post(f"{url}/members/catl/exit", headers=catl).json()
    assert left["covered_before"] == 1 and left["covered_after"] == 0
    assert client.get(url, headers=tesla).json()["coverage"]["uncovered"] == ["lithium-ion-cells"]
    assert client.get(url, headers=catl).status_code == 404  # no longer a member


def test_agreement_shares_must_sum_to_100(client: TestClient) -> None:
    cid = _create(client)
    url = f"/api/v1/consortia/{cid}"
    tesla = _as(client, "tesla")
    client.post(f"{url}/members/catl/accept", headers=_as(client, "catl"))
    terms = {
        "background_ip": "Each keeps its own cell patents.",
        "foreground_ip": "joint",
        "licensing": "royalty_free_members",
        "shares": [
            {"organization_id": "tesla", "cost_pct": 60, "benefit_pct": 50},
            {"organization_id": "catl", "cost_pct": 30, "benefit_pct": 50},
        ],
    }
    bad = client.put(f"{url}/agreement", json=terms, headers=tesla)
    assert bad.status_code == 422
    assert bad.json()["problems"][0] == {
        "column": "shares",
        "reason": "cost shares sum to 90 %, not 100 %",
    }
    assert client.get(url, headers=tesla).json()["agreement"] is None
    terms["shares"][1]["cost_pct"] = 40  # type: ignore[index]
    terms["shares"].append({"organization_id": "byd", "cost_pct": 0, "benefit_pct": 0})  # type: ignore[attr-defined]
    outsider = client.put(f"{url}/agreement", json=terms, headers=tesla)
    assert outsider.status_code == 400 and "'byd' is not an accepted member" in outsider.text
    terms["shares"].pop()  # type: ignore[attr-defined]
    assert (
        client.put(f"{url}/agreement", json=terms, headers=_as(client, "catl")).status_code == 403
    )
    agreed = client.put(f"{url}/agreement", json=terms, headers=tesla)
    assert agreed.status_code == 200, agreed.text
    assert agreed.json()["shares"]["catl"] == {"cost": 40.0, "benefit": 50.0}
    # CATL leaves: the agreement now names a non-member, and the exit said so
    effect = client.post(f"{url}/members/catl/exit", headers=tesla).json()
    assert effect["agreement_to_renegotiate"] is True
    problems = client.get(url, headers=tesla).json()["agreement"]["problems"]
    assert problems == ["shares held by organisations no longer members: catl"]


def test_resources_and_outcomes(client: TestClient) -> None:
    cid = _create(client)
    url = f"/api/v1/consortia/{cid}"
    catl = _as(client, "catl")
    early = client.post(f"{url}/resources", json={"kind": "lab", "name": "x"}, headers=catl)
    assert early.status_code == 404  # only invited: it cannot see the workspace yet
    client.post(f"{url}/members/catl/accept", headers=catl)
    shared = client.post(
        f"{url}/resources",
        json={
            "kind": "pilot_line",
            "name": "Ningde sodium-ion pilot line",
            "access_terms": "two weeks per quarter, at cost",
        },
        headers=catl,
    )
    assert shared.status_code == 201 and shared.json()["owner_id"] == "catl"
    outcome = client.post(
        f"{url}/outcomes",
        json={
            "kind": "patent",
            "title": "Cell-to-pack housing",
            "owner_ids": ["catl", "tesla"],
            "achieved": "2025-05-01",
        },
        headers=catl,
    )
    assert outcome.status_code == 201, outcome.text
    assert (
        client.post(
            f"{url}/outcomes",
            json={"kind": "patent", "title": "x", "owner_ids": ["byd"]},
            headers=catl,
        ).status_code
        == 400
    )  # BYD is only invited
    workspace = client.get(url, headers=catl).json()
    assert [r["name"] for r in workspace["resources"]] == ["Ningde sodium-ion pilot line"]
    assert workspace["outcomes"][0]["owner_ids"] == ["catl", "tesla"]
    # the outcomes as a table for members; an invited or outside organisation gets 404
    saved = client.get(f"/consortia/{cid}/outcomes.csv", headers=catl)
    assert saved.status_code == 200, saved.text
    table = list(csv.DictReader(io.StringIO(saved.text)))
    assert [(r["kind"], r["title"], r["owner_ids"], r["achieved"]) for r in table] == [
        ("patent", "Cell-to-pack housing", "catl|tesla", "2025-05-01")
    ]
    invited = client.get(f"/consortia/{cid}/outcomes.csv", headers=_as(client, "byd"))
    assert invited.status_code == 404
    assert client.get(f"/consortia/{cid}/outcomes.xlsx").status_code == 404  # not public
    with Session(client.app.state.engine) as s:  # type: ignore[attr-defined]
        exports = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert [(e.entity, e.entity_id) for e in exports] == [("consortium_outcomes", cid)]
    rid = shared.json()["id"]
    assert client.delete(f"{url}/resources/{rid}", headers=_as(client, "byd")).status_code == 404
    assert client.delete(f"{url}/resources/{rid}", headers=catl).status_code == 204


@pytest.mark.parametrize(
    "body,status,column",
    [
        (
            {"name_en": "x", "members": [{"organization_id": "nobody"}]},
            400,
            "members.0.organization_id",
        ),
        (
            {"name_en": "x", "members": [{"organization_id": "tesla"}]},
            400,
            "members.0.organization_id",
        ),
        (
            {
                "name_en": "x",
                "members": [
                    {"organization_id": "catl", "role": "core"},
                    {"organization_id": "CATL", "role": "supporting"},
                ],
            },
            400,
            "members.1.organization_id",
        ),
        (
            {"name_en": "x", "members": [{"organization_id": "catl", "role": "lead"}]},
            422,
            "members.0.role",
        ),
        ({"name_en": "x", "domain_ids": ["warp-drive"]}, 400, "domain_ids.0"),
        ({"domain_ids": []}, 422, "name_en"),
    ],
)
def test_bad_consortia_are_refused_by_field(
    client: TestClient, body: dict[str, object], status: int, column: str
) -> None:
    response = client.post("/api/v1/consortia", json=body, headers=_as(client, "tesla"))
    assert response.status_code == status, response.text
    assert column in [p["column"] for p in response.json()["problems"]]
    assert client.get("/api/v1/consortia", headers=_as(client, "tesla")).json()["total"] == 0


def test_a_member_holds_one_role_and_viewers_cannot_write(client: TestClient) -> None:
    cid = _create(client)
    url = f"/api/v1/consortia/{cid}"
    again = client.post(
        f"{url}/members",
        json={"organization_id": "catl", "role": "supporting"},
        headers=_as(client, "tesla"),
    )
    assert again.status_code == 400 and "holds one role" in again.text
    lead = client.post(
        f"{url}/members",
        json={"organization_id": "byd", "role": "lead"},
        headers=_as(client, "tesla"),
    )
    assert lead.status_code == 400 and "one lead" in lead.text
    assert (
        client.post(
            "/api/v1/consortia", json={"name_en": "y"}, headers=_as(client, "viewer")
        ).status_code
        == 403
    )


def test_status_moves_forward_and_a_closed_consortium_takes_no_members(client: TestClient) -> None:
    cid = _create(client)
    url = f"/api/v1/consortia/{cid}"
    tesla = _as(client, "tesla")
    assert (
        client.patch(url, json={"status": "active"}, headers=_as(client, "catl")).status_code == 404
    )
    assert client.patch(url, json={"status": "active"}, headers=tesla).json()["status"] == "active"
    back = client.patch(url, json={"status": "proposed"}, headers=tesla)
    assert back.status_code == 400
    assert back.json()["problems"][0]["column"] == "status"
    assert client.patch(url, json={"status": "closed"}, headers=tesla).status_code == 200
    late = client.post(f"{url}/members/catl/accept", headers=_as(client, "catl"))
    assert late.status_code == 400 and "closed" in late.text
    renamed = client.patch(url, json={"name_zh": "电芯联合体", "domain_ids": []}, headers=tesla)
    assert renamed.json()["name_zh"] == "电芯联合体" and renamed.json()["domain_ids"] == []
