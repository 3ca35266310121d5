"""Who is asking: the viewer every read and write of confidential data is checked against."""

from __future__ import annotations

from dataclasses import dataclass, field

from innochain.domain.enums import Role
from innochain.errors import Forbidden, NotAuthenticated

__all__ = ["ANONYMOUS", "SYSTEM", "Viewer"]


@dataclass(frozen=True)
class Viewer:
    """A signed-in user (or nobody) as the data-access layer sees them.

    `consortium_ids` are the consortia the user's organisation has accepted membership of;
    `scopes` limit an API token ("read", "write"); a browser session has both.

    >>> ANONYMOUS.signed_in, Viewer(user_id=1, organization_id="byd", role=Role.MEMBER).can_write
    (False, True)
    """

    user_id: int | None = None
    organization_id: str | None = None
    role: Role | None = None
    consortium_ids: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = frozenset({"read", "write"})
    name: str = ""

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None or self.role is Role.OPERATOR

    @property
    def is_operator(self) -> bool:
        return self.role is Role.OPERATOR

    @property
    def can_write(self) -> bool:
        """May create or change records for its organisation (viewers read only)."""
        return self.role in (Role.OPERATOR, Role.MEMBER_ADMIN, Role.MEMBER) and (
            "write" in self.scopes
        )

    def require_writer(self, to: str) -> None:
        """`NotAuthenticated` unless signed in ("sign in to {to}"), `Forbidden` unless the
        role and the token's scopes allow writing."""
        if not self.signed_in:
            raise NotAuthenticated(f"sign in to {to}")
        if not self.can_write:
            raise Forbidden("your role or token may read but not write")

    @property
    def label(self) -> str:
        """How audit entries name the actor."""
        if self.name:
            return self.name  # for a failed sign-in: the e-mail that was tried
        if self.user_id is None:
            return "system" if self.is_operator else "anonymous"
        return f"user {self.user_id}"


#: a visitor who has not signed in: public data only
ANONYMOUS = Viewer()
#: the command line on the server itself (whoever can run it can read the database file)
SYSTEM = Viewer(role=Role.OPERATOR)
