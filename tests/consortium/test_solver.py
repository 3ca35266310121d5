"""The builder against brute force on small instances, and every constraint on its own."""

from __future__ import annotations

import itertools
import random

import pytest

from innochain.consortium import Candidate, Constraints, build_consortium, solver
from innochain.consortium.solver import REGION, SIZE, TIE, competitor_groups
from innochain.errors import InvalidInput

pytestmark = pytest.mark.unit


def brute_force(
    domains: dict[str, float],
    cands: list[Candidate],
    lead: str,
    ties: set[frozenset[str]],
    c: Constraints,
) -> float | None:
    """The best objective by enumerating every member set and every assignment of domains to
    members in which each member but the lead covers one (independent of the MILP)."""
    values = every_consortium(domains, cands, lead, ties, c)
    return max(values.values()) if values else None


def every_consortium(
    domains: dict[str, float],
    cands: list[Candidate],
    lead: str,
    ties: set[frozenset[str]],
    c: Constraints,
) -> dict[frozenset[str], float]:
    """Every allowed member set with its objective."""
    out = {}
    others = [x for x in cands if x.organization_id != lead]
    lead_c = next(x for x in cands if x.organization_id == lead)
    rival_groups = competitor_groups(cands) if c.no_competitors else []
    for k in range(max(c.min_size - 1, 0), c.max_size):
        for combo in itertools.combinations(others, k):
            members = [lead_c, *combo]
            if c.require_research and not any(m.is_research for m in members):
                continue
            if any(m.organization_id in c.excluded for m in combo):
                continue
            if c.regions and any(m.province not in c.regions for m in combo):
                continue
            if c.domestic_only and any(m.country != "CN" for m in combo):
                continue
            ids = {m.organization_id for m in members}
            if any(len(ids & {cands[i].organization_id for i in g}) > 1 for g in rival_groups):
                continue
            fit = _best_assignment(domains, members)
            if fit is None:
                continue
            tie_bonus = TIE * sum(1 for t in ties if t <= ids)
            pref = REGION * sum(1 for m in members if m.province in c.preferred_regions)
            out[frozenset(ids)] = fit + tie_bonus + pref - SIZE * len(members)
    return out


def _best_assignment(domains: dict[str, float], members: list[Candidate]) -> float | None:
    """The most weighted fit over assignments of every domain to a member covering it, each
    member but the first (the lead) covering at least one; None if there is none."""
    choices = [[m for m in members if d in m.fit] for d in domains]
    best = None
    for owners in itertools.product(*choices):
        if any(all(o is not m for o in owners) for m in members[1:]):
            continue
        fit = sum(w * o.fit[d] for (d, w), o in zip(domains.items(), owners, strict=True))
        best = fit if best is None else max(best, fit)
    return best


def random_instance(
    seed: int, crowded: bool = False
) -> tuple[dict[str, float], list[Candidate], set[frozenset[str]]]:
    """Four domains and nine candidates; `crowded`: twelve with coarse fits, two provinces and
    chain nodes, so that many dominate others and some compete."""
    rng = random.Random(seed)
    domains = {f"d{k}": round(rng.uniform(0.5, 1.5), 2) for k in range(4)}
    cands = [Candidate("lead", kind="automaker", fit={"d0": 0.5}, province="Anhui")]
    for k in range(12 if crowded else 9):
        covered = rng.sample(sorted(domains), rng.randint(1, 3))
        if crowded:
            fit = {d: rng.choice([0.5, 0.8]) for d in covered}
            province = rng.choice(["Anhui", "Jiangsu"])
            nodes = frozenset(rng.sample(["cells", "bms"], rng.randint(1, 2)))
        else:
            fit = {d: round(rng.uniform(0.2, 1.0), 2) for d in covered}
            province = rng.choice(["Anhui", "Jiangsu", "Guangdong"])
            nodes = frozenset()
        cands.append(
            Candidate(
                f"c{k}",
                kind="university" if k % 4 == 0 else "supplier",
                province=province,
                fit=fit,
                chain_nodes=nodes,
            )
        )
    ids = [c.organization_id for c in cands]
    ties = {frozenset(rng.sample(ids, 2)) for _ in range(4)}
    return domains, cands, ties


