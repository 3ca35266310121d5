"""The exact consortium builder: a mixed-integer programme solved by HiGHS.

Variables: `x_i` (binary) — candidate i joins; `y_id` (continuous, 0..1) — member i is the
one that covers required domain d; `z_ij` (continuous) — both ends of an existing tie joined.

    maximise   sum_d w_d sum_i fit_id y_id  +  TIE z  +  REGION sum_pref x_i  -  SIZE sum x_i
    subject to sum_i y_id = 1                      every required domain covered once
               y_id <= x_i                          only by a member
               x_i <= sum_d y_id                    every member but the lead covers something
               min <= sum x_i <= max                size bounds (the lead counts)
               sum_research x_i >= 1                when research is required
               sum_{i in G} x_i <= 1                per group of direct competitors
               z_ij <= x_i, z_ij <= x_j             a tie counts when both joined
               x_lead = 1, x_excluded = 0

plus an implied knapsack row (the members besides the lead bring every domain the lead does
not cover). For fixed members the assignment `y` is an LP with an integral optimum, so only
`x` needs to be integer. HiGHS proves the optimum with no relative gap. Before it, candidates
that cannot be in any optimum are dropped (`_undominated`, `_reachable`), and large models
get a warm start from the LP relaxation and a search over covers (`_solve`). Alternatives
are found by re-solving with a cut that forbids each earlier member set (and so its
supersets); infeasible problems report the domains nobody eligible covers and the smallest
single relaxation that makes them feasible.
"""

from __future__ import annotations

import bisect
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import highspy
import numpy as np

from innochain.consortium.model import Candidate, Constraints, Member, Proposal, Relaxation
from innochain.errors import InvalidInput

__all__ = ["BuildResult", "build_consortium", "competitor_groups", "eligible"]

#: objective weights besides capability fit (fit is in 0..1 per domain, times its weight)
TIE = 0.05
REGION = 0.05
SIZE = 0.01
COMPETING_KINDS = ("automaker", "supplier", "tech_company")


@dataclass(frozen=True)
class BuildResult:
    """The optimum and alternatives, or why there is none."""

    proposals: tuple[Proposal, ...]
    feasible: bool
    uncovered: tuple[str, ...] = ()
    relaxation: Relaxation | None = None
    candidates: int = 0
    seconds: float = 0.0
    message: str = ""


def eligible(
    candidates: Sequence[Candidate], lead_id: str, constraints: Constraints
) -> list[Candidate]:
    """Candidates the constraints allow (the lead always)."""
    excluded = set(constraints.excluded)
    out = []
    for c in candidates:
        if c.organization_id == lead_id:
            out.append(c)
            continue
        if c.organization_id in excluded:
            continue
        if constraints.domestic_only and c.country != "CN":
            continue
        if constraints.regions and c.province not in constraints.regions:
            continue
        out.append(c)
    return out


