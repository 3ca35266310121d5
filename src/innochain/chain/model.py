"""The chain as the analyses see it: a frozen snapshot of organisations, the taxonomy,
relations, capabilities and market shares, with the lookups every analysis needs.

Pure data: `innochain.chain.snapshot` reads it from the store; every analysis in this package
is a function of a `Chain` (and its arguments), so tests build small chains by hand.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import TypeVar

__all__ = [
    "INDUSTRIAL_KINDS",
    "INNOVATION_KINDS",
    "Ability",
    "Chain",
    "Node",
    "Org",
    "Tie",
    "per_snapshot",
]

T = TypeVar("T")

#: the innovation side of the ecosystem (创新链)
INNOVATION_KINDS = frozenset({"university", "research_institute"})
#: the industrial side (产业链): firms that make and sell
INDUSTRIAL_KINDS = frozenset({"automaker", "supplier", "tech_company", "service_provider"})


@dataclass(frozen=True)
class Org:
    id: str
    name_en: str
    name_zh: str
    kind: str
    country: str
    province: str | None = None
    city: str | None = None
    nodes: tuple[str, ...] = ()

    @property
    def domestic(self) -> bool:
        return self.country == "CN"

    @property
    def name(self) -> str:
        return self.name_zh or self.name_en


@dataclass(frozen=True)
class Node:
    id: str
    parent_id: str | None
    stage: str
    name_en: str
    name_zh: str


@dataclass(frozen=True)
class Tie:
    """A relation: `source` supplies / invests in / licenses to ... `target`."""

    source: str
    target: str
    type: str
    year: int | None = None
    domain_id: str | None = None
    source_url: str = ""


@dataclass(frozen=True)
class Ability:
    """A capability: what an organisation makes or researches, at which TRL, and the chain
    nodes its technology domain belongs to."""

    org: str
    domain_id: str
    trl: int
    nodes: tuple[str, ...] = ()


@dataclass
class Chain:
    orgs: dict[str, Org]
    nodes: dict[str, Node]
    ties: list[Tie] = field(default_factory=list)
    abilities: list[Ability] = field(default_factory=list)
    #: technology domain -> the chain nodes it belongs to
    domain_nodes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: chain node -> {organisation: market share in [0, 1]} with the share's source
    shares: dict[str, dict[str, float]] = field(default_factory=dict)
    share_sources: dict[str, str] = field(default_factory=dict)

    @cached_property
    def children(self) -> dict[str | None, list[str]]:
        out: dict[str | None, list[str]] = defaultdict(list)
        for node in self.nodes.values():
            out[node.parent_id].append(node.id)
        for ids in out.values():
            ids.sort()
        return out

    def subtree(self, node_id: str) -> list[str]:
        """The node and every node below it."""
        out, stack = [], [node_id]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.children.get(current, []))
        return out

    def ancestors(self, node_id: str) -> list[str]:
        out, current = [], self.nodes[node_id].parent_id
        while current is not None:
            out.append(current)
            current = self.nodes[current].parent_id
        return out

    @cached_property
    def leaves(self) -> list[str]:
        return sorted(n for n in self.nodes if not self.children.get(n))

    @cached_property
    def members(self) -> dict[str, set[str]]:
        """Chain node -> organisations active in it directly (as the registry states, or
        through a capability), not counting sub-nodes."""
        out: dict[str, set[str]] = defaultdict(set)
        for org in self.orgs.values():
            for node in org.nodes:
                out[node].add(org.id)
        for ability in self.abilities:
            for node in ability.nodes:
                out[node].add(ability.org)
        return out

    def actors(self, node_id: str) -> set[str]:
        """Organisations active in the node or any sub-node."""
        found: set[str] = set()
        for node in self.subtree(node_id):
            found |= self.members.get(node, set())
        return found

    @cached_property
    def best_trl(self) -> dict[tuple[str, str], int]:
        """(organisation, chain node) -> the best TRL of its capabilities in that node."""
        out: dict[tuple[str, str], int] = {}
        for ability in self.abilities:
            for node in ability.nodes:
                key = (ability.org, node)
                out[key] = max(out.get(key, 0), ability.trl)
        return out

    def tie_nodes(self, tie: Tie) -> tuple[str, ...]:
        """The chain nodes a tie is about: its technology domain's nodes; otherwise, for a
        supply, the nodes the supplier is active in."""
        if tie.domain_id and self.domain_nodes.get(tie.domain_id):
            return self.domain_nodes[tie.domain_id]
        if tie.source in self.orgs:
            return self.orgs[tie.source].nodes
        return ()

    def node_label(self, node_id: str) -> str:
        node = self.nodes.get(node_id)
        return f"{node.name_en} {node.name_zh}" if node else node_id


def per_snapshot(compute: Callable[[Chain], T]) -> Callable[[Chain], T]:
    """`compute`, remembered for the last few chain snapshots: a snapshot never changes, and
    the app keeps one per registry state (`api.deps.get_chain`)."""
    memo: dict[int, tuple[Chain, T]] = {}
    lock = threading.Lock()

    @wraps(compute)
    def cached(chain: Chain) -> T:
        with lock:
            if (hit := memo.get(id(chain))) and hit[0] is chain:
                return hit[1]
        found = compute(chain)
        with lock:
            if len(memo) >= 4:
                memo.pop(next(iter(memo)))
            memo[id(chain)] = (chain, found)
        return found

    return cached