@pytest.fixture(params=["direct", "warm-started"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Solve small models as they are, or through the large models' path: LP prices, the
    cover search and HiGHS from its start."""
    if request.param == "warm-started":
        monkeypatch.setattr(solver, "WARM_START_ABOVE", 0)
    return str(request.param)


CASES = {
    "plain": Constraints(min_size=2, max_size=4, no_competitors=False),
    "research": Constraints(min_size=1, max_size=3, require_research=True, no_competitors=False),
    "preferred-region": Constraints(
        min_size=2, max_size=5, preferred_regions=("Jiangsu",), no_competitors=False
    ),
    "min-size": Constraints(min_size=4, max_size=5, no_competitors=False),
    "min-size-preferred": Constraints(min_size=3, max_size=4, preferred_regions=("Anhui",)),
    "competitors": Constraints(min_size=1, max_size=4, require_research=True),
}


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("crowded", [False, True], ids=["spread", "crowded"])
def test_optimum_equals_brute_force(seed: int, case: str, crowded: bool, path: str) -> None:
    constraints = CASES[case]
    domains, cands, ties = random_instance(seed, crowded)
    expected = brute_force(domains, cands, "lead", ties, constraints)
    result = build_consortium(
        domains, cands, lead_id="lead", ties=ties, constraints=constraints, alternatives=0
    )
    if expected is None:
        assert not result.feasible
        return
    assert result.feasible
    assert result.proposals[0].optimal
    assert result.proposals[0].objective == pytest.approx(expected, abs=1e-5)


def test_a_dominated_member_kept_for_min_size() -> None:
    """b dominates a, but four members are required and a covers d1 as well as b does: the
    optimum keeps both (one dominator used to be enough to drop a)."""
    cands = [
        Candidate("lead", kind="automaker"),
        Candidate("b", kind="supplier", fit={"d1": 0.9, "d2": 0.9}),
        Candidate("c", kind="supplier", fit={"d3": 1.0}),
        Candidate("a", kind="supplier", fit={"d1": 0.9}),
        Candidate("e", kind="supplier", fit={"d3": 0.5, "d1": 0.1}),
        Candidate("f", kind="supplier", fit={"d3": 0.5, "d2": 0.1}),
    ]
    constraints = Constraints(min_size=4, max_size=4, no_competitors=False)
    domains = {"d1": 1.0, "d2": 1.0, "d3": 1.0}
    result = build_consortium(domains, cands, lead_id="lead", constraints=constraints)
    best = result.proposals[0]
    assert sorted(m.organization_id for m in best.members) == ["a", "b", "c", "lead"]
    assert best.objective == pytest.approx(2.8 - 4 * SIZE)
    assert best.objective == pytest.approx(brute_force(domains, cands, "lead", set(), constraints))


def test_a_dominated_member_kept_for_its_region_bonus() -> None:
    """a in a preferred region is worth its bonus (more than the size penalty) even though b
    covers everything a does."""
    cands = [
        Candidate("lead", kind="automaker"),
        Candidate("b", kind="supplier", fit={"d1": 0.9, "d2": 0.9}, province="Anhui"),
        Candidate("a", kind="supplier", fit={"d1": 0.9}, province="Anhui"),
        Candidate("x", kind="supplier", fit={"d1": 0.1}, province="Hubei"),
    ]
    constraints = Constraints(
        min_size=1, max_size=4, preferred_regions=("Anhui",), no_competitors=False
    )
    result = build_consortium(
        {"d1": 1.0, "d2": 1.0}, cands, lead_id="lead", constraints=constraints
    )
    best = result.proposals[0]
    assert sorted(m.organization_id for m in best.members) == ["a", "b", "lead"]
    assert best.objective == pytest.approx(1.8 + 2 * REGION - 3 * SIZE)


def _mid_size(seed: int) -> tuple[dict[str, float], list[Candidate]]:
    """Twelve domains and 400 candidates covering 1-3 each, too many for brute force."""
    rng = random.Random(seed)
    domains = {f"d{k:02d}": round(rng.uniform(0.5, 1.5), 3) for k in range(12)}
    names = sorted(domains)
    cands = [Candidate("lead", kind="automaker", fit={names[0]: 0.6, names[1]: 0.4})]
    for k in range(400):
        covered = rng.sample(names, rng.randint(1, 3))
        cands.append(
            Candidate(
                f"c{k}",
                kind="research_institute" if rng.random() < 0.1 else "supplier",
                province=rng.choice(["Anhui", "Jiangsu", "Sichuan"]),
                fit={d: round(rng.uniform(0.2, 1.0), 3) for d in covered},
                chain_nodes=frozenset({rng.choice(["cells", "bms", "motors", "chips"])}),
            )
        )
    return domains, cands


@pytest.mark.parametrize("seed", range(3))
def test_warm_start_changes_nothing_but_speed(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm-started and the plain solve prove the same optimum and alternatives."""
    domains, cands = _mid_size(seed)
    constraints = Constraints(
        min_size=2, max_size=5, require_research=True, preferred_regions=("Sichuan",)
    )
    ties = {frozenset({"lead", "c1"}), frozenset({"c2", "c3"})}

    def solve() -> list[float]:
        result = build_consortium(
            domains, cands, lead_id="lead", ties=ties, constraints=constraints, alternatives=2
        )
        assert result.candidates > solver.WARM_START_ABOVE or solver.WARM_START_ABOVE > 10**6
        assert all(p.optimal for p in result.proposals)
        return [p.objective for p in result.proposals]

    monkeypatch.setattr(solver, "WARM_START_ABOVE", 10**9)
    plain = solve()
    monkeypatch.setattr(solver, "WARM_START_ABOVE", 50)
    warm = solve()
    assert warm == pytest.approx(plain, abs=1e-5)


def test_the_cover_search_starts_from_a_real_consortium() -> None:
    domains, cands = _mid_size(7)
    constraints = Constraints(min_size=2, max_size=5, require_research=True)
    model = solver._model(domains, cands, "lead", set(), constraints)
    program = solver._program(model, domains, constraints, ())
    relaxed = solver._run(program, 10.0, {}, relax=True)
    bound = relaxed.getInfo().objective_function_value
    prices = solver._prices(model, program, relaxed)
    found = solver._search(model, domains, constraints, (), bound, prices)
    assert found is not None
    members, covering = found
    assert members[0] == model.lead
    assert constraints.min_size <= len(members) <= constraints.max_size
    assert any(model.cands[i].is_research for i in members)
    assert sorted(covering) == list(range(len(model.doms)))
    assert all(model.doms[d] in model.cands[i].fit for d, i in covering.items())
    assert set(members[1:]) <= set(covering.values())
    value = sum(
        domains[model.doms[d]] * model.cands[i].fit[model.doms[d]] for d, i in covering.items()
    )
    value -= SIZE * len(members)
    best = build_consortium(domains, cands, lead_id="lead", constraints=constraints, alternatives=0)
    assert value <= best.proposals[0].objective + 1e-9 <= bound + 1e-6


@pytest.mark.parametrize("seed", [3, 5])
def test_alternatives_are_the_next_best_distinct_sets(seed: int, path: str) -> None:
    domains, cands, ties = random_instance(seed)
    constraints = Constraints(min_size=2, max_size=5, no_competitors=False)
    result = build_consortium(
        domains,
        cands,
        lead_id="lead",
        ties=ties,
        alternatives=3,
        constraints=constraints,
    )
    sets = [frozenset(m.organization_id for m in p.members) for p in result.proposals]
    assert len(set(sets)) == len(sets) == 4
    objectives = [p.objective for p in result.proposals]
    assert objectives == sorted(objectives, reverse=True)
    # each is scored right, and each is the best set of the candidates left after pruning
    # (dominated ones would give near-copies of the optimum) that contains no earlier one
    everything = every_consortium(domains, cands, "lead", ties, constraints)
    assert all(
        everything[s] == pytest.approx(v, abs=1e-5) for s, v in zip(sets, objectives, strict=True)
    )
    model = solver._model(domains, cands, "lead", ties, constraints)
    kept = {c.organization_id for c in model.cands}
    for k, objective in enumerate(objectives):
        allowed = [
            v for s, v in everything.items() if s <= kept and not any(e <= s for e in sets[:k])
        ]
        assert objective == pytest.approx(max(allowed), abs=1e-5)


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


def test_smallest_size_counts_candidates_only_a_larger_consortium_can_use() -> None:
    """Under a cap of 3 only a and b look useful, and they miss d6; the size search must not
    inherit that pruning (it used to report d6 as covered by nobody)."""
    cands = [
        Candidate("lead", kind="university"),
        Candidate("a", kind="supplier", fit={"d1": 0.9, "d2": 0.9, "d3": 0.9}),
        Candidate("b", kind="supplier", fit={"d3": 0.8, "d4": 0.9, "d5": 0.9}),
        Candidate("s6", kind="supplier", fit={"d6": 0.7}),
        Candidate("s4", kind="supplier", fit={"d4": 0.5}),
    ]
    result = build_consortium(
        {f"d{k}": 1.0 for k in range(1, 7)},
        cands,
        lead_id="lead",
        constraints=Constraints(min_size=1, max_size=3, no_competitors=False),
    )
    assert not result.feasible and result.uncovered == ()
    assert result.relaxation is not None
    assert result.relaxation.change == "raise max_size to 4"


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
