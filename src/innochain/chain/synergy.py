"""Synergy of the innovation chain and the industrial chain (创新链与产业链融合), node by node.

For each chain node, its actors (`Chain.actors`: the node and every sub-node) split into the
innovation side (`INNOVATION_KINDS`: universities, research institutes) and the industrial side
(`INDUSTRIAL_KINDS`); other kinds (investors, associations, agencies, testing bodies) are on
neither. A *bridge* is a tie of any type, in either direction, between an innovation actor and
an industrial firm of the same node. Then:

- `industry_without_research`: the node has industrial firms and no bridge (whether or not it
  has innovation actors): its industry has no research partner in the registry;
- `research_without_industry`: the node has innovation actors and no bridge: its research has
  no industrial taker.

A node with both sides and no bridge carries both flags. `about_node` on a bridge tells whether
the tie's own subject (`Chain.tie_nodes`) lies in the node's subtree, or only its two ends do.
"""

from __future__ import annotations

from typing import Any

from innochain.chain.model import INDUSTRIAL_KINDS, INNOVATION_KINDS, Chain, per_snapshot

__all__ = ["STAGES", "synergy", "synergy_gaps"]

STAGES = ("upstream", "midstream", "downstream")


def _tree_order(chain: Chain) -> list[str]:
    """Roots by stage then id, each followed by its subtree (children by id)."""
    rank = {stage: i for i, stage in enumerate(STAGES)}
    roots = sorted(
        chain.children.get(None, []),
        key=lambda n: (rank.get(chain.nodes[n].stage, len(STAGES)), n),
    )
    out: list[str] = []
    stack = list(reversed(roots))
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(chain.children.get(current, [])))
    return out


def _side(chain: Chain, ids: list[str], linked: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "name_en": chain.orgs[i].name_en,
            "name_zh": chain.orgs[i].name_zh,
            "country": chain.orgs[i].country,
            "linked": i in linked,
        }
        for i in ids
    ]


@per_snapshot
def synergy(chain: Chain) -> list[dict[str, Any]]:
    """Every chain node in tree order with its two sides, the bridges between them and the two
    gap flags of the module docstring.

    Keys: node, name_en, name_zh, stage, parent, leaf, innovation, industry (lists of
    {id, name_en, name_zh, country, linked}), ties (list of {source, target, type, year,
    source_url, innovation, industry, about_node}), counts {innovation, industry, ties,
    linked_innovation, linked_industry}, industry_without_research, research_without_industry.
    """
    out: list[dict[str, Any]] = []
    for node_id in _tree_order(chain):
        node = chain.nodes[node_id]
        actors = [a for a in sorted(chain.actors(node_id)) if a in chain.orgs]
        innovation = [a for a in actors if chain.orgs[a].kind in INNOVATION_KINDS]
        industry = [a for a in actors if chain.orgs[a].kind in INDUSTRIAL_KINDS]
        research_set, industry_set = set(innovation), set(industry)
        subtree = set(chain.subtree(node_id))
        ties: list[dict[str, Any]] = []
        for tie in chain.ties:
            if tie.source in research_set and tie.target in industry_set:
                pair = (tie.source, tie.target)
            elif tie.source in industry_set and tie.target in research_set:
                pair = (tie.target, tie.source)
            else:
                continue
            ties.append(
                {
                    "source": tie.source,
                    "target": tie.target,
                    "type": tie.type,
                    "year": tie.year,
                    "source_url": tie.source_url,
                    "innovation": pair[0],
                    "industry": pair[1],
                    "about_node": bool(subtree & set(chain.tie_nodes(tie))),
                }
            )
        linked_research = {t["innovation"] for t in ties}
        linked_industry = {t["industry"] for t in ties}
        out.append(
            {
                "node": node_id,
                "name_en": node.name_en,
                "name_zh": node.name_zh,
                "stage": node.stage,
                "parent": node.parent_id,
                "leaf": not chain.children.get(node_id),
                "innovation": _side(chain, innovation, linked_research),
                "industry": _side(chain, industry, linked_industry),
                "ties": ties,
                "counts": {
                    "innovation": len(innovation),
                    "industry": len(industry),
                    "ties": len(ties),
                    "linked_innovation": len(linked_research),
                    "linked_industry": len(linked_industry),
                },
                "industry_without_research": bool(industry) and not ties,
                "research_without_industry": bool(innovation) and not ties,
            }
        )
    return out


def synergy_gaps(chain: Chain) -> dict[str, Any]:
    """The leaf nodes carrying each flag: industry without research (most firms first) and
    research without industry (most innovation actors first).

    Leaves only: a parent pools its sub-nodes, so a bridge in one sub-node would hide a gap in
    another, and listing parents too would repeat their leaves.

    Keys: leaves (how many were examined), industry_without_research,
    research_without_industry (lists of {node, name_en, name_zh, stage, industry, innovation}).
    """
    rows = [r for r in synergy(chain) if r["leaf"]]

    def entry(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "node": row["node"],
            "name_en": row["name_en"],
            "name_zh": row["name_zh"],
            "stage": row["stage"],
            "industry": row["counts"]["industry"],
            "innovation": row["counts"]["innovation"],
        }

    no_research = [entry(r) for r in rows if r["industry_without_research"]]
    no_industry = [entry(r) for r in rows if r["research_without_industry"]]
    no_research.sort(key=lambda e: (-e["industry"], e["node"]))
    no_industry.sort(key=lambda e: (-e["innovation"], e["node"]))
    return {
        "leaves": len(rows),
        "industry_without_research": no_research,
        "research_without_industry": no_industry,
    }