def competitor_groups(candidates: Sequence[Candidate]) -> list[list[int]]:
    """Index groups of direct competitors: all automakers; suppliers (and tech firms) that
    share a leaf chain node."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(candidates):
        if c.kind == "automaker":
            groups[("automaker", "*")].append(i)
        elif c.kind in COMPETING_KINDS:
            for node in c.chain_nodes:
                groups[(c.kind, node)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _check(domains: Mapping[str, float], lead_id: str, constraints: Constraints) -> None:
    problems = []
    if not domains:
        problems.append("domains: a consortium needs at least one required technology domain")
    if any(w <= 0 for w in domains.values()):
        problems.append("domains: weights must be positive")
    if constraints.min_size < 1 or constraints.max_size < constraints.min_size:
        problems.append(
            f"size: need 1 <= min_size <= max_size (got {constraints.min_size}, "
            f"{constraints.max_size})"
        )
    if not lead_id:
        problems.append("lead: name the lead organisation (the seeker or a chain leader)")
    if problems:
        raise InvalidInput("; ".join(problems))


@dataclass
class _Model:
    cands: list[Candidate]
    doms: list[str]
    pairs: list[tuple[int, int]]  # (candidate index, domain index) that may be assigned
    ties: list[tuple[int, int]]
    lead: int


#: models with more candidates than this are warm-started (see `_solve`); smaller ones take
#: HiGHS milliseconds as they are
WARM_START_ABOVE = 150
#: how many nodes and complete covers the warm-start search may visit (a few tenths of a
#: second each at most)
SEARCH_NODES = 300_000
SEARCH_LEAVES = 10_000
#: HiGHS options for every solve. No relative gap: "optimal" means HiGHS closed the gap to
#: its absolute tolerance, below any difference between two consortia's objectives
_OPTIONS: dict[str, bool | int | float | str] = {
    "output_flag": False,
    "threads": 1,
    "random_seed": 0,
    "mip_rel_gap": 0.0,
    "mip_abs_gap": 1e-7,
    # pseudo-costs from the start instead of strong branching on every variable first
    "mip_pscost_minreliable": 0,
}
#: given a good start, the root heuristics (sub-MIPs taking seconds) rarely find better
_WARM_OPTIONS: dict[str, bool | int | float | str] = {
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
}

_Solved = tuple[list[int], dict[int, int], float, bool, float]


@dataclass
class _Program:
    """The MILP of one solve as HiGHS reads it: columns `x` (one per candidate), then `y`
    (one per pair), then `z` (one per tie); the rows `y_id <= x_i` start at `pair_rows`, in
    the order of the pairs (their duals enter the warm start's prices)."""

    lp: highspy.HighsLp
    integrality: list[highspy.HighsVarType]
    nx: int
    ny: int
    pair_rows: int


def _program(
    model: _Model,
    weights: Mapping[str, float],
    constraints: Constraints,
    cuts: Sequence[frozenset[int]],
) -> _Program:
    n, pairs, ties = len(model.cands), model.pairs, model.ties
    nx, ny = n, len(pairs)
    ncol = nx + ny + len(ties)
    cost = np.zeros(ncol)
    lower = np.zeros(ncol)
    upper = np.ones(ncol)
    integrality = [highspy.HighsVarType.kInteger] * nx + [highspy.HighsVarType.kContinuous] * (
        ncol - nx
    )
    preferred = set(constraints.preferred_regions)
    for i, c in enumerate(model.cands):
        cost[i] = -SIZE + (REGION if preferred and c.province in preferred else 0.0)
    for k, (i, d) in enumerate(pairs):
        dom = model.doms[d]
        cost[nx + k] = weights[dom] * model.cands[i].fit[dom]
    cost[nx + ny :] = TIE
    lower[model.lead] = 1.0
    rows: list[tuple[list[int], list[float], float, float]] = []
    by_domain: dict[int, list[int]] = defaultdict(list)
    by_cand: dict[int, list[int]] = defaultdict(list)
    for k, (i, d) in enumerate(pairs):
        by_domain[d].append(k)
        by_cand[i].append(k)
    for d in range(len(model.doms)):
        ks = by_domain[d]
        rows.append(([nx + k for k in ks], [1.0] * len(ks), 1.0, 1.0))
    for k, (i, _d) in enumerate(pairs):
        rows.append(([nx + k, i], [1.0, -1.0], -highspy.kHighsInf, 0.0))
    for i in range(n):
        if i != model.lead:
            ks = by_cand[i]
            rows.append(
                ([i] + [nx + k for k in ks], [1.0] + [-1.0] * len(ks), -highspy.kHighsInf, 0.0)
            )
    rows.append(
        (list(range(n)), [1.0] * n, float(constraints.min_size), float(constraints.max_size))
    )
    # implied, but it hands the solver a knapsack to cut with: the other members must bring
    # every required domain the lead does not cover
    lead_domains = {d for i, d in pairs if i == model.lead}
    others = [i for i in range(n) if i != model.lead]
    new = [float(sum(pairs[k][1] not in lead_domains for k in by_cand[i])) for i in others]
    missing = len(model.doms) - len(lead_domains)
    rows.append((others, new, float(missing), highspy.kHighsInf))
    if constraints.require_research:
        research = [i for i, c in enumerate(model.cands) if c.is_research]
        rows.append((research, [1.0] * len(research), 1.0, highspy.kHighsInf))
    if constraints.no_competitors:
        for group in competitor_groups(model.cands):
            rows.append((group, [1.0] * len(group), -highspy.kHighsInf, 1.0))
    for t, (i, j) in enumerate(ties):
        col = nx + ny + t
        rows.append(([col, i], [1.0, -1.0], -highspy.kHighsInf, 0.0))
        rows.append(([col, j], [1.0, -1.0], -highspy.kHighsInf, 0.0))
    for cut in cuts:
        members = sorted(cut)
        rows.append((members, [1.0] * len(members), -highspy.kHighsInf, float(len(members) - 1)))

    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = len(rows)
    lp.col_cost_ = cost
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = np.array([r[2] for r in rows])
    lp.row_upper_ = np.array([r[3] for r in rows])
    lp.sense_ = highspy.ObjSense.kMaximize
    starts = [0]
    index: list[int] = []
    value: list[float] = []
    for cols, vals, _lo, _hi in rows:
        index.extend(cols)
        value.extend(vals)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value)
    lp.a_matrix_.num_col_ = ncol
    lp.a_matrix_.num_row_ = len(rows)
    return _Program(lp, integrality, nx, ny, pair_rows=len(model.doms))


