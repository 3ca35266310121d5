"""Consortia and alliances in the registry, read under the visibility rules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from innochain.domain import ANONYMOUS, ConsortiumKind, Viewer
from innochain.errors import InvalidInput, NotFound
from innochain.registry.queries import _text_filter
from innochain.store.tables import Consortium, ConsortiumMember, Organization
from innochain.store.visibility import restrict

__all__ = ["get_consortium", "list_consortia"]

ROLE_ORDER = {"lead": 0, "core": 1, "supporting": 2}


def _summary(c: Consortium, members: int) -> dict[str, Any]:
    return {
        "id": c.id,
        "name_en": c.name_en,
        "name_zh": c.name_zh,
        "kind": c.kind,
        "lead_id": c.lead_id,
        "founded": c.founded,
        "status": c.status,
        "visibility": c.visibility,
        "domain_ids": [d.id for d in c.domains],
        "members": members,
        "source_url": c.source_url,
    }


def list_consortia(
    session: Session, *, viewer: Viewer = ANONYMOUS, q: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    """The consortia the viewer may see, with member counts."""
    if kind and kind not in {k.value for k in ConsortiumKind}:
        raise InvalidInput(
            f"kind: {kind!r} is not one of {', '.join(k.value for k in ConsortiumKind)}"
        )
    query = restrict(
        select(Consortium).options(selectinload(Consortium.domains)), Consortium, viewer
    )
    cols = [
        Consortium.name_en,
        Consortium.name_zh,
        Consortium.description_en,
        Consortium.description_zh,
    ]
    if (text := _text_filter(cols, q)) is not None:
        query = query.where(text)
    if kind:
        query = query.where(Consortium.kind == kind)
    rows = list(session.scalars(query.order_by(Consortium.id)))
    counts: dict[str, int] = {}
    for consortium_id in session.scalars(
        select(ConsortiumMember.consortium_id).where(
            ConsortiumMember.consortium_id.in_([c.id for c in rows])
        )
    ):
        counts[consortium_id] = counts.get(consortium_id, 0) + 1
    return [_summary(c, counts.get(c.id, 0)) for c in rows]


def get_consortium(
    session: Session, consortium_id: str, *, viewer: Viewer = ANONYMOUS
) -> dict[str, Any]:
    """One consortium with its members (names, roles, status, sources), if the viewer may see it."""
    query = restrict(select(Consortium).where(Consortium.id == consortium_id), Consortium, viewer)
    consortium = session.scalars(query.options(selectinload(Consortium.domains))).first()
    if consortium is None:
        raise NotFound(f"no consortium with id {consortium_id!r}")
    rows = session.execute(
        select(ConsortiumMember, Organization.name_en, Organization.name_zh, Organization.kind)
        .join(Organization, Organization.id == ConsortiumMember.organization_id)
        .where(ConsortiumMember.consortium_id == consortium_id)
    ).all()
    members = sorted(
        (
            {
                "organization_id": m.organization_id,
                "name_en": name_en,
                "name_zh": name_zh,
                "kind": org_kind,
                "role": m.role,
                "status": m.status,
                "joined": m.joined,
                "source_url": m.source_url,
                "uncertain": m.uncertain,
                "note": m.note,
            }
            for m, name_en, name_zh, org_kind in rows
        ),
        key=lambda m: (ROLE_ORDER.get(str(m["role"]), 9), str(m["organization_id"])),
    )
    detail = _summary(consortium, len(members))
    detail |= {
        "description_en": consortium.description_en,
        "description_zh": consortium.description_zh,
        "uncertain": consortium.uncertain,
        "note": consortium.note,
        "member_list": members,
    }
    return detail
