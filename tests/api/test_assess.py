"""Assessment endpoints, pages and the CLI on the bundled firms and on a user's matrix."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.cli.test_main import run

pytestmark = pytest.mark.integration


def test_peers_firm_and_indicators(loaded_client: TestClient) -> None:
    ranked = loaded_client.get("/api/v1/assess/peers", params={"peers": "oem", "year": 2023})
    assert ranked.status_code == 200
    body = ranked.json()
    assert [f["rank"] for f in body["firms"]] == sorted(f["rank"] for f in body["firms"])
    assert body["options"]["entropy_on"] == "minmax"  # recorded, not hidden
    report = loaded_client.get("/api/v1/assess/firms/catl").json()
    assert report["peers"] == "supplier" and report["mode"]["source"]
    system = loaded_client.get("/api/v1/assess/indicators").json()
    assert "entropy-topsis" in system["methods"] and system["items"][0]["citation"]


@pytest.mark.parametrize(
    "path,status,column",
    [
        ("/peers?method=magic", 400, "method"),
        ("/peers?peers=banks", 400, "peers"),
        ("/peers?year=1990", 422, "year"),
        ("/peers?year=2030", 400, "year"),  # no figures yet
        ("/peers?rho=2", 422, "rho"),
    ],
)
def test_bad_assessment_input(
    loaded_client: TestClient, path: str, status: int, column: str
) -> None:
    response = loaded_client.get("/api/v1/assess" + path)
    assert response.status_code == status, response.text
    assert column in [p["column"] for p in response.json()["problems"]]


def test_entropy_on_raw_shares_refuses_negative_growth(loaded_client: TestClient) -> None:
    response = loaded_client.get("/api/v1/assess/peers", params={"entropy_on": "shares"})
    assert response.status_code == 400
    assert response.json()["problems"][0]["column"] in ("revenue_growth", "net_margin")


def test_own_matrix(loaded_client: TestClient) -> None:
    body = {
        "alternatives": ["a", "b", "c"],
        "criteria": ["price", "range"],
        "matrix": [[1, 9], [2, 7], [3, 8]],
        "directions": [-1, 1],
        "method": "equal-topsis",
        "trials": 50,
    }
    ok = loaded_client.post("/api/v1/assess/matrix", json=body).json()
    # by hand (vector normalisation, weights 1/2): closeness a 1.0, b 0.47, c 0.12
    assert [a["rank"] for a in ok["alternatives"]] == [1, 2, 3]
    assert ok["stability"]["alternatives"][0]["base_rank"] == 1
    body["matrix"] = [[1, 9], [2, "seven"], [3, 8]]
    bad = loaded_client.post("/api/v1/assess/matrix", json=body)
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["column"] == "range"


@pytest.mark.parametrize(
    "path", ["/assess", "/assess?peers=supplier&method=critic-gra", "/assess/byd"]
)
def test_assess_pages(loaded_client: TestClient, path: str) -> None:
    page = loaded_client.get(path)
    assert page.status_code == 200
    assert "<svg" in page.text


def test_the_ranking_downloads_as_a_table(loaded_client: TestClient) -> None:
    params = {"peers": "supplier", "year": 2023, "method": "critic-gra"}
    ranked = loaded_client.get("/api/v1/assess/peers", params=params).json()
    saved = loaded_client.get("/assess.csv", params=params)
    assert saved.status_code == 200
    name = 'attachment; filename="assess-supplier-2023-critic-gra.csv"'
    assert saved.headers["content-disposition"] == name
    table = list(csv.DictReader(io.StringIO(saved.text)))
    assert [row["organization_id"] for row in table] == [
        f["organization_id"] for f in ranked["firms"]
    ]
    first, top = table[0], ranked["firms"][0]
    assert int(first["rank"]) == top["rank"] and float(first["score"]) == top["score"]
    for indicator in ranked["indicators"]:  # one column per indicator, the values as ranked
        assert float(first[indicator["id"]]) == top["values"][indicator["id"]]
    assert "/assess.csv?peers=supplier&year=2023&method=critic-gra" in loaded_client.get(
        "/assess", params=params
    ).text.replace("&amp;", "&")
    assert loaded_client.get("/assess.xlsx", params=params).content[:2] == b"PK"  # a zip


def test_cli_bundled_and_own_matrix(loaded_db: str, tmp_path: Path) -> None:
    code, out, err = run(
        loaded_db,
        "assess",
        "--method",
        "critic-topsis",
        "--peers",
        "supplier",
        "--year",
        "2023",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["method"] == "critic-topsis"
    matrix = tmp_path / "m.csv"
    matrix.write_text("name,price,range\nA,1,9\nB,2,7\nC,3,8\n", encoding="utf-8")
    code, out, err = run(
        loaded_db,
        "assess",
        "--input",
        str(matrix),
        "--direction",
        "cost",
        "--direction",
        "benefit",
        "--method",
        "equal-topsis",
        "--json",
    )
    assert code == 0, err
    assert [a["rank"] for a in json.loads(out)["alternatives"]] == [1, 2, 3]
    code, _, err = run(loaded_db, "assess", "--input", str(matrix))
    assert code == 1 and "direction" in err
