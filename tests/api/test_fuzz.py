"""Schemathesis against the OpenAPI spec, anonymous and with an operator's token: no 5xx, no
response that breaks its declared schema or content type. Bounded: a few examples per
operation, no deadline (the examples are what is bounded, not the time)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from innochain.app import create_app
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store.db import session_scope
from tests.conftest import fresh_database
from tests.factories import make_user, token_for, write_seed

pytestmark = pytest.mark.integration

#: examples per operation: bounded so the suite stays fast
EXAMPLES = 10
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
#: operations that would lock the fuzzing operator out of the rest of the run
SELF_LOCKING = {("DELETE", "/api/v1/tokens/{token_id}"), ("PATCH", "/api/v1/users/{user_id}")}


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("fuzz")
    with fresh_database("sqlite", folder) as url:
        app = create_app(Settings(database_url=url, environment="test", api_rate_per_minute=0))
        with session_scope(app.state.sessionmaker) as session:
            import_tables(session, read_path(write_seed(folder / "seed", capabilities=True)))
            operator = make_user(session, "ops@example.org", role="operator")
            app.state.fuzz_token = token_for(session, operator)
        yield app
        app.state.engine.dispose()


def _fuzz(app: Any, headers: dict[str, str], *, skip: set[tuple[str, str]]) -> int:
    """Run every operation's strategy; raise the first failure (schemathesis names it)."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in skip:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
        ran += 1
    return ran


def test_api_fuzz_anonymous(fuzz_app: Any) -> None:
    assert _fuzz(fuzz_app, {}, skip=set()) >= 25


def test_api_fuzz_as_operator(fuzz_app: Any) -> None:
    headers = {"Authorization": fuzz_app.state.fuzz_token}
    assert _fuzz(fuzz_app, headers, skip=SELF_LOCKING) >= 23


def test_fuzz_fixture_is_a_real_database(fuzz_app: Any, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    with TestClient(fuzz_app) as client:
        me = client.get("/api/v1/me", headers={"Authorization": fuzz_app.state.fuzz_token})
    assert me.json()["role"] == "operator"