def _run(
    program: _Program,
    time_limit: float,
    options: Mapping[str, bool | int | float | str],
    *,
    relax: bool = False,
    start: np.ndarray | None = None,
) -> highspy.Highs:
    program.lp.integrality_ = [] if relax else program.integrality
    h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy ships no annotations for it
    for name, setting in {**_OPTIONS, **options}.items():
        h.setOptionValue(name, setting)
    h.setOptionValue("time_limit", max(float(time_limit), 0.01))
    h.passModel(program.lp)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start.tolist()
        solution.value_valid = True
        h.setSolution(solution)
    h.run()
    return h


def _result(model: _Model, program: _Program, h: highspy.Highs) -> _Solved | None:
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    solution = h.getSolution()
    if not solution.value_valid:
        return None  # time limit with no feasible point: treat as none found
    values = np.asarray(solution.col_value)
    members = [i for i in range(program.nx) if values[i] > 0.5]
    covering = {d: i for k, (i, d) in enumerate(model.pairs) if values[program.nx + k] > 0.5}
    info = h.getInfo()
    optimal = status == highspy.HighsModelStatus.kOptimal
    return members, covering, float(info.objective_function_value), optimal, float(info.mip_gap)


def _prices(model: _Model, program: _Program, h: highspy.Highs) -> np.ndarray:
    """Each candidate's reduced profit in the LP relaxation, as in column generation: its
    cost less the duals of the rows it is in, plus what the domains it covers pay above their
    duals (the rows `y_id <= x_i` left out, so it takes every domain that pays). Adding a
    candidate lowers the LP bound by about minus this; the members of the optimum add up to
    roughly the gap between the bound and the optimum."""
    solution = h.getSolution()
    row_dual = np.asarray(solution.row_dual)
    col_dual = np.asarray(solution.col_dual)  # cost - A' dual
    nx, ny = program.nx, program.ny
    pair_dual = row_dual[program.pair_rows : program.pair_rows + ny]
    profit = col_dual[:nx].copy()
    owner = np.array([i for i, _d in model.pairs], dtype=np.int64)
    np.subtract.at(profit, owner, pair_dual)
    np.add.at(profit, owner, np.maximum(col_dual[nx : nx + ny] + pair_dual, 0.0))
    return profit


