"""Users, roles, invitations, password resets and sign-in with lockout.

Who may do what:

| action                         | operator | member-admin          | member, viewer |
|--------------------------------|----------|-----------------------|----------------|
| create users, any role         | yes      | no                    | no             |
| invite users                   | yes      | own organisation,     | no             |
|                                |          | roles below operator  |                |
| change role, deactivate        | yes      | own organisation      | no             |
| issue a password-reset link    | yes      | no                    | no             |
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innochain.accounts.passwords import check_strength, hash_password, verify_password
from innochain.domain import Role, Viewer
from innochain.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound, TooManyRequests
from innochain.store import audit
from innochain.store.account_tables import OneTimeLink, User
from innochain.store.tables import Organization
from innochain.store.visibility import consortia_of

__all__ = [
    "Issued",
    "authenticate",
    "change_user",
    "create_user",
    "digest",
    "get_user",
    "invite_user",
    "issue_reset_link",
    "list_users",
    "redeem_link",
    "user_dict",
    "viewer_for",
]

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LINK_DAYS = {"invite": 7, "reset": 1}


def digest(secret: str) -> str:
    """How every secret token is stored: its SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    """A secret shown once (a one-time link's token, an API token) and what it belongs to."""

    secret: str
    user_id: int
    expires_at: datetime | None


def user_dict(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "organization_id": user.organization_id,
        "role": user.role,
        "active": user.active,
        "has_password": user.password_hash is not None,
        "locked_until": user.locked_until.isoformat() if user.locked_until else None,
        "created_at": user.created_at.isoformat(timespec="seconds"),
        "last_login_at": user.last_login_at.isoformat(timespec="seconds")
        if user.last_login_at
        else None,
    }


def _role(value: str | Role) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            f"role: {value!r} is not one of {', '.join(r.value for r in Role)}"
        ) from None


def _check_new_user(session: Session, email: str, role: Role, organization_id: str | None) -> str:
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 320:
        raise InvalidInput(f"email: {email!r} is not an e-mail address")
    if session.scalar(select(func.count()).where(User.email == email)):
        raise InvalidInput(f"email: a user with {email} exists already")
    if organization_id is None and role is not Role.OPERATOR:
        raise InvalidInput("organization_id: every user but an operator belongs to an organisation")
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise InvalidInput(f"organization_id: no organisation with id {organization_id!r}")
    return email


def create_user(
    session: Session,
    *,
    email: str,
    role: Role | str,
    password: str,
    name: str = "",
    organization_id: str | None = None,
    actor: Viewer,
) -> User:
    """A user who can sign in at once (the command line's `users create`)."""
    role = _role(role)
    if not actor.is_operator:
        raise Forbidden("only an operator creates users directly; member-admins invite")
    email = _check_new_user(session, email, role, organization_id)
    check_strength(password)
    return _add_user(
        session, "create", email, name, organization_id, role, hash_password(password), actor
    )


def _add_user(
    session: Session,
    action: str,
    email: str,
    name: str,
    organization_id: str | None,
    role: Role,
    password_hash: str | None,
    actor: Viewer,
) -> User:
    """Store a checked new user and audit it."""
    user = User(
        email=email,
        name=name.strip(),
        organization_id=organization_id,
        role=role.value,
        password_hash=password_hash,
        active=True,
        failed_logins=0,
        created_at=audit.utcnow(),
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor, action, entity="users", entity_id=str(user.id), after=user_dict(user)
    )
    return user


def _issue_link(session: Session, user: User, purpose: str, actor: Viewer) -> Issued:
    secret = secrets.token_urlsafe(32)
    now = audit.utcnow()
    expires = now + timedelta(days=LINK_DAYS[purpose])
    session.add(
        OneTimeLink(
            token_hash=digest(secret),
            user_id=user.id,
            purpose=purpose,
            created_by=actor.user_id,
            created_at=now,
            expires_at=expires,
        )
    )
    session.flush()
    return Issued(secret, user.id, expires)


def invite_user(
    session: Session,
    *,
    email: str,
    role: Role | str,
    organization_id: str | None,
    name: str = "",
    actor: Viewer,
) -> Issued:
    """A user without a password and a one-time link (7 days) to set one."""
    role = _role(role)
    if actor.is_operator:
        pass
    elif actor.role is Role.MEMBER_ADMIN:
        if organization_id != actor.organization_id:
            raise Forbidden("member-admins invite users to their own organisation only")
        if role is Role.OPERATOR:
            raise Forbidden("only an operator makes operators")
    else:
        raise Forbidden("only operators and member-admins invite users")
    email = _check_new_user(session, email, role, organization_id)
    user = _add_user(session, "invite", email, name, organization_id, role, None, actor)
    return _issue_link(session, user, "invite", actor)


