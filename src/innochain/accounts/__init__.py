"""The accounts engine: users and roles, sign-in with lockout, browser sessions with CSRF
tokens, API tokens, invitations and password resets, and rate limits.

Who may see which row is decided in one place, `innochain.store.visibility`; the audit log is
`innochain.store.audit`.
"""

from innochain.accounts.passwords import check_strength, hash_password, verify_password
from innochain.accounts.ratelimit import RateLimiter
from innochain.accounts.sessions import (
    Started,
    csrf_matches,
    end_session,
    resolve_session,
    start_session,
)
from innochain.accounts.tokens import (
    create_token,
    list_tokens,
    resolve_token,
    revoke_token,
    token_dict,
)
from innochain.accounts.users import (
    Issued,
    authenticate,
    change_user,
    create_user,
    get_user,
    invite_user,
    issue_reset_link,
    list_users,
    redeem_link,
    user_dict,
    viewer_for,
)

__all__ = [
    "Issued",
    "RateLimiter",
    "Started",
    "authenticate",
    "change_user",
    "check_strength",
    "create_token",
    "create_user",
    "csrf_matches",
    "end_session",
    "get_user",
    "hash_password",
    "invite_user",
    "issue_reset_link",
    "list_tokens",
    "list_users",
    "redeem_link",
    "resolve_session",
    "resolve_token",
    "revoke_token",
    "start_session",
    "token_dict",
    "user_dict",
    "verify_password",
    "viewer_for",
]