def _search(
    model: _Model,
    weights: Mapping[str, float],
    constraints: Constraints,
    cuts: Sequence[frozenset[int]],
    bound: float,
    profit: np.ndarray,
) -> tuple[list[int], dict[int, int]] | None:
    """A good consortium to start the exact solve from, or None.

    Depth-first over covers: take the uncovered domain with the fewest affordable
    candidates and try each of them, cheapest first, where a candidate costs minus its
    reduced profit and a cover may cost at most the LP bound less the best objective found.
    The allowance grows from 0.1 by half each round, so cheap covers (usually the best) come
    first. Only a heuristic: it stops after `SEARCH_NODES` nodes or `SEARCH_LEAVES` covers,
    and it neither adds members a cover does not need nor counts ties."""
    n, nd, lead = len(model.cands), len(model.doms), model.lead
    fit = np.zeros((n, nd))
    mask = [0] * n
    for i, d in model.pairs:
        fit[i, d] = model.cands[i].fit[model.doms[d]]
        mask[i] |= 1 << d
    w = np.array([weights[d] for d in model.doms])
    preferred = set(constraints.preferred_regions)
    bonus = [REGION if preferred and c.province in preferred else 0.0 for c in model.cands]
    rivals: dict[int, set[int]] = defaultdict(set)
    if constraints.no_competitors:
        for group in competitor_groups(model.cands):
            for i in group:
                rivals[i].update(j for j in group if j != i)
    cost = np.maximum(-profit, 0.0).tolist()
    others = sorted(
        (i for i in range(n) if i != lead and lead not in rivals[i]), key=lambda i: (cost[i], i)
    )
    if not others:
        return None
    widest = max((mask[i] & ~mask[lead]).bit_count() for i in others)
    options = [[i for i in others if mask[i] >> d & 1] for d in range(nd)]
    option_costs = [[cost[i] for i in row] for row in options]
    everything = (1 << nd) - 1
    best_value = -np.inf
    best: tuple[list[int], dict[int, int]] | None = None
    visited = leaves = 0
    allowance = 0.1

    def evaluate(members: list[int]) -> None:
        nonlocal best_value, best, leaves
        leaves += 1
        chosen = [lead, *members]
        if len(chosen) < constraints.min_size:
            return
        if constraints.require_research and not any(model.cands[i].is_research for i in chosen):
            return
        if any(cut <= set(chosen) for cut in cuts):
            return
        rows = fit[chosen]
        owner = rows.argmax(axis=0).tolist()
        if not set(range(1, len(chosen))) <= set(owner):
            return  # a member would cover nothing
        value = float(w @ rows.max(axis=0)) + sum(bonus[i] for i in chosen)
        value -= SIZE * len(chosen)
        if value > best_value + 1e-9:
            best_value = value
            best = (chosen, {d: chosen[k] for d, k in enumerate(owner)})

    def visit(members: list[int], covered: int, spent: float, slots: int) -> None:
        nonlocal visited
        visited += 1
        uncovered = everything & ~covered
        if not uncovered:
            evaluate(members)
            return
        if slots == 0 or uncovered.bit_count() > slots * widest:
            return
        room = min(allowance, bound - best_value) - spent
        pick, count = -1, n + 1
        rest = uncovered
        while rest:  # the uncovered domain with the fewest affordable candidates
            low = rest & -rest
            rest ^= low
            d = low.bit_length() - 1
            affordable = bisect.bisect_right(option_costs[d], room)
            if affordable < count:
                pick, count = d, affordable
                if not count:
                    return
        for i in options[pick][:count]:
            if spent + cost[i] > min(allowance, bound - best_value):
                break
            if i in members or rivals[i].intersection(members):
                continue
            members.append(i)
            visit(members, covered | mask[i], spent + cost[i], slots - 1)
            members.pop()
            if visited > SEARCH_NODES or leaves > SEARCH_LEAVES or best_value >= bound - 1e-9:
                return

    slots = constraints.max_size - 1
    dearest = sum(sorted(cost[i] for i in others)[-slots:]) if slots > 0 else 0.0
    while visited <= SEARCH_NODES and leaves <= SEARCH_LEAVES:
        visit([], mask[lead], 0.0, slots)
        if allowance >= min(bound - best_value, dearest):
            break  # this round allowed every cover that could beat the best (or none can)
        allowance *= 1.5
    return best


