"""Going overseas over HTTP: markets and their sourced facts, a vehicle's checklist for a
market, two markets side by side, and the standards map."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from innochain.api.auth import require_csrf
from innochain.api.deps import PlainJSONRoute
from innochain.overseas import Vehicle, checklist, diff, load_markets, load_standards, market

router = APIRouter(
    prefix="/overseas",
    tags=["overseas"],
    dependencies=[Depends(require_csrf)],
    route_class=PlainJSONRoute,
)


@router.get("/markets")
def markets() -> dict[str, Any]:
    """The markets in the knowledge base, with their approval regimes and fact counts."""
    items = [
        {
            "id": m.id,
            "name_en": m.name_en,
            "name_zh": m.name_zh,
            "approval_regime": m.approval_regime,
            "facts": len(m.facts),
            "confirmed": sum(f.confirmed for f in m.facts),
        }
        for m in load_markets().values()
    ]
    return {"items": items, "total": len(items)}


@router.get("/markets/{market_id}")
def market_detail(market_id: str) -> dict[str, Any]:
    """One market with every fact, its dates and its source."""
    found = market(market_id)
    return {
        "id": found.id,
        "name_en": found.name_en,
        "name_zh": found.name_zh,
        "approval_regime": found.approval_regime,
        "authority": found.authority,
        "technical_services": list(found.technical_services),
        "facts": [f.as_dict() for f in found.facts],
    }


class ChecklistIn(BaseModel):
    market: str = Field(description="Market id, e.g. EU, BR, UK.")
    vehicle: Vehicle


class DiffIn(BaseModel):
    markets: tuple[str, str]
    vehicle: Vehicle


@router.post("/checklist")
def checklist_(body: ChecklistIn) -> dict[str, Any]:
    """Requirements, documents, issuers, duties and risks for the vehicle in the market."""
    return checklist(body.market, body.vehicle)


@router.post("/diff")
def diff_(body: DiffIn) -> dict[str, Any]:
    """Two markets' checklists side by side, by topic."""
    return diff(body.markets[0], body.markets[1], body.vehicle)


@router.get("/standards")
def standards() -> dict[str, Any]:
    """Chinese NEV standards and their international counterparts, with reuse notes."""
    items = [s.__dict__ | {"counterparts": list(s.counterparts)} for s in load_standards()]
    return {"items": items, "total": len(items)}
