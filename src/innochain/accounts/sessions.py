"""Server-side browser sessions: the cookie carries a random token, the table its digest.

A session ends when the user signs out, when it expires, or when the user is deactivated.
Each session has its own CSRF token, which every form posted with the session must carry.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.accounts.users import digest, viewer_for
from innochain.domain import Viewer
from innochain.store import audit
from innochain.store.account_tables import LoginSession, User

__all__ = ["Started", "csrf_matches", "end_session", "resolve_session", "start_session"]


@dataclass(frozen=True)
class Started:
    """A new session: the cookie value (shown to the browser once) and its CSRF token."""

    cookie: str
    csrf_token: str
    max_age: int


def start_session(session: Session, user: User, *, hours: float, ip: str = "") -> Started:
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = audit.utcnow()
    session.add(
        LoginSession(
            token_hash=digest(cookie),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
            ip=ip[:64],
        )
    )
    session.flush()
    audit.record(
        session,
        Viewer(user_id=user.id, organization_id=user.organization_id, name=user.email),
        "login",
        entity="users",
        entity_id=str(user.id),
        ip=ip,
    )
    return Started(cookie, csrf, int(hours * 3600))


def resolve_session(session: Session, cookie: str) -> tuple[Viewer, str] | None:
    """The viewer and CSRF token of a live session, or None (unknown, ended, expired)."""
    row = session.scalars(
        select(LoginSession).where(LoginSession.token_hash == digest(cookie))
    ).first()
    if row is None or row.ended_at is not None or row.expires_at <= audit.utcnow():
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return viewer_for(session, user), row.csrf_token


def end_session(session: Session, cookie: str, *, ip: str = "") -> None:
    """Sign out: the session can never be used again."""
    row = session.scalars(
        select(LoginSession).where(LoginSession.token_hash == digest(cookie))
    ).first()
    if row is None or row.ended_at is not None:
        return
    row.ended_at = audit.utcnow()
    user = session.get(User, row.user_id)
    name = user.email if user else ""
    audit.record(
        session,
        Viewer(user_id=row.user_id, name=name),
        "logout",
        entity="users",
        entity_id=str(row.user_id),
        ip=ip,
    )


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())
