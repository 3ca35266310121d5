"""The builder against brute force on small instances, and every constraint on its own."""

from __future__ import annotations

import itertools
import random

import pytest

from innochain.consortium import Candidate, Constraints, build_consortium
from innochain.consortium.solver import REGION, SIZE, TIE
from innochain.errors import InvalidInput

pytestmark = pytest.mark.unit


def brute_force(
    domains: dict[str, float],
    cands: list[Candidate],
    lead: str,
    ties: set[frozenset[str]],
    c: Constraints,
) -> float | None:
    """The best objective by enumerating every member set (independent of the MILP)."""
    others = [x for x in cands if x.organization_id != lead]
    lead_c = next(x for x in cands if x.organization_id == lead)
    best = None
    for k in range(c.min_size - 1, c.max_size):
        for combo in itertools.combinations(others, k):
            members = [lead_c, *combo]
            if any(d not in set().union(*(m.fit for m in members)) for d in domains):
                continue
            if c.require_research and not any(m.is_research for m in members):
                continue
            if any(m.organization_id in c.excluded for m in combo):
                continue
            if c.regions and any(m.province not in c.regions for m in combo):
                continue
            # each non-lead member must be the best (or tied) coverer of some domain it covers
            fit = 0.0
            used = set()
            for d, w in domains.items():
                top = max(members, key=lambda m: (m.fit.get(d, -1), m is lead_c))
                fit += w * top.fit[d]
                used.add(top.organization_id)
            if any(
                m.organization_id not in used and not _can_cover_tie(m, members, domains)
                for m in combo
            ):
                continue
            ids = {m.organization_id for m in members}
            tie_bonus = TIE * sum(1 for t in ties if t <= ids)
            pref = REGION * sum(1 for m in members if m.province in c.preferred_regions)
            value = fit + tie_bonus + pref - SIZE * len(members)
            best = value if best is None else max(best, value)
    return best


def _can_cover_tie(m: Candidate, members: list[Candidate], domains: dict[str, float]) -> bool:
    """A member may take a domain it covers as well as the best member does."""
    return any(d in m.fit and m.fit[d] == max(x.fit.get(d, -1) for x in members) for d in domains)


def random_instance(seed: int) -> tuple[dict[str, float], list[Candidate], set[frozenset[str]]]:
    rng = random.Random(seed)
    domains = {f"d{k}": round(rng.uniform(0.5, 1.5), 2) for k in range(4)}
    cands = [Candidate("lead", kind="automaker", fit={"d0": 0.5}, province="Anhui")]
    for k in range(9):
        covered = rng.sample(sorted(domains), rng.randint(1, 3))
        cands.append(
            Candidate(
                f"c{k}",
                kind="university" if k % 4 == 0 else "supplier",
                province=rng.choice(["Anhui", "Jiangsu", "Guangdong"]),
                fit={d: round(rng.uniform(0.2, 1.0), 2) for d in covered},
            )
        )
    ids = [c.organization_id for c in cands]
    ties = {frozenset(rng.sample(ids, 2)) for _ in range(4)}
    return domains, cands, ties


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize(
    "constraints",
    [
        Constraints(min_size=2, max_size=4, no_competitors=False),
        Constraints(min_size=1, max_size=3, require_research=True, no_competitors=False),
        Constraints(min_size=2, max_size=5, preferred_regions=("Jiangsu",), no_competitors=False),
    ],
    ids=["plain", "research", "preferred-region"],
)
def test_optimum_equals_brute_force(seed: int, constraints: Constraints) -> None:
    domains, cands, ties = random_instance(seed)
    expected = brute_force(domains, cands, "lead", ties, constraints)
    result = build_consortium(
        domains, cands, lead_id="lead", ties=ties, constraints=constraints, alternatives=0
    )
    if expected is None:
        assert not result.feasible
        return
    assert result.feasible
    assert result.proposals[0].optimal
    assert result.proposals[0].objective == pytest.approx(expected, abs=1e-4)


