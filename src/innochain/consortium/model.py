"""What the consortium builder reads and returns: candidates, constraints, proposals."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Candidate", "Constraints", "Member", "Proposal", "Relaxation"]

#: organisation kinds that count as the research side ("industry-university-research")
RESEARCH_KINDS = frozenset({"university", "research_institute"})


@dataclass(frozen=True)
class Candidate:
    """An organisation that could join, with how well it covers each required domain.

    `fit` maps technology-domain ids to a score in (0, 1] (capability, maturity and the
    matcher's relevance); a domain missing from `fit` cannot be covered by this candidate.
    """

    organization_id: str
    name: str = ""
    kind: str = ""
    province: str | None = None
    country: str = "CN"
    fit: dict[str, float] = field(default_factory=dict)
    #: leaf chain nodes, to tell direct competitors apart
    chain_nodes: frozenset[str] = frozenset()
    #: why the matcher ranked it (shown with the proposal)
    reasons: tuple[str, ...] = ()

    @property
    def is_research(self) -> bool:
        return self.kind in RESEARCH_KINDS


@dataclass(frozen=True)
class Constraints:
    """Bounds on a consortium. Sizes count every member, the lead included."""

    min_size: int = 3
    max_size: int = 8
    require_research: bool = False
    #: provinces members must be in (the lead excepted); empty: anywhere
    regions: tuple[str, ...] = ()
    #: provinces that earn a bonus, without being required
    preferred_regions: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    domestic_only: bool = False
    no_competitors: bool = True


@dataclass(frozen=True)
class Member:
    organization_id: str
    name: str
    kind: str
    role: str
    domains: tuple[str, ...]
    fit: float
    why: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    """One consortium: its members, the objective's parts and whether it is proven optimal."""

    members: tuple[Member, ...]
    objective: float
    coverage: dict[str, str]
    fit_total: float
    trust_ties: int
    optimal: bool
    gap: float

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Relaxation:
    """The smallest change to the constraints that would make the problem feasible."""

    change: str
    constraints: Constraints
