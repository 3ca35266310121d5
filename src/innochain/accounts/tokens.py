"""API tokens for scripts: scoped (read, write), revocable, stored hashed, shown once."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.accounts.users import Issued, digest, viewer_for
from innochain.domain import Viewer
from innochain.errors import Forbidden, InvalidInput, NotFound
from innochain.store import audit
from innochain.store.account_tables import ApiToken, User

__all__ = [
    "PREFIX",
    "SCOPES",
    "create_token",
    "list_tokens",
    "resolve_token",
    "revoke_token",
    "token_dict",
]

PREFIX = "ic_"
SCOPES = ("read", "write")


def token_dict(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "scopes": list(token.scopes),
        "created_at": token.created_at.isoformat(timespec="seconds"),
        "expires_at": token.expires_at.isoformat(timespec="seconds") if token.expires_at else None,
        "last_used_at": token.last_used_at.isoformat(timespec="seconds")
        if token.last_used_at
        else None,
        "revoked": token.revoked_at is not None,
    }


def create_token(
    session: Session,
    *,
    actor: Viewer,
    name: str,
    scopes: list[str] | tuple[str, ...] = ("read",),
    days: int | None = 90,
) -> Issued:
    """A new token for the actor's own account; the secret is in the result and nowhere else."""
    if actor.user_id is None:
        raise Forbidden("sign in to create an API token")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise InvalidInput(f"scopes: choose from {', '.join(SCOPES)} (got {', '.join(scopes)})")
    if "write" in scopes and not actor.can_write:
        raise Forbidden("your role may read but not write, so a token cannot write either")
    if days is not None and not 1 <= days <= 366:
        raise InvalidInput("days: between 1 and 366, or none for no expiry")
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("name: 1 to 200 characters, to recognise the token later")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = audit.utcnow()
    token = ApiToken(
        user_id=actor.user_id,
        name=name,
        prefix=secret[:10],
        token_hash=digest(secret),
        scopes=sorted(set(scopes)),
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        entity="api_tokens",
        entity_id=str(token.id),
        after=token_dict(token),
    )
    return Issued(secret, actor.user_id, token.expires_at)


def list_tokens(session: Session, *, actor: Viewer) -> list[ApiToken]:
    if actor.user_id is None:
        return []
    query = select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id)
    return list(session.scalars(query))


def revoke_token(session: Session, token_id: int, *, actor: Viewer) -> None:
    """Revoke one of the actor's tokens (operators: anyone's)."""
    token = session.get(ApiToken, token_id)
    if token is None or not (actor.is_operator or token.user_id == actor.user_id):
        raise NotFound(f"no API token with id {token_id}")
    if token.revoked_at is None:
        token.revoked_at = audit.utcnow()
        audit.record(session, actor, "revoke", entity="api_tokens", entity_id=str(token.id))


def resolve_token(session: Session, secret: str) -> Viewer | None:
    """The viewer a live token acts as (its scopes applied), or None."""
    if not secret.startswith(PREFIX):
        return None
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first()
    now = audit.utcnow()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return viewer_for(session, user, scopes=frozenset(token.scopes))
