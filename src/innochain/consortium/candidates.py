"""From a need in the registry to the builder's input: required domains, candidates, ties.

A candidate's fit for a required domain is its best capability in that domain or below it in
the taxonomy: maturity (TRL against the need's required TRL) blended with the matcher's
relevance of the organisation to the whole need, so that the builder prefers partners that
are both able and on topic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.consortium.model import Candidate, Constraints
from innochain.consortium.solver import BuildResult, build_consortium
from innochain.errors import InvalidInput, NotFound
from innochain.match import Filters, Matcher, Need
from innochain.store.tables import (
    Capability,
    Organization,
    Relation,
    TechnologyDomain,
    organization_chain_nodes,
)

__all__ = ["ConsortiumProposal", "fit_of", "propose"]

#: share of a fit that comes from maturity; the rest is the matcher's relevance
MATURITY_SHARE = 0.6


def fit_of(trl: int, required_trl: int | None, relevance: float) -> float:
    """A candidate's fit for one domain, in (0, 1].

    >>> fit_of(9, 7, 1.0), fit_of(5, 7, 0.0), fit_of(9, None, 0.5)
    (1.0, 0.2143, 0.8)
    """
    maturity = (
        trl / 9
        if required_trl is None
        else (1.0 if trl >= required_trl else 0.5 * trl / required_trl)
    )
    return round(MATURITY_SHARE * maturity + (1 - MATURITY_SHARE) * relevance, 4)


@dataclass(frozen=True)
class ConsortiumProposal:
    """The builder's result with the need it answers and the domains it had to cover."""

    need: dict[str, object]
    domains: dict[str, float]
    domain_names: dict[str, tuple[str, str]]
    lead_id: str
    constraints: Constraints
    result: BuildResult


def _descendants(session: Session) -> dict[str, set[str]]:
    children: dict[str | None, list[str]] = defaultdict(list)
    for domain_id, parent_id in session.execute(
        select(TechnologyDomain.id, TechnologyDomain.parent_id)
    ):
        children[parent_id].append(domain_id)
    out: dict[str, set[str]] = {}

    def walk(root: str) -> set[str]:
        if root not in out:
            below = {root}
            for child in children.get(root, []):
                below |= walk(child)
            out[root] = below
        return out[root]

    for domain_id in list(children.get(None, [])):
        walk(domain_id)
    for kids in list(children.values()):
        for kid in kids:
            walk(kid)
    return out


def propose(
    session: Session,
    matcher: Matcher,
    need: Need,
    *,
    lead_id: str | None = None,
    domain_weights: dict[str, float] | None = None,
    constraints: Constraints | None = None,
    alternatives: int = 2,
    time_limit: float = 10.0,
) -> ConsortiumProposal:
    """Propose consortia for a need: the seeker (or a named chain leader) leads."""
    constraints = constraints or Constraints()
    lead = lead_id or need.seeker_id
    if not lead:
        raise InvalidInput("lead: name the lead organisation or the need's seeker")
    lead_org = session.get(Organization, lead)
    if lead_org is None:
        raise NotFound(f"no organization with id {lead!r}")
    unknown = [o for o in constraints.excluded if session.get(Organization, o) is None]
    if unknown:
        raise InvalidInput(f"exclude: unknown organization(s) {', '.join(unknown)}")
    ranked = matcher.match(
        Need(need.text, need.domain_ids, need.required_trl, lead), limit=200, filters=Filters()
    )
    domain_ids = list(need.domain_ids) or list(ranked.domain_ids)
    if not domain_ids:
        raise InvalidInput(
            "domains: the need names no technology domain and none could be read from its "
            "text; name the domains"
        )
    weights = {d: float((domain_weights or {}).get(d, 1.0)) for d in domain_ids}
    below = _descendants(session)
    unknown_domains = [d for d in weights if d not in below]
    if unknown_domains:
        raise InvalidInput(f"domains: unknown technology domain(s) {', '.join(unknown_domains)}")
    top = max((c.score for c in ranked.candidates), default=0.0) or 1.0
    relevance = {c.organization_id: c.score / top for c in ranked.candidates}
    reasons = {c.organization_id: tuple(c.reasons[:2]) for c in ranked.candidates}
    covering = {leaf: d for d in weights for leaf in below[d]}
    best: dict[str, dict[str, int]] = defaultdict(dict)
    for org_id, domain_id, trl in session.execute(
        select(Capability.organization_id, Capability.domain_id, Capability.trl).where(
            Capability.domain_id.in_(covering)
        )
    ):
        required = covering[domain_id]
        best[org_id][required] = max(best[org_id].get(required, 0), trl)
    ids = set(best) | {lead}
    nodes: dict[str, set[str]] = defaultdict(set)
    for org_id, node_id in session.execute(
        select(
            organization_chain_nodes.c.organization_id, organization_chain_nodes.c.chain_node_id
        ).where(organization_chain_nodes.c.organization_id.in_(ids))
    ):
        nodes[org_id].add(node_id)
    candidates = []
    for org in session.scalars(select(Organization).where(Organization.id.in_(ids))):
        fit = {
            d: fit_of(trl, need.required_trl, relevance.get(org.id, 0.0))
            for d, trl in best[org.id].items()
        }
        candidates.append(
            Candidate(
                organization_id=org.id,
                name=f"{org.name_zh} {org.name_en}",
                kind=org.kind,
                province=org.province,
                country=org.country,
                fit=fit,
                chain_nodes=frozenset(nodes[org.id]),
                reasons=reasons.get(org.id, ()),
            )
        )
    ties = {
        frozenset((a, b))
        for a, b in session.execute(
            select(Relation.source_id, Relation.target_id).where(
                Relation.source_id.in_(ids), Relation.target_id.in_(ids)
            )
        )
        if a != b
    }
    result = build_consortium(
        weights,
        sorted(candidates, key=lambda c: c.organization_id),
        lead_id=lead,
        ties=ties,
        constraints=constraints,
        alternatives=alternatives,
        time_limit=time_limit,
    )
    names = {
        d.id: (d.name_en, d.name_zh)
        for d in session.scalars(select(TechnologyDomain).where(TechnologyDomain.id.in_(weights)))
    }
    return ConsortiumProposal(
        need={
            "text": need.text,
            "domain_ids": domain_ids,
            "required_trl": need.required_trl,
            "seeker_id": need.seeker_id,
        },
        domains=weights,
        domain_names=names,
        lead_id=lead,
        constraints=constraints,
        result=result,
    )
