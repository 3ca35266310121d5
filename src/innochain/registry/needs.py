"""Saving a technology need (from the Find partners page or the API).

Validation is the importer's: the same record, references and messages as `innochain import`.
Until accounts exist (issue 5) only public needs can be saved: a confidential need without an
owner could be seen by no one, or by everyone.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sqlalchemy.orm import Session

from innochain.errors import InvalidInput
from innochain.registry.formats import RawRow, Table
from innochain.registry.importer import import_tables

__all__ = ["create_need", "need_id_for"]


def need_id_for(title: str, seeker: str) -> str:
    """A stable slug for a new need: ASCII words of the title and a short hash of the seeker
    and title as written (the seeker may be a name or alias, not yet an id).

    >>> need_id_for("800 V SiC power module 碳化硅模块", "蔚来")
    'need-800-v-sic-power-module-9c902b'
    """
    words = re.findall(r"[a-z0-9]+", title.lower())[:6]
    digest = hashlib.sha1(f"{seeker}|{title}".encode()).hexdigest()[:6]
    return "-".join(["need", *words, digest])


def create_need(session: Session, fields: dict[str, Any], *, source: str = "need") -> str:
    """Validate and store one need; returns its id. The caller owns the transaction."""
    if fields.get("visibility", "public") != "public":
        raise InvalidInput(
            "only public needs can be saved until accounts and visibility rules exist (issue 5)"
        )
    title = (fields.get("title_en") or "") + (fields.get("title_zh") or "")
    if not fields.get("id") and fields.get("seeker_id") and title:
        fields = {**fields, "id": need_id_for(title, str(fields["seeker_id"]))}
    table = Table("needs", rows=[RawRow(source, 1, fields)])
    import_tables(session, {"needs": table})
    return str(fields.get("id", ""))
