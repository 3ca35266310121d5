"""The stage-gate rule and the portfolio views on hand-made projects whose answers are
counted by hand in each test."""

from __future__ import annotations

from datetime import date

import pytest

from innochain.domain import FundingSource, GateDecision, PipelineStage, ProjectStatus
from innochain.errors import InvalidInput
from innochain.pipeline import GateIn, at_risk, funding_by_source_and_stage, funnel, time_in_stage
from innochain.pipeline.model import (
    FundingFacts,
    GateFacts,
    MilestoneFacts,
    ProjectFacts,
    decide_gate,
)
from innochain.pipeline.portfolio import stage_periods

pytestmark = pytest.mark.unit

R, L, P, M = (
    PipelineStage.RESEARCH,
    PipelineStage.LAB,
    PipelineStage.PILOT,
    PipelineStage.MASS_PRODUCTION,
)
ACTIVE = ProjectStatus.ACTIVE
TODAY = date(2026, 6, 30)


def gate(decision: str, trl: int, on: date, *, met: bool = True, to: str | None = None) -> GateIn:
    return GateIn.model_validate(
        {
            "decision": decision,
            "criteria": [{"name": "prototype passes the test plan", "met": met}],
            "trl": trl,
            "decided_on": on,
            "to_stage": to,
        }
    )


def test_go_moves_exactly_one_stage_and_needs_the_next_stages_trl() -> None:
    result = decide_gate(L, ACTIVE, date(2025, 1, 1), gate("go", 6, date(2025, 6, 1)), today=TODAY)
    assert (result.from_stage, result.to_stage, result.status, result.trl) == (L, P, ACTIVE, 6)
    with pytest.raises(InvalidInput, match=r"trl: 5 is below TRL 6, where the pilot stage starts"):
        decide_gate(L, ACTIVE, date(2025, 1, 1), gate("go", 5, date(2025, 6, 1)), today=TODAY)


def test_stage_skipping_is_refused_naming_to_stage() -> None:
    with pytest.raises(InvalidInput) as caught:
        decide_gate(
            R,
            ACTIVE,
            date(2025, 1, 1),
            gate("go", 8, date(2025, 2, 1), to="mass_production"),
            today=TODAY,
        )
    assert caught.value.problems[0].column == "to_stage"
    assert "would skip a gate" in str(caught.value)


