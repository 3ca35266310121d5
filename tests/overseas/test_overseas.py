"""The overseas knowledge base, checklists and differences; bad input; the surfaces."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from innochain.errors import InvalidInput, NotFound
from innochain.overseas import checklist, diff, load_markets, load_standards
from innochain.overseas.knowledge import parse_markets
from tests.cli.test_main import run

pytestmark = pytest.mark.unit

BEV = {
    "category": "M1",
    "powertrain": "bev",
    "battery_chemistry": "LFP",
    "battery_kwh": 60,
    "maker": "BYD",
}


def test_the_knowledge_base_is_sourced_and_dated() -> None:
    markets = load_markets()
    assert len(markets) >= 15
    for m in markets.values():
        topics = {f.topic for f in m.facts}
        assert "approval" in topics and topics & {"tariff", "trade_remedy"}, m.id
        assert all(f.source and f.url for f in m.facts)
    assert len(load_standards()) >= 12


def test_eu_checklist_for_a_chinese_bev() -> None:
    check = checklist("EU", BEV, on=date(2026, 12, 6))
    topics = {r["topic"] for r in check["requirements"]}
    assert {"approval", "cybersecurity", "software_update", "battery_regulation"} <= topics
    # 10 % customs duty plus BYD's definitive countervailing duty of 17.0 % (Reg. 2024/2754)
    cvd = next(d for d in check["duties"] if d["company"])
    assert cvd["rate_percent"] == 17.0 and check["duty_total_percent"] == 27.0
    assert any("battery passport" in r.lower() for r in check["risks"])  # due 2027-02-18


def test_brazil_and_the_difference_with_the_eu() -> None:
    check = checklist("BR", BEV, on=date(2026, 12, 6))
    assert check["duty_total_percent"] == 35.0  # BEV import tax 35 % from July 2026
    result = diff("EU", "BR", BEV, on=date(2026, 12, 6))
    assert result["duty_total_percent"] == {"EU": 27.0, "BR": 35.0}
    assert any(row["EU"] and not row["BR"] for row in result["rows"])


def test_steering_side_and_bad_vehicles() -> None:
    uk = checklist("UK", BEV)
    assert any("right-hand-drive" in r for r in uk["risks"])
    with pytest.raises(InvalidInput) as caught:
        checklist("EU", BEV | {"battery_kwh": None})
    assert caught.value.problems[0].column == "battery_kwh"
    with pytest.raises(InvalidInput):
        checklist("EU", BEV | {"category": "L7"})
    with pytest.raises(NotFound, match="no market 'XX'"):
        checklist("XX", BEV)


def test_a_fact_without_source_or_ending_before_it_starts_is_rejected() -> None:
    raw = {
        "markets": {
            "EU": {
                "name_en": "EU",
                "facts": [
                    {"id": "a", "topic": "tariff", "title": "t", "source": "", "url": "https://x"},
                    {
                        "id": "b",
                        "topic": "tariff",
                        "title": "t",
                        "source": "s",
                        "url": "https://x",
                        "effective": "2025-01-01",
                        "valid_until": "2024-01-01",
                    },
                ],
            }
        }
    }
    with pytest.raises(InvalidInput) as caught:
        parse_markets(raw)
    columns = {p.column for p in caught.value.problems}
    assert columns == {"EU.facts.1.source", "EU.facts.2.valid_until"}


@pytest.mark.integration
def test_surfaces(loaded_client: TestClient, loaded_db: str, tmp_path: Path) -> None:
    body = {"market": "EU", "vehicle": BEV}
    assert loaded_client.post("/api/v1/overseas/checklist", json=body).status_code == 200
    bad = loaded_client.post(
        "/api/v1/overseas/checklist",
        json={"market": "EU", "vehicle": BEV | {"powertrain": "steam"}},
    )
    assert bad.status_code == 422
    assert loaded_client.get("/api/v1/overseas/markets").json()["total"] >= 15
    page = loaded_client.get("/overseas", params={"market": "EU", "other": "BR", "kwh": 60})
    assert page.status_code == 200 and 'id="diff"' in page.text
    report = loaded_client.get("/overseas/checklist.html", params={"market": "BR"})
    assert report.headers["content-disposition"].startswith("attachment")
    assert loaded_client.get("/overseas/standards").status_code == 200
    vehicle = tmp_path / "v.json"
    vehicle.write_text(json.dumps(BEV), encoding="utf-8")
    code, out, err = run(
        loaded_db,
        "overseas",
        "checklist",
        "--market",
        "BR",
        "--vehicle",
        str(vehicle),
        "--json",
        "--html",
        str(tmp_path / "br.html"),
    )
    assert code == 0, err
    assert json.loads(out)["market"] == "BR" and (tmp_path / "br.html").exists()
