"""The firms to assess, read from the store: annual-report figures with their sources, and
the relation-graph metrics of the indicator system, per year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.assess.indicators import FirmYear
from innochain.domain import ANONYMOUS, MemberStatus
from innochain.store.tables import (
    ConsortiumMember,
    FirmIndicator,
    Organization,
    Relation,
)
from innochain.store.visibility import restrict

__all__ = ["PEER_GROUPS", "Firm", "FirmData", "load_firms"]

#: peer group -> organisation kinds
PEER_GROUPS = {
    "oem": ("automaker",),
    "supplier": ("supplier", "tech_company"),
    "all": ("automaker", "supplier", "tech_company"),
}
RESEARCH_KINDS = ("university", "research_institute")
ROLE_WEIGHT = {"lead": 3, "core": 2, "supporting": 1}


@dataclass(frozen=True)
class Firm:
    id: str
    name_en: str
    name_zh: str
    kind: str
    country: str
    founded: int | None
    facts: FirmYear
    #: (year, indicator) -> source URL of the annual-report figure
    sources: dict[tuple[int, str], str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.name_zh or self.name_en

    @property
    def years(self) -> list[int]:
        return sorted(self.facts.annual)


@dataclass(frozen=True)
class FirmData:
    firms: dict[str, Firm]

    def peers(self, group: str) -> list[Firm]:
        kinds = PEER_GROUPS[group]
        return sorted((f for f in self.firms.values() if f.kind in kinds), key=lambda f: f.id)


def load_firms(session: Session) -> FirmData:
    """Every organisation with annual-report figures, with its graph metrics for each year
    it has figures for (relations without a year count from the start)."""
    annual: dict[str, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    sources: dict[str, dict[tuple[int, str], str]] = defaultdict(dict)
    for row in session.scalars(select(FirmIndicator)):
        annual[row.organization_id][row.year][row.indicator] = row.value
        sources[row.organization_id][(row.year, row.indicator)] = row.source_url
    orgs = {o.id: o for o in session.scalars(select(Organization))}
    kinds = {o.id: o.kind for o in orgs.values()}
    countries = {o.id: o.country for o in orgs.values()}
    ties: dict[str, list[tuple[int | None, str]]] = defaultdict(list)
    for rel in session.scalars(select(Relation)):
        ties[rel.source_id].append((rel.year, rel.target_id))
        ties[rel.target_id].append((rel.year, rel.source_id))
    roles: dict[str, list[tuple[int | None, str]]] = defaultdict(list)
    # the reports are public: only memberships anyone may see count (public consortia)
    for member in session.scalars(restrict(select(ConsortiumMember), ConsortiumMember, ANONYMOUS)):
        if member.status == MemberStatus.ACCEPTED.value:
            roles[member.organization_id].append((member.joined, member.role))
    firms = {}
    for org_id, years in annual.items():
        org = orgs.get(org_id)
        if org is None:
            continue
        graph = {}
        for year in years:
            partners = {p for y, p in ties[org_id] if y is None or y <= year}
            graph[year] = {
                "iur_ties": float(sum(kinds.get(p) in RESEARCH_KINDS for p in partners)),
                "foreign_partners": float(
                    sum(countries.get(p, "CN") != "CN" for p in partners if p in orgs)
                ),
                "consortium_roles": float(
                    sum(ROLE_WEIGHT.get(r, 1) for y, r in roles[org_id] if y is None or y <= year)
                ),
            }
        firms[org_id] = Firm(
            org_id,
            org.name_en,
            org.name_zh,
            org.kind,
            org.country,
            org.founded,
            FirmYear({y: dict(v) for y, v in years.items()}, graph),
            dict(sources[org_id]),
        )
    return FirmData(firms)
