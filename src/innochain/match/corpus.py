"""The matcher's view of the registry: plain, frozen snapshots read once from the store."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.store.tables import Capability, Organization, Relation, TechnologyDomain

__all__ = ["CapabilityRow", "Corpus", "DomainRow", "OrgRow", "RelationRow", "load_corpus"]


@dataclass(frozen=True)
class OrgRow:
    id: str
    name_en: str
    name_zh: str
    aliases: tuple[str, ...]
    kind: str
    ownership: str
    country: str
    province: str | None
    description_en: str = ""
    description_zh: str = ""


@dataclass(frozen=True)
class CapabilityRow:
    organization_id: str
    domain_id: str
    trl: int
    description_en: str = ""
    description_zh: str = ""
    evidence: str = ""
    source_url: str = ""

    @property
    def key(self) -> str:
        return f"{self.organization_id}:{self.domain_id}"


@dataclass(frozen=True)
class DomainRow:
    id: str
    parent_id: str | None
    name_en: str
    name_zh: str
    keywords_en: tuple[str, ...] = ()
    keywords_zh: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelationRow:
    source_id: str
    target_id: str
    type: str
    year: int | None = None
    domain_id: str | None = None
    source_url: str = ""


@dataclass
class Corpus:
    organizations: dict[str, OrgRow] = field(default_factory=dict)
    capabilities: list[CapabilityRow] = field(default_factory=list)
    domains: dict[str, DomainRow] = field(default_factory=dict)
    relations: list[RelationRow] = field(default_factory=list)


def load_corpus(session: Session) -> Corpus:
    """Everything the matcher needs, in four queries."""
    corpus = Corpus()
    for o in session.scalars(select(Organization)):
        corpus.organizations[o.id] = OrgRow(
            o.id,
            o.name_en,
            o.name_zh,
            tuple(o.aliases),
            o.kind,
            o.ownership,
            o.country,
            o.province,
            o.description_en,
            o.description_zh,
        )
    for d in session.scalars(select(TechnologyDomain)):
        corpus.domains[d.id] = DomainRow(
            d.id, d.parent_id, d.name_en, d.name_zh, tuple(d.keywords_en), tuple(d.keywords_zh)
        )
    corpus.capabilities = [
        CapabilityRow(
            c.organization_id,
            c.domain_id,
            c.trl,
            c.description_en,
            c.description_zh,
            c.evidence,
            c.source_url,
        )
        for c in session.scalars(select(Capability).order_by(Capability.id))
    ]
    corpus.relations = [
        RelationRow(r.source_id, r.target_id, r.type, r.year, r.domain_id, r.source_url)
        for r in session.scalars(select(Relation).order_by(Relation.id))
    ]
    return corpus
