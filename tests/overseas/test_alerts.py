"""Following markets and getting an alert when a tariff fact changes, in the app, in the Atom
feed and on the operator's page; on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from innochain.app import create_app
from innochain.overseas import alerts, load_markets
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store.db import session_scope
from tests.factories import make_user, sign_in, token_for, write_seed

pytestmark = pytest.mark.integration


@pytest.fixture
def client(empty_db: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=empty_db, environment="test", api_rate_per_minute=0))
    with session_scope(app.state.sessionmaker) as session:
        import_tables(session, read_path(write_seed(tmp_path / "seed")))
        app.state.member = token_for(session, make_user(session, "m@byd.example", org="byd"))
        app.state.operator = token_for(
            session, make_user(session, "ops@x.example", role="operator")
        )
    with TestClient(app) as c:  # the app's start records the baseline
        yield c
    app.state.engine.dispose()


def _as(client: TestClient, who: str) -> dict[str, str]:
    return {"Authorization": getattr(client.app.state, who)}  # type: ignore[attr-defined]


def _with_eu_tariff(rate: float) -> dict[str, object]:
    """The knowledge base with the EU's customs duty changed, as a data update would."""
    markets = dict(load_markets())
    eu = markets["EU"]
    facts = tuple(
        dataclasses.replace(f, rate_percent=rate) if f.topic == "tariff" else f for f in eu.facts
    )
    markets["EU"] = dataclasses.replace(eu, facts=facts)
    return markets


def test_a_tariff_change_reaches_followers_in_app_and_feed(client: TestClient) -> None:
    member = _as(client, "member")
    assert (
        client.post(
            "/api/v1/alerts/follows", json={"market": "EU", "topic": "tariff"}, headers=member
        ).status_code
        == 201
    )
    assert (
        client.post("/api/v1/alerts/follows", json={"market": "BR"}, headers=member).status_code
        == 201
    )
    assert client.get("/api/v1/alerts", headers=member).json()["total"] == 0  # baseline only
    app = client.app
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        found = alerts.sync(session, markets=_with_eu_tariff(12.0), today=date(2026, 12, 6))
    assert [c["kind"] for c in found if c["market"] == "EU"] == ["changed"]
    mine = client.get("/api/v1/alerts", headers=member).json()["items"]
    eu = [n for n in mine if n["market"] == "EU"]
    assert [(n["kind"], n["topic"]) for n in eu] == [("changed", "tariff")]
    assert eu[0]["detail"]["rate_percent"] == 12.0
    # following all of Brazil brings its kit duty, due within 60 days of 2026-12-06
    assert {n["kind"] for n in mine if n["market"] == "BR"} == {"approaching"}
    feed = client.get("/api/v1/alerts/feed.atom", headers=member)
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.text)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title", "") for e in entries]
    assert len(entries) == len(mine) and any(t.startswith("EU changed") for t in titles)
    # the operator sees every change; a member may not
    assert (
        client.get("/api/v1/alerts/changes", headers=_as(client, "operator")).json()["total"] >= 1
    )
    assert client.get("/api/v1/alerts/changes", headers=member).status_code == 403
    # a second sync with nothing new notifies nobody again
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        assert [
            c
            for c in alerts.sync(session, markets=_with_eu_tariff(12.0), today=date(2026, 12, 6))
            if c["kind"] == "changed"
        ] == []


def test_an_approaching_date_is_announced_once(client: TestClient) -> None:
    member = _as(client, "member")
    client.post("/api/v1/alerts/follows", json={"market": "EU"}, headers=member)
    app = client.app
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        first = alerts.sync(session, today=date(2026, 12, 20))  # battery passport 2027-02-18
        again = alerts.sync(session, today=date(2026, 12, 21))
    assert any(c["kind"] == "approaching" and c["market"] == "EU" for c in first)
    assert not [c for c in again if c["kind"] == "approaching" and c["market"] == "EU"]


def test_bad_follows_and_the_pages(client: TestClient) -> None:
    member = _as(client, "member")
    assert (
        client.post("/api/v1/alerts/follows", json={"market": "XX"}, headers=member).status_code
        == 404
    )
    bad = client.post(
        "/api/v1/alerts/follows", json={"market": "EU", "topic": "weather"}, headers=member
    )
    assert bad.status_code == 400 and bad.json()["problems"][0]["column"] == "topic"
    assert (
        client.get(
            "/api/v1/alerts",
        ).status_code
        == 401
    )
    assert sign_in(client, "m@byd.example").status_code == 303
    page = client.get("/alerts")
    assert page.status_code == 200 and 'id="follow-form"' in page.text
    assert client.get("/admin/changes").status_code == 403
    assert sign_in(client, "ops@x.example").status_code == 303
    assert client.get("/admin/changes").status_code == 200
