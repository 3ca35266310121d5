"""Who may see which row: the one place visibility is enforced.

Rows with a `visibility` column (needs, consortia, and what later issues add: projects,
shared resources, documents) are public, members-only, consortium-only or private to the
organisation that owns them (`__owner__`, e.g. the need's seeker). Every query of such a
table, in lists, details, search, counts, exports and matching, goes through `restrict`, so
that no surface can forget it. A row the viewer may not see does not exist for them: the
callers answer "not found", never "forbidden".

| viewer                  | public | members | consortium            | private      |
|-------------------------|--------|---------|-----------------------|--------------|
| anonymous               | yes    | no      | no                    | no           |
| signed-in user          | yes    | yes     | if its org is member  | if own org   |
| operator                | yes    | yes     | yes                   | yes          |

A user always sees its own organisation's rows.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session

from innochain.domain import MemberStatus, Viewer, Visibility
from innochain.store.tables import Consortium, ConsortiumMember

__all__ = ["consortia_of", "is_restricted", "restrict", "visible"]

T = TypeVar("T", bound=Any)


def is_restricted(model: type[Any]) -> bool:
    """Whether rows of the table carry visibility, directly or through a parent row
    (`__visible_through__`, e.g. a membership through its consortium)."""
    return hasattr(model, "visibility") or hasattr(model, "__visible_through__")


def visible(model: type[Any], viewer: Viewer) -> ColumnElement[bool]:
    """The SQL condition under which the viewer sees a row of `model`."""
    if through := getattr(model, "__visible_through__", None):
        column, parent = through
        key = getattr(parent, parent.__key__)
        inside: ColumnElement[bool] = getattr(model, column).in_(
            select(key).where(visible(parent, viewer))
        )
        return inside
    if not hasattr(model, "visibility"):
        return true()
    if viewer.is_operator:
        return true()
    level = model.visibility
    allowed: list[ColumnElement[bool]] = [level == Visibility.PUBLIC.value]
    if viewer.signed_in:
        allowed.append(level == Visibility.MEMBERS.value)
    if viewer.organization_id:
        allowed.append(getattr(model, model.__owner__) == viewer.organization_id)
    if viewer.consortium_ids:
        allowed.append(
            and_(
                level == Visibility.CONSORTIUM.value,
                getattr(model, model.__consortium__).in_(sorted(viewer.consortium_ids)),
            )
        )
    return or_(*allowed)


def restrict(query: Select[T], model: type[Any], viewer: Viewer) -> Select[T]:
    """`query` over `model` limited to the rows the viewer may see."""
    if not is_restricted(model) or viewer.is_operator:
        return query
    return query.where(visible(model, viewer))


def consortia_of(session: Session, organization_id: str | None) -> frozenset[str]:
    """The consortia an organisation has accepted membership of (or leads)."""
    if not organization_id:
        return frozenset()
    members = select(ConsortiumMember.consortium_id).where(
        ConsortiumMember.organization_id == organization_id,
        ConsortiumMember.status == MemberStatus.ACCEPTED.value,
    )
    leads = select(Consortium.id).where(Consortium.lead_id == organization_id)
    return frozenset(session.scalars(members.union(leads)))
