"""Read the chain from the store into a `Chain` snapshot."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.chain.model import Ability, Chain, Node, Org, Tie
from innochain.store.tables import (
    Capability,
    ChainNode,
    Observation,
    Organization,
    Relation,
    Series,
    TechnologyDomain,
    domain_chain_nodes,
    organization_chain_nodes,
)

__all__ = ["load_chain"]

#: the series whose latest observations give market shares of a chain node
SHARE_SERIES = {"power_battery_installation_share": "battery-cells"}


def load_chain(session: Session) -> Chain:
    """The chain as stored now. The app keeps one per registry state (`api.deps.get_chain`)."""
    org_nodes: dict[str, list[str]] = defaultdict(list)
    for org_id, node_id in session.execute(
        select(organization_chain_nodes.c.organization_id, organization_chain_nodes.c.chain_node_id)
    ):
        org_nodes[org_id].append(node_id)
    orgs = {
        o.id: Org(
            o.id,
            o.name_en,
            o.name_zh,
            o.kind,
            o.country,
            o.province,
            o.city,
            tuple(sorted(org_nodes.get(o.id, []))),
        )
        for o in session.scalars(select(Organization))
    }
    nodes = {
        n.id: Node(n.id, n.parent_id, n.stage, n.name_en, n.name_zh)
        for n in session.scalars(select(ChainNode))
    }
    domain_nodes: dict[str, list[str]] = defaultdict(list)
    for domain_id, node_id in session.execute(
        select(domain_chain_nodes.c.domain_id, domain_chain_nodes.c.chain_node_id)
    ):
        domain_nodes[domain_id].append(node_id)
    # a domain without nodes of its own takes its parent's
    parents = dict(session.execute(select(TechnologyDomain.id, TechnologyDomain.parent_id)).all())

    def nodes_of(domain: str | None) -> tuple[str, ...]:
        seen = set()
        while domain and domain not in seen:
            seen.add(domain)
            if domain_nodes.get(domain):
                return tuple(sorted(domain_nodes[domain]))
            domain = parents.get(domain)
        return ()

    resolved = {d: nodes_of(d) for d in parents}
    ties = [
        Tie(r.source_id, r.target_id, r.type, r.year, r.domain_id, r.source_url)
        for r in session.scalars(select(Relation).order_by(Relation.id))
    ]
    abilities = [
        Ability(c.organization_id, c.domain_id, c.trl, resolved.get(c.domain_id, ()))
        for c in session.scalars(select(Capability).order_by(Capability.id))
    ]
    shares: dict[str, dict[str, float]] = defaultdict(dict)
    sources: dict[str, str] = {}
    rows = session.execute(
        select(
            Series.metric,
            Series.organization_id,
            Observation.period,
            Observation.value,
            Observation.source_url,
        )
        .join(Observation, Observation.series_id == Series.id)
        .where(Series.metric.in_(SHARE_SERIES), Series.organization_id.is_not(None))
        .order_by(Observation.period)
    ).all()
    # per node, the latest year that reports at least three makers (one maker's share alone
    # says little about concentration)
    by_period: dict[tuple[str, str], dict[str, tuple[float, str]]] = defaultdict(dict)
    for metric, org_id, period, value, url in rows:
        if org_id is None:
            continue
        by_period[(SHARE_SERIES[metric], period)][org_id] = (
            value / 100 if value > 1 else value,
            url,
        )
    for node in set(SHARE_SERIES.values()):
        periods = sorted(p for n, p in by_period if n == node and len(by_period[(n, p)]) >= 3)
        if periods:
            found = by_period[(node, periods[-1])]
            shares[node] = {org: share for org, (share, _) in found.items()}
            sources[node] = f"{sorted({u for _, u in found.values()})[0]} ({periods[-1]})"
    return Chain(orgs, nodes, ties, abilities, dict(resolved), dict(shares), sources)
