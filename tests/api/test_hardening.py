"""Hostile input: XSS payloads in every user-editable text, SQL injection in every filter and
search parameter, oversized bodies, floods; and the security headers on every response."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from innochain.app import create_app
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store.db import session_scope
from tests.factories import form_token, make_user, sign_in, token_for, write_seed

pytestmark = pytest.mark.integration

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
]
SQLI = [
    "' OR '1'='1",
    "'; DROP TABLE organizations; --",
    '" OR ""="',
    "1; SELECT pg_sleep(1)--",
    "%' UNION SELECT email, password_hash FROM users --",
    "\\'; --",
]


@pytest.fixture
def client(empty_db: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=empty_db, environment="test", api_rate_per_minute=0))
    with session_scope(app.state.sessionmaker) as session:
        import_tables(session, read_path(write_seed(tmp_path / "seed", capabilities=True)))
        operator = make_user(session, "ops@example.org", role="operator")
        app.state.token = token_for(session, operator)
    with TestClient(app) as c:
        yield c
    app.state.engine.dispose()


def _escaped(html: str, payload: str) -> None:
    """The payload appears only as text: no tag or attribute of it reaches the markup."""
    if "<" in payload or '"' in payload:
        assert payload not in html
    for tag in ("<script>alert", "<img src=x", "<svg onload", '"><img'):
        assert tag not in html
    assert 'href="javascript:' not in html


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_every_user_editable_text_is_escaped(client: TestClient, payload: str) -> None:
    auth = {"Authorization": client.app.state.token}  # type: ignore[attr-defined]
    need = client.post(
        "/api/v1/needs",
        json={
            "seeker_id": "byd",
            "title_en": f"Cells {payload}",
            "title_zh": f"电芯 {payload}",
            "description_en": payload,
            "description_zh": payload,
            "visibility": "public",
        },
        headers=auth,
    ).json()
    invite = client.post(
        "/api/v1/users/invite",
        json={"email": "new@byd.example", "organization_id": "byd", "name": payload},
        headers=auth,
    )
    assert invite.status_code == 201
    assert client.post("/api/v1/tokens", json={"name": payload}, headers=auth).status_code == 201
    sign_in(client, "ops@example.org")
    for path in (
        "/needs",
        f"/needs/{need['id']}",
        f"/match?text={payload}&saved={need['id']}",
        "/organizations?q=" + payload,
        "/account",
        "/admin/users",
        "/admin/audit",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        _escaped(response.text, payload)
    assert "&lt;" in client.get(f"/needs/{need['id']}").text or payload == "javascript:alert(1)"


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_consortium_and_project_texts_is_escaped(client: TestClient, payload: str) -> None:
    """Issue 6's new texts: consortium, agreement, resources, outcomes, projects, reviews,
    milestones and funding rounds, on every page that shows them."""
    auth = {"Authorization": client.app.state.token}  # type: ignore[attr-defined]
    made = client.post(
        "/api/v1/consortia",
        json={
            "name_en": f"C {payload}",
            "description_en": payload,
            "lead_id": "byd",
            "domain_ids": ["lithium-ion-cells"],
            "members": [{"organization_id": "catl"}],
            "visibility": "public",
        },
        headers=auth,
    )
    assert made.status_code == 201, made.text
    cid = made.json()["id"]
    url = f"/api/v1/consortia/{cid}"
    assert client.post(f"{url}/members/catl/accept", headers=auth).status_code == 200
    for path, body in (
        (
            "/resources",
            {"kind": "lab", "name": payload, "access_terms": payload, "owner_id": "catl"},
        ),
        (
            "/outcomes",
            {"kind": "patent", "title": payload, "reference": payload, "owner_ids": ["catl"]},
        ),
    ):
        assert client.post(url + path, json=body, headers=auth).status_code == 201
    agreement = {
        "background_ip": payload,
        "foreground_ip": "joint",
        "licensing": "frand",
        "shares": [{"organization_id": "byd", "cost_pct": 100, "benefit_pct": 100}],
    }
    assert client.put(f"{url}/agreement", json=agreement, headers=auth).status_code == 200
    project = client.post(
        "/api/v1/projects",
        json={
            "title_en": f"P {payload}",
            "description": payload,
            "owner_id": "byd",
            "started": "2024-01-02",
            "visibility": "public",
        },
        headers=auth,
    ).json()
    purl = f"/api/v1/projects/{project['id']}"
    gate = {
        "decision": "hold",
        "criteria": [{"name": payload, "met": False, "note": payload}],
        "trl": 2,
        "decided_on": "2024-02-01",
        "reviewers": payload,
        "note": payload,
    }
    assert client.post(f"{purl}/gates", json=gate, headers=auth).status_code == 201
    assert (
        client.post(
            f"{purl}/milestones", json={"title": payload, "due": "2024-03-01"}, headers=auth
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"{purl}/funding",
            json={
                "source": "corporate",
                "amount_m": 1,
                "received": "2024-02-01",
                "investor_name": payload,
                "note": payload,
            },
            headers=auth,
        ).status_code
        == 201
    )
    sign_in(client, "ops@example.org")
    for path in (
        f"/consortia/{cid}",
        "/consortia",
        f"/consortia/{cid}/members/catl/exit",
        "/projects",
        f"/projects/{project['id']}",
        "/portfolio",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        _escaped(response.text, payload)


def _string_params(client: TestClient) -> list[tuple[str, str]]:
    """Every (GET path, query parameter) of the API that takes free text."""
    out = []
    for path, methods in client.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        op = methods.get("get")
        if op is None or "{" in path:
            continue
        for param in op.get("parameters", []):
            schema = param["schema"]
            types = {s.get("type") for s in schema.get("anyOf", [schema])}
            formats = [s.get("format") for s in schema.get("anyOf", [schema])]
            if param["in"] == "query" and "string" in types and not any(formats):
                out.append((path, param["name"]))
    return out


def test_the_injection_test_covers_every_text_parameter(client: TestClient) -> None:
    params = _string_params(client)
    assert ("/api/v1/organizations", "q") in params
    assert ("/api/v1/needs", "domain") in params
    assert ("/api/v1/audit", "organization_id") in params
    assert len(params) >= 20


@pytest.mark.parametrize("payload", SQLI)
def test_sql_injection_in_filters_and_search_finds_nothing_and_breaks_nothing(
    client: TestClient, payload: str
) -> None:
    auth = {"Authorization": client.app.state.token}  # type: ignore[attr-defined]
    before = client.get("/api/v1/stats", headers=auth).json()
    for path, name in _string_params(client):
        response = client.get(path, params={name: payload}, headers=auth)
        assert response.status_code in (200, 400, 404, 422), (path, name, response.text)
        if response.status_code == 200 and path != "/api/v1/audit.csv":
            body: Any = response.json()
            if isinstance(body, dict) and "total" in body:
                assert body["total"] == 0, (path, name)
    for path in ("/organizations", "/needs", "/match"):
        page = client.get(path, params={"q": payload, "text": payload})
        assert page.status_code == 200
    assert client.get("/api/v1/stats", headers=auth).json() == before
    assert client.get("/api/v1/audit/verify", headers=auth).json()["ok"] is True


@pytest.mark.parametrize(
    "path", ["/", "/needs", "/login", "/api/v1/stats", "/api/docs", "/nowhere", "/static/style.css"]
)
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_pages_carry_no_inline_script(client: TestClient) -> None:
    sign_in(client, "ops@example.org")
    for path in ("/", "/needs", "/match", "/account", "/admin/users", "/admin/audit", "/api/docs"):
        html = client.get(path).text
        # scripts only as same-origin files (the charts' ECharts and its loader), never inline
        tags = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S)
        assert len(tags) == html.count("<script"), path
        assert all(body == "" for body in tags), path
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert re.search(r'\ssrc="/(?!/)', tag), (path, tag)
        assert " on" + "click=" not in html and "style=" not in html, path


def test_oversized_bodies_are_refused_before_anything_is_written(empty_db: str) -> None:
    app = create_app(Settings(database_url=empty_db, environment="test", max_body_kb=4))
    with TestClient(app) as c:
        declared = c.post(
            "/api/v1/match",
            content=b"{" + b" " * 8000 + b"}",
            headers={"content-type": "application/json"},
        )
        assert (declared.status_code, declared.json()["error"]) == (413, "too_large")

        def chunks() -> Iterator[bytes]:
            yield b'{"text": "'
            for _ in range(10):
                yield b"x" * 1000
            yield b'"}'

        streamed = c.post(
            "/api/v1/match", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413
        assert c.get("/api/v1/stats").json()["needs"] == 0
    app.state.engine.dispose()


def test_api_rate_limit_answers_429_with_retry_after(empty_db: str) -> None:
    app = create_app(Settings(database_url=empty_db, environment="test", api_rate_per_minute=3))
    with TestClient(app) as c:
        codes = [c.get("/api/v1/stats").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = c.get("/api/v1/stats")
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"] == "too_many_requests"
        assert c.get("/").status_code == 200  # pages are not API calls
    app.state.engine.dispose()


def test_csrf_is_required_for_cookie_sessions_on_the_api_too(client: TestClient) -> None:
    sign_in(client, "ops@example.org")
    body = {"seeker_id": "byd", "title_en": "Cells"}
    refused = client.post("/api/v1/needs", json=body)
    assert refused.status_code == 403
    token = form_token(client.get("/account").text)
    accepted = client.post("/api/v1/needs", json=body, headers={"X-CSRF-Token": token})
    assert accepted.status_code == 201
