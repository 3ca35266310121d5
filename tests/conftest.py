"""Shared fixtures: real SQLite files and real PostgreSQL schemas, never mocks.

Integration fixtures are parametrised over both backends. PostgreSQL comes from
$INNOCHAIN_TEST_POSTGRES_URL (default: the CI server at 127.0.0.1:5432, database `test`); each
database is its own schema, so parallel workers never meet. Set
INNOCHAIN_TEST_SKIP_POSTGRES=1 to run without PostgreSQL on a laptop; CI never sets it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from innochain.app import create_app
from innochain.data import load_bundled
from innochain.settings import Settings
from innochain.store import make_engine, upgrade
from innochain.store.db import make_sessionmaker, session_scope

PG_URL = os.environ.get(
    "INNOCHAIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SKIP_PG = os.environ.get("INNOCHAIN_TEST_SKIP_POSTGRES") == "1"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def _pg_reachable() -> None:
    if SKIP_PG:
        pytest.skip("INNOCHAIN_TEST_SKIP_POSTGRES=1")
    engine = make_engine(PG_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:  # any driver error means: no server to test on
        pytest.fail(
            f"PostgreSQL at {PG_URL} is not reachable ({error.__class__.__name__}); start it "
            "(.ci/run does) or set INNOCHAIN_TEST_SKIP_POSTGRES=1 locally"
        )
    finally:
        engine.dispose()


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """URL of a new, empty, migrated database on the backend; dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / f'{uuid.uuid4().hex}.sqlite3'}"
        upgrade(url)
        yield url
        return
    _pg_reachable()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    schema = f"t_{worker}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database, new for each test, on each backend."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def loaded_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database holding the whole bundled dataset, built once per worker and backend.

    Tests must not write to it; use `empty_db` for that.
    """
    with fresh_database(request.param, tmp_path_factory.mktemp("loaded")) as url:
        engine = make_engine(url)
        with session_scope(make_sessionmaker(engine)) as session:
            load_bundled(session)
        engine.dispose()
        yield url


@pytest.fixture
def engine_of() -> Iterator[object]:
    engines: list[Engine] = []

    def make(url: str) -> Engine:
        engine = make_engine(url)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def loaded_session(loaded_db: str) -> Iterator[Session]:
    engine = make_engine(loaded_db)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="session")
def loaded_client(loaded_db: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=loaded_db, environment="test", api_rate_per_minute=0))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()
