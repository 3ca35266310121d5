"""The going-overseas knowledge base: markets with dated, sourced facts, and the standards map
(`src/innochain/data/overseas/*.toml`), checked on load: a fact without a source or whose end
date is before its start is an error naming the market and fact."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from innochain.errors import InvalidInput, Problem

__all__ = ["DATA", "TOPICS", "Fact", "Market", "Standard", "load_markets", "load_standards"]

DATA = Path(__file__).parents[1] / "data" / "overseas"
TOPICS = (
    "approval",
    "safety",
    "battery",
    "cybersecurity",
    "software_update",
    "emc",
    "crash",
    "emissions_labelling",
    "battery_regulation",
    "data_protection",
    "connected_vehicle",
    "tariff",
    "trade_remedy",
    "local_content",
    "incentive",
    "test_body",
)
CATEGORIES = ("M1", "N1")
POWERTRAINS = ("bev", "phev", "hev", "ice", "fcv")


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Fact:
    id: str
    market: str
    topic: str
    title: str
    detail: str
    applies_to: tuple[str, ...]
    effective: date | None
    valid_until: date | None
    issuer: str
    documents: tuple[str, ...]
    source: str
    url: str
    confirmed: bool
    basis: str
    rate_percent: float | None = None
    company_rates: dict[str, float] = field(default_factory=dict)
    lead_time_weeks: float | None = None
    lead_time_note: str = ""
    lead_time_source: str = ""
    lead_time_url: str = ""

    def applies(self, category: str, powertrain: str) -> bool:
        cats = [a for a in self.applies_to if a in CATEGORIES]
        trains = [a for a in self.applies_to if a in POWERTRAINS]
        return (not cats or category in cats) and (not trains or powertrain in trains)

    def in_force(self, on: date) -> bool:
        return (self.effective is None or self.effective <= on) and (
            self.valid_until is None or on <= self.valid_until
        )

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k not in ("market",)}
        out["effective"] = self.effective.isoformat() if self.effective else None
        out["valid_until"] = self.valid_until.isoformat() if self.valid_until else None
        out["applies_to"] = list(self.applies_to)
        out["documents"] = list(self.documents)
        return out


@dataclass(frozen=True)
class Market:
    id: str
    name_en: str
    name_zh: str
    approval_regime: str
    authority: str
    technical_services: tuple[str, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Standard:
    cn: str
    title_zh: str
    title_en: str
    topic: str
    counterparts: tuple[str, ...]
    relation: str
    note: str
    reuse: str
    source: str
    url: str
    confirmed: bool
    effective: str = ""


def _lead_time_problems(item: dict[str, Any], *, file: str, where: str) -> list[Problem]:
    """A lead time is a figure of its own: positive, and with the page that states it."""
    weeks = item.get("lead_time_weeks")
    if weeks is None:
        stray = [k for k in ("lead_time_note", "lead_time_source", "lead_time_url") if item.get(k)]
        return [
            Problem("is given without lead_time_weeks", file=file, column=f"{where}.{k}")
            for k in stray
        ]
    problems = []
    if isinstance(weeks, bool) or not isinstance(weeks, int | float) or not 0 < weeks <= 520:
        problems.append(
            Problem(
                f"must be a number of weeks above 0 and at most 520, not {weeks!r}",
                file=file,
                column=f"{where}.lead_time_weeks",
            )
        )
    for name in ("lead_time_source", "lead_time_url"):
        if not item.get(name):
            problems.append(
                Problem(
                    "a lead time needs its own source and url", file=file, column=f"{where}.{name}"
                )
            )
    return problems


def parse_markets(raw: dict[str, Any], *, file: str = "markets.toml") -> dict[str, Market]:
    """Markets from the parsed TOML; every problem at once."""
    problems: list[Problem] = []
    markets: dict[str, Market] = {}
    seen: set[str] = set()
    for market_id, body in raw.get("markets", {}).items():
        facts = []
        for k, item in enumerate(body.get("facts", []), start=1):
            where = f"{market_id}.facts.{k}"
            fact_id = str(item.get("id", ""))
            for name in ("id", "topic", "title", "source", "url"):
                if not item.get(name):
                    problems.append(
                        Problem(f"a fact needs a {name}", file=file, column=f"{where}.{name}")
                    )
            if fact_id in seen:
                problems.append(
                    Problem(f"fact id {fact_id!r} appears twice", file=file, column=where)
                )
            seen.add(fact_id)
            if item.get("topic") and item["topic"] not in TOPICS:
                problems.append(
                    Problem(
                        f"topic {item['topic']!r} is not one of {', '.join(TOPICS)}",
                        file=file,
                        column=f"{where}.topic",
                    )
                )
            try:
                start, end = _date(item.get("effective")), _date(item.get("valid_until"))
            except (TypeError, ValueError):
                problems.append(Problem("dates must be YYYY-MM-DD", file=file, column=where))
                continue
            if start and end and end < start:
                problems.append(
                    Problem(
                        f"valid_until {end} is before effective {start}",
                        file=file,
                        column=f"{where}.valid_until",
                    )
                )
            problems += _lead_time_problems(item, file=file, where=where)
            unknown = [a for a in item.get("applies_to", []) if a not in CATEGORIES + POWERTRAINS]
            if unknown:
                problems.append(Problem(f"applies_to: unknown {unknown}", file=file, column=where))
            facts.append(
                Fact(
                    fact_id,
                    market_id,
                    str(item.get("topic", "")),
                    str(item.get("title", "")),
                    str(item.get("detail", "")),
                    tuple(item.get("applies_to", [])),
                    start,
                    end,
                    str(item.get("issuer", "")),
                    tuple(item.get("documents", [])),
                    str(item.get("source", "")),
                    str(item.get("url", "")),
                    bool(item.get("confirmed", False)),
                    str(item.get("basis", "")),
                    item.get("rate_percent"),
                    dict(item.get("company_rates", {})),
                    item.get("lead_time_weeks"),
                    str(item.get("lead_time_note", "")),
                    str(item.get("lead_time_source", "")),
                    str(item.get("lead_time_url", "")),
                )
            )
        markets[market_id] = Market(
            market_id,
            str(body.get("name_en", market_id)),
            str(body.get("name_zh", "")),
            str(body.get("approval_regime", "")),
            str(body.get("authority", "")),
            tuple(body.get("technical_services", [])),
            tuple(facts),
        )
    if problems:
        raise InvalidInput(problems)
    return markets


@cache
def load_markets() -> dict[str, Market]:
    path = DATA / "markets.toml"
    return parse_markets(tomllib.loads(path.read_text(encoding="utf-8")), file=str(path))


@cache
def load_standards() -> tuple[Standard, ...]:
    raw = tomllib.loads((DATA / "standards.toml").read_text(encoding="utf-8"))
    return tuple(
        Standard(
            str(s["cn"]),
            str(s.get("title_zh", "")),
            str(s.get("title_en", "")),
            str(s.get("topic", "")),
            tuple(s.get("counterparts", [])),
            str(s.get("relation", "")),
            str(s.get("note", "")),
            str(s.get("reuse", "")),
            str(s.get("source", "")),
            str(s.get("url", "")),
            bool(s.get("confirmed", False)),
            str(s.get("effective", "")),
        )
        for s in raw.get("standard", [])
    )