def _start(
    model: _Model, program: _Program, members: list[int], covering: dict[int, int]
) -> np.ndarray:
    start = np.zeros(program.lp.num_col_)
    start[members] = 1.0
    column = {pair: k for k, pair in enumerate(model.pairs)}
    for d, i in covering.items():
        start[program.nx + column[(i, d)]] = 1.0
    chosen = set(members)
    for t, (i, j) in enumerate(model.ties):
        start[program.nx + program.ny + t] = float(i in chosen and j in chosen)
    return start


def _solve(
    model: _Model,
    weights: Mapping[str, float],
    constraints: Constraints,
    cuts: Sequence[frozenset[int]],
    time_limit: float,
) -> _Solved | None:
    """Members, domain -> member, objective, proven optimal, gap; None if infeasible.

    Large models are warm-started: the LP relaxation prices the candidates, a search over
    covers by those prices (`_search`) finds a good consortium, usually the optimum, in a
    fraction of a second, and HiGHS starts from it: it prunes with it from the root on and
    skips its own root heuristics, so its time goes into the proof."""
    started = time.perf_counter()
    program = _program(model, weights, constraints, cuts)
    start = None
    if len(model.cands) > WARM_START_ABOVE:
        relaxed = _run(program, time_limit, {}, relax=True)
        status = relaxed.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None  # so is the MILP
        if status == highspy.HighsModelStatus.kOptimal:
            bound = float(relaxed.getInfo().objective_function_value)
            profit = _prices(model, program, relaxed)
            found = _search(model, weights, constraints, cuts, bound, profit)
            if found is not None:
                start = _start(model, program, *found)
    remaining = time_limit - (time.perf_counter() - started)
    h = _run(program, remaining, _WARM_OPTIONS if start is not None else {}, start=start)
    return _result(model, program, h)


def _proposal(
    model: _Model,
    weights: Mapping[str, float],
    solved: _Solved,
    constraints: Constraints,
) -> Proposal:
    members, covering, objective, optimal, gap = solved
    chosen = set(members)
    covers: dict[int, list[str]] = defaultdict(list)
    for d, i in covering.items():
        covers[i].append(model.doms[d])
    contribution = {
        i: sum(weights[dom] * model.cands[i].fit[dom] for dom in covers[i]) for i in members
    }
    others = [i for i in members if i != model.lead]
    core = max(others, key=lambda i: (contribution[i], -i)) if others else None
    tie_pairs = [(i, j) for i, j in model.ties if i in chosen and j in chosen]
    preferred = set(constraints.preferred_regions)
    out = []
    for i in sorted(members, key=lambda i: (i != model.lead, i != core, -contribution[i])):
        c = model.cands[i]
        role = "lead" if i == model.lead else "core" if i == core else "supporting"
        why = [
            f"covers {dom} (fit {c.fit[dom]:.2f} x weight {weights[dom]:g})"
            for dom in sorted(covers[i])
        ]
        partners = sorted(
            model.cands[j if k == i else k].organization_id for k, j in tie_pairs if i in (k, j)
        )
        if partners:
            why.append(f"existing ties with {', '.join(partners)}")
        if c.is_research:
            why.append("research side (university or institute)")
        if preferred and c.province in preferred:
            why.append(f"in a preferred region ({c.province})")
        why.extend(c.reasons[:2])
        out.append(
            Member(
                organization_id=c.organization_id,
                name=c.name,
                kind=c.kind,
                role=role,
                domains=tuple(sorted(covers[i])),
                fit=round(contribution[i], 4),
                why=tuple(why),
            )
        )
    coverage = {model.doms[d]: model.cands[i].organization_id for d, i in sorted(covering.items())}
    return Proposal(
        members=tuple(out),
        objective=round(objective, 6),
        coverage=coverage,
        fit_total=round(sum(contribution.values()), 6),
        trust_ties=len(tie_pairs),
        optimal=optimal,
        gap=round(gap, 8),
    )


