"""Pages for accounts: sign in and out, the account page with API tokens, setting a password
from a one-time link, user administration and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from innochain import accounts
from innochain.api.auth import SESSION_COOKIE, ViewerDep, client_ip, require_csrf
from innochain.api.deps import get_session
from innochain.domain import Role, Viewer
from innochain.errors import Forbidden, InvalidInput, NotAuthenticated, TooManyRequests
from innochain.store import audit
from innochain.web.pages import finish, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
SessionDep = Annotated[Session, Depends(get_session)]


def _local(path: str) -> str:
    """Only same-site paths as redirect targets (no open redirect)."""
    return path if path.startswith("/") and not path.startswith(("//", "/\\")) else "/"


@router.get("/login")
def login_page(request: Request, viewer: ViewerDep, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _local(next), "error": None, "email": ""})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    settings = request.app.state.settings
    ip = client_ip(request)
    context: dict[str, Any] = {"next": _local(next), "email": email}
    wait = request.app.state.login_limiter.hit(f"login:{ip}")
    try:
        if wait:
            raise TooManyRequests(f"too many sign-in attempts; wait {wait} s", retry_after=wait)
        user = accounts.authenticate(
            session,
            email,
            password,
            max_failures=settings.login_max_failures,
            lockout_minutes=settings.lockout_minutes,
            ip=ip,
        )
    except (NotAuthenticated, TooManyRequests) as error:
        session.commit()  # keep the failure count and the audit entry
        status = 429 if isinstance(error, TooManyRequests) else 401
        return render(request, "login.html", context | {"error": str(error)}, status_code=status)
    started = accounts.start_session(session, user, hours=settings.session_hours, ip=ip)
    session.commit()
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        started.cookie,
        max_age=started.max_age,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        path="/",
    )
    return finish(request, response)


@router.post("/logout")
def logout(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        accounts.end_session(session, cookie, ip=client_ip(request))
        session.commit()
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def _signed_in(viewer: ViewerDep) -> Viewer:
    if not viewer.signed_in:
        raise NotAuthenticated("sign in to see this page")
    return viewer


SignedIn = Annotated[Viewer, Depends(_signed_in)]


@router.get("/account")
def account_page(request: Request, session: SessionDep, viewer: SignedIn) -> Response:
    tokens = [accounts.token_dict(t) for t in accounts.list_tokens(session, actor=viewer)]
    context = {"tokens": tokens, "new_token": None, "_scopes": ("read", "write")}
    return render(request, "account.html", context)


@router.post("/account/tokens")
def create_token_page(
    request: Request,
    session: SessionDep,
    viewer: SignedIn,
    name: Annotated[str, Form(max_length=200)],
    scopes: Annotated[list[str], Form()] = ["read"],  # noqa: B006 - FastAPI reads the default
    days: Annotated[int, Form(ge=1, le=366)] = 90,
) -> Response:
    issued = accounts.create_token(session, actor=viewer, name=name, scopes=scopes, days=days)
    session.commit()
    tokens = [accounts.token_dict(t) for t in accounts.list_tokens(session, actor=viewer)]
    # shown once, in this response only; never in a URL or a log
    context = {"tokens": tokens, "new_token": issued.secret, "_scopes": ("read", "write")}
    response = render(request, "account.html", context, status_code=201)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token_page(
    request: Request, session: SessionDep, viewer: SignedIn, token_id: int
) -> Response:
    accounts.revoke_token(session, token_id, actor=viewer)
    session.commit()
    return RedirectResponse("/account", status_code=303)


@router.get("/link/{secret}")
def link_page(request: Request, viewer: ViewerDep, secret: str) -> Response:
    response = render(request, "link.html", {"secret": secret, "error": None})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/link/{secret}")
def redeem_link_page(
    request: Request,
    session: SessionDep,
    secret: str,
    password: Annotated[str, Form(max_length=1024)],
    repeat: Annotated[str, Form(max_length=1024)],
) -> Response:
    if password != repeat:
        context = {"secret": secret, "error": "the two passwords differ"}
        return render(request, "link.html", context, status_code=400)
    try:
        accounts.redeem_link(session, secret, password)
    except InvalidInput as error:
        return render(
            request, "link.html", {"secret": secret, "error": str(error)}, status_code=400
        )
    session.commit()
    return RedirectResponse("/login", status_code=303)


async def _admin(viewer: SignedIn) -> Viewer:
    if not (viewer.is_operator or viewer.role is Role.MEMBER_ADMIN):
        raise Forbidden("user administration is for operators and member-admins")
    return viewer


Admin = Annotated[Viewer, Depends(_admin)]


def _users_context(session: Session, viewer: Viewer, **extra: Any) -> dict[str, Any]:
    users = [accounts.user_dict(u) for u in accounts.list_users(session, actor=viewer)]
    roles = [r for r in Role if viewer.is_operator or r is not Role.OPERATOR]
    return {"users": users, "link": None, "_roles": roles} | extra


def _show_link(
    request: Request, session: Session, viewer: Viewer, issued: accounts.Issued
) -> Response:
    """The users page with a one-time link shown once (never cached)."""
    link = request.app.state.settings.link_url(issued.secret)
    context = _users_context(session, viewer, link=link)
    response = render(request, "users.html", context, status_code=201)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/admin/users")
def users_page(request: Request, session: SessionDep, viewer: Admin) -> Response:
    return render(request, "users.html", _users_context(session, viewer))


@router.post("/admin/users/invite")
def invite_page(
    request: Request,
    session: SessionDep,
    viewer: Admin,
    email: Annotated[str, Form(max_length=320)],
    role: Annotated[str, Form(max_length=20)],
    organization_id: Annotated[str, Form(max_length=200)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    issued = accounts.invite_user(
        session,
        email=email,
        role=role,
        organization_id=organization_id or viewer.organization_id,
        name=name,
        actor=viewer,
    )
    session.commit()
    return _show_link(request, session, viewer, issued)


@router.post("/admin/users/{user_id}")
def change_user_page(
    request: Request,
    session: SessionDep,
    viewer: Admin,
    user_id: int,
    role: Annotated[str, Form(max_length=20)] = "",
    active: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    accounts.change_user(
        session,
        user_id,
        role=role or None,
        active={"yes": True, "no": False}.get(active),
        actor=viewer,
    )
    session.commit()
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/reset-link")
def reset_link_page(request: Request, session: SessionDep, viewer: Admin, user_id: int) -> Response:
    issued = accounts.issue_reset_link(session, user_id, actor=viewer)
    session.commit()
    return _show_link(request, session, viewer, issued)


def _day(value: str, name: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name}: not a date (YYYY-MM-DD)") from None


@router.get("/admin/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    viewer: SignedIn,
    action: Annotated[str, Query(max_length=40)] = "",
    entity: Annotated[str, Query(max_length=40)] = "",
    organization_id: Annotated[str, Query(max_length=200)] = "",
    since: Annotated[str, Query(max_length=30)] = "",
    until: Annotated[str, Query(max_length=30)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    if not viewer.is_operator:
        raise Forbidden("the audit log is for operators")
    filters = {
        "action": action,
        "entity": entity,
        "organization_id": organization_id,
        "since": since,
        "until": until,
    }
    rows, total = audit.list_entries(
        session,
        action=action or None,
        entity=entity or None,
        organization_id=organization_id or None,
        since=_day(since, "since"),
        until=_day(until, "until"),
        limit=100,
        offset=(page - 1) * 100,
    )
    check = audit.verify(session)
    query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "filters": filters,
        "entries": [audit.entry_dict(e) for e in rows],
        "total": total,
        "page": page,
        "chain": {
            "ok": check.ok,
            "entries": check.entries,
            "broken_id": check.broken_id,
            "reason": check.reason,
        },
        "csv_url": f"/api/v1/audit.csv?{query}",
    }
    return render(request, "audit.html", context)
