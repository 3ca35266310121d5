"""REST API v1 for accounts: who am I, API tokens, users (invite, change, reset) and the
audit log (operators)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from innochain import accounts
from innochain.api.auth import ViewerDep, client_ip, require_csrf, require_signed_in
from innochain.api.deps import PlainJSONRoute, get_session, get_settings
from innochain.domain import Role, Viewer
from innochain.errors import Forbidden
from innochain.registry.formats import table_bytes
from innochain.settings import Settings
from innochain.store import audit

router = APIRouter(dependencies=[Depends(require_csrf)], route_class=PlainJSONRoute)
SessionDep = Annotated[Session, Depends(get_session)]
SignedIn = Annotated[Viewer, Depends(require_signed_in)]


def _me(viewer: Viewer) -> dict[str, Any]:
    return {
        "signed_in": viewer.signed_in,
        "user_id": viewer.user_id,
        "email": viewer.name or None,
        "organization_id": viewer.organization_id,
        "role": viewer.role.value if viewer.role else None,
        "consortium_ids": sorted(viewer.consortium_ids),
        "scopes": sorted(viewer.scopes) if viewer.signed_in else [],
    }


@router.get("/me", tags=["accounts"])
def me(viewer: ViewerDep) -> dict[str, Any]:
    """Who the request acts as (anonymous if neither a session nor a token)."""
    return _me(viewer)


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="To recognise the token later.")
    scopes: list[str] = Field(default_factory=lambda: ["read"], description="read and/or write")
    days: int | None = Field(90, ge=1, le=366, description="Days until it expires; null: never.")


@router.get("/tokens", tags=["accounts"])
def tokens(session: SessionDep, viewer: SignedIn) -> dict[str, Any]:
    """Your API tokens (never their secrets)."""
    items = [accounts.token_dict(t) for t in accounts.list_tokens(session, actor=viewer)]
    return {"items": items, "total": len(items)}


@router.post("/tokens", tags=["accounts"], status_code=201)
def create_token(body: TokenIn, session: SessionDep, viewer: SignedIn) -> dict[str, Any]:
    """A new API token; the `token` field is shown this once and stored only as a hash."""
    issued = accounts.create_token(
        session, actor=viewer, name=body.name, scopes=body.scopes, days=body.days
    )
    session.commit()
    return {
        "token": issued.secret,
        "expires_at": issued.expires_at.isoformat(timespec="seconds")
        if issued.expires_at
        else None,
    }


@router.delete("/tokens/{token_id}", tags=["accounts"], status_code=204)
def revoke_token(token_id: int, session: SessionDep, viewer: SignedIn) -> Response:
    """Revoke one of your tokens; it stops working at once."""
    accounts.revoke_token(session, token_id, actor=viewer)
    session.commit()
    return Response(status_code=204)


class InviteIn(BaseModel):
    email: str = Field(max_length=320)
    role: Role = Role.MEMBER
    organization_id: str | None = None
    name: str = Field("", max_length=200)


class UserChange(BaseModel):
    role: Role | None = None
    active: bool | None = None


@router.get("/users", tags=["accounts"])
def users(session: SessionDep, viewer: SignedIn) -> dict[str, Any]:
    """All users (operators) or your organisation's (member-admins)."""
    items = [accounts.user_dict(u) for u in accounts.list_users(session, actor=viewer)]
    return {"items": items, "total": len(items)}


@router.post("/users/invite", tags=["accounts"], status_code=201)
def invite(
    body: InviteIn,
    session: SessionDep,
    viewer: SignedIn,
    settings: Annotated[Settings, Depends(get_settings)],
) -> dict[str, Any]:
    """Invite a user; returns the one-time link (7 days) to hand to them."""
    issued = accounts.invite_user(
        session,
        email=body.email,
        role=body.role,
        organization_id=body.organization_id or viewer.organization_id,
        name=body.name,
        actor=viewer,
    )
    session.commit()
    return {"user_id": issued.user_id, "link": settings.link_url(issued.secret)}


@router.patch("/users/{user_id}", tags=["accounts"])
def change_user(
    user_id: int, body: UserChange, session: SessionDep, viewer: SignedIn
) -> dict[str, Any]:
    """Change a user's role or deactivate them."""
    user = accounts.change_user(session, user_id, role=body.role, active=body.active, actor=viewer)
    session.commit()
    return accounts.user_dict(user)


@router.post("/users/{user_id}/reset-link", tags=["accounts"], status_code=201)
def reset_link(
    user_id: int,
    session: SessionDep,
    viewer: SignedIn,
    settings: Annotated[Settings, Depends(get_settings)],
) -> dict[str, Any]:
    """Operators: a one-time link (24 hours) with which the user sets a new password."""
    issued = accounts.issue_reset_link(session, user_id, actor=viewer)
    session.commit()
    return {"user_id": issued.user_id, "link": settings.link_url(issued.secret)}


async def _operator(viewer: SignedIn) -> Viewer:
    if not viewer.is_operator:
        raise Forbidden("the audit log is for operators")
    return viewer


Operator = Annotated[Viewer, Depends(_operator)]


class AuditFilters(BaseModel):
    actor_id: int | None = None
    action: str | None = Field(None, max_length=40)
    entity: str | None = Field(None, max_length=40)
    organization_id: str | None = Field(None, max_length=200)
    since: datetime | None = None
    until: datetime | None = None


@router.get("/audit", tags=["audit"])
def audit_log(
    session: SessionDep,
    viewer: Operator,
    filters: Annotated[AuditFilters, Query()],
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Audit entries, newest first, with filters."""
    rows, total = audit.list_entries(session, **filters.model_dump(), limit=limit, offset=offset)
    return {"items": [audit.entry_dict(e) for e in rows], "total": total}


@router.get(
    "/audit.csv",
    tags=["audit"],
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The entries as CSV."}},
)
def audit_csv(
    request: Request,
    session: SessionDep,
    viewer: Operator,
    filters: Annotated[AuditFilters, Query()],
) -> Response:
    """The filtered audit log as CSV (oldest first); the export itself is audited."""
    audit.record(session, viewer, "export", entity="audit_log", ip=client_ip(request))
    session.commit()
    rows = audit.entry_rows(session, **filters.model_dump())
    body = table_bytes(audit.CSV_COLUMNS, rows, fmt="csv")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


@router.get("/audit/verify", tags=["audit"])
def audit_verify(session: SessionDep, viewer: Operator) -> dict[str, Any]:
    """Recompute the hash chain; `ok` false names the first entry that does not fit."""
    check = audit.verify(session)
    return {
        "entries": check.entries,
        "ok": check.ok,
        "broken_id": check.broken_id,
        "reason": check.reason,
    }