def _model(
    domains: Mapping[str, float],
    candidates: Sequence[Candidate],
    lead_id: str,
    ties: set[frozenset[str]],
    constraints: Constraints,
) -> _Model:
    pool = eligible(candidates, lead_id, constraints)
    doms = sorted(domains)
    useful = [c for c in pool if c.organization_id == lead_id or any(d in c.fit for d in doms)]
    tied = {org for pair in ties for org in pair}
    useful = _undominated(useful, doms, lead_id, tied, constraints)
    useful = _reachable(useful, doms, lead_id, constraints)
    index = {c.organization_id: i for i, c in enumerate(useful)}
    dom_index = {d: k for k, d in enumerate(doms)}
    pairs = [(i, dom_index[d]) for i, c in enumerate(useful) for d in doms if d in c.fit]
    tie_list = sorted(
        {
            (min(index[a], index[b]), max(index[a], index[b]))
            for pair in ties
            if len(pair) == 2
            for a, b in [tuple(pair)]
            if a in index and b in index
        }
    )
    return _Model(useful, doms, pairs, tie_list, index[lead_id])


def _undominated(
    pool: list[Candidate],
    doms: Sequence[str],
    lead_id: str,
    tied: set[str],
    constraints: Constraints,
) -> list[Candidate]:
    """Drop candidates that enough others dominate, keeping the optimum.

    b dominates a when b (not the lead) covers every required domain a covers, at least as
    well, and is at least as good for every constraint: research side if a is, in a preferred
    region if a is, in no competitor group a is not in. Tied candidates are never dropped.

    Take an optimal consortium with a dropped member a. If one of a's dominators b is not a
    member, swap a for b: no constraint breaks, and the objective does not drop (b covers a's
    domains at least as well; a had no ties to lose). If every dominator is a member, leave a
    out: b takes its domains at least as well and the size penalty is saved. That is safe
    unless the consortium falls below `min_size` (it cannot when a has `min_size - 1`
    dominators, all members besides the lead and a) or a earned the preferred-region bonus,
    worth more than the size penalty (then a needs `max_size - 1` dominators, too many to all
    be members with a, so a swap is always possible). Dominance has no cycles (identical
    candidates: the first dominates), so repeating ends with an optimum without dropped
    members. (One dominator each, the rule before, lost the optimum when `min_size` or the
    bonus made a dominated member worth keeping.)"""
    required = set(doms)
    preferred = set(constraints.preferred_regions)
    covers = [frozenset(d for d in c.fit if d in required) for c in pool]
    by_domain: dict[str, set[int]] = defaultdict(set)
    for i, dom_set in enumerate(covers):
        for d in dom_set:
            by_domain[d].add(i)

    def at_least_as_good(b: Candidate, a: Candidate) -> bool:
        if a.is_research and not b.is_research:
            return False
        if preferred and a.province in preferred and b.province not in preferred:
            return False
        if constraints.no_competitors and b.kind in COMPETING_KINDS:
            if b.kind != a.kind:
                return False
            if b.kind != "automaker" and not b.chain_nodes <= a.chain_nodes:
                return False
        return True

    def dominates(j: int, i: int) -> bool:
        b, a = pool[j], pool[i]
        if b.organization_id == lead_id or not at_least_as_good(b, a):
            return False
        if any(b.fit[d] < a.fit[d] for d in covers[i]):
            return False
        strictly = covers[j] > covers[i] or any(b.fit[d] > a.fit[d] for d in covers[i])
        return strictly or j < i  # identical candidates: keep the first

    keep = []
    for i, a in enumerate(pool):
        if a.organization_id == lead_id or a.organization_id in tied or not covers[i]:
            keep.append(a)
            continue
        bonus = bool(preferred) and a.province in preferred and REGION > SIZE
        needed = constraints.max_size - 1 if bonus else max(1, constraints.min_size - 1)
        rivals = set.intersection(*(by_domain[d] for d in covers[i])) - {i}
        found = 0
        for j in sorted(rivals):
            found += dominates(j, i)
            if found >= needed:
                break
        else:
            keep.append(a)
    return keep


