"""Tables of joint work: a consortium's shared resources, agreement and outcomes, and the
pipeline's projects with their gate reviews, milestones and funding rounds.

Every row here is confidential in the same way as its parent: consortium rows are visible
exactly when the consortium is, project rows exactly when the project is (see
`innochain.store.visibility`). Times are naive UTC; dates are calendar dates.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from innochain.store.tables import ID, Base, Consortium

__all__ = [
    "ConsortiumAgreement",
    "ConsortiumOutcome",
    "ConsortiumResource",
    "FundingRound",
    "GateReview",
    "Milestone",
    "Project",
]


class ConsortiumResource(Base):
    """A lab, pilot line, test track or dataset a member shares with the consortium."""

    __tablename__ = "consortium_resources"
    __visible_through__: ClassVar[tuple[str, type[Any]]] = ("consortium_id", Consortium)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    consortium_id: Mapped[str] = mapped_column(
        ID, ForeignKey("consortia.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[str] = mapped_column(ID, ForeignKey("organizations.id"))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    access_terms: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ConsortiumAgreement(Base):
    """The consortium agreement's structured terms; one per consortium.

    `shares` maps each accepted member to its cost and benefit shares in per cent
    (`{"byd": {"cost": 40.0, "benefit": 40.0}, ...}`); each kind sums to 100.
    """

    __tablename__ = "consortium_agreements"
    __key__ = "consortium_id"
    __visible_through__: ClassVar[tuple[str, type[Any]]] = ("consortium_id", Consortium)
    consortium_id: Mapped[str] = mapped_column(
        ID, ForeignKey("consortia.id", ondelete="CASCADE"), primary_key=True
    )
    background_ip: Mapped[str] = mapped_column(Text, default="")
    foreground_ip: Mapped[str] = mapped_column(String(30))
    licensing: Mapped[str] = mapped_column(String(30))
    shares: Mapped[dict[str, dict[str, float]]] = mapped_column(JSON, default=dict)
    signed: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ConsortiumOutcome(Base):
    """A patent, product, standard, paper or software release the consortium produced."""

    __tablename__ = "consortium_outcomes"
    __visible_through__: ClassVar[tuple[str, type[Any]]] = ("consortium_id", Consortium)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    consortium_id: Mapped[str] = mapped_column(
        ID, ForeignKey("consortia.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    #: patent or standard number, product name, DOI
    reference: Mapped[str] = mapped_column(Text, default="")
    owner_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    achieved: Mapped[date | None] = mapped_column(Date, nullable=True)
    url: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Project(Base):
    """A joint project on its way from research to mass production."""

    __tablename__ = "projects"
    __owner__: ClassVar[str] = "owner_id"
    __consortium__: ClassVar[str] = "consortium_id"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title_en: Mapped[str] = mapped_column(Text, default="")
    title_zh: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[str] = mapped_column(ID, ForeignKey("organizations.id"), index=True)
    consortium_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("consortia.id"), nullable=True, index=True
    )
    need_id: Mapped[str | None] = mapped_column(ID, ForeignKey("needs.id"), nullable=True)
    stage: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20))
    trl: Mapped[int] = mapped_column(Integer)
    started: Mapped[date] = mapped_column(Date)
    stage_entered: Mapped[date] = mapped_column(Date)
    #: when the next stage-gate review is due, and what the project needs to reach it
    next_gate_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    next_gate_budget_cny_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    visibility: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class GateReview(Base):
    """One stage-gate review: the criteria, the decision and the stage it leads to."""

    __tablename__ = "gate_reviews"
    __visible_through__: ClassVar[tuple[str, type[Any]]] = ("project_id", Project)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(
        ID, ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(10))
    #: [{"name": ..., "met": true, "note": ...}, ...]
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    trl: Mapped[int] = mapped_column(Integer)
    decided_on: Mapped[date] = mapped_column(Date)
    reviewers: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Milestone(Base):
    __tablename__ = "milestones"
    __visible_through__: ClassVar[tuple[str, type[Any]]] = ("project_id", Project)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(
        ID, ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(20))
    due: Mapped[date] = mapped_column(Date)
    done: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class FundingRound(Base):
    """Money raised for a project: who, how much, in which currency, when and at which stage."""

    __tablename__ = "funding_rounds"
    __visible_through__: ClassVar[tuple[str, type[Any]]] = ("project_id", Project)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(
        ID, ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(20))
    investor_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("organizations.id"), nullable=True
    )
    fund_id: Mapped[str | None] = mapped_column(ID, ForeignKey("funds.id"), nullable=True)
    investor_name: Mapped[str] = mapped_column(Text, default="")
    #: millions in `currency`; `cny_rate` CNY per unit of it on the day (1 for CNY)
    amount_m: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    cny_rate: Mapped[float] = mapped_column(Float)
    stage: Mapped[str] = mapped_column(String(20))
    received: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
