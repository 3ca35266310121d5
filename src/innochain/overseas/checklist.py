"""What it takes to sell a vehicle in a market: the requirements, certifications and
documents in force for its category and powertrain, who issues them, the duties on a
China-made vehicle (with the maker's own rate where a remedy differs by company), and the
risks: facts that change within the horizon, trade remedies, steering side."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from innochain.errors import NotFound, validated
from innochain.overseas.knowledge import Fact, Market, load_markets

__all__ = ["LEFT_HAND_TRAFFIC", "Vehicle", "checklist", "diff", "market"]

#: markets that drive on the left: right-hand-drive vehicles
LEFT_HAND_TRAFFIC = {"UK", "AU", "JP", "TH", "ID", "MY", "ZA"}
DUTY_TOPICS = ("tariff", "trade_remedy")
RISK_HORIZON_DAYS = 180


class Vehicle(BaseModel):
    """The vehicle to export."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    category: str = Field(pattern="^(M1|N1)$", description="M1 passenger car, N1 light commercial.")
    powertrain: str = Field(pattern="^(bev|phev|hev|ice|fcv)$")
    battery_chemistry: str | None = Field(None, description="e.g. LFP, NMC, sodium-ion")
    battery_kwh: float | None = Field(None, gt=0, lt=500)
    connected: bool = Field(True, description="Telematics, OTA or app connectivity.")
    automated_driving_level: int = Field(0, ge=0, le=5)
    steering: str = Field("LHD", pattern="^(LHD|RHD)$")
    maker: str = Field("", description="The exporting company, for per-company duty rates.")

    @model_validator(mode="after")
    def _consistent(self) -> Vehicle:
        if self.powertrain in ("bev", "phev") and self.battery_kwh is None:
            raise ValueError(f"battery_kwh: a {self.powertrain} vehicle needs its battery capacity")
        if self.powertrain in ("ice",) and (self.battery_kwh or self.battery_chemistry):
            raise ValueError("battery_kwh: a combustion vehicle has no traction battery")
        return self


def market(market_id: str) -> Market:
    markets = load_markets()
    found = markets.get(market_id.upper())
    if found is None:
        raise NotFound(f"no market {market_id!r}; markets: {', '.join(sorted(markets))}")
    return found


def _rate(fact: Fact, maker: str) -> dict[str, Any]:
    rate = fact.rate_percent
    company = None
    for name, value in fact.company_rates.items():
        if maker and maker.lower() in name.lower():
            company, rate = name, value
    return {"rate_percent": rate, "company": company}


def checklist(
    market_id: str,
    vehicle: Vehicle | dict[str, Any],
    *,
    on: date | None = None,
    horizon_days: int = RISK_HORIZON_DAYS,
) -> dict[str, Any]:
    """The checklist for the vehicle in the market on a date (default today)."""
    found = market(market_id)
    v = validated(Vehicle, vehicle)
    today = on or date.today()
    soon = today + timedelta(days=horizon_days)
    relevant = [f for f in found.facts if f.applies(v.category, v.powertrain)]
    if not v.connected:
        relevant = [f for f in relevant if f.topic not in ("connected_vehicle", "software_update")]
    requirements, duties, upcoming = [], [], []
    for fact in sorted(relevant, key=lambda f: (f.topic, f.id)):
        item = fact.as_dict() | {"status": "in_force" if fact.in_force(today) else "not_in_force"}
        if fact.effective and today < fact.effective <= soon:
            upcoming.append(
                {
                    "id": fact.id,
                    "title": fact.title,
                    "effective": item["effective"],
                    "days": (fact.effective - today).days,
                }
            )
        if fact.valid_until and today <= fact.valid_until <= soon:
            upcoming.append(
                {
                    "id": fact.id,
                    "title": fact.title,
                    "ends": item["valid_until"],
                    "days": (fact.valid_until - today).days,
                }
            )
        if not fact.in_force(today) and not (fact.effective and fact.effective <= soon):
            continue
        if fact.topic in DUTY_TOPICS:
            duties.append(item | _rate(fact, v.maker))
        else:
            requirements.append(item)
    in_force_duties = [d for d in duties if d["status"] == "in_force" and d["rate_percent"]]
    risks = [
        f"{u['title']}: {'takes effect' if 'effective' in u else 'ends'} in {u['days']} days"
        for u in upcoming
    ]
    risks += [f"trade remedy: {d['title']}" for d in duties if d["topic"] == "trade_remedy"]
    needs_rhd = found.id in LEFT_HAND_TRAFFIC
    if needs_rhd != (v.steering == "RHD"):
        risks.append(
            f"{found.name_en} drives on the {'left' if needs_rhd else 'right'}: "
            f"a {'right' if needs_rhd else 'left'}-hand-drive version is needed"
        )
    documents = sorted({d for r in requirements for d in r["documents"]})
    timed = [r for r in requirements if r["lead_time_weeks"]]
    longest = max(timed, key=lambda r: r["lead_time_weeks"], default=None)
    return {
        "market": found.id,
        "market_name_en": found.name_en,
        "market_name_zh": found.name_zh,
        "approval_regime": found.approval_regime,
        "authority": found.authority,
        "technical_services": list(found.technical_services),
        "vehicle": v.model_dump(),
        "as_of": today.isoformat(),
        "requirements": requirements,
        "documents": documents,
        "duties": duties,
        "duty_total_percent": round(sum(d["rate_percent"] for d in in_force_duties), 2)
        if in_force_duties
        else None,
        "risks": risks,
        "upcoming": upcoming,
        "lead_time": {
            "longest_weeks": longest["lead_time_weeks"] if longest else None,
            "longest": longest["title"] if longest else None,
            "with_lead_time": len(timed),
            "without_lead_time": len(requirements) - len(timed),
        },
        "unconfirmed": sum(not r["confirmed"] for r in requirements + duties),
    }


def diff(
    a: str, b: str, vehicle: Vehicle | dict[str, Any], *, on: date | None = None
) -> dict[str, Any]:
    """Two markets' checklists side by side, by topic."""
    left, right = checklist(a, vehicle, on=on), checklist(b, vehicle, on=on)
    topics = sorted(
        {r["topic"] for r in left["requirements"] + left["duties"]}
        | {r["topic"] for r in right["requirements"] + right["duties"]}
    )

    def titles(check: dict[str, Any], topic: str) -> list[str]:
        return [r["title"] for r in check["requirements"] + check["duties"] if r["topic"] == topic]

    return {
        "markets": [left["market"], right["market"]],
        "rows": [
            {"topic": t, left["market"]: titles(left, t), right["market"]: titles(right, t)}
            for t in topics
        ],
        "duty_total_percent": {
            left["market"]: left["duty_total_percent"],
            right["market"]: right["duty_total_percent"],
        },
        "longest_lead_time_weeks": {
            left["market"]: left["lead_time"]["longest_weeks"],
            right["market"]: right["lead_time"]["longest_weeks"],
        },
        "approval": {
            left["market"]: left["approval_regime"],
            right["market"]: right["approval_regime"],
        },
        "checklists": [left, right],
    }
