"""Request-scoped dependencies shared by the API and the pages."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from innochain.settings import Settings


def get_session(request: Request) -> Iterator[Session]:
    """One read session per request from the app's own session factory."""
    with request.app.state.sessionmaker() as session:
        yield session


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings
