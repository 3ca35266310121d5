"""What a pipeline project is made of, as input (validated pydantic models) and as facts
(frozen dataclasses the portfolio views compute over), and the stage-gate rule.

No I/O here: `innochain.pipeline.projects` stores and reads; this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from innochain.domain import (
    FundingSource,
    GateDecision,
    PipelineStage,
    ProjectStatus,
    Visibility,
)
from innochain.errors import InvalidInput

__all__ = [
    "Criterion",
    "FundingFacts",
    "FundingIn",
    "GateFacts",
    "GateIn",
    "GateResult",
    "MilestoneFacts",
    "MilestoneIn",
    "ProjectChange",
    "ProjectFacts",
    "ProjectIn",
    "decide_gate",
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProjectIn(_In):
    """A new project. It starts in `stage` (default research) with a TRL inside that stage."""

    id: str | None = Field(None, max_length=200, description="Default: from the title.")
    title_en: str = Field("", max_length=500)
    title_zh: str = Field("", max_length=500)
    description: str = Field("", max_length=20_000)
    owner_id: str | None = Field(
        None, description="The organisation running it (id, name or alias); default: yours."
    )
    consortium_id: str | None = Field(None, description="The consortium carrying it, if any.")
    need_id: str | None = Field(None, description="The technology need it answers, if any.")
    stage: PipelineStage = PipelineStage.RESEARCH
    trl: int | None = Field(None, ge=1, le=9, description="Default: the stage's lowest TRL.")
    started: date = Field(default_factory=date.today)
    next_gate_due: date | None = None
    next_gate_budget_cny_m: float | None = Field(
        None, ge=0, le=1e7, description="Money needed to reach the next gate (CNY m)."
    )
    visibility: Visibility = Visibility.PRIVATE

    @model_validator(mode="after")
    def _check(self) -> ProjectIn:
        if not self.title_en and not self.title_zh:
            raise ValueError("title_en: a project needs a title in English or Chinese")
        low, high = self.stage.trl_range
        if self.trl is None:
            self.trl = low
        elif not low <= self.trl <= high:
            raise ValueError(
                f"trl: {self.trl} is outside the {self.stage.label_en} stage's TRL {low}-{high}"
            )
        if self.next_gate_due and self.next_gate_due < self.started:
            raise ValueError(
                f"next_gate_due: {self.next_gate_due} is before the start ({self.started})"
            )
        if self.visibility is Visibility.CONSORTIUM and not self.consortium_id:
            raise ValueError("consortium_id: a consortium-only project must name its consortium")
        return self


class ProjectChange(_In):
    """Fields of a project its owner may change. The stage changes only by a gate review."""

    title_en: str | None = Field(None, max_length=500)
    title_zh: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=20_000)
    consortium_id: str | None = None
    need_id: str | None = None
    next_gate_due: date | None = None
    next_gate_budget_cny_m: float | None = Field(None, ge=0, le=1e7)
    visibility: Visibility | None = None
    stage: str | None = Field(None, description="Not changeable: record a gate review instead.")
    status: str | None = Field(None, description="Not changeable: record a gate review instead.")

    @model_validator(mode="after")
    def _no_stage_skipping(self) -> ProjectChange:
        for name in ("stage", "status"):
            if getattr(self, name) is not None:
                raise ValueError(
                    f"{name}: a project changes {name} only by a stage-gate review "
                    "(go, hold, stop or recycle), never directly"
                )
        return self


class Criterion(_In):
    name: str = Field(min_length=1, max_length=500)
    met: bool
    note: str = Field("", max_length=2000)


class GateIn(_In):
    """A stage-gate review. `to_stage` defaults to the next stage (go) or the previous (recycle)."""

    decision: GateDecision
    criteria: list[Criterion] = Field(min_length=1, max_length=50)
    trl: int = Field(ge=1, le=9, description="The readiness the reviewers assessed.")
    decided_on: date = Field(default_factory=date.today)
    to_stage: PipelineStage | None = None
    reviewers: str = Field("", max_length=2000)
    note: str = Field("", max_length=5000)


class MilestoneIn(_In):
    title: str = Field(min_length=1, max_length=500)
    due: date
    stage: PipelineStage | None = Field(None, description="Default: the project's stage.")
    done: date | None = None
    note: str = Field("", max_length=2000)


class FundingIn(_In):
    """One funding round. Amounts are millions of `currency`; other currencies than CNY need
    the CNY rate on the day received (as booked), so that sums are in one currency."""

    source: FundingSource
    amount_m: float = Field(gt=0, le=1e7, description="Millions of `currency`.")
    currency: str = Field("CNY", pattern=r"^[A-Z]{3}$", description="ISO 4217 code.")
    cny_rate: float | None = Field(None, gt=0, le=1e4, description="CNY per unit; CNY: 1.")
    received: date
    investor_id: str | None = Field(None, description="An organisation (id, name or alias).")
    fund_id: str | None = Field(None, description="A fund in the registry.")
    investor_name: str = Field("", max_length=500)
    stage: PipelineStage | None = Field(None, description="Default: the stage on that date.")
    note: str = Field("", max_length=2000)

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _rate(self) -> FundingIn:
        if self.currency == "CNY":
            if self.cny_rate not in (None, 1.0):
                raise ValueError("cny_rate: a CNY amount has rate 1")
            self.cny_rate = 1.0
        elif self.cny_rate is None:
            raise ValueError(f"cny_rate: give the CNY per {self.currency} rate on the day received")
        return self

    @property
    def amount_cny_m(self) -> float:
        return self.amount_m * (self.cny_rate or 1.0)


@dataclass(frozen=True)
class GateFacts:
    decided_on: date
    from_stage: PipelineStage
    to_stage: PipelineStage
    decision: GateDecision


@dataclass(frozen=True)
class MilestoneFacts:
    id: int
    title: str
    stage: PipelineStage
    due: date
    done: date | None = None

    def slippage(self, today: date) -> int:
        """Days late: finished after the due date, or still open past it (0 if on time)."""
        return max(0, ((self.done or today) - self.due).days)


@dataclass(frozen=True)
class FundingFacts:
    source: FundingSource
    stage: PipelineStage
    amount_cny_m: float
    received: date


@dataclass(frozen=True)
class ProjectFacts:
    """A project as the portfolio views see it."""

    id: str
    title: str
    owner_id: str
    stage: PipelineStage
    status: ProjectStatus
    trl: int
    started: date
    stage_entered: date
    next_gate_due: date | None = None
    next_gate_budget_cny_m: float | None = None
    gates: tuple[GateFacts, ...] = ()
    milestones: tuple[MilestoneFacts, ...] = ()
    funding: tuple[FundingFacts, ...] = ()


@dataclass(frozen=True)
class GateResult:
    """Where a gate review leaves the project."""

    from_stage: PipelineStage
    to_stage: PipelineStage
    status: ProjectStatus
    trl: int


def decide_gate(
    stage: PipelineStage,
    status: ProjectStatus,
    last_date: date,
    gate: GateIn,
    *,
    today: date | None = None,
) -> GateResult:
    """Apply the stage-gate rules to a review; `InvalidInput` naming the field otherwise.

    go moves exactly one stage forward and needs every criterion met and a TRL the next stage
    starts at; hold pauses in place; stop ends the project; recycle sends it back to an
    earlier stage (default: the previous one) for rework. A stopped project takes no reviews.
    Reviews are dated in order: not before the last review (or the start), not in the future.

    >>> from datetime import date
    >>> go = GateIn(decision="go", criteria=[{"name": "cells pass 1C cycling", "met": True}],
    ...             trl=4, decided_on=date(2025, 3, 1))
    >>> decide_gate(PipelineStage.RESEARCH, ProjectStatus.ACTIVE, date(2025, 1, 1), go).to_stage
    <PipelineStage.LAB: 'lab'>
    """
    today = today or date.today()
    if status is ProjectStatus.STOPPED:
        raise InvalidInput.at("decision", "the project was stopped; it takes no more reviews")
    if gate.decided_on < last_date:
        raise InvalidInput.at(
            "decided_on",
            f"{gate.decided_on} is before the project's last review or start ({last_date})",
        )
    if gate.decided_on > today:
        raise InvalidInput.at("decided_on", f"{gate.decided_on} is in the future")
    if gate.decision is GateDecision.GO:
        following = stage.next
        if following is None:
            raise InvalidInput.at(
                "decision", "the project is in mass production, the last stage; nothing to pass"
            )
        if gate.to_stage is not None and gate.to_stage is not following:
            raise InvalidInput.at(
                "to_stage",
                f"a go decision moves one stage, from {stage.value} to {following.value}; "
                f"{gate.to_stage.value} would skip a gate",
            )
        unmet = [c.name for c in gate.criteria if not c.met]
        if unmet:
            raise InvalidInput.at(
                "criteria",
                f"a go decision needs every criterion met; not met: {'; '.join(unmet)} "
                "(decide hold or recycle instead)",
            )
        low = following.trl_range[0]
        if gate.trl < low:
            raise InvalidInput.at(
                "trl", f"{gate.trl} is below TRL {low}, where the {following.value} stage starts"
            )
        return GateResult(stage, following, ProjectStatus.ACTIVE, gate.trl)
    if gate.decision is GateDecision.RECYCLE:
        back = gate.to_stage or stage.previous or stage
        order = list(PipelineStage)
        if order.index(back) > order.index(stage):
            raise InvalidInput.at(
                "to_stage", f"recycle sends a project back; {back.value} is ahead of {stage.value}"
            )
        return GateResult(stage, back, ProjectStatus.ACTIVE, min(gate.trl, back.trl_range[1]))
    if gate.to_stage is not None and gate.to_stage is not stage:
        raise InvalidInput.at(
            "to_stage", f"a {gate.decision.value} decision keeps the project in {stage.value}"
        )
    new_status = (
        ProjectStatus.ON_HOLD if gate.decision is GateDecision.HOLD else ProjectStatus.STOPPED
    )
    return GateResult(stage, stage, new_status, gate.trl)
