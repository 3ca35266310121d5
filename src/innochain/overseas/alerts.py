"""Risk alerts: users follow markets (or one topic of a market); `sync` compares the
knowledge base with what was last seen and records what appeared, changed or was removed, and
which facts take effect within the horizon; each change notifies the users who follow it, in
the app and in their Atom feed. The first sync only records the baseline."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.domain import Viewer
from innochain.errors import InvalidInput, NotAuthenticated, NotFound
from innochain.overseas.checklist import market as find_market
from innochain.overseas.knowledge import TOPICS, Fact, Market, load_markets
from innochain.store.alert_tables import FactChange, FactState, Follow, Notification

__all__ = [
    "HORIZON_DAYS",
    "atom_feed",
    "changes",
    "follow",
    "follows",
    "mark_read",
    "notifications",
    "sync",
    "unfollow",
]

#: a fact taking effect within this many days is announced
HORIZON_DAYS = 60


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _digest(fact: Fact) -> str:
    body = json.dumps(fact.as_dict(), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _user(viewer: Viewer) -> int:
    if viewer.user_id is None:
        raise NotAuthenticated("sign in to follow markets")
    return viewer.user_id


def follow(session: Session, viewer: Viewer, market: str, topic: str = "") -> dict[str, Any]:
    """Follow a market, or one topic of it."""
    user = _user(viewer)
    found = find_market(market)
    if topic and topic not in TOPICS:
        raise InvalidInput.at("topic", f"{topic!r} is not one of {', '.join(TOPICS)}")
    row = session.scalars(
        select(Follow).where(
            Follow.user_id == user, Follow.market == found.id, Follow.topic == topic
        )
    ).first()
    if row is None:
        row = Follow(user_id=user, market=found.id, topic=topic, created_at=_now())
        session.add(row)
        session.flush()
    return {"id": row.id, "market": row.market, "topic": row.topic}


def unfollow(session: Session, viewer: Viewer, follow_id: int) -> None:
    row = session.get(Follow, follow_id)
    if row is None or row.user_id != _user(viewer):
        raise NotFound(f"no follow {follow_id}")
    session.delete(row)
    session.flush()


def follows(session: Session, viewer: Viewer) -> list[dict[str, Any]]:
    user = _user(viewer)
    rows = session.scalars(select(Follow).where(Follow.user_id == user).order_by(Follow.id))
    return [{"id": r.id, "market": r.market, "topic": r.topic} for r in rows]


def sync(
    session: Session,
    *,
    markets: dict[str, Market] | None = None,
    today: date | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> list[dict[str, Any]]:
    """Record the changes since the last sync and notify the followers; returns the changes.
    The caller owns the transaction."""
    markets = markets if markets is not None else load_markets()
    today = today or date.today()
    now = _now()
    states = {s.fact_id: s for s in session.scalars(select(FactState))}
    baseline = not states
    found: list[FactChange] = []
    current: dict[str, Fact] = {f.id: f for m in markets.values() for f in m.facts}

    def record(
        fact_id: str,
        market: str,
        topic: str,
        kind: str,
        title: str,
        detail: dict[str, Any],
        url: str,
    ) -> None:
        change = FactChange(
            fact_id=fact_id,
            market=market,
            topic=topic,
            kind=kind,
            title=title,
            detail=detail,
            source_url=url,
            at=now,
        )
        session.add(change)
        found.append(change)

    for fact_id, fact in current.items():
        digest = _digest(fact)
        state = states.get(fact_id)
        if state is None:
            session.add(
                FactState(
                    fact_id=fact_id,
                    market=fact.market,
                    digest=digest,
                    removed=False,
                    approaching_sent=False,
                    seen_at=now,
                )
            )
            if not baseline:
                record(
                    fact_id,
                    fact.market,
                    fact.topic,
                    "new",
                    fact.title,
                    {
                        "detail": fact.detail,
                        "effective": fact.as_dict()["effective"],
                        "rate_percent": fact.rate_percent,
                    },
                    fact.url,
                )
        elif state.digest != digest or state.removed:
            record(
                fact_id,
                fact.market,
                fact.topic,
                "changed",
                fact.title,
                {
                    "detail": fact.detail,
                    "effective": fact.as_dict()["effective"],
                    "valid_until": fact.as_dict()["valid_until"],
                    "rate_percent": fact.rate_percent,
                    "company_rates": fact.company_rates,
                },
                fact.url,
            )
            state.digest, state.removed, state.seen_at = digest, False, now
        state = states.get(fact_id)
        soon = fact.effective is not None and today < fact.effective <= today + timedelta(
            days=horizon_days
        )
        if soon and not baseline and (state is None or not state.approaching_sent):
            assert fact.effective is not None
            record(
                fact_id,
                fact.market,
                fact.topic,
                "approaching",
                fact.title,
                {"effective": fact.effective.isoformat(), "days": (fact.effective - today).days},
                fact.url,
            )
            if state is not None:
                state.approaching_sent = True
    for fact_id, state in states.items():
        if fact_id not in current and not state.removed:
            state.removed, state.seen_at = True, now
            record(fact_id, state.market, "", "removed", fact_id, {}, "")
    session.flush()
    for change in found:
        users = session.scalars(
            select(Follow.user_id).where(
                Follow.market == change.market,
                (Follow.topic == "") | (Follow.topic == change.topic),
            )
        )
        for user in sorted(set(users)):
            session.add(Notification(user_id=user, change_id=change.id, created_at=now))
    session.flush()
    return [_change_dict(c) for c in found]


def _change_dict(c: FactChange) -> dict[str, Any]:
    return {
        "id": c.id,
        "fact_id": c.fact_id,
        "market": c.market,
        "topic": c.topic,
        "kind": c.kind,
        "title": c.title,
        "detail": c.detail,
        "source_url": c.source_url,
        "at": c.at.isoformat(timespec="seconds"),
    }


def notifications(
    session: Session, viewer: Viewer, *, unread: bool = False
) -> list[dict[str, Any]]:
    """The viewer's notifications, newest first."""
    user = _user(viewer)
    query = (
        select(Notification, FactChange)
        .join(FactChange, FactChange.id == Notification.change_id)
        .where(Notification.user_id == user)
        .order_by(Notification.id.desc())
    )
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return [
        _change_dict(c) | {"notification_id": n.id, "read": n.read_at is not None}
        for n, c in session.execute(query).all()
    ]


def mark_read(session: Session, viewer: Viewer, notification_id: int) -> None:
    row = session.get(Notification, notification_id)
    if row is None or row.user_id != _user(viewer):
        raise NotFound(f"no notification {notification_id}")
    row.read_at = _now()
    session.flush()


def changes(session: Session, *, limit: int = 500) -> list[dict[str, Any]]:
    """Every recorded change, newest first (the operator's view)."""
    rows = session.scalars(select(FactChange).order_by(FactChange.id.desc()).limit(limit))
    return [_change_dict(c) for c in rows]


def atom_feed(entries: list[dict[str, Any]], *, feed_id: str, title: str, link: str) -> str:
    """An Atom 1.0 feed (RFC 4287) of changes."""
    updated = entries[0]["at"] if entries else _now().isoformat(timespec="seconds")
    items = "".join(
        f"<entry><id>urn:innochain:change:{e['id']}</id><title>{escape(e['market'])} "
        f"{escape(e['kind'])}: {escape(e['title'])}</title><updated>{escape(e['at'])}Z</updated>"
        f'<link href="{escape(e["source_url"] or link)}"/><summary>'
        f"{escape(json.dumps(e['detail'], ensure_ascii=False, default=str))}</summary></entry>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{escape(feed_id)}</id><title>{escape(title)}</title><updated>{escape(updated)}Z"
        f'</updated><link href="{escape(link)}"/>{items}</feed>'
    )
