"""Tables of risk alerts: what users follow, the state of every knowledge-base fact last seen,
the changes found, and each user's notifications. Times are naive UTC."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from innochain.store.tables import Base

__all__ = ["FactChange", "FactState", "Follow", "Notification"]


class Follow(Base):
    """A user follows a market, one topic of it, or (topic "") all of it."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "market", "topic", name="uq_follows"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    market: Mapped[str] = mapped_column(String(10))
    topic: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class FactState(Base):
    """A knowledge-base fact as last seen: its digest, so that a change is noticed."""

    __tablename__ = "fact_states"
    __key__ = "fact_id"
    fact_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    market: Mapped[str] = mapped_column(String(10))
    digest: Mapped[str] = mapped_column(String(64))
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    approaching_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    seen_at: Mapped[datetime] = mapped_column(DateTime)


class FactChange(Base):
    """A fact that appeared, changed, was removed, or whose effective date is near."""

    __tablename__ = "fact_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fact_id: Mapped[str] = mapped_column(String(200), index=True)
    market: Mapped[str] = mapped_column(String(10), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_url: Mapped[str] = mapped_column(String(1000), default="")
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


class Notification(Base):
    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    change_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("fact_changes.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    read_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
