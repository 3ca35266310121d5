"""Consortium builder speed and quality: proven optima on synthetic instances, against greedy.

    .venv/bin/python benchmarks/consortium_speed.py [--instances 20] [--domains 30]
        [--candidates 2000] [--max-size 8] [--seed 0]

Each instance: `domains` required technology domains with weights in [0.5, 1.5]; `candidates`
organisations each covering 1-4 random domains with fits in (0.2, 1]; a planted feasible
consortium (the lead and seven others partitioning the domains) so that every instance has a
solution within the size cap; 10 % of candidates research organisations; research required.
The greedy baseline adds, from the lead, the candidate with the largest weighted fit on
still-uncovered domains until all are covered, as a person with a spreadsheet would.

Times are wall-clock per `build_consortium` call (model, warm start and HiGHS's proof); the
CPU time of the process is printed beside it, since a busy machine inflates the wall clock.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from innochain.consortium import Candidate, Constraints, build_consortium
from innochain.consortium.solver import SIZE


def instance(
    rng: random.Random, n_domains: int, n_candidates: int, max_size: int
) -> tuple[dict[str, float], list[Candidate]]:
    domains = {f"d{k:02d}": round(rng.uniform(0.5, 1.5), 3) for k in range(n_domains)}
    names = list(domains)
    shuffled = names[:]
    rng.shuffle(shuffled)
    planted = [shuffled[k::max_size] for k in range(max_size)]
    candidates = []
    for k, covered in enumerate(planted):
        fit = {d: round(rng.uniform(0.2, 1.0), 3) for d in covered}
        kind = "university" if k == 1 else "supplier"
        candidates.append(Candidate(f"p{k}", kind=kind, fit=fit))
    for k in range(n_candidates - max_size):
        covered = rng.sample(names, rng.randint(1, 4))
        fit = {d: round(rng.uniform(0.2, 1.0), 3) for d in covered}
        kind = "research_institute" if rng.random() < 0.1 else "supplier"
        candidates.append(Candidate(f"c{k}", kind=kind, fit=fit))
    return domains, candidates


def value(domains: dict[str, float], members: list[Candidate]) -> float:
    """The builder's objective (without ties or regions) for a member set."""
    fit = sum(
        w * max((m.fit.get(d, 0.0) for m in members), default=0.0) for d, w in domains.items()
    )
    return fit - SIZE * len(members)


def greedy(
    domains: dict[str, float], candidates: list[Candidate], lead: Candidate
) -> list[Candidate]:
    chosen = [lead]
    uncovered = set(domains) - set(lead.fit)
    while uncovered:
        best = max(
            candidates,
            key=lambda c: sum(domains[d] * c.fit[d] for d in uncovered if d in c.fit),
        )
        gain = [d for d in uncovered if d in best.fit]
        if not gain:
            break
        chosen.append(best)
        uncovered -= set(gain)
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=20)
    parser.add_argument("--domains", type=int, default=30)
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--max-size", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    times, cpu, gaps, proven = [], [], [], 0
    over_cap = missing_research = 0
    for k in range(args.instances):
        domains, candidates = instance(rng, args.domains, args.candidates, args.max_size)
        lead = candidates[0]
        constraints = Constraints(
            min_size=2, max_size=args.max_size, require_research=True, no_competitors=False
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        result = build_consortium(
            domains,
            candidates,
            lead_id=lead.organization_id,
            constraints=constraints,
            alternatives=0,
            time_limit=60,
        )
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        cpu.append(time.process_time() - cpu_started)
        best = result.proposals[0]
        proven += best.optimal
        by_id = {c.organization_id: c for c in candidates}
        optimum = value(domains, [by_id[m.organization_id] for m in best.members])
        picked = greedy(domains, candidates, lead)
        greedy_value = value(domains, picked)
        broken = len(picked) > args.max_size or not any(c.is_research for c in picked)
        if not broken:  # a gap means something only for a greedy answer that is allowed
            gaps.append((optimum - greedy_value) / optimum)
        over_cap += len(picked) > args.max_size
        missing_research += not any(c.is_research for c in picked)
        print(
            f"instance {k:2d}: {elapsed:6.2f} s (CPU {cpu[-1]:5.2f} s), optimal={best.optimal}, "
            f"size {best.size}, "
            f"objective {optimum:.3f}; greedy size {len(picked)}, value {greedy_value:.3f}",
            flush=True,
        )
    times.sort()
    cpu.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    cpu_p95 = cpu[min(len(cpu) - 1, round(0.95 * (len(cpu) - 1)))]
    print(
        f"\n{args.instances} instances, {args.domains} domains x {args.candidates} candidates, "
        f"max {args.max_size} members, research required"
    )
    print(
        f"HiGHS: proven optimal {proven}/{args.instances}; "
        f"median {statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s "
        f"(CPU: median {statistics.median(cpu):.2f} s, p95 {cpu_p95:.2f} s, max {cpu[-1]:.2f} s)"
    )
    gap_text = (
        f"median gap {statistics.median(gaps):.1%}, max gap {max(gaps):.1%} on the "
        f"{len(gaps)} instances where its answer keeps the constraints"
        if gaps
        else "no instance where its answer keeps the constraints"
    )
    print(
        f"greedy: {gap_text}; over the size cap {over_cap}/{args.instances}; "
        f"without a research member {missing_research}/{args.instances}"
    )


if __name__ == "__main__":
    main()
