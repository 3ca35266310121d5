"""Going-overseas pages: the markets, a market's facts, a vehicle's checklist (and its HTML
download), two markets side by side, and the standards map."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from innochain.api.auth import require_csrf
from innochain.overseas import checklist, checklist_html, diff, load_markets, load_standards, market
from innochain.web.pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def _vehicle(
    category: str,
    powertrain: str,
    chemistry: str,
    kwh: float | None,
    steering: str,
    maker: str,
    connected: bool,
) -> dict[str, Any]:
    return {
        "category": category,
        "powertrain": powertrain,
        "battery_chemistry": chemistry or None,
        "battery_kwh": kwh,
        "steering": steering,
        "maker": maker,
        "connected": connected,
    }


Text = Annotated[str, Query(max_length=100)]


@router.get("/overseas")
def overseas_page(
    request: Request,
    market_id: Annotated[str, Query(alias="market", max_length=10)] = "",
    other: Annotated[str, Query(max_length=10)] = "",
    category: Text = "M1",
    powertrain: Text = "bev",
    chemistry: Text = "LFP",
    kwh: Annotated[float | None, Query(gt=0, lt=500)] = 60.0,
    steering: Text = "LHD",
    maker: Text = "",
    connected: bool = True,
) -> Response:
    """The markets; with `market`, the vehicle's checklist; with `other` too, the difference."""
    vehicle = _vehicle(category, powertrain, chemistry, kwh, steering, maker, connected)
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
    market_id: Annotated[str, Query(alias="market", max_length=10)],
    category: Text = "M1",
    powertrain: Text = "bev",
    chemistry: Text = "LFP",
    kwh: Annotated[float | None, Query(gt=0, lt=500)] = 60.0,
    steering: Text = "LHD",
    maker: Text = "",
    connected: bool = True,
) -> Response:
    check = checklist(
        market_id, _vehicle(category, powertrain, chemistry, kwh, steering, maker, connected)
    )
    name = check["market"].lower()
    return HTMLResponse(
        checklist_html(check),
        headers={
            "content-disposition": f'attachment; filename="innochain-{name}-checklist.html"',
            "content-security-policy": REPORT_CSP,
        },
    )


@router.get("/overseas/standards")
def standards_page(request: Request) -> Response:
    return render(request, "overseas_standards.html", {"standards": list(load_standards())})


@router.get("/overseas/{market_id}")
def market_page(request: Request, market_id: str) -> Response:
    return render(request, "overseas_market.html", {"market": market(market_id)})
