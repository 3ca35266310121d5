"""Who is asking, for the API and the pages: API tokens, session cookies, CSRF, rate limits.

- `Authorization: Bearer ic_...` is an API token; no CSRF check (a browser never adds it).
- The `innochain_session` cookie is a browser session; every unsafe request made with it
  carries the session's CSRF token (form field `csrf_token` or header `X-CSRF-Token`).
- Anonymous forms (sign-in, setting a password) use a double-submit token: the
  `innochain_csrf` cookie and the same value in the form.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from innochain import accounts
from innochain.api.deps import get_session
from innochain.domain import ANONYMOUS, Viewer
from innochain.errors import Forbidden, NotAuthenticated, TooManyRequests
from innochain.store import audit

__all__ = [
    "ANON_CSRF_COOKIE",
    "SESSION_COOKIE",
    "ViewerDep",
    "check_csrf",
    "client_ip",
    "csrf_token",
    "get_viewer",
    "require_csrf",
    "require_signed_in",
]

SESSION_COOKIE = "innochain_session"
ANON_CSRF_COOKIE = "innochain_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _limit(request: Request, key: str) -> None:
    limiter: accounts.RateLimiter = request.app.state.api_limiter
    wait = limiter.hit(key)
    if wait:
        raise TooManyRequests(f"too many requests; try again in {wait} s", retry_after=wait)


async def get_viewer(request: Request, session: Annotated[Session, Depends(get_session)]) -> Viewer:
    """The viewer of this request (cached on it); API calls are rate-limited here."""
    cached: Viewer | None = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    is_api = request.url.path.startswith("/api/")
    if is_api:
        _limit(request, f"ip:{client_ip(request)}")
    viewer = ANONYMOUS
    request.state.auth = "anonymous"
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, secret = header.partition(" ")
        found = (
            accounts.resolve_token(session, secret.strip()) if scheme.lower() == "bearer" else None
        )
        if found is None:
            audit.record(session, ANONYMOUS, "token_rejected", ip=client_ip(request))
            session.commit()
            raise NotAuthenticated("invalid, expired or revoked API token")
        if session.dirty:
            session.commit()  # the token's last use
        viewer, request.state.auth = found, "token"
    elif cookie := request.cookies.get(SESSION_COOKIE):
        resolved = accounts.resolve_session(session, cookie)
        if resolved is not None:
            viewer, request.state.csrf = resolved
            request.state.auth = "session"
        elif is_api:
            raise NotAuthenticated("your session has ended or is not valid; sign in again")
        else:
            request.state.drop_session_cookie = True
    if is_api and viewer.user_id is not None:
        _limit(request, f"user:{viewer.user_id}")
    request.state.viewer = viewer
    return viewer


ViewerDep = Annotated[Viewer, Depends(get_viewer)]


def csrf_token(request: Request) -> str:
    """The token this visitor's forms must carry (set as a cookie for anonymous visitors)."""
    token: str | None = getattr(request.state, "csrf", None)
    if token:
        return token
    token = request.cookies.get(ANON_CSRF_COOKIE)
    if not token or len(token) > 100:
        token = secrets.token_urlsafe(32)
        request.state.new_anon_csrf = token
    request.state.csrf = token
    return token


def check_csrf(request: Request, given: str | None) -> None:
    """Refuse an unsafe request made with cookies that does not carry the right token."""
    if getattr(request.state, "auth", None) == "token":
        return
    if getattr(request.state, "auth", None) == "session":
        expected = request.state.csrf
    else:
        expected = request.cookies.get(ANON_CSRF_COOKIE, "")
    if not expected or not accounts.csrf_matches(expected, given):
        raise Forbidden("missing or wrong CSRF token; reload the page and try again")


async def require_csrf(
    request: Request, viewer: ViewerDep, session: Annotated[Session, Depends(get_session)]
) -> None:
    """Dependency of every unsafe endpoint: the CSRF check for cookie-authenticated calls."""
    if request.method not in UNSAFE:
        return
    if request.url.path.startswith("/api/") and request.state.auth != "session":
        return  # no cookie carries authority: nothing a forged cross-site request could use
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    try:
        check_csrf(request, given)
    except Forbidden:
        audit.record(
            session, viewer, "csrf_rejected", entity_id=request.url.path, ip=client_ip(request)
        )
        session.commit()
        raise


async def require_signed_in(viewer: ViewerDep) -> Viewer:
    if not viewer.signed_in:
        raise NotAuthenticated("sign in first (a session or an API token)")
    return viewer
