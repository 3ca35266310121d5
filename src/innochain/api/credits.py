"""The dual-credit engine over HTTP: rule sets, a fleet's account, settling, planning, moving
volume, and the ministry's published results. Thin: parse, call `innochain.credits`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from innochain.api.auth import require_csrf
from innochain.api.deps import PlainJSONRoute
from innochain.credits import (
    company_account,
    move_volume,
    plan,
    published_results,
    published_summary,
    rule_sets,
    settle,
    validate_fleet,
)

router = APIRouter(
    prefix="/credits",
    tags=["credits"],
    dependencies=[Depends(require_csrf)],
    route_class=PlainJSONRoute,
)


class FleetIn(BaseModel):
    year: int = Field(ge=2000, le=2100, description="The accounting year.")
    models: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=5000,
        description="One row per model: model_id, powertrain (ice, hev, phev, bev, fcv), "
        "curb_mass_kg, seat_rows, volume, fuel_consumption_l100, electric_range_km, "
        "energy_consumption_kwh100, fuel_cell_kw.",
    )
    assume: dict[str, float] = Field(
        default_factory=dict, description="Values for parameters the rule data lacks."
    )


class SettleIn(FleetIn):
    carried_cafc: list[tuple[int, float]] = Field(default_factory=list)
    affiliate_cafc: float = Field(0, ge=0)
    carried_nev: float = Field(0, ge=0)
    bought_nev: float = Field(0, ge=0)


class PlanIn(FleetIn):
    nev_model: str | None = Field(None, description="The NEV model whose volume to raise.")


class MoveIn(FleetIn):
    source: str
    target: str
    volume: int = Field(gt=0)


@router.get("/rules")
def rules() -> dict[str, Any]:
    """Every rule set with every parameter, its source and whether it is confirmed."""
    return {"items": [r.summary() for r in rule_sets()]}


@router.post("/account")
def account(body: FleetIn) -> dict[str, Any]:
    """A company's account for the year, per model and in total, with the rules used."""
    return company_account(validate_fleet(body.models), body.year, assume=body.assume)


@router.post("/settle")
def settle_(body: SettleIn) -> dict[str, Any]:
    """The account settled in the legal order, with what carries forward."""
    found = company_account(validate_fleet(body.models), body.year, assume=body.assume)
    return settle(
        found,
        carried_cafc=body.carried_cafc,
        affiliate_cafc=body.affiliate_cafc,
        carried_nev=body.carried_nev,
        bought_nev=body.bought_nev,
    )


@router.post("/plan")
def plan_(body: PlanIn) -> dict[str, Any]:
    """Credits to buy for a planned fleet, and the fewest extra vehicles of an NEV model that
    would need none."""
    return plan(
        validate_fleet(body.models), body.year, nev_model=body.nev_model, assume=body.assume
    )


@router.post("/move")
def move(body: MoveIn) -> dict[str, Any]:
    """The effect of moving volume from one model to another."""
    return move_volume(
        validate_fleet(body.models),
        body.year,
        source=body.source,
        target=body.target,
        volume=body.volume,
        assume=body.assume,
    )


@router.get("/published")
def published(year: Annotated[int | None, Field(ge=2016, le=2100)] = None) -> dict[str, Any]:
    """The ministry's published annual results, sourced: `items` as published (one row per
    fact), `totals` per year and group with the domestic + importers = all `checks`, and
    `companies` grouped by company."""
    rows = published_results(year)
    return {"items": rows, "total": len(rows)} | published_summary(year)
