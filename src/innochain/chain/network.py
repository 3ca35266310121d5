"""The relation graph's structure with igraph: degree, PageRank, betweenness, communities,
brokers between the innovation and the industrial side, and chain leaders with reasons.

Every relation is an undirected edge for centrality (a joint venture or a supply both tie two
firms together); PageRank runs on the directed graph with supplies pointing from supplier to
customer, so that firms many others supply (vehicle makers, system integrators) rank high.
"""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import igraph as ig

from innochain.chain.model import INDUSTRIAL_KINDS, INNOVATION_KINDS, Chain, per_snapshot

__all__ = [
    "NetworkMetrics",
    "betweenness_of",
    "brokers",
    "chain_leaders",
    "communities_of",
    "compute_metrics",
    "metrics",
    "pagerank_of",
]

#: Leiden (modularity) is seeded so that communities are the same on every run
SEED = 7
_LOCK = threading.Lock()


@dataclass(frozen=True)
class NetworkMetrics:
    """Per organisation: degree, PageRank, betweenness (normalised to [0, 1]), community."""

    ids: list[str]
    degree: dict[str, int]
    pagerank: dict[str, float]
    betweenness: dict[str, float]
    community: dict[str, int]
    communities: list[list[str]]
    modularity: float


def _graph(chain: Chain, *, directed: bool) -> tuple[ig.Graph, list[str]]:
    ids = sorted(chain.orgs)
    index = {org: k for k, org in enumerate(ids)}
    edges = []
    for tie in chain.ties:
        if tie.source in index and tie.target in index and tie.source != tie.target:
            a, b = index[tie.source], index[tie.target]
            if directed and tie.type == "customer_of":
                a, b = b, a
            edges.append((a, b))
    graph = ig.Graph(n=len(ids), edges=edges, directed=directed)
    return graph, ids


def compute_metrics(chain: Chain) -> NetworkMetrics:
    """Degree (distinct partners), PageRank, exact betweenness and Leiden communities."""
    directed, ids = _graph(chain, directed=True)
    directed.simplify(multiple=True, loops=True)  # one edge per ordered pair, as networkx
    undirected = directed.as_undirected(mode="collapse")
    degree = undirected.degree()
    pagerank = pagerank_of(directed)
    betweenness = betweenness_of(undirected)
    clusters = communities_of(undirected)
    members: dict[int, list[str]] = defaultdict(list)
    for k, community in enumerate(clusters.membership):
        if degree[k]:
            members[community].append(ids[k])
    ordered = sorted(members.values(), key=lambda group: (-len(group), group[0]))
    renumber = {org: k for k, group in enumerate(ordered) for org in group}
    return NetworkMetrics(
        ids=ids,
        degree=dict(zip(ids, degree, strict=True)),
        pagerank=dict(zip(ids, pagerank, strict=True)),
        betweenness=dict(zip(ids, betweenness, strict=True)),
        community=renumber,
        communities=[sorted(group) for group in ordered],
        modularity=clusters.modularity if ordered else 0.0,
    )


def pagerank_of(graph: ig.Graph) -> list[float]:
    """PageRank with damping 0.85 (PRPACK)."""
    return list(graph.pagerank(damping=0.85))


def betweenness_of(graph: ig.Graph, *, sources: list[int] | None = None) -> list[float]:
    """Betweenness normalised to [0, 1] as networkx does for undirected graphs; with `sources`,
    the shortest paths from those sources only, scaled up by n / len(sources) (the sampled
    estimate, as `networkx.betweenness_centrality(k=...)`)."""
    n = graph.vcount()
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    if sources is None:
        raw = graph.betweenness(directed=False)
    else:
        raw = graph.betweenness(directed=False, sources=sources)
        scale *= n / len(sources)
    return [b * scale for b in raw]


def communities_of(graph: ig.Graph) -> ig.VertexClustering:
    """Leiden communities maximising modularity, two iterations (igraph's default), from a
    fixed seed. Iterating until stable gained 0.0002 of modularity on the 1M-relation
    benchmark graph for ten times the time (benchmarks/README.md)."""
    with _LOCK:
        ig.set_random_number_generator(random.Random(SEED))
        try:
            return graph.community_leiden(objective_function="modularity", n_iterations=2)
        finally:
            ig.set_random_number_generator(random)


def _neighbours(chain: Chain) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for tie in chain.ties:
        if tie.source in chain.orgs and tie.target in chain.orgs and tie.source != tie.target:
            out[tie.source].add(tie.target)
            out[tie.target].add(tie.source)
    return out


