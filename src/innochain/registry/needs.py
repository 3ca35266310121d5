"""Technology needs: saved, listed, read, changed and deleted under the visibility rules.

Validation is the importer's: the same record, references and messages as `innochain import`.
Reads go through `innochain.store.visibility`, so a need the viewer may not see is not found;
writes need a signed-in member of the seeking organisation (or an operator) and are audited.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from innochain.domain import ANONYMOUS, NeedRecord, Viewer, Visibility
from innochain.errors import Forbidden, InvalidInput, NotFound
from innochain.registry.formats import RawRow, Table
from innochain.registry.importer import import_tables
from innochain.registry.queries import Page, _descendants, _paginate, _text_filter
from innochain.store import audit
from innochain.store.tables import Need, TechnologyDomain
from innochain.store.visibility import restrict

__all__ = [
    "create_need",
    "delete_need",
    "get_need",
    "list_needs",
    "need_id_for",
    "update_need",
    "view_need",
]

#: the fields a need's owner may change after saving it
EDITABLE = (
    "title_en",
    "title_zh",
    "description_en",
    "description_zh",
    "domain_ids",
    "required_trl",
    "budget_cny_m",
    "deadline",
    "visibility",
    "consortium_id",
    "status",
)


def need_id_for(title: str, seeker: str) -> str:
    """A stable slug for a new need: ASCII words of the title and a short hash of the seeker
    and title as written (the seeker may be a name or alias, not yet an id).

    >>> need_id_for("800 V SiC power module 碳化硅模块", "蔚来")
    'need-800-v-sic-power-module-9c902b'
    """
    words = re.findall(r"[a-z0-9]+", title.lower())[:6]
    digest = hashlib.sha1(f"{seeker}|{title}".encode()).hexdigest()[:6]
    return "-".join(["need", *words, digest])


def create_need(
    session: Session, fields: dict[str, Any], *, viewer: Viewer, source: str = "need", ip: str = ""
) -> str:
    """Validate and store one need for the viewer's organisation; returns its id.

    Members post for their own organisation (the seeker defaults to it); operators for any.
    The caller owns the transaction.
    """
    viewer.require_writer("save or change a need")
    fields = dict(fields)
    if not fields.get("seeker_id"):
        fields["seeker_id"] = viewer.organization_id
    _check_consortium(fields.get("consortium_id"), viewer)
    title = (fields.get("title_en") or "") + (fields.get("title_zh") or "")
    if not fields.get("id") and fields.get("seeker_id") and title:
        fields["id"] = need_id_for(title, str(fields["seeker_id"]))
    if fields.get("id") and session.get(Need, fields["id"]) is not None:
        raise InvalidInput(f"id: a need with id {fields['id']!r} exists already")
    table = Table("needs", rows=[RawRow(source, 1, fields)])
    need_id = str(fields.get("id", ""))
    with session.begin_nested():  # undone if the seeker turns out to be someone else
        import_tables(session, {"needs": table})
        seeker = session.get(Need, need_id)
        if not viewer.is_operator and (
            seeker is None or seeker.seeker_id != viewer.organization_id
        ):
            raise Forbidden("members post needs for their own organisation only")
    after = get_need(session, need_id, viewer=viewer)
    audit.record(session, viewer, "create", entity="needs", entity_id=need_id, after=after, ip=ip)
    return need_id


def _check_consortium(consortium_id: str | None, viewer: Viewer) -> None:
    if consortium_id and not viewer.is_operator and consortium_id not in viewer.consortium_ids:
        raise InvalidInput("consortium_id: your organisation is not a member of that consortium")


def _writable(session: Session, need_id: str, viewer: Viewer) -> Need:
    viewer.require_writer("save or change a need")
    need = session.scalars(restrict(select(Need).where(Need.id == need_id), Need, viewer)).first()
    if need is None:
        raise NotFound(f"no need with id {need_id!r}")
    if not viewer.is_operator and need.seeker_id != viewer.organization_id:
        raise Forbidden("only the seeking organisation or an operator may change this need")
    return need


def update_need(
    session: Session, need_id: str, changes: dict[str, Any], *, viewer: Viewer, ip: str = ""
) -> dict[str, Any]:
    """Change some fields of a need (see `EDITABLE`); returns the need as now stored."""
    need = _writable(session, need_id, viewer)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(f"{', '.join(unknown)}: not a field that can be changed")
    before = _need_dict(need)
    row = {k: v for k, v in before.items() if k in NeedRecord.model_fields}
    row.update(changes)
    if isinstance(row.get("domain_ids"), list):
        row["domain_ids"] = "|".join(row["domain_ids"])
    _check_consortium(row.get("consortium_id"), viewer)
    row = {k: v for k, v in row.items() if v is not None}
    import_tables(session, {"needs": Table("needs", rows=[RawRow("change", 1, row)])})
    session.expire_all()
    after = get_need(session, need_id, viewer=viewer)
    audit.record(
        session,
        viewer,
        "change",
        entity="needs",
        entity_id=need_id,
        before={k: before[k] for k in changes},
        after={k: after[k] for k in changes},
        ip=ip,
    )
    return after


def delete_need(session: Session, need_id: str, *, viewer: Viewer, ip: str = "") -> None:
    """Delete a need; the audit entry keeps what it said."""
    need = _writable(session, need_id, viewer)
    before = _need_dict(need)
    session.delete(need)
    session.flush()
    audit.record(session, viewer, "delete", entity="needs", entity_id=need_id, before=before, ip=ip)


def view_need(session: Session, need_id: str, *, viewer: Viewer, ip: str = "") -> dict[str, Any]:
    """`get_need` for a person looking at it: reading a confidential need is audited."""
    need = get_need(session, need_id, viewer=viewer)
    if need["visibility"] != Visibility.PUBLIC.value:
        audit.record(session, viewer, "view", entity="needs", entity_id=need_id, ip=ip)
    return need


def list_needs(
    session: Session,
    *,
    viewer: Viewer = ANONYMOUS,
    q: str | None = None,
    status: str | None = None,
    domain: str | None = None,
    page: int = 1,
    size: int = 50,
) -> Page[dict[str, Any]]:
    """Technology needs the viewer may see (anonymous visitors: public ones)."""
    query = restrict(select(Need).options(selectinload(Need.domains)), Need, viewer)
    cols = [Need.title_en, Need.title_zh, Need.description_en, Need.description_zh]
    if (text := _text_filter(cols, q)) is not None:
        query = query.where(text)
    if status:
        query = query.where(Need.status == status)
    if domain:
        query = query.where(
            Need.domains.any(
                TechnologyDomain.id.in_(_descendants(session, TechnologyDomain, domain))
            )
        )
    rows, total = _paginate(session, query.order_by(Need.id), page, size)
    items = [_need_dict(n) for n in rows]
    return Page(items, total, page, size)


def _need_dict(n: Need) -> dict[str, Any]:
    return {
        "id": n.id,
        "seeker_id": n.seeker_id,
        "title_en": n.title_en,
        "title_zh": n.title_zh,
        "description_en": n.description_en,
        "description_zh": n.description_zh,
        "domain_ids": [d.id for d in n.domains],
        "required_trl": n.required_trl,
        "budget_cny_m": n.budget_cny_m,
        "deadline": n.deadline.isoformat() if n.deadline else None,
        "visibility": n.visibility,
        "consortium_id": n.consortium_id,
        "status": n.status,
        "source_url": n.source_url,
    }


def get_need(session: Session, need_id: str, *, viewer: Viewer = ANONYMOUS) -> dict[str, Any]:
    """One need, if the viewer may see it; otherwise `NotFound`, as if it did not exist."""
    query = restrict(select(Need).where(Need.id == need_id), Need, viewer)
    need = session.scalars(query.options(selectinload(Need.domains))).first()
    if need is None:
        raise NotFound(f"no need with id {need_id!r}")
    return _need_dict(need)
