"""Chokepoints (卡脖子环节): where the chain hangs on few firms or on foreign ones.

Per chain node: how many firms supply it, how many are domestic, its concentration (HHI from
market shares where the dataset has them, else estimated from the number of suppliers as if
they had equal shares), research actors; per vehicle maker: the systems it buys from a single
supplier or only from foreign ones (as far as the registry records its suppliers); and a
ranked list of chokepoints with the evidence.

HHI thresholds follow the 2023 US Merger Guidelines: above 1,800 highly concentrated, 1,000 to
1,800 moderately concentrated.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from innochain.chain.model import INDUSTRIAL_KINDS, INNOVATION_KINDS, Chain, Tie

__all__ = [
    "HIGH_HHI",
    "chokepoints",
    "node_stats",
    "oem_dependencies",
    "supplier_ties",
    "systems_of",
]

HIGH_HHI = 1800
MODERATE_HHI = 1000
#: weights of the chokepoint score (documented in docs/chain.md)
WEIGHTS = {"foreign": 0.5, "concentration": 0.3, "scarcity": 0.2}
#: supply ties into domestic buyers needed before they alone measure foreign dependence
MIN_TIES = 3
#: a node all of whose suppliers are domestic but at most this many is a thin base, not a
#: chokepoint: listed after the chokepoints
THIN = 2


def _level(hhi: float) -> str:
    if hhi > HIGH_HHI:
        return "high"
    return "moderate" if hhi >= MODERATE_HHI else "low"


def node_stats(chain: Chain, node_id: str) -> dict[str, Any]:
    """Suppliers (industrial firms in the node or below), domestic and foreign, HHI and its
    basis, research actors."""
    actors = chain.actors(node_id)
    firms = sorted(a for a in actors if chain.orgs[a].kind in INDUSTRIAL_KINDS)
    research = sorted(a for a in actors if chain.orgs[a].kind in INNOVATION_KINDS)
    domestic = [f for f in firms if chain.orgs[f].domestic]
    shares = chain.shares.get(node_id)
    if shares:
        hhi = sum((100 * s) ** 2 for s in shares.values())
        basis = (
            f"market shares of {len(shares)} makers covering {100 * sum(shares.values()):.1f} % "
            f"({chain.share_sources.get(node_id, 'dataset')}); the rest counted as fragmented"
        )
    elif firms:
        hhi = 10_000 / len(firms)
        basis = f"estimated from {len(firms)} suppliers with equal shares (no market shares)"
    else:
        hhi, basis = 0.0, "no supplier in the registry"
    node = chain.nodes[node_id]
    return {
        "node": node_id,
        "name_en": node.name_en,
        "name_zh": node.name_zh,
        "stage": node.stage,
        "suppliers": len(firms),
        "domestic": len(domestic),
        "foreign": len(firms) - len(domestic),
        "foreign_share": round((len(firms) - len(domestic)) / len(firms), 3) if firms else None,
        "hhi": round(hhi),
        "concentration": _level(hhi) if firms else None,
        "hhi_basis": basis,
        "research_actors": len(research),
        "supplier_ids": firms,
        "research_ids": research,
    }


def supplier_ties(chain: Chain) -> list[tuple[str, str, Tie]]:
    """(supplier, customer, tie) for every supply relation, `customer_of` turned around."""
    out = []
    for tie in chain.ties:
        if tie.type == "supplies":
            out.append((tie.source, tie.target, tie))
        elif tie.type == "customer_of":
            out.append((tie.target, tie.source, tie))
    return [(s, c, t) for s, c, t in out if s in chain.orgs and c in chain.orgs]


def systems_of(chain: Chain, supplier: str, tie: Tie) -> set[str]:
    """The taxonomy roots (systems) a supply is about: its technology domain's nodes, else
    the supplier's upstream and midstream nodes."""
    if tie.domain_id and chain.domain_nodes.get(tie.domain_id):
        nodes: tuple[str, ...] = chain.domain_nodes[tie.domain_id]
    else:
        nodes = tuple(n for n in chain.orgs[supplier].nodes if chain.nodes[n].stage != "downstream")
    return {[n, *chain.ancestors(n)][-1] for n in nodes}


