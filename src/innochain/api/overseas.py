"""Going overseas over HTTP: markets and their sourced facts, a vehicle's checklist for a
market (JSON or PDF), two markets side by side, and the standards map."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from innochain.api.auth import ViewerDep, require_csrf
from innochain.api.deps import PlainJSONRoute, get_session
from innochain.errors import Forbidden
from innochain.overseas import (
    PdfUnavailable,
    Vehicle,
    alerts,
    checklist,
    checklist_pdf,
    diff,
    load_markets,
    load_standards,
    market,
)

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


@router.post(
    "/checklist.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, 503: {"description": "no PDF engine"}},
)
def checklist_pdf_(body: ChecklistIn) -> Response:
    """The checklist as an A4 PDF (the HTML report laid out by WeasyPrint)."""
    try:
        pdf = checklist_pdf(checklist(body.market, body.vehicle))
    except PdfUnavailable as exc:
        raise HTTPException(503, str(exc)) from exc
    return Response(pdf, media_type="application/pdf")


@router.post("/diff")
def diff_(body: DiffIn) -> dict[str, Any]:
    """Two markets' checklists side by side, by topic."""
    return diff(body.markets[0], body.markets[1], body.vehicle)


@router.get("/standards")
def standards() -> dict[str, Any]:
    """Chinese NEV standards and their international counterparts, with reuse notes."""
    items = [s.__dict__ | {"counterparts": list(s.counterparts)} for s in load_standards()]
    return {"items": items, "total": len(items)}


alerts_router = APIRouter(
    prefix="/alerts",
    tags=["alerts"],
    dependencies=[Depends(require_csrf)],
    route_class=PlainJSONRoute,
)
SessionDep = Annotated[Session, Depends(get_session)]


class FollowIn(BaseModel):
    market: str
    topic: str = Field("", description="One topic, or empty for the whole market.")


@alerts_router.get("/follows")
def follows(session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """The markets and topics you follow."""
    items = alerts.follows(session, viewer)
    return {"items": items, "total": len(items)}


@alerts_router.post("/follows", status_code=201)
def follow(body: FollowIn, session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """Follow a market (or one topic of it): its changes reach your notifications and feed."""
    out = alerts.follow(session, viewer, body.market, body.topic)
    session.commit()
    return out


@alerts_router.delete("/follows/{follow_id}", status_code=204)
def unfollow(follow_id: int, session: SessionDep, viewer: ViewerDep) -> Response:
    alerts.unfollow(session, viewer, follow_id)
    session.commit()
    return Response(status_code=204)


@alerts_router.get("")
def notifications(session: SessionDep, viewer: ViewerDep, unread: bool = False) -> dict[str, Any]:
    """Your notifications, newest first."""
    items = alerts.notifications(session, viewer, unread=unread)
    return {"items": items, "total": len(items)}


@alerts_router.post("/{notification_id}/read", status_code=204)
def read(notification_id: int, session: SessionDep, viewer: ViewerDep) -> Response:
    alerts.mark_read(session, viewer, notification_id)
    session.commit()
    return Response(status_code=204)


@alerts_router.get("/feed.atom", response_class=Response)
def feed(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Your notifications as an Atom feed (send your API token as a Bearer header)."""
    entries = alerts.notifications(session, viewer)
    body = alerts.atom_feed(
        entries,
        feed_id=f"urn:innochain:alerts:{viewer.user_id}",
        title="innochain risk alerts",
        link=str(request.base_url) + "alerts",
    )
    return Response(body, media_type="application/atom+xml")


@alerts_router.get("/changes")
def changes(session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """Every change found in the knowledge base (operators)."""
    if not viewer.is_operator:
        raise Forbidden("operators only")
    items = alerts.changes(session)
    return {"items": items, "total": len(items)}


@alerts_router.post("/sync")
def sync(session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """Compare the knowledge base with what was last seen, now (operators)."""
    if not viewer.is_operator:
        raise Forbidden("operators only")
    found = alerts.sync(session)
    session.commit()
    return {"items": found, "total": len(found)}
