"""Sign-in, lockout, sessions, tokens, invitations and resets on real databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from innochain import accounts
from innochain.api.auth import SESSION_COOKIE
from innochain.app import create_app
from innochain.domain import SYSTEM
from innochain.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from innochain.registry import import_tables, read_path
from innochain.settings import Settings
from innochain.store import audit
from innochain.store.account_tables import ApiToken, AuditEntry, OneTimeLink
from innochain.store.db import session_scope
from tests.factories import PASSWORD, form_token, make_user, sign_in, token_for, write_seed

pytestmark = pytest.mark.integration


@pytest.fixture
def app(empty_db: str, tmp_path: Path) -> Iterator[object]:
    application = create_app(
        Settings(database_url=empty_db, environment="test", login_rate_per_minute=0)
    )
    with session_scope(application.state.sessionmaker) as session:
        import_tables(session, read_path(write_seed(tmp_path / "seed")))
        make_user(session, "ops@example.org", role="operator")
        make_user(session, "admin@byd.example", role="member_admin", org="byd")
        make_user(session, "dev@byd.example", org="byd")
    yield application
    application.state.engine.dispose()


def _actions(app: object) -> list[str]:
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_lockout_after_repeated_wrong_passwords(app: object) -> None:
    with TestClient(app) as client:  # type: ignore[arg-type]
        for _ in range(5):
            assert sign_in(client, "dev@byd.example", "wrong password!").status_code == 401
        locked = sign_in(client, "dev@byd.example")  # the right password, too late
        assert locked.status_code == 429
        assert "too many failed sign-ins" in locked.text
    actions = _actions(app)
    assert actions.count("login_failed") == 5
    assert actions[-1] == "login_locked"
    assert "login" not in actions


def test_wrong_password_and_unknown_user_get_the_same_answer(app: object) -> None:
    with TestClient(app) as client:  # type: ignore[arg-type]
        wrong = sign_in(client, "dev@byd.example", "not the password")
        unknown = sign_in(client, "nobody@byd.example", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "wrong e-mail or password" in wrong.text and "wrong e-mail or password" in unknown.text


def test_session_cookie_is_httponly_samesite_and_logout_ends_it(app: object) -> None:
    with TestClient(app) as client:  # type: ignore[arg-type]
        response = sign_in(client, "dev@byd.example")
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert client.get("/api/v1/me").json()["email"] == "dev@byd.example"
        stolen = client.cookies[SESSION_COOKIE]
        token = form_token(client.get("/account").text)
        assert (
            client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
            == 303
        )
    with TestClient(app) as other:  # type: ignore[arg-type]
        other.cookies.set(SESSION_COOKIE, stolen)
        assert other.get("/api/v1/me").status_code == 401  # the old cookie is dead
        assert other.get("/account", follow_redirects=False).status_code == 303


def test_secure_cookie_in_production_settings(empty_db: str) -> None:
    with pytest.raises(ValueError, match="https"):
        Settings(database_url=empty_db, environment="production").check_safe()
    settings = Settings(
        database_url=empty_db, environment="production", public_url="https://ic.example.org"
    )
    settings.check_safe()
    assert settings.secure_cookies is True
    with pytest.raises(ValueError, match="COOKIE_SECURE"):
        settings.model_copy(update={"cookie_secure": False}).check_safe()


def test_tampered_cookie_is_refused_by_the_api_and_ignored_by_pages(app: object) -> None:
    with TestClient(app) as client:  # type: ignore[arg-type]
        sign_in(client, "dev@byd.example")
        tampered = client.cookies[SESSION_COOKIE][:-2] + "xx"
        client.cookies.clear()
        client.cookies.set(SESSION_COOKIE, tampered)
        assert client.get("/api/v1/me").status_code == 401
        page = client.get("/needs")
        assert page.status_code == 200 and "Sign in" in page.text
        assert SESSION_COOKIE in page.headers.get("set-cookie", "")  # told to drop it


def test_tokens_are_scoped_revocable_and_expire(app: object) -> None:
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        dev = accounts.list_users(session, actor=SYSTEM)[2]
        read_only = token_for(session, dev, scopes=("read",))
        writer = token_for(session, dev)
    with TestClient(app) as client:  # type: ignore[arg-type]
        need = {"title_en": "Separator film"}
        refused = client.post("/api/v1/needs", json=need, headers={"Authorization": read_only})
        assert refused.status_code == 403
        assert (
            client.post("/api/v1/needs", json=need, headers={"Authorization": writer}).status_code
            == 201
        )
        listed = client.get("/api/v1/tokens", headers={"Authorization": writer}).json()["items"]
        assert [t["scopes"] for t in listed] == [["read"], ["read", "write"]]
        assert all("token_hash" not in t for t in listed)
        revoked = client.delete(
            f"/api/v1/tokens/{listed[0]['id']}", headers={"Authorization": writer}
        )
        assert revoked.status_code == 204
        assert client.get("/api/v1/me", headers={"Authorization": read_only}).status_code == 401
        with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
            session.execute(
                update(ApiToken).values(expires_at=audit.utcnow() - timedelta(seconds=1))
            )
        assert client.get("/api/v1/me", headers={"Authorization": writer}).status_code == 401
        assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
    assert _actions(app).count("token_rejected") == 3


def test_token_secret_is_stored_only_as_a_hash(app: object) -> None:
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        dev = accounts.list_users(session, actor=SYSTEM)[2]
        secret = token_for(session, dev).removeprefix("Bearer ")
        stored = session.scalars(select(ApiToken)).one()
        assert secret not in (
            stored.token_hash,
            stored.prefix,
        ) and stored.token_hash == accounts.users.digest(secret)


def test_invitation_link_sets_the_password_once(app: object) -> None:
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        admin = accounts.viewer_for(session, accounts.list_users(session, actor=SYSTEM)[1])
        issued = accounts.invite_user(
            session, email="new@byd.example", role="member", organization_id="byd", actor=admin
        )
        with pytest.raises(Forbidden):
            accounts.invite_user(
                session, email="x@catl.example", role="member", organization_id="catl", actor=admin
            )
        with pytest.raises(Forbidden):
            accounts.invite_user(
                session, email="x@byd.example", role="operator", organization_id="byd", actor=admin
            )
    with TestClient(app) as client:  # type: ignore[arg-type]
        assert sign_in(client, "new@byd.example").status_code == 401  # no password yet
        page = client.get(f"/link/{issued.secret}")
        form = {"password": PASSWORD, "repeat": PASSWORD, "csrf_token": form_token(page.text)}
        done = client.post(f"/link/{issued.secret}", data=form, follow_redirects=False)
        assert done.status_code == 303
        again = client.post(f"/link/{issued.secret}", data=form)
        assert again.status_code == 404
        assert sign_in(client, "new@byd.example").status_code == 303


def test_reset_links_are_issued_by_operators_and_expire(app: object) -> None:
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        users = accounts.list_users(session, actor=SYSTEM)
        admin = accounts.viewer_for(session, users[1])
        with pytest.raises(Forbidden):
            accounts.issue_reset_link(session, users[2].id, actor=admin)
        operator = accounts.viewer_for(session, users[0])
        issued = accounts.issue_reset_link(session, users[2].id, actor=operator)
        session.execute(update(OneTimeLink).values(expires_at=audit.utcnow()))
        with pytest.raises(NotFound):
            accounts.redeem_link(session, issued.secret, "a brand new password")


def test_member_admin_manages_only_its_own_organisation(app: object) -> None:
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        users = accounts.list_users(session, actor=SYSTEM)
        admin = accounts.viewer_for(session, users[1])
        assert [u.email for u in accounts.list_users(session, actor=admin)] == [
            "admin@byd.example",
            "dev@byd.example",
        ]
        with pytest.raises(NotFound):
            accounts.change_user(session, users[0].id, active=False, actor=admin)
        changed = accounts.change_user(session, users[2].id, role="viewer", actor=admin)
        assert changed.role == "viewer"
        member = accounts.viewer_for(session, users[2])
        with pytest.raises(Forbidden):
            accounts.list_users(session, actor=member)


def test_bad_account_input_is_refused(app: object) -> None:
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        for email, role, org, password, fragment in [
            ("not-an-email", "member", "byd", PASSWORD, "not an e-mail address"),
            ("dev@byd.example", "member", "byd", PASSWORD, "exists already"),
            ("a@b.example", "king", "byd", PASSWORD, "role"),
            ("a@b.example", "member", None, PASSWORD, "belongs to an organisation"),
            ("a@b.example", "member", "nowhere", PASSWORD, "no organisation"),
            ("a@b.example", "member", "byd", "short", "at least 10"),
            ("a@b.example", "member", "byd", "1111111111111", "too easy"),
        ]:
            with pytest.raises(InvalidInput, match=fragment):
                accounts.create_user(
                    session,
                    email=email,
                    role=role,
                    organization_id=org,
                    password=password,
                    actor=SYSTEM,
                )


def test_deactivated_user_cannot_sign_in_and_sessions_stop(app: object) -> None:
    with TestClient(app) as client:  # type: ignore[arg-type]
        sign_in(client, "dev@byd.example")
        assert client.get("/api/v1/me").json()["signed_in"] is True
        with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
            users = accounts.list_users(session, actor=SYSTEM)
            accounts.change_user(session, users[2].id, active=False, actor=SYSTEM)
        assert client.get("/api/v1/me").status_code == 401
        with (
            pytest.raises(NotAuthenticated),
            session_scope(app.state.sessionmaker) as session,  # type: ignore[attr-defined]
        ):
            accounts.authenticate(
                session, "dev@byd.example", PASSWORD, max_failures=5, lockout_minutes=1
            )


def test_login_rate_limit_per_ip(empty_db: str) -> None:
    app = create_app(Settings(database_url=empty_db, environment="test", login_rate_per_minute=2))
    with TestClient(app) as client:
        codes = [sign_in(client, "x@y.example", "whatever pass").status_code for _ in range(3)]
        assert codes == [401, 401, 429]
    app.state.engine.dispose()


def test_failed_sign_ins_name_the_address_that_was_tried(app: object) -> None:
    with TestClient(app) as client:  # type: ignore[arg-type]
        sign_in(client, "nobody@byd.example", "not the password")
    with session_scope(app.state.sessionmaker) as session:  # type: ignore[attr-defined]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).one()
        assert (entry.actor, entry.actor_id, entry.entity_id) == ("nobody@byd.example", None, "")
