"""Request-scoped dependencies shared by the API and the pages."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from fastapi.datastructures import DefaultPlaceholder
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from innochain import registry
from innochain.chain import Chain, load_chain
from innochain.match import Matcher, build_matcher
from innochain.settings import Settings

_matcher_lock = threading.Lock()


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


def get_matcher(request: Request, session: Session) -> Matcher:
    """The app's matcher, rebuilt when the registry's row counts change (e.g. after an import
    by another process, noticed within `RECHECK_SECONDS`)."""
    state = request.app.state
    version = state.page_cache.version
    cached = getattr(state, "matcher", None)
    if (
        cached is not None
        and cached[2] == version
        and time.monotonic() - cached[3] < RECHECK_SECONDS
    ):
        matcher: Matcher = cached[1]
        return matcher
    watched = ("technology_domains", "organizations", "capabilities", "relations")
    fingerprint = tuple(registry.count_entities(session, watched).values())
    with _matcher_lock:
        cached = getattr(state, "matcher", None)
        if cached is None or cached[0] != fingerprint:
            settings: Settings = state.settings
            built = build_matcher(session, semantic=settings.semantic)
        else:
            built = cached[1]
        state.matcher = (fingerprint, built, version, time.monotonic())
        return built


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


_chain_lock = threading.Lock()


def get_chain(request: Request, session: Session) -> Chain:
    """The app's chain snapshot, read again when the app commits a change or the registry's
    row counts change (another process imported), like the matcher."""
    state = request.app.state
    version = state.page_cache.version
    cached = getattr(state, "chain", None)
    if cached and cached[2] == version and time.monotonic() - cached[3] < RECHECK_SECONDS:
        chain: Chain = cached[1]
        return chain
    watched = ("chain_nodes", "organizations", "capabilities", "relations", "observations")
    fingerprint = tuple(registry.count_entities(session, watched).values())
    with _chain_lock:
        cached = getattr(state, "chain", None)
        built = cached[1] if cached and cached[0] == fingerprint and cached[2] == version else None
        if built is None:
            built = load_chain(session)
        state.chain = (fingerprint, built, version, time.monotonic())
        return built
