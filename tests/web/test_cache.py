"""The response cache for anonymous reads: served from memory, never shared with signed-in
users, cleared by the app's own commits, bounded by its time-to-live for other writers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from innochain.app import create_app
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store import make_engine
from innochain.store.db import make_sessionmaker, session_scope
from innochain.store.tables import Organization
from innochain.web.cache import PageCache
from tests.factories import make_user, token_for, write_seed

pytestmark = pytest.mark.integration


@pytest.fixture
def app(empty_db: str, tmp_path: Path) -> Iterator[object]:
    application = create_app(
        Settings(database_url=empty_db, environment="test", api_rate_per_minute=3)
    )
    with session_scope(application.state.sessionmaker) as session:
        import_tables(session, read_path(write_seed(tmp_path / "seed")))
        user = make_user(session, "dev@byd.example", org="byd")
        application.state.token = token_for(session, user)
    application.state.url = empty_db
    yield application
    application.state.engine.dispose()


def _rename_elsewhere(url: str, name: str) -> None:
    """A change made by another process (its own engine), e.g. `innochain import`."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            update(Organization).where(Organization.id == "catl").values(name_en=name)
        )
    engine.dispose()


def test_anonymous_reads_come_from_the_cache_and_signed_in_ones_do_not(app: object) -> None:
    url = app.state.url  # type: ignore[attr-defined]
    auth = {"Authorization": app.state.token}  # type: ignore[attr-defined]
    with TestClient(app) as client:  # type: ignore[arg-type]
        assert "Contemporary Amperex Technology" in client.get("/organizations/catl").text
        _rename_elsewhere(url, "CATL renamed elsewhere")
        cached = client.get("/organizations/catl")
        assert "Contemporary Amperex Technology" in cached.text  # within the time-to-live
        assert cached.headers["content-security-policy"].startswith("default-src 'self'")
        fresh = client.get("/organizations/catl", headers=auth)
        assert "CATL renamed elsewhere" in fresh.text  # signed in: never from the cache


def test_the_apps_own_commits_clear_the_cache(app: object) -> None:
    with TestClient(app) as client:  # type: ignore[arg-type]
        client.get("/organizations/catl")
        with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
            session.execute(
                update(Organization).where(Organization.id == "catl").values(name_en="CATL now")
            )
            session.info["wrote"] = True  # a bulk UPDATE does not flush objects
        assert "CATL now" in client.get("/organizations/catl").text


def test_signed_in_responses_are_never_stored(app: object) -> None:
    auth = {"Authorization": app.state.token}  # type: ignore[attr-defined]
    cache: PageCache = app.state.page_cache  # type: ignore[attr-defined]
    with TestClient(app) as client:  # type: ignore[arg-type]
        client.get("/organizations", headers=auth)
        with TestClient(app) as other:  # type: ignore[arg-type]
            other.cookies.set("innochain_session", "whatever")
            other.get("/organizations")
        assert len(cache._entries) == 0
        client.get("/organizations")
        assert len(cache._entries) == 1


def test_cached_api_reads_still_count_against_the_rate_limit(app: object) -> None:
    with TestClient(app) as client:  # type: ignore[arg-type]
        codes = [client.get("/api/v1/organizations").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_expired_entries_are_refreshed(app: object) -> None:
    url = app.state.url  # type: ignore[attr-defined]
    cache: PageCache = app.state.page_cache  # type: ignore[attr-defined]
    with TestClient(app) as client:  # type: ignore[arg-type]
        client.get("/organizations/catl")
        _rename_elsewhere(url, "CATL after expiry")
        for key, (version, _expires, headers, body) in list(cache._entries.items()):
            cache._entries[key] = (version, 0.0, headers, body)  # now past its time
        assert "CATL after expiry" in client.get("/organizations/catl").text


def test_a_zero_time_to_live_turns_the_cache_off(empty_db: str, tmp_path: Path) -> None:
    app = create_app(Settings(database_url=empty_db, environment="test", page_cache_seconds=0))
    with session_scope(app.state.sessionmaker) as session:
        import_tables(session, read_path(write_seed(tmp_path / "seed")))
    with TestClient(app) as client:
        client.get("/organizations/catl")
        _rename_elsewhere(empty_db, "No cache here")
        assert "No cache here" in client.get("/organizations/catl").text
    assert len(app.state.page_cache._entries) == 0
    app.state.engine.dispose()
    assert make_sessionmaker  # the factory the app uses is the store's


def test_each_encoding_is_cached_apart(app: object) -> None:
    """Pages go out gzip-compressed to clients that accept it and plain to the others, also
    when the second request is a cache hit of the first's URL."""
    url = app.state.url  # type: ignore[attr-defined]
    with TestClient(app) as client:  # type: ignore[arg-type]
        packed = client.get("/organizations/catl", headers={"accept-encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip"
        assert "accept-encoding" in packed.headers["vary"].lower()
        assert packed.num_bytes_downloaded < len(packed.content) / 2
        _rename_elsewhere(url, "CATL renamed elsewhere")  # hits below come from the cache
        plain = client.get("/organizations/catl", headers={"accept-encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert "CATL renamed elsewhere" in plain.text  # its own entry, made just now
        again = client.get("/organizations/catl", headers={"accept-encoding": "gzip"})
        assert again.headers["content-encoding"] == "gzip"
        assert again.content == packed.content  # the cached compressed body


@pytest.mark.parametrize(
    "path",
    ["/stats", "/api/v1/assess/indicators", "/credits/rules", "/credits/published"],
)
def test_public_statistics_assessment_and_rules_pages_are_cached(app: object, path: str) -> None:
    cache = app.state.page_cache  # type: ignore[attr-defined]
    with TestClient(app) as client:  # type: ignore[arg-type]
        first = client.get(path, headers={"accept-encoding": "identity"})
        assert first.status_code == 200, first.text
        assert cache.get(path.encode() + b"?") is not None
        auth = {"Authorization": app.state.token}  # type: ignore[attr-defined]
        client.get(path + "?signed=in", headers=auth | {"accept-encoding": "identity"})
        assert cache.get(path.encode() + b"?signed=in") is None