def _reachable(
    pool: list[Candidate], doms: Sequence[str], lead_id: str, constraints: Constraints
) -> list[Candidate]:
    """Drop candidates that cannot be in any consortium within `max_size`: besides the lead,
    the other members can add at most `max_size - 2` times the largest number of new domains
    any candidate brings, so a candidate bringing too few new domains leaves some uncovered."""
    lead = next(c for c in pool if c.organization_id == lead_id)
    missing = set(doms) - set(lead.fit)
    new = {c.organization_id: len(missing.intersection(c.fit)) for c in pool}
    others = [v for k, v in new.items() if k != lead_id]
    if not others or constraints.max_size < 2:
        return pool
    best = max(others)
    slack = (constraints.max_size - 2) * best
    keep = [
        c
        for c in pool
        if c.organization_id == lead_id or new[c.organization_id] + slack >= len(missing)
    ]
    return keep if len(keep) > constraints.min_size else pool


def _combine(base: Constraints, a: Constraints, b: Constraints) -> Constraints:
    """Both relaxations: every field either of them changed, changed."""
    changes = {
        name: getattr(x, name)
        for x in (a, b)
        for name in Constraints.__dataclass_fields__
        if getattr(x, name) != getattr(base, name)
    }
    return replace(base, **changes)


def _relaxations(constraints: Constraints, needed: int) -> list[tuple[str, Constraints]]:
    """Single changes, least intrusive first: sizes before requirements the user chose."""
    options = []
    if needed > constraints.max_size:
        options.append((f"raise max_size to {needed}", replace(constraints, max_size=needed)))
    if constraints.min_size > 1:
        options.append(("lower min_size to 1", replace(constraints, min_size=1)))
    if constraints.regions:
        options.append(("drop the region requirement", replace(constraints, regions=())))
    if constraints.no_competitors:
        options.append(("allow direct competitors", replace(constraints, no_competitors=False)))
    if constraints.excluded:
        options.append(("allow the excluded organisations", replace(constraints, excluded=())))
    if constraints.domestic_only:
        options.append(("allow foreign members", replace(constraints, domestic_only=False)))
    if constraints.require_research:
        options.append(
            ("drop the research-member requirement", replace(constraints, require_research=False))
        )
    return options


