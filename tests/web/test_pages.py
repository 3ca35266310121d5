from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from innochain.app import create_app
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store.db import session_scope
from tests.factories import ORGANIZATIONS, write_csv, write_seed

pytestmark = pytest.mark.integration

PAGES = [
    "/",
    "/organizations",
    "/organizations?q=宁德",
    "/organizations/catl",
    "/chain",
    "/chain/power-battery",
]


class Page(HTMLParser):
    """The bits of a page the tests look at: links, the alternate JSON link, h1 text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.current: list[str] = []  # links marked aria-current
        self.alternate: str | None = None
        self.h1 = ""
        self._in_h1 = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
            if a.get("aria-current"):
                self.current.append(a["href"] or "")
        if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/json":
            self.alternate = a.get("href")
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data


@pytest.mark.parametrize("url", PAGES)
def test_every_page_links_its_json_twin(loaded_client: TestClient, url: str) -> None:
    response = loaded_client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert page.alternate is not None
    twin = loaded_client.get(page.alternate)
    assert twin.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("/", None),
        ("/organizations?q=宁德", "/organizations"),
        ("/organizations/catl", "/organizations"),
        ("/chain/power-battery", "/chain"),
        ("/stats", "/stats"),
        ("/credits/rules", "/credits"),
    ],
)
def test_the_header_marks_the_section_of_the_page(
    loaded_client: TestClient, url: str, section: str | None
) -> None:
    page = Page(loaded_client.get(url).text)
    assert page.current == ([section] if section else [])


def test_directory_search_in_chinese_lists_the_firm(loaded_client: TestClient) -> None:
    page = Page(loaded_client.get("/organizations", params={"q": "宁德时代"}).text)
    assert "/organizations/catl" in page.links
    twin = loaded_client.get("/organizations", params={"q": "宁德时代", "format": "json"}).json()
    assert "catl" in [o["id"] for o in twin["organizations"]]
    assert twin["filters"]["q"] == "宁德时代"


def test_organization_page_shows_its_facts(loaded_client: TestClient) -> None:
    response = loaded_client.get("/organizations/catl")
    page = Page(response.text)
    assert "宁德时代" in page.h1
    twin = loaded_client.get("/organizations/catl", params={"format": "json"}).json()
    for relation in twin["detail"]["relations"]:
        assert f"/organizations/{relation['other_id']}" in page.links
    assert twin["detail"]["source"]["url"] in page.links


def test_chain_page_links_every_root(loaded_client: TestClient) -> None:
    page = Page(loaded_client.get("/chain").text)
    roots = loaded_client.get("/chain", params={"format": "json"}).json()["roots"]
    for root in roots:
        assert f"/chain/{root['id']}" in page.links


def test_a_chain_node_page_shows_its_figures_once(loaded_client: TestClient) -> None:
    html = loaded_client.get("/chain/battery-cells").text
    assert html.count('id="node-figures"') == 1
    assert html.count('href="/chain/resilience?node=battery-cells"') == 1


def test_missing_page_is_a_404_page(loaded_client: TestClient) -> None:
    response = loaded_client.get("/organizations/no-such-firm")
    assert response.status_code == 404
    assert "no organization with id" in response.text
    assert loaded_client.get("/organizations/no-such-firm", params={"format": "json"}).json() == {
        "error": "not_found",
        "detail": "no organization with id 'no-such-firm'",
    }


def test_user_text_is_escaped(empty_db: str, tmp_path: Path) -> None:
    seed = write_seed(tmp_path / "seed")
    payload = "<script>alert(1)</script>"
    rows = [dict(o) for o in ORGANIZATIONS]
    rows[0] |= {"name_en": payload, "description_en": payload, "aliases": payload}
    write_csv(seed / "organizations" / "seed.csv", "organizations", rows)
    app = create_app(Settings(database_url=empty_db))
    with session_scope(app.state.sessionmaker) as session:
        import_tables(session, read_path(seed))
    with TestClient(app) as client:
        for url in ("/organizations", "/organizations/catl", "/chain/battery-cells"):
            html = client.get(url).text
            assert payload not in html
            assert "&lt;script&gt;" in html
    app.state.engine.dispose()


def test_find_partners_page_shows_ranked_cards(loaded_client: TestClient) -> None:
    params = {"text": "激光雷达 LiDAR for assisted driving", "trl": "9"}
    page = Page(loaded_client.get("/match", params=params).text)
    twin = loaded_client.get("/match", params=params | {"format": "json"}).json()
    candidates = twin["result"]["candidates"]
    assert candidates
    for candidate in candidates:
        assert f"/organizations/{candidate['organization_id']}" in page.links
    assert loaded_client.get("/match").status_code == 200  # the empty form


def test_filter_lists_offer_every_chain_node_and_sub_domain(loaded_client: TestClient) -> None:
    directory = loaded_client.get("/organizations").text
    nodes = loaded_client.get("/api/v1/chain-nodes", params={"limit": 500}).json()["items"]
    assert len(nodes) > 80
    for node in nodes:
        assert f'<option value="{node["id"]}" >{node["name_en"]} ' in directory
    match = loaded_client.get("/match").text
    domains = loaded_client.get("/api/v1/technologies", params={"limit": 500}).json()["items"]
    for domain in domains:
        listed = f'<option value="{domain["id"]}" >' in match
        assert listed == bool(domain["parent_id"]), domain["id"]  # families are not choices


def test_the_directory_downloads_every_match_not_one_page(loaded_client: TestClient) -> None:
    params = {"kind": "supplier"}
    listed = loaded_client.get("/organizations", params=params | {"format": "json"}).json()
    assert listed["total"] > 50  # more than one page of the directory
    saved = loaded_client.get("/organizations.csv", params=params)
    assert saved.headers["content-disposition"] == 'attachment; filename="organizations.csv"'
    table = list(csv.DictReader(io.StringIO(saved.text)))
    assert len(table) == listed["total"]
    assert {row["kind"] for row in table} == {"supplier"}
    catl = next(row for row in table if row["id"] == "catl")
    assert catl["name_zh"] == "宁德时代" and "battery-cells" in catl["chain_node_ids"].split("|")
    book = loaded_client.get("/organizations.xlsx", params=params).content
    sheet = load_workbook(io.BytesIO(book))
    assert sheet.active is not None and sheet.active.max_row == listed["total"] + 1
    page = Page(loaded_client.get("/organizations", params=params).text)
    assert "/organizations.csv?q=&kind=supplier&province=&chain_node=" in page.links
