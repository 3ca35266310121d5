"""Going-overseas pages: the markets, a market's facts, a vehicle's checklist (and its HTML
and PDF downloads), two markets side by side, and the standards map."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from innochain import registry
from innochain.api.auth import ViewerDep, require_csrf
from innochain.api.deps import get_matcher, get_session
from innochain.api.middleware import REPORT_CSP
from innochain.errors import Forbidden, InvalidInput, NotAuthenticated
from innochain.match import Filters, Need
from innochain.overseas import (
    alerts,
    checklist,
    checklist_html,
    checklist_pdf,
    diff,
    load_markets,
    load_standards,
    market,
)
from innochain.overseas.knowledge import TOPICS
from innochain.overseas.report import PdfUnavailable
from innochain.web.pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


Text = Annotated[str, Query(max_length=100)]


def vehicle_query(
    category: Text = "M1",
    powertrain: Text = "bev",
    chemistry: Text = "LFP",
    kwh: Annotated[float | None, Query(gt=0, lt=500)] = 60.0,
    steering: Text = "LHD",
    maker: Text = "",
    connected: bool = True,
) -> dict[str, Any]:
    """The vehicle as the checklist form's query parameters give it."""
    return {
        "category": category,
        "powertrain": powertrain,
        "battery_chemistry": chemistry or None,
        "battery_kwh": kwh,
        "steering": steering,
        "maker": maker,
        "connected": connected,
    }


VehicleQuery = Annotated[dict[str, Any], Depends(vehicle_query)]


@router.get("/overseas")
def overseas_page(
    request: Request,
    vehicle: VehicleQuery,
    market_id: Annotated[str, Query(alias="market", max_length=10)] = "",
    other: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """The markets; with `market`, the vehicle's checklist; with `other` too, the difference."""
    context: dict[str, Any] = {
        "markets": list(load_markets().values()),
        "form": vehicle | {"market": market_id, "other": other},
        "check": checklist(market_id, vehicle) if market_id else None,
        "diff": diff(market_id, other, vehicle) if market_id and other else None,
        "query": str(request.url.query),
    }
    return render(request, "overseas.html", context)


@router.get("/overseas/checklist.html")
def checklist_download(
    vehicle: VehicleQuery, market_id: Annotated[str, Query(alias="market", max_length=10)]
) -> Response:
    check = checklist(market_id, vehicle)
    name = check["market"].lower()
    return HTMLResponse(
        checklist_html(check),
        headers={
            "content-disposition": f'attachment; filename="innochain-{name}-checklist.html"',
            "content-security-policy": REPORT_CSP,
        },
    )


@router.get("/overseas/checklist.pdf")
def checklist_pdf_download(
    vehicle: VehicleQuery, market_id: Annotated[str, Query(alias="market", max_length=10)]
) -> Response:
    check = checklist(market_id, vehicle)
    try:
        pdf = checklist_pdf(check)
    except PdfUnavailable as exc:
        raise HTTPException(503, str(exc)) from exc
    name = check["market"].lower()
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="innochain-{name}-checklist.pdf"'},
    )


@router.get("/overseas/standards")
def standards_page(request: Request) -> Response:
    return render(request, "overseas_standards.html", {"standards": list(load_standards())})


@router.get("/overseas/partners")
def partners_page(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=2000)] = "",
    country: Annotated[str, Query(max_length=2)] = "",
    kind: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """International partners: foreign organisations by country, ranked by the matcher for a
    capability when one is written (certification labs, distributors, research and
    joint-venture partners)."""
    countries = sorted(
        {o.country for o in registry.list_organizations(session, size=500).items} - {"CN"}
    )
    if country and country.upper() not in countries:
        raise InvalidInput.at(
            "country", f"no organisation from {country!r}; countries: {', '.join(countries)}"
        )
    chosen = (country.upper(),) if country else tuple(countries)
    kinds = (kind,) if kind else ()
    found: list[dict[str, Any]] = []
    if q.strip():
        result = get_matcher(request, session).match(
            Need(text=q), limit=30, filters=Filters(countries=chosen, kinds=kinds)
        )
        found = [
            {
                "organization_id": c.organization_id,
                "name": c.name_zh or c.name_en,
                "name_en": c.name_en,
                "kind": c.kind,
                "country": c.country,
                "score": round(c.score, 3),
                "reasons": c.reasons[:3],
            }
            for c in result.candidates
        ]
    else:
        for code in chosen:
            page = registry.list_organizations(session, country=code, kind=kind or None, size=200)
            found += [
                {
                    "organization_id": o.id,
                    "name": o.name_zh or o.name_en,
                    "name_en": o.name_en,
                    "kind": o.kind,
                    "country": o.country,
                    "score": None,
                    "reasons": [],
                }
                for o in page.items
            ]
    context = {
        "q": q,
        "country": country.upper(),
        "kind": kind,
        "countries": countries,
        "partners": found,
    }
    return render(request, "overseas_partners.html", context)


@router.get("/overseas/{market_id}")
def market_page(request: Request, market_id: str) -> Response:
    return render(request, "overseas_market.html", {"market": market(market_id)})


SessionDep = Annotated[Session, Depends(get_session)]


@router.get("/alerts")
def alerts_page(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Follow markets and topics; see what changed."""
    if not viewer.signed_in or viewer.user_id is None:
        raise NotAuthenticated("sign in to follow markets")
    context = {
        "follows": alerts.follows(session, viewer),
        "notifications": alerts.notifications(session, viewer),
        "_markets": list(load_markets().values()),
        "_topics": TOPICS,
    }
    return render(request, "alerts.html", context)


@router.post("/alerts/follow")
def follow_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    market_id: Annotated[str, Form(alias="market", max_length=10)],
    topic: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    alerts.follow(session, viewer, market_id, topic)
    session.commit()
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/unfollow/{follow_id}")
def unfollow_page(
    request: Request, session: SessionDep, viewer: ViewerDep, follow_id: int
) -> Response:
    alerts.unfollow(session, viewer, follow_id)
    session.commit()
    return RedirectResponse("/alerts", status_code=303)


@router.get("/admin/changes")
def changes_page(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """What changed in the knowledge base, when and from which source (operators)."""
    if not viewer.is_operator:
        raise (
            NotAuthenticated("operators only")
            if not viewer.signed_in
            else Forbidden("operators only")
        )
    return render(request, "changes.html", {"changes": alerts.changes(session)})