@pytest.mark.parametrize(
    "args,column,fragment",
    [
        ((R, ACTIVE, date(2025, 5, 1), gate("go", 4, date(2025, 4, 1))), "decided_on", "before"),
        ((R, ACTIVE, date(2025, 5, 1), gate("go", 4, date(2027, 1, 1))), "decided_on", "future"),
        (
            (R, ACTIVE, date(2025, 1, 1), gate("go", 4, date(2025, 2, 1), met=False)),
            "criteria",
            "not met",
        ),
        ((M, ACTIVE, date(2025, 1, 1), gate("go", 9, date(2025, 2, 1))), "decision", "last stage"),
        (
            (L, ProjectStatus.STOPPED, date(2025, 1, 1), gate("go", 6, date(2025, 2, 1))),
            "decision",
            "stopped",
        ),
        (
            (L, ACTIVE, date(2025, 1, 1), gate("recycle", 4, date(2025, 2, 1), to="pilot")),
            "to_stage",
            "ahead",
        ),
        (
            (L, ACTIVE, date(2025, 1, 1), gate("hold", 4, date(2025, 2, 1), to="pilot")),
            "to_stage",
            "keeps",
        ),
    ],
)
def test_gate_errors_name_the_field(args: tuple, column: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decide_gate(*args, today=TODAY)
    assert caught.value.problems[0].column == column
    assert fragment in caught.value.problems[0].reason


def test_hold_stop_and_recycle() -> None:
    start = date(2025, 1, 1)
    held = decide_gate(P, ACTIVE, start, gate("hold", 6, date(2025, 3, 1)), today=TODAY)
    assert (held.to_stage, held.status) == (P, ProjectStatus.ON_HOLD)
    stopped = decide_gate(P, ACTIVE, start, gate("stop", 6, date(2025, 3, 1)), today=TODAY)
    assert (stopped.to_stage, stopped.status) == (P, ProjectStatus.STOPPED)
    back = decide_gate(P, ACTIVE, start, gate("recycle", 7, date(2025, 3, 1)), today=TODAY)
    assert (back.to_stage, back.trl) == (L, 5)  # lab spans TRL 4-5


def _walked() -> ProjectFacts:
    """Research from 2025-01-01, lab from 2025-03-01 (59 days in research), pilot from
    2025-09-01 (184 days in lab), still in pilot on TODAY (302 days)."""
    return ProjectFacts(
        id="a",
        title="A",
        owner_id="catl",
        stage=P,
        status=ACTIVE,
        trl=6,
        started=date(2025, 1, 1),
        stage_entered=date(2025, 9, 1),
        next_gate_due=date(2026, 8, 1),
        next_gate_budget_cny_m=100.0,
        gates=(
            GateFacts(date(2025, 3, 1), R, L, GateDecision.GO),
            GateFacts(date(2025, 6, 1), L, L, GateDecision.HOLD),
            GateFacts(date(2025, 9, 1), L, P, GateDecision.GO),
        ),
        milestones=(
            MilestoneFacts(1, "B-sample cells", P, date(2026, 5, 31)),
            MilestoneFacts(2, "A-sample cells", L, date(2025, 5, 1), done=date(2025, 5, 11)),
        ),
        funding=(
            FundingFacts(FundingSource.SUBSIDY, R, 5.0, date(2025, 2, 1)),
            FundingFacts(FundingSource.VC_PE, L, 50.0, date(2025, 4, 1)),
            FundingFacts(FundingSource.GUIDED_FUND, P, 30.0, date(2025, 10, 1)),
            FundingFacts(FundingSource.CORPORATE, P, 20.0, date(2026, 1, 1)),
        ),
    )


def _stopped() -> ProjectFacts:
    return ProjectFacts(
        id="b",
        title="B",
        owner_id="byd",
        stage=L,
        status=ProjectStatus.STOPPED,
        trl=4,
        started=date(2025, 1, 1),
        stage_entered=date(2025, 2, 1),
        gates=(
            GateFacts(date(2025, 2, 1), R, L, GateDecision.GO),
            GateFacts(date(2025, 4, 1), L, L, GateDecision.STOP),
        ),
    )


def test_stage_periods_follow_the_gates() -> None:
    periods = stage_periods(_walked())
    assert [(p.stage, p.days(TODAY)) for p in periods] == [(R, 59), (L, 184), (P, 302)]
    assert [(p.stage, p.end) for p in stage_periods(_stopped())] == [
        (R, date(2025, 2, 1)),
        (L, date(2025, 4, 1)),
    ]


def test_funnel_counts_current_reached_and_stopped() -> None:
    rows = {r["stage"]: r for r in funnel([_walked(), _stopped()])}
    assert [rows[s.value]["reached"] for s in PipelineStage] == [2, 2, 1, 0]
    assert [rows[s.value]["current"] for s in PipelineStage] == [0, 0, 1, 0]
    assert rows["lab"]["stopped"] == 1


def test_time_in_stage() -> None:
    rows = {r["stage"]: r for r in time_in_stage([_walked(), _stopped()], TODAY)}
    # research: 59 days (a) and 31 days (b); lab: 184 (a) and 59 (b, stopped on 2025-04-01)
    assert rows["research"]["median_days"] == 45
    assert rows["lab"]["max_days"] == 184 and rows["lab"]["finished"] == 2
    assert rows["pilot"]["running"] == 1 and rows["pilot"]["running_median_days"] == 302


def test_funding_relay_by_source_and_stage() -> None:
    money = funding_by_source_and_stage([_walked()])
    assert money["matrix"]["subsidy"]["research"] == 5.0
    assert money["matrix"]["vc_pe"]["lab"] == 50.0
    assert money["by_stage"] == {
        "research": 5.0,
        "lab": 50.0,
        "pilot": 50.0,
        "mass_production": 0.0,
    }
    assert money["total"] == 105.0


def test_at_risk_names_overdue_milestones_and_the_funding_gap() -> None:
    [row] = at_risk([_walked(), _stopped()], TODAY)
    assert row["id"] == "a"
    assert row["overdue_milestones"] == 1 and row["days_late"] == 30  # due 2026-05-31
    # needs 100 m for the gate on 2026-08-01 (32 days away), raised 30 + 20 in pilot
    assert row["funding_gap_cny_m"] == 50.0
    assert any("funding gap of CNY 50 m" in r for r in row["reasons"])
    assert at_risk([_walked()], date(2026, 1, 2)) == []  # nothing late, gate > 90 days away