def build_consortium(
    domains: Mapping[str, float],
    candidates: Sequence[Candidate],
    *,
    lead_id: str,
    ties: set[frozenset[str]] | None = None,
    constraints: Constraints | None = None,
    alternatives: int = 2,
    time_limit: float = 10.0,
) -> BuildResult:
    """The best "1 lead + 1 core + N supporting" consortium covering every required domain,
    and up to `alternatives` next-best distinct ones.

    >>> cands = [
    ...     Candidate("nio", kind="automaker"),
    ...     Candidate("catl", kind="supplier", fit={"cells": 0.9}),
    ...     Candidate("byd", kind="supplier", fit={"cells": 0.8, "motors": 0.7}),
    ...     Candidate("tsinghua", kind="university", fit={"motors": 0.6}),
    ... ]
    >>> need = {"cells": 1.0, "motors": 1.0}
    >>> loose = Constraints(min_size=2, max_size=3, no_competitors=False)
    >>> best = build_consortium(need, cands, lead_id="nio", constraints=loose).proposals[0]
    >>> [(m.organization_id, m.role, m.domains) for m in best.members]
    [('nio', 'lead', ()), ('catl', 'core', ('cells',)), ('byd', 'supporting', ('motors',))]
    >>> iur = replace(loose, require_research=True)  # industry-university-research
    >>> best = build_consortium(need, cands, lead_id="nio", constraints=iur).proposals[0]
    >>> [(m.organization_id, m.role, m.domains) for m in best.members]
    [('nio', 'lead', ()), ('catl', 'core', ('cells',)), ('tsinghua', 'supporting', ('motors',))]
    """
    constraints = constraints or Constraints()
    _check(domains, lead_id, constraints)
    if lead_id not in {c.organization_id for c in candidates}:
        raise InvalidInput(f"lead: {lead_id!r} is not among the candidates")
    started = time.perf_counter()
    ties = ties or set()
    model = _model(domains, candidates, lead_id, ties, constraints)
    solved = _solve(model, domains, constraints, (), time_limit)
    if solved is None:
        return _infeasible(
            domains, candidates, lead_id, ties, constraints, model, time_limit, started
        )
    proposals = [_proposal(model, domains, solved, constraints)]
    cuts = [frozenset(solved[0])]
    for _ in range(alternatives):
        nxt = _solve(model, domains, constraints, cuts, time_limit)
        if nxt is None:
            break
        proposals.append(_proposal(model, domains, nxt, constraints))
        cuts.append(frozenset(nxt[0]))
    return BuildResult(
        proposals=tuple(proposals),
        feasible=True,
        candidates=len(model.cands),
        seconds=time.perf_counter() - started,
    )


def _min_cover(model: _Model, domains: Mapping[str, float], constraints: Constraints) -> int:
    """The fewest members that could cover everything under the other constraints (binary
    search on the size cap; `len(domains) + 1` when even that fails)."""
    low, high = 1, len(model.doms) + 1
    loose = replace(constraints, min_size=1)
    if _solve(model, domains, replace(loose, max_size=high), (), 10.0) is None:
        return high
    while low < high:
        middle = (low + high) // 2
        if _solve(model, domains, replace(loose, max_size=middle), (), 10.0) is None:
            low = middle + 1
        else:
            high = middle
    return low


def _infeasible(
    domains: Mapping[str, float],
    candidates: Sequence[Candidate],
    lead_id: str,
    ties: set[frozenset[str]],
    constraints: Constraints,
    model: _Model,
    time_limit: float,
    started: float,
) -> BuildResult:
    # the pre-solve pruning depends on the size bounds: search sizes on a model pruned for
    # the widest of them, so that no candidate a larger consortium could use is missing
    wide = replace(constraints, min_size=1, max_size=len(domains) + 1)
    any_size = _model(domains, candidates, lead_id, ties, wide)
    covered = {any_size.doms[d] for _i, d in any_size.pairs}
    uncovered = tuple(d for d in sorted(domains) if d not in covered)
    needed = _min_cover(any_size, domains, constraints) if not uncovered else constraints.max_size
    relaxation = None
    singles = _relaxations(constraints, needed)
    # one change if one suffices, else the first pair of changes that does
    options = singles + [
        (f"{first} and {second}", _combine(constraints, a, b))
        for k, (first, a) in enumerate(singles)
        for second, b in singles[k + 1 :]
    ]
    for change, relaxed in options:
        trial = _model(domains, candidates, lead_id, ties, relaxed)
        if _solve(trial, domains, relaxed, (), time_limit) is not None:
            relaxation = Relaxation(change, relaxed)
            break
    parts = []
    if uncovered:
        parts.append(f"no eligible candidate covers {', '.join(uncovered)}")
    if relaxation:
        parts.append(f"feasible if you {relaxation.change}")
    elif not uncovered:
        parts.append("no single change nor pair of changes makes it feasible")
    return BuildResult(
        proposals=(),
        feasible=False,
        uncovered=uncovered,
        relaxation=relaxation,
        candidates=len(model.cands),
        seconds=time.perf_counter() - started,
        message="infeasible: " + "; ".join(parts),
    )
