"""Request-scoped dependencies shared by the API and the pages."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.datastructures import DefaultPlaceholder
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from innochain import registry
from innochain.assess.firms import FirmData, load_firms
from innochain.chain import Chain, load_chain
from innochain.match import Matcher, build_matcher
from innochain.settings import Settings

#: one lock per thing kept (`_kept`)
_locks = {"matcher": threading.Lock(), "chain": threading.Lock(), "firms": threading.Lock()}
T = TypeVar("T")


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request from the app's own session factory.

    Async on purpose: making and closing a session does no I/O worth a worker thread, and
    every thread hop costs more than the work (see benchmarks/load.py).
    """
    session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        session.close()


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


#: how long a matcher is trusted without re-counting the registry (changes the app itself
#: commits are noticed at once, through the response cache's version)
RECHECK_SECONDS = 1.0


def _kept(
    request: Request,
    session: Session,
    *,
    name: str,
    watched: tuple[str, ...],
    build: Callable[[Session], T],
    rebuild_on_commit: bool,
) -> T:
    """What the app keeps built from the registry (`state.<name>`): trusted for
    `RECHECK_SECONDS` while the app commits nothing; then the watched tables' row counts are
    compared, and it is rebuilt when they changed (another process imported) or, with
    `rebuild_on_commit`, when the app itself committed a change."""
    state = request.app.state
    version = state.page_cache.version
    cached = getattr(state, name, None)
    if cached and cached[2] == version and time.monotonic() - cached[3] < RECHECK_SECONDS:
        kept: T = cached[1]
        return kept
    fingerprint = tuple(registry.count_entities(session, watched).values())
    with _locks[name]:
        held: tuple[Any, ...] | None = getattr(state, name, None)
        fresh = held is not None and held[0] == fingerprint
        if held is not None and fresh and rebuild_on_commit:
            fresh = held[2] == version
        built: T = held[1] if held is not None and fresh else build(session)
        setattr(state, name, (fingerprint, built, version, time.monotonic()))
        return built


def get_matcher(request: Request, session: Session) -> Matcher:
    """The app's matcher, rebuilt when the registry's row counts change (e.g. after an import
    by another process, noticed within `RECHECK_SECONDS`)."""
    settings: Settings = request.app.state.settings
    return _kept(
        request,
        session,
        name="matcher",
        watched=("technology_domains", "organizations", "capabilities", "relations"),
        build=lambda s: build_matcher(s, semantic=settings.semantic),
        rebuild_on_commit=False,
    )


def get_chain(request: Request, session: Session) -> Chain:
    """The app's chain snapshot, read again when the app commits a change or the registry's
    row counts change (another process imported)."""
    return _kept(
        request,
        session,
        name="chain",
        watched=("chain_nodes", "organizations", "capabilities", "relations", "observations"),
        build=load_chain,
        rebuild_on_commit=True,
    )


def get_firms(request: Request, session: Session) -> FirmData:
    """The annual-report figures and graph metrics the assessment ranks, read again when the app
    commits a change or the watched tables' row counts change (another process imported)."""
    return _kept(
        request,
        session,
        name="firms",
        watched=(
            "organizations",
            "relations",
            "consortia",
            "consortium_members",
            "firm_indicators",
        ),
        build=load_firms,
        rebuild_on_commit=True,
    )


class PlainJSONRoute(APIRoute):
    """A route that returns its plain JSON value without a response model.

    With a response model FastAPI validates a sync handler's result in a second worker-thread
    hop, while the request's session still holds its database connection; under load the
    requests waiting for that hop held every pooled connection and the handlers waiting for a
    connection held every thread (a deadlock `benchmarks/load.py` found). Handlers here return
    plain dicts and lists, so there is nothing to validate.
    """

    def __init__(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        if isinstance(kwargs.get("response_model"), DefaultPlaceholder):
            kwargs["response_model"] = None
        super().__init__(path, endpoint, **kwargs)
