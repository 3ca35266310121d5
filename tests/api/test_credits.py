"""Dual credits over the API, the upload page and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.cli.test_main import run
from tests.factories import form_token

pytestmark = pytest.mark.integration

FLEET = [
    {
        "model_id": "suv",
        "powertrain": "ice",
        "curb_mass_kg": 1700,
        "volume": 60000,
        "fuel_consumption_l100": 8.0,
    },
    {
        "model_id": "ev",
        "powertrain": "bev",
        "curb_mass_kg": 1600,
        "volume": 5000,
        "electric_range_km": 400,
        "energy_consumption_kwh100": 13,
    },
]
CSV = (
    "model_id,powertrain,curb_mass_kg,volume,fuel_consumption_l100,electric_range_km,"
    "energy_consumption_kwh100\nsuv,ice,1700,60000,8.0,,\nev,bev,1600,5000,,400,13\n"
)


def test_account_plan_move_and_settle(loaded_client: TestClient) -> None:
    account = loaded_client.post("/api/v1/credits/account", json={"year": 2022, "models": FLEET})
    assert account.status_code == 200, account.text
    body = account.json()
    assert body["rule_set"] == "cn-dual-credit-2020" and body["trace"]["rules"]
    planned = loaded_client.post(
        "/api/v1/credits/plan", json={"year": 2022, "models": FLEET, "nev_model": "ev"}
    ).json()
    assert planned["credits_to_buy"] >= 0 and "extra_nev_volume" in planned
    moved = loaded_client.post(
        "/api/v1/credits/move",
        json={"year": 2022, "models": FLEET, "source": "suv", "target": "ev", "volume": 1000},
    ).json()
    assert moved["nev_balance"]["change"] > 0
    settled = loaded_client.post(
        "/api/v1/credits/settle", json={"year": 2022, "models": FLEET, "bought_nev": 100}
    ).json()
    assert "steps" in settled
    rules = loaded_client.get("/api/v1/credits/rules").json()["items"]
    assert [r["years"] for r in rules] == [[2016, 2020], [2021, 2023], [2024, 2025]]
    assert loaded_client.get("/api/v1/credits/published", params={"year": 2023}).json()["total"]


@pytest.mark.parametrize(
    "change,status,column",
    [
        ({"year": 2030}, 400, "year"),
        ({"models": [FLEET[0] | {"powertrain": "steam"}]}, 400, "powertrain"),
        ({"models": [FLEET[0] | {"volume": -1}]}, 400, "volume"),
        ({"models": [FLEET[0], FLEET[0]]}, 400, "model_id"),
        (
            {"models": [{k: v for k, v in FLEET[0].items() if k != "curb_mass_kg"}]},
            400,
            "curb_mass_kg",
        ),
    ],
)
def test_bad_fleets_name_the_field(
    loaded_client: TestClient, change: dict[str, object], status: int, column: str
) -> None:
    body = {"year": 2022, "models": FLEET} | change
    response = loaded_client.post("/api/v1/credits/account", json=body)
    assert response.status_code == status, response.text
    assert column in [p["column"] for p in response.json()["problems"]]


def test_upload_page_shows_account_and_plan(loaded_client: TestClient) -> None:
    page = loaded_client.get("/credits")
    response = loaded_client.post(
        "/credits",
        data={"csrf_token": form_token(page.text), "year": "2022", "nev_model": "ev"},
        files={"fleet": ("fleet.csv", CSV.encode(), "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert 'id="cafc"' in response.text and 'id="plan"' in response.text
    bad = loaded_client.post(
        "/credits",
        data={"csrf_token": form_token(page.text), "year": "2022"},
        files={"fleet": ("fleet.csv", CSV.replace("bev", "steam").encode(), "text/csv")},
    )
    assert bad.status_code == 400 and "fleet.csv:3:powertrain" in bad.text
    # the page's blank template is a fleet file header the reader accepts, column for column
    template = loaded_client.get("/credits/fleet-template.csv")
    assert template.headers["content-disposition"].startswith("attachment")
    header = template.text.strip().split(",")
    assert set(CSV.splitlines()[0].split(",")) <= set(header)
    empty = loaded_client.post(
        "/credits",
        data={"csrf_token": form_token(page.text), "year": "2022"},
        files={"fleet": ("fleet-template.csv", template.content, "text/csv")},
    )
    assert empty.status_code == 400 and "fleet-template.csv" in empty.text
    assert loaded_client.get("/credits/rules").status_code == 200
    published = loaded_client.get("/credits/published")
    assert 'id="totals"' in published.text and 'id="companies"' in published.text
    api = loaded_client.get("/api/v1/credits/published", params={"year": 2023}).json()
    assert [t["group"] for t in api["totals"]] == ["all", "domestic", "importers"]
    assert api["checks"][0]["adds_up"] and api["total"] == len(api["items"])


def test_cli_compute_and_plan(loaded_db: str, tmp_path: Path) -> None:
    fleet = tmp_path / "fleet.csv"
    fleet.write_text(CSV, encoding="utf-8")
    code, out, err = run(loaded_db, "credits", "compute", str(fleet), "--year", "2022", "--json")
    assert code == 0, err
    assert json.loads(out)["cafc"]["requirement_percent"] == 120
    code, out, err = run(
        loaded_db, "credits", "plan", str(fleet), "--year", "2022", "--nev-model", "ev", "--json"
    )
    assert code == 0, err and "extra_nev_volume" in json.loads(out)
    code, _, err = run(loaded_db, "credits", "compute", str(fleet), "--year", "2031")
    assert code == 1 and "2031 is outside every rule set" in err