def oem_dependencies(chain: Chain) -> list[dict[str, Any]]:
    """Per vehicle maker with recorded suppliers: each system it buys, from whom, and whether
    it is single-source or foreign-only (within what the registry records)."""
    bought: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for supplier, customer, tie in supplier_ties(chain):
        if chain.orgs[customer].kind != "automaker":
            continue
        for system in systems_of(chain, supplier, tie):
            bought[customer][system].add(supplier)
    rows = []
    for oem in sorted(bought):
        systems = []
        for system, suppliers in sorted(bought[oem].items()):
            foreign = [s for s in suppliers if not chain.orgs[s].domestic]
            systems.append(
                {
                    "node": system,
                    "name_en": chain.nodes[system].name_en,
                    "name_zh": chain.nodes[system].name_zh,
                    "suppliers": sorted(suppliers),
                    "single_source": len(suppliers) == 1,
                    "foreign_only": len(foreign) == len(suppliers),
                }
            )
        rows.append(
            {
                "organization_id": oem,
                "name": chain.orgs[oem].name,
                "country": chain.orgs[oem].country,
                "systems": systems,
                "single_source": [s["node"] for s in systems if s["single_source"]],
                "foreign_only": [s["node"] for s in systems if s["foreign_only"]],
            }
        )
    return rows


def _supply_into_china(chain: Chain) -> dict[str, list[tuple[str, str]]]:
    """Leaf node -> (supplier, domestic customer) pairs of the supply ties about it."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for supplier, customer, tie in supplier_ties(chain):
        if not chain.orgs[customer].domestic:
            continue
        nodes = chain.domain_nodes.get(tie.domain_id or "") or chain.orgs[supplier].nodes
        for node in nodes:
            for leaf in chain.subtree(node):
                if leaf in chain.leaves:
                    out[leaf].append((supplier, customer))
    return out


def chokepoints(chain: Chain, *, top: int | None = None) -> list[dict[str, Any]]:
    """Upstream and midstream leaf nodes (materials, components, systems, equipment: where the
    chain can be choked; services are not) ranked by

        score = 0.5 × foreign dependence + 0.3 × HHI / 10,000 + 0.2 / (domestic suppliers + 1)

    Foreign dependence is the foreign share of the supply ties into domestic firms recorded
    for the node when there are at least `MIN_TIES`, else the mean of that share (if any) and
    the foreign share of the node's suppliers. Each row has its evidence: suppliers and their
    countries, the HHI and its basis, the domestic buyers supplied from abroad. Nodes with no
    supplier at all are gaps. `kind` says which list a row is on, in this order:
    `foreign_dependence` (the chokepoints proper, 卡脖子: some foreign dependence), then
    `thin_domestic_base` (no foreign supplier, but at most `THIN` domestic ones in the
    registry: a single-source risk, or a gap in the registry), then `gap` (score None)."""
    ties = _supply_into_china(chain)
    rows, gaps = [], []
    for node_id in chain.leaves:
        if chain.nodes[node_id].stage == "downstream":
            continue
        stats = node_stats(chain, node_id)
        if not stats["suppliers"]:
            gaps.append(stats | {"score": None, "evidence": ["no supplier in the registry"]})
            continue
        pairs = sorted(set(ties.get(node_id, [])))
        abroad = [(s, c) for s, c in pairs if not chain.orgs[s].domestic]
        tie_share = len(abroad) / len(pairs) if pairs else None
        if tie_share is not None and len(pairs) >= MIN_TIES:
            dependence = tie_share
        elif tie_share is not None:
            dependence = (tie_share + stats["foreign_share"]) / 2
        else:
            dependence = stats["foreign_share"]
        score = (
            WEIGHTS["foreign"] * dependence
            + WEIGHTS["concentration"] * stats["hhi"] / 10_000
            + WEIGHTS["scarcity"] / (stats["domestic"] + 1)
        )
        who = ", ".join(
            f"{chain.orgs[s].name_en} ({chain.orgs[s].country})" for s in stats["supplier_ids"][:8]
        )
        evidence = [
            f"{stats['suppliers']} suppliers, {stats['domestic']} domestic: {who}"
            + ("…" if stats["suppliers"] > 8 else ""),
            f"HHI {stats['hhi']:,} ({stats['concentration']}): {stats['hhi_basis']}",
        ]
        if pairs:
            buyers = sorted({c for _, c in abroad})
            evidence.append(
                f"{len(abroad)} of {len(pairs)} recorded supplies to domestic firms come from "
                f"abroad" + (f" (buyers: {', '.join(buyers[:8])})" if buyers else "")
            )
        if not stats["research_actors"]:
            evidence.append("no university or institute works on it in the registry")
        rows.append(
            stats
            | {
                "score": round(score, 4),
                "foreign_dependence": round(dependence, 3),
                "supplies_into_china": len(pairs),
                "supplies_from_abroad": len(abroad),
                "evidence": evidence,
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["node"]))
    choke = [r | {"kind": "foreign_dependence"} for r in rows if r["foreign_dependence"] > 0]
    thin = [
        r | {"kind": "thin_domestic_base"}
        for r in rows
        if r["foreign_dependence"] == 0 and r["domestic"] <= THIN
    ]
    ranked = choke + thin + [g | {"kind": "gap"} for g in sorted(gaps, key=lambda r: r["node"])]
    return ranked[:top] if top else ranked