def issue_reset_link(session: Session, user_id: int, *, actor: Viewer) -> Issued:
    """A one-time link (24 hours) with which the user sets a new password."""
    if not actor.is_operator:
        raise Forbidden("only an operator issues password-reset links")
    user = get_user(session, user_id)
    audit.record(session, actor, "issue_reset", entity="users", entity_id=str(user.id))
    return _issue_link(session, user, "reset", actor)


def redeem_link(session: Session, secret: str, password: str) -> User:
    """Set the password with an invitation or reset link; the link is then used up.

    A used, expired or unknown link is `NotFound`, so that links cannot be probed.
    """
    link = session.scalars(
        select(OneTimeLink).where(OneTimeLink.token_hash == digest(secret))
    ).first()
    now = audit.utcnow()
    if link is None or link.used_at is not None or link.expires_at <= now:
        raise NotFound("this link is unknown, used or expired; ask an operator for a new one")
    check_strength(password)
    user = session.get(User, link.user_id)
    assert user is not None
    link.used_at = now
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    audit.record(
        session,
        Viewer(user_id=user.id, name=user.email),
        f"redeem_{link.purpose}",
        entity="users",
        entity_id=str(user.id),
    )
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def list_users(session: Session, *, actor: Viewer) -> list[User]:
    """Every user for an operator; a member-admin's own organisation's users."""
    query = select(User).order_by(User.id)
    if actor.is_operator:
        return list(session.scalars(query))
    if actor.role is Role.MEMBER_ADMIN:
        return list(session.scalars(query.where(User.organization_id == actor.organization_id)))
    raise Forbidden("only operators and member-admins see the user list")


def change_user(
    session: Session,
    user_id: int,
    *,
    role: Role | str | None = None,
    active: bool | None = None,
    actor: Viewer,
) -> User:
    """Change a user's role or deactivate (or reactivate) them."""
    user = session.get(User, user_id)
    own_org = user is not None and user.organization_id == actor.organization_id
    if user is None or not (actor.is_operator or (actor.role is Role.MEMBER_ADMIN and own_org)):
        # a member-admin cannot tell other organisations' users from missing ones
        raise NotFound(f"no user with id {user_id}")
    before = user_dict(user)
    if role is not None:
        new_role = _role(role)
        if new_role is Role.OPERATOR and not actor.is_operator:
            raise Forbidden("only an operator makes operators")
        if user.role == Role.OPERATOR.value and not actor.is_operator:
            raise Forbidden("only an operator changes an operator")
        user.role = new_role.value
    if active is not None:
        user.active = active
    session.flush()
    after = user_dict(user)
    changed = [k for k in after if after[k] != before[k]]
    audit.record(
        session,
        actor,
        "change",
        entity="users",
        entity_id=str(user.id),
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return user


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    max_failures: int,
    lockout_minutes: int,
    ip: str = "",
) -> User:
    """The user with this e-mail and password, or `NotAuthenticated` (which says no more).

    After `max_failures` wrong passwords in a row the account is locked for
    `lockout_minutes` (`TooManyRequests`); every failure and lockout is audited.
    """
    email = email.strip().lower()
    user = session.scalars(select(User).where(User.email == email)).first()
    now = audit.utcnow()
    anonymous = Viewer(name=email[:320])
    if user is not None and user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)  # same cost as a real check
        audit.record(
            session, anonymous, "login_locked", entity="users", entity_id=str(user.id), ip=ip
        )
        retry = int((user.locked_until - now).total_seconds()) + 1
        raise TooManyRequests(
            f"too many failed sign-ins; try again in {retry // 60 + 1} minutes",
            retry_after=retry,
        )
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        entity_id = str(user.id) if user else ""
        if user is not None and not ok:
            user.failed_logins += 1
            if user.failed_logins >= max_failures:
                user.locked_until = now + timedelta(minutes=lockout_minutes)
                user.failed_logins = 0
        audit.record(session, anonymous, "login_failed", entity="users", entity_id=entity_id, ip=ip)
        raise NotAuthenticated("wrong e-mail or password")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.flush()
    return user


def viewer_for(session: Session, user: User, *, scopes: frozenset[str] | None = None) -> Viewer:
    """The viewer the data-access layer checks this user's reads and writes against."""
    return Viewer(
        user_id=user.id,
        organization_id=user.organization_id,
        role=Role(user.role),
        consortium_ids=consortia_of(session, user.organization_id),
        scopes=scopes if scopes is not None else frozenset({"read", "write"}),
        name=user.email,
    )