def test_alternatives_are_distinct_and_no_better() -> None:
    domains, cands, ties = random_instance(3)
    result = build_consortium(
        domains,
        cands,
        lead_id="lead",
        ties=ties,
        alternatives=3,
        constraints=Constraints(min_size=2, max_size=5, no_competitors=False),
    )
    sets = [frozenset(m.organization_id for m in p.members) for p in result.proposals]
    assert len(set(sets)) == len(sets) == 4
    objectives = [p.objective for p in result.proposals]
    assert objectives == sorted(objectives, reverse=True)


def _cands() -> list[Candidate]:
    return [
        Candidate("nio", kind="automaker", province="Anhui"),
        Candidate(
            "catl",
            kind="supplier",
            fit={"cells": 0.9},
            province="Fujian",
            chain_nodes=frozenset({"cells"}),
        ),
        Candidate(
            "calb",
            kind="supplier",
            fit={"cells": 0.7, "bms": 0.6},
            province="Jiangsu",
            chain_nodes=frozenset({"cells"}),
        ),
        Candidate("byd", kind="automaker", fit={"cells": 0.95, "bms": 0.9}, province="Guangdong"),
        Candidate("tsinghua", kind="university", fit={"bms": 0.5}, province="Beijing"),
        Candidate(
            "lges",
            kind="supplier",
            fit={"cells": 0.99},
            country="KR",
            chain_nodes=frozenset({"pouch"}),
        ),
    ]


def _members(**kw: object) -> list[str]:
    result = build_consortium(
        {"cells": 1.0, "bms": 1.0},
        _cands(),
        lead_id="nio",
        alternatives=0,
        constraints=Constraints(**{"min_size": 1, "max_size": 4, **kw}),  # type: ignore[arg-type]
    )
    assert result.feasible, result.message
    return sorted(m.organization_id for m in result.proposals[0].members)


def test_no_two_automakers_and_no_two_cell_makers_by_default() -> None:
    members = _members()
    assert "byd" not in members  # a rival automaker of the lead
    assert not {"catl", "calb"} <= set(members)


def test_competitors_allowed_when_asked() -> None:
    assert _members(no_competitors=False) == ["byd", "lges", "nio"]  # 0.99 + 0.9 beats byd alone


def test_research_region_exclusion_and_domestic_constraints() -> None:
    assert "tsinghua" in _members(require_research=True)
    assert _members(domestic_only=True, excluded=("catl",)) == ["calb", "nio"]
    assert "lges" in _members(no_competitors=True)  # best cells, different chain node
    assert "lges" not in _members(domestic_only=True)
    assert _members(regions=("Jiangsu",)) == ["calb", "nio"]


def test_infeasible_reports_uncovered_domains_and_a_relaxation() -> None:
    result = build_consortium(
        {"cells": 1.0, "bms": 1.0, "hydrogen": 1.0},
        _cands(),
        lead_id="nio",
        constraints=Constraints(min_size=1, max_size=4),
    )
    assert (result.feasible, result.uncovered, result.relaxation) == (False, ("hydrogen",), None)
    assert "no eligible candidate covers hydrogen" in result.message
    tight = build_consortium(
        {"cells": 1.0, "bms": 1.0},
        _cands(),
        lead_id="nio",
        constraints=Constraints(min_size=1, max_size=4, regions=("Fujian",)),
    )
    assert not tight.feasible and tight.uncovered == ("bms",)
    small = build_consortium(
        {"cells": 1.0, "bms": 1.0},
        _cands(),
        lead_id="nio",
        constraints=Constraints(min_size=1, max_size=2, require_research=True),
    )
    assert small.relaxation is not None
    assert small.relaxation.change == "raise max_size to 3"


@pytest.mark.parametrize(
    "domains,lead,constraints,fragment",
    [
        ({}, "nio", Constraints(), "at least one required technology domain"),
        ({"cells": 0.0}, "nio", Constraints(), "weights must be positive"),
        ({"cells": 1.0}, "nio", Constraints(min_size=5, max_size=2), "min_size <= max_size"),
        ({"cells": 1.0}, "", Constraints(), "name the lead"),
        ({"cells": 1.0}, "tesla", Constraints(), "not among the candidates"),
    ],
)
def test_bad_input_is_refused(
    domains: dict[str, float], lead: str, constraints: Constraints, fragment: str
) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        build_consortium(domains, _cands(), lead_id=lead, constraints=constraints)