def brokers(chain: Chain, found: NetworkMetrics, *, top: int = 20) -> list[dict[str, Any]]:
    """Organisations that link the innovation side with the industrial side: tied directly to
    at least one university or institute and one firm, ranked by the pairs they bridge
    (innovation partners × industrial partners) and then betweenness."""
    rows: list[dict[str, Any]] = []
    for org, partners in _neighbours(chain).items():
        research = sorted(p for p in partners if chain.orgs[p].kind in INNOVATION_KINDS)
        industry = sorted(p for p in partners if chain.orgs[p].kind in INDUSTRIAL_KINDS)
        if not research or not industry:
            continue
        rows.append(
            {
                "organization_id": org,
                "name": chain.orgs[org].name,
                "kind": chain.orgs[org].kind,
                "research_partners": research,
                "industrial_partners": industry,
                "bridged_pairs": len(research) * len(industry),
                "betweenness": round(found.betweenness[org], 5),
                "why": [
                    f"tied to {_count(len(research), 'research actor', 'research actors')} "
                    f"({', '.join(research[:3])}{'…' if len(research) > 3 else ''}) and "
                    f"{_count(len(industry), 'firm', 'firms')}",
                    f"betweenness {found.betweenness[org]:.4f} "
                    f"(rank {_rank(found.betweenness, org)} of {len(found.ids)})",
                ],
            }
        )
    rows.sort(key=lambda r: (-r["bridged_pairs"], -r["betweenness"], r["organization_id"]))
    return rows[:top]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _rank(values: dict[str, float], key: str) -> int:
    mine = values[key]
    return 1 + sum(v > mine for v in values.values())


def chain_leaders(chain: Chain, found: NetworkMetrics, *, top: int = 20) -> list[dict[str, Any]]:
    """Firms that organise a chain around themselves (链主): ranked by a score that adds, each
    scaled to the best firm's value, PageRank (how much of the network flows to it), the
    number of distinct suppliers, the chain nodes those suppliers cover, and the consortia or
    alliances it leads; each with the numbers as reasons."""
    suppliers: dict[str, set[str]] = defaultdict(set)
    nodes_fed: dict[str, set[str]] = defaultdict(set)
    for tie in chain.ties:
        if tie.type == "supplies" and tie.target in chain.orgs:
            suppliers[tie.target].add(tie.source)
            nodes_fed[tie.target].update(chain.tie_nodes(tie))
        elif tie.type == "customer_of" and tie.source in chain.orgs:
            suppliers[tie.source].add(tie.target)
    alliances = Counter(
        tie.source
        for tie in chain.ties
        if tie.type in ("strategic_alliance", "joint_venture", "joint_lab", "consortium_member")
    )
    firms = [o for o in chain.orgs.values() if o.kind in INDUSTRIAL_KINDS]

    def best(values: dict[str, float]) -> float:
        return max((values.get(f.id, 0.0) for f in firms), default=0.0) or 1.0

    parts = {
        "pagerank": {f.id: found.pagerank.get(f.id, 0.0) for f in firms},
        "suppliers": {f.id: float(len(suppliers[f.id])) for f in firms},
        "nodes": {f.id: float(len(nodes_fed[f.id])) for f in firms},
        "alliances": {f.id: float(alliances[f.id]) for f in firms},
    }
    tops = {name: best(values) for name, values in parts.items()}
    rows: list[dict[str, Any]] = []
    for firm in firms:
        score = sum(parts[name][firm.id] / tops[name] for name in parts) / len(parts)
        if not suppliers[firm.id] and not alliances[firm.id]:
            continue
        rows.append(
            {
                "organization_id": firm.id,
                "name": firm.name,
                "kind": firm.kind,
                "score": round(score, 4),
                "pagerank": round(found.pagerank.get(firm.id, 0.0), 5),
                "suppliers": len(suppliers[firm.id]),
                "nodes_supplied": sorted(nodes_fed[firm.id]),
                "alliances": alliances[firm.id],
                "why": [
                    f"PageRank {found.pagerank.get(firm.id, 0.0):.4f} "
                    f"(rank {_rank(found.pagerank, firm.id)} of {len(found.ids)})",
                    f"{len(suppliers[firm.id])} suppliers in the registry across "
                    f"{len(nodes_fed[firm.id])} chain nodes",
                    f"{alliances[firm.id]} alliances, joint ventures, joint labs or consortia "
                    "it initiated",
                ],
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["organization_id"]))
    return rows[:top]


#: `compute_metrics`, remembered per chain snapshot
metrics = per_snapshot(compute_metrics)
