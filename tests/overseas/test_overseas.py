"""The overseas knowledge base, checklists and differences; bad input; the surfaces."""

from __future__ import annotations

import io
import json
import sys
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


def test_lead_times_carry_their_own_source_and_sum_up_in_the_checklist() -> None:
    check = checklist("BR", BEV, on=date(2026, 12, 6))
    stated = {r["id"]: r["lead_time_weeks"] for r in check["requirements"] if r["lead_time_weeks"]}
    # the source: "around seven months for the complete process" (LCVM, then CAT)
    assert stated["br-cat-senatran"] == pytest.approx(7 * 52 / 12, abs=0.1)
    summary = check["lead_time"]
    assert summary["longest_weeks"] == max(stated.values())
    assert summary["with_lead_time"] + summary["without_lead_time"] == len(check["requirements"])
    assert all(
        r["lead_time_source"] and r["lead_time_url"].startswith("http")
        for r in check["requirements"]
        if r["lead_time_weeks"]
    )
    pair = diff("EU", "BR", BEV, on=date(2026, 12, 6))
    assert pair["longest_lead_time_weeks"]["BR"] == summary["longest_weeks"]


def test_a_lead_time_without_a_source_or_of_no_length_is_rejected() -> None:
    fact = {"topic": "approval", "title": "t", "source": "s", "url": "https://x"}
    raw = {
        "markets": {
            "EU": {
                "facts": [
                    fact | {"id": "a", "lead_time_weeks": 10},
                    fact
                    | {
                        "id": "b",
                        "lead_time_weeks": -2,
                        "lead_time_source": "s",
                        "lead_time_url": "https://y",
                    },
                    fact | {"id": "c", "lead_time_note": "6 months"},
                ]
            }
        }
    }
    with pytest.raises(InvalidInput) as caught:
        parse_markets(raw)
    assert {p.column for p in caught.value.problems} == {
        "EU.facts.1.lead_time_source",
        "EU.facts.1.lead_time_url",
        "EU.facts.2.lead_time_weeks",
        "EU.facts.3.lead_time_note",
    }


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.integration
def test_without_a_pdf_engine_the_download_says_why(
    loaded_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if not installed
    page = loaded_client.get("/overseas/checklist.pdf", params={"market": "EU"})
    assert page.status_code == 503 and "Pango" in page.text
    api = loaded_client.post(
        "/api/v1/overseas/checklist.pdf", json={"market": "EU", "vehicle": BEV}
    )
    assert api.status_code == 503 and "WeasyPrint" in api.json()["detail"]


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
    assert "Typical lead time" in report.text and "noticiasautomotivas" in report.text
    pdf = loaded_client.get("/overseas/checklist.pdf", params={"market": "BR"})
    assert pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Brazil" in text and "export checklist" in text and "CAT" in text
    api_pdf = loaded_client.post("/api/v1/overseas/checklist.pdf", json=body)
    assert "European Union" in _pdf_text(api_pdf.content)
    unknown = loaded_client.post(
        "/api/v1/overseas/checklist.pdf", json={"market": "XX", "vehicle": BEV}
    )
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
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
        "--pdf",
        str(tmp_path / "br.pdf"),
    )
    assert code == 0, err
    assert json.loads(out)["market"] == "BR" and (tmp_path / "br.html").exists()
    assert "Brazil" in _pdf_text((tmp_path / "br.pdf").read_bytes())
