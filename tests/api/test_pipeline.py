"""A project walked from research to mass production over the API, with gates, milestones
and funding, on SQLite and PostgreSQL; and every kind of bad input refused by field."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.app import create_app
from innochain.pipeline import TABLE_COLUMNS
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store.account_tables import AuditEntry
from innochain.store.db import session_scope
from tests.factories import make_user, token_for, write_seed

pytestmark = pytest.mark.integration

DAY = timedelta(days=1)
START = date.today() - 800 * DAY


@pytest.fixture
def client(empty_db: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=empty_db, environment="test", api_rate_per_minute=0))
    seed = write_seed(tmp_path / "seed", capabilities=True)
    with session_scope(app.state.sessionmaker) as session:
        import_tables(session, read_path(seed))
        app.state.catl = token_for(session, make_user(session, "rd@catl.example", org="catl"))
        app.state.byd = token_for(session, make_user(session, "rd@byd.example", org="byd"))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _as(client: TestClient, org: str) -> dict[str, str]:
    return {"Authorization": getattr(client.app.state, org)}  # type: ignore[attr-defined]


def _gate(decision: str, trl: int, on: date, **more: object) -> dict[str, object]:
    return {
        "decision": decision,
        "criteria": [{"name": "test plan passed", "met": True}],
        "trl": trl,
        "decided_on": on.isoformat(),
        **more,
    }


def _new(client: TestClient, **more: object) -> dict[str, object]:
    body = {"title_en": "Sodium-ion cell for A0 cars", "started": START.isoformat(), **more}
    created = client.post("/api/v1/projects", json=body, headers=_as(client, "catl"))
    assert created.status_code == 201, created.text
    return created.json()


def test_walk_a_project_from_research_to_mass_production(client: TestClient) -> None:
    catl = _as(client, "catl")
    project = _new(client, next_gate_budget_cny_m=10, visibility="members")
    pid = project["id"]
    assert (project["stage"], project["trl"], project["owner_id"]) == ("research", 1, "catl")
    url = f"/api/v1/projects/{pid}"
    money = [
        ("subsidy", 8, "CNY", None, START + 10 * DAY),
        ("vc_pe", 10, "USD", 7.1, START + 200 * DAY),
        ("guided_fund", 300, "CNY", None, START + 400 * DAY),
        ("bank_loan", 500, "CNY", None, START + 700 * DAY),
    ]
    steps = [(4, START + 100 * DAY), (6, START + 300 * DAY), (8, START + 600 * DAY)]
    for (source, amount, currency, rate, on), step in zip(money, [*steps, None], strict=True):
        round_ = {
            "source": source,
            "amount_m": amount,
            "currency": currency,
            "received": on.isoformat(),
        }
        if rate:
            round_["cny_rate"] = rate
        response = client.post(f"{url}/funding", json=round_, headers=catl)
        assert response.status_code == 201, response.text
        if step:
            trl, day = step
            response = client.post(f"{url}/gates", json=_gate("go", trl, day), headers=catl)
            assert response.status_code == 201, response.text
    done = client.get(url, headers=catl).json()
    assert done["stage"] == "mass_production" and done["trl"] == 8
    assert [p["stage"] for p in done["periods"]] == ["research", "lab", "pilot", "mass_production"]
    assert [p["days"] for p in done["periods"][:3]] == [100, 200, 300]
    # each round was booked at the stage the project was in on its day
    assert done["raised_cny_m_by_stage"] == {
        "research": 8.0,
        "lab": 71.0,
        "pilot": 300.0,
        "mass_production": 500.0,
    }
    portfolio = client.get("/api/v1/portfolio", headers=catl).json()
    funnel = {row["stage"]: row["reached"] for row in portfolio["funnel"]}
    assert funnel == {"research": 1, "lab": 1, "pilot": 1, "mass_production": 1}
    assert portfolio["funding"]["matrix"]["vc_pe"]["lab"] == 71.0
    assert portfolio["funding"]["total"] == 879.0
    # the members-only project is visible to another member but not to the public
    assert client.get(url, headers=_as(client, "byd")).status_code == 200
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/portfolio").json()["projects"] == 0


def test_milestones_slip_and_the_project_shows_at_risk(client: TestClient) -> None:
    catl = _as(client, "catl")
    pid = _new(
        client, next_gate_due=(date.today() + 30 * DAY).isoformat(), next_gate_budget_cny_m=20
    )["id"]
    due = date.today() - 12 * DAY
    made = client.post(
        f"/api/v1/projects/{pid}/milestones",
        json={"title": "Cell chemistry frozen", "due": due.isoformat()},
        headers=catl,
    )
    assert made.status_code == 201 and made.json()["slippage_days"] == 12
    risky = client.get("/api/v1/portfolio", headers=catl).json()["at_risk"]
    assert [r["id"] for r in risky] == [pid]
    assert risky[0]["funding_gap_cny_m"] == 20.0 and risky[0]["days_late"] == 12
    finished = client.patch(
        f"/api/v1/projects/{pid}/milestones/{made.json()['id']}",
        json={"done": (due + 3 * DAY).isoformat()},
        headers=catl,
    )
    assert finished.json()["slippage_days"] == 3 and not finished.json()["overdue"]
    client.post(
        f"/api/v1/projects/{pid}/funding",
        json={"source": "corporate", "amount_m": 20, "received": date.today().isoformat()},
        headers=catl,
    )
    assert client.get("/api/v1/portfolio", headers=catl).json()["at_risk"] == []


@pytest.mark.parametrize(
    "path,body,status,column",
    [
        ("", {"title_en": "x", "trl": 7}, 422, "trl"),
        ("", {"title_en": "x", "owner_id": "nobody"}, 400, "owner_id"),
        ("", {"title_en": "x", "visibility": "consortium"}, 422, "consortium_id"),
        ("/{id}", {"stage": "pilot"}, 422, "stage"),
        ("/{id}/gates", _gate("go", 8, START + DAY, to_stage="mass_production"), 400, "to_stage"),
        ("/{id}/gates", _gate("go", 4, START - DAY), 400, "decided_on"),
        (
            "/{id}/funding",
            {"source": "vc_pe", "amount_m": -5, "received": str(START)},
            422,
            "amount_m",
        ),
        (
            "/{id}/funding",
            {"source": "vc_pe", "amount_m": "lots", "received": str(START)},
            422,
            "amount_m",
        ),
        (
            "/{id}/funding",
            {"source": "vc_pe", "amount_m": 5, "currency": "EUR", "received": str(START)},
            422,
            "cny_rate",
        ),
        (
            "/{id}/funding",
            {"source": "lottery", "amount_m": 5, "received": str(START)},
            422,
            "source",
        ),
        (
            "/{id}/funding",
            {"source": "vc_pe", "amount_m": 5, "received": str(START - DAY)},
            400,
            "received",
        ),
        (
            "/{id}/funding",
            {"source": "vc_pe", "amount_m": 5, "received": str(START), "stage": "pilot"},
            400,
            "stage",
        ),
        ("/{id}/milestones", {"title": "m", "due": str(START - DAY)}, 400, "due"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    client: TestClient, path: str, body: dict[str, object], status: int, column: str
) -> None:
    catl = _as(client, "catl")
    pid = _new(client)["id"]
    before = client.get(f"/api/v1/projects/{pid}", headers=catl).json()
    method = client.patch if path == "/{id}" else client.post
    url = "/api/v1/projects" + path.replace("{id}", pid)
    response = method(url, json=body, headers=catl)
    assert response.status_code == status, response.text
    assert column in [p["column"] for p in response.json()["problems"]]
    assert client.get(f"/api/v1/projects/{pid}", headers=catl).json() == before
    assert client.get("/api/v1/projects", headers=catl).json()["total"] == 1


def test_only_the_owner_writes(client: TestClient) -> None:
    pid = _new(client, visibility="members")["id"]
    byd = _as(client, "byd")
    assert (
        client.post(
            f"/api/v1/projects/{pid}/gates", json=_gate("stop", 1, date.today()), headers=byd
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/projects/{pid}/gates", json=_gate("stop", 1, date.today())
        ).status_code
        == 401
    )
    private = _new(client, title_en="Another")["id"]
    assert client.get(f"/api/v1/projects/{private}", headers=byd).status_code == 404


def test_the_board_downloads_as_csv_and_xlsx_with_what_each_viewer_may_see(
    client: TestClient,
) -> None:
    public = _new(
        client, title_en="Open sodium-ion cell", title_zh="钠离子电芯", visibility="public"
    )
    private = _new(client, title_en="Internal cell study")  # private by default
    catl = _as(client, "catl")
    own = client.get("/projects.csv", headers=catl)
    assert own.status_code == 200
    assert own.headers["content-disposition"] == 'attachment; filename="projects.csv"'
    table = list(csv.reader(io.StringIO(own.text)))
    assert table[0] == list(TABLE_COLUMNS)
    by_id = {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
    assert set(by_id) == {public["id"], private["id"]}
    assert by_id[public["id"]]["title_zh"] == "钠离子电芯"
    assert by_id[public["id"]]["stage"] == "research" and by_id[public["id"]]["trl"] == "1"
    # the file held a project that is not public: recorded as an export
    with Session(client.app.state.engine) as s:  # type: ignore[attr-defined]
        exports = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert [e.entity for e in exports] == ["projects"]
    assert exports[0].detail["not_public"] == [private["id"]]
    # another organisation and an anonymous visitor get the public project only, unaudited
    for headers in (_as(client, "byd"), {}):
        rows = list(csv.reader(io.StringIO(client.get("/projects.csv", headers=headers).text)))
        assert [r[0] for r in rows[1:]] == [public["id"]]
    sheet = load_workbook(io.BytesIO(client.get("/projects.xlsx", headers=catl).content)).active
    assert sheet is not None
    values = list(sheet.values)
    assert list(values[0]) == list(TABLE_COLUMNS)
    assert {v[0] for v in values[1:]} == {public["id"], private["id"]}
    # filters as on the board; an unknown format is not a route
    filtered = client.get("/projects.csv", params={"q": "sodium"}, headers=catl).text
    assert public["id"] in filtered and private["id"] not in filtered
    assert client.get("/projects.pdf", headers=catl).status_code in (404, 422)
