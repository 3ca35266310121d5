"""Portfolio views over projects: the funnel, time in stage, the relay of capital by source and
stage, and the projects at risk. Pure functions of `ProjectFacts` and today's date."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from innochain.domain import FundingSource, GateDecision, PipelineStage, ProjectStatus
from innochain.pipeline.model import ProjectFacts

__all__ = [
    "StagePeriod",
    "at_risk",
    "funding_by_source_and_stage",
    "funnel",
    "stage_periods",
    "time_in_stage",
]

#: a next gate due within this many days, with money still missing, is a risk
GAP_HORIZON_DAYS = 90


@dataclass(frozen=True)
class StagePeriod:
    stage: PipelineStage
    start: date
    end: date | None  # None: the project is still in this stage

    def days(self, today: date) -> int:
        return ((self.end or today) - self.start).days


def stage_periods(project: ProjectFacts) -> list[StagePeriod]:
    """The stages the project has been in, in order, from its gate history. A hold or stop
    keeps the stage; a stopped project's last period ends on the stop."""
    periods: list[StagePeriod] = []
    stage, start = _first_stage(project), project.started
    for gate in sorted(project.gates, key=lambda g: g.decided_on):
        if gate.decision is GateDecision.STOP:
            periods.append(StagePeriod(stage, start, gate.decided_on))
            return periods
        if gate.to_stage is not stage:
            periods.append(StagePeriod(stage, start, gate.decided_on))
            stage, start = gate.to_stage, gate.decided_on
    periods.append(StagePeriod(stage, start, None))
    return periods


def _first_stage(project: ProjectFacts) -> PipelineStage:
    gates = sorted(project.gates, key=lambda g: g.decided_on)
    return gates[0].from_stage if gates else project.stage


def funnel(projects: list[ProjectFacts]) -> list[dict[str, Any]]:
    """Per stage: projects in it now (active or on hold), projects that ever reached it, and
    projects stopped in it. `reached` falling from stage to stage is the funnel."""
    rows = []
    for stage in PipelineStage:
        now = [p for p in projects if p.stage is stage and p.status is not ProjectStatus.STOPPED]
        rows.append(
            {
                "stage": stage.value,
                "label_zh": stage.label_zh,
                "trl": list(stage.trl_range),
                "current": len(now),
                "on_hold": sum(p.status is ProjectStatus.ON_HOLD for p in now),
                "reached": sum(
                    any(period.stage is stage for period in stage_periods(p)) for p in projects
                ),
                "stopped": sum(
                    p.stage is stage and p.status is ProjectStatus.STOPPED for p in projects
                ),
            }
        )
    return rows


def time_in_stage(projects: list[ProjectFacts], today: date) -> list[dict[str, Any]]:
    """Per stage, days spent: over finished stays (median, mean, longest) and over stays
    still running (how long the projects now in the stage have waited)."""
    done: dict[PipelineStage, list[int]] = defaultdict(list)
    running: dict[PipelineStage, list[int]] = defaultdict(list)
    for p in projects:
        for period in stage_periods(p):
            if period.end is None:
                if p.status is not ProjectStatus.STOPPED:
                    running[period.stage].append(period.days(today))
            else:
                done[period.stage].append(period.days(today))
    rows = []
    for stage in PipelineStage:
        finished, open_ = done[stage], running[stage]
        rows.append(
            {
                "stage": stage.value,
                "finished": len(finished),
                "median_days": statistics.median(finished) if finished else None,
                "mean_days": round(statistics.fmean(finished), 1) if finished else None,
                "max_days": max(finished) if finished else None,
                "running": len(open_),
                "running_median_days": statistics.median(open_) if open_ else None,
            }
        )
    return rows


def funding_by_source_and_stage(projects: list[ProjectFacts]) -> dict[str, Any]:
    """CNY millions raised by source x stage: the relay of capital across the lifecycle."""
    matrix = {s.value: {t.value: 0.0 for t in PipelineStage} for s in FundingSource}
    for p in projects:
        for f in p.funding:
            matrix[f.source.value][f.stage.value] += f.amount_cny_m
    by_stage = {t.value: sum(matrix[s][t.value] for s in matrix) for t in PipelineStage}
    by_source = {s: sum(row.values()) for s, row in matrix.items()}
    rounded = {s: {t: round(v, 3) for t, v in row.items()} for s, row in matrix.items()}
    return {
        "currency": "CNY",
        "unit": "million",
        "matrix": rounded,
        "by_stage": {k: round(v, 3) for k, v in by_stage.items()},
        "by_source": {k: round(v, 3) for k, v in by_source.items()},
        "total": round(sum(by_stage.values()), 3),
    }


def raised_in_stage(project: ProjectFacts) -> float:
    """CNY millions raised since the project entered its current stage."""
    return sum(
        f.amount_cny_m
        for f in project.funding
        if f.stage is project.stage and f.received >= project.stage_entered
    )


def at_risk(
    projects: list[ProjectFacts], today: date, *, horizon_days: int = GAP_HORIZON_DAYS
) -> list[dict[str, Any]]:
    """Running projects with overdue milestones, an overdue gate, or a funding gap (money
    needed for the next gate not yet raised in this stage) with the gate within the horizon
    or past. Most days late first; each with its reasons and numbers."""
    rows = []
    for p in projects:
        if p.status is ProjectStatus.STOPPED:
            continue
        reasons: list[str] = []
        overdue = [m for m in p.milestones if m.done is None and m.due < today]
        for m in sorted(overdue, key=lambda m: m.due):
            reasons.append(
                f"milestone '{m.title}' overdue by {m.slippage(today)} days (due {m.due})"
            )
        gate_late = 0
        if p.next_gate_due and p.next_gate_due < today:
            gate_late = (today - p.next_gate_due).days
            reasons.append(f"next gate review overdue by {gate_late} days (due {p.next_gate_due})")
        gap = 0.0
        if p.next_gate_budget_cny_m:
            raised = raised_in_stage(p)
            missing = round(p.next_gate_budget_cny_m - raised, 3)
            soon = p.next_gate_due is None or (p.next_gate_due - today).days <= horizon_days
            if missing > 0 and soon:
                gap = missing
                when = f"gate due {p.next_gate_due}" if p.next_gate_due else "no gate date set"
                reasons.append(
                    f"funding gap of CNY {gap:g} m before the next gate (needs "
                    f"{p.next_gate_budget_cny_m:g} m, raised {raised:g} m in this stage; {when})"
                )
        if reasons:
            rows.append(
                {
                    "id": p.id,
                    "title": p.title,
                    "owner_id": p.owner_id,
                    "stage": p.stage.value,
                    "status": p.status.value,
                    "overdue_milestones": len(overdue),
                    "days_late": max([m.slippage(today) for m in overdue] + [gate_late]),
                    "funding_gap_cny_m": gap,
                    "reasons": reasons,
                }
            )
    return sorted(rows, key=lambda r: (-r["days_late"], -r["funding_gap_cny_m"], r["id"]))
