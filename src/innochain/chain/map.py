"""The chain map: the taxonomy as a tree, each node with what the map page shows about it."""

from __future__ import annotations

from typing import Any

from innochain.chain.chokepoints import node_stats
from innochain.chain.model import Chain

__all__ = ["STAGES", "chain_map"]

STAGES = ("upstream", "midstream", "downstream")


def chain_map(chain: Chain) -> list[dict[str, Any]]:
    """Root nodes in stage order, each with `children`, and per node: organisations (in it or
    below), suppliers, domestic and foreign firms, foreign share, HHI and its level, research
    actors. Supplier and research ids are left out (the node page lists the firms)."""

    def build(node_id: str) -> dict[str, Any]:
        stats = node_stats(chain, node_id)
        for key in ("supplier_ids", "research_ids"):
            stats.pop(key)
        stats["id"] = stats.pop("node")
        stats["organizations"] = len(chain.actors(node_id))
        stats["children"] = [build(c) for c in chain.children.get(node_id, [])]
        return stats

    roots = [build(r) for r in chain.children.get(None, [])]
    return sorted(roots, key=lambda r: (STAGES.index(r["stage"]), r["id"]))
