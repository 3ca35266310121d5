"""Statistics dashboards with downloads, and international partners through the matcher."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from innochain.app import create_app
from innochain.settings import Settings

pytestmark = pytest.mark.integration


def test_dashboard_series_page_and_downloads(loaded_client: TestClient) -> None:
    page = loaded_client.get("/stats")
    assert page.status_code == 200 and page.text.count("<svg") >= 6
    series = loaded_client.get("/api/v1/series", params={"metric": "nev_sales"}).json()
    nev = next(
        s
        for s in (series.get("items", series) if isinstance(series, dict) else series)
        if s["id"] == "cn-nev-sales"
    )
    detail = loaded_client.get("/stats/cn-nev-sales")
    assert detail.status_code == 200 and 'id="csv"' in detail.text
    rows = list(csv.DictReader(io.StringIO(loaded_client.get("/stats/cn-nev-sales.csv").text)))
    assert [float(r["value"]) for r in rows] == [o["value"] for o in nev["observations"]]
    assert all(r["source_url"].startswith("http") for r in rows)
    book = load_workbook(io.BytesIO(loaded_client.get("/stats/cn-nev-sales.xlsx").content))
    sheet = book.active
    assert sheet is not None and sheet.max_row == len(rows) + 1
    assert loaded_client.get("/stats/nope").status_code == 404
    # the chart alone, at a stable URL: one bar per observation, valid standalone SVG
    svg = loaded_client.get("/stats/cn-nev-sales.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(svg.text)
    bars = root.findall(".//{http://www.w3.org/2000/svg}rect[@fill='#0969da']")
    assert len(bars) == len(rows)
    assert "China" in svg.text and "/stats/cn-nev-sales" in svg.text


def test_the_chart_library_is_served_compressed_and_its_absence_falls_back_to_svg(
    loaded_client: TestClient, empty_db: str, tmp_path: Path
) -> None:
    settings = loaded_client.app.state.settings  # type: ignore[attr-defined]
    library = settings.assets_dir / "echarts" / "dist" / "echarts.common.min.js"
    packed = loaded_client.get("/assets/echarts.min.js", headers={"accept-encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.num_bytes_downloaded < library.stat().st_size / 2
    assert packed.content == library.read_bytes()  # decoded by the client, byte for byte
    plain = loaded_client.get("/assets/echarts.min.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == library.read_bytes()
    # without the npm package: no script on the page, the server-drawn SVG stays
    bare = create_app(Settings(database_url=empty_db, environment="test", assets_dir=tmp_path))
    with TestClient(bare) as client:
        assert client.get("/assets/echarts.min.js").status_code == 404
        page = client.get("/stats")
        assert page.status_code == 200 and "<script" not in page.text
    bare.state.engine.dispose()


def test_comparison_across_provinces(loaded_client: TestClient) -> None:
    page = loaded_client.get("/stats/compare/vehicle_production")
    assert page.status_code == 200
    assert "cn-gd-vehicle-production" in page.text  # provinces only: no national total
    assert 'href="/stats/cn-vehicle-production"' not in page.text
    saved = loaded_client.get("/stats/compare/vehicle_production.csv")
    table = list(csv.DictReader(io.StringIO(saved.text)))
    ids = [row["series_id"] for row in table]
    assert "cn-gd-vehicle-production" in ids and "cn-vehicle-production" not in ids
    guangdong = loaded_client.get("/stats/cn-gd-vehicle-production.csv").text
    for period, value in (r[1:3] for r in list(csv.reader(io.StringIO(guangdong)))[1:]):
        row = next(r for r in table if r["series_id"] == "cn-gd-vehicle-production")
        assert float(row[period]) == float(value)  # the same figures, one column per year
    assert 'href="/stats/compare/vehicle_production.xlsx"' in page.text


def test_international_partners(loaded_client: TestClient) -> None:
    germany = loaded_client.get("/overseas/partners", params={"country": "DE"})
    assert germany.status_code == 200 and 'href="/organizations/bosch"' in germany.text
    assert 'href="/organizations/catl"' not in germany.text  # foreign organisations only
    testing = loaded_client.get("/overseas/partners", params={"q": "battery testing certification"})
    assert (
        'href="/organizations/sgs"' in testing.text
        or 'href="/organizations/tuv-sud"' in testing.text
    )
    assert loaded_client.get("/overseas/partners", params={"country": "ZZ"}).status_code == 400
