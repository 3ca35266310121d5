"""Request-scoped dependencies shared by the API and the pages."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from innochain import registry
from innochain.match import Matcher, build_matcher
from innochain.settings import Settings

_matcher_lock = threading.Lock()


def get_session(request: Request) -> Iterator[Session]:
    """One read session per request from the app's own session factory."""
    with request.app.state.sessionmaker() as session:
        yield session


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_matcher(request: Request, session: Session) -> Matcher:
    """The app's matcher, rebuilt when the registry's row counts change (e.g. after an import)."""
    watched = ("technology_domains", "organizations", "capabilities", "relations")
    fingerprint = tuple(registry.count_entities(session, watched).values())
    with _matcher_lock:
        cached = getattr(request.app.state, "matcher", None)
        if cached is None or cached[0] != fingerprint:
            settings: Settings = request.app.state.settings
            request.app.state.matcher = (
                fingerprint,
                build_matcher(session, semantic=settings.semantic),
            )
        matcher: Matcher = request.app.state.matcher[1]
        return matcher
