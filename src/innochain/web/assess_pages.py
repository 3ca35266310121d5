"""Assessment pages: a peer group's ranking with its weights, and a firm's report with its
radar, rank over the years, drivers, growth stage and recommended innovation mode."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from innochain.api.auth import require_csrf
from innochain.api.deps import get_firms, get_session
from innochain.assess import METHODS
from innochain.assess.ability import firm_report, rank_peers
from innochain.assess.firms import PEER_GROUPS
from innochain.assess.indicators import load_system
from innochain.web.charts import bar_chart, radar_chart
from innochain.web.pages import download, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
SessionDep = Annotated[Session, Depends(get_session)]
Method = Annotated[str, Query(max_length=40)]
Peers = Annotated[str, Query(max_length=20)]
Year = Annotated[int, Query(ge=2000, le=2100)]


def _ranked(request: Request, session: Session, peers: str, year: int, method: str) -> Any:
    return rank_peers(
        get_firms(request, session), load_system(), peers=peers, year=year, method=method
    )


@router.get("/assess")
def ranking_page(
    request: Request,
    session: SessionDep,
    peers: Peers = "oem",
    year: Year = 2024,
    method: Method = "entropy-topsis",
) -> Response:
    ranked = _ranked(request, session, peers, year, method)
    chart = bar_chart(
        [(f["name"], round(f["score"], 4)) for f in ranked["firms"]], unit="closeness", height=240
    )
    context = {
        "ranked": ranked,
        "_chart": chart,
        "_methods": sorted(METHODS),
        "_peer_groups": list(PEER_GROUPS),
    }
    return render(request, "assess.html", context)


@router.get("/assess.{fmt}")
def ranking_download(
    request: Request,
    session: SessionDep,
    fmt: Literal["csv", "xlsx"],
    peers: Peers = "oem",
    year: Year = 2024,
    method: Method = "entropy-topsis",
) -> Response:
    """The ranking as a table: rank, score, tier and each indicator's value per firm."""
    ranked = _ranked(request, session, peers, year, method)
    indicators = [i["id"] for i in ranked["indicators"]]
    columns = ["rank", "organization_id", "name", "score", "tier", *indicators, "imputed"]
    rows = [
        [f["rank"], f["organization_id"], f["name"], f["score"], f["tier"]]
        + [f["values"].get(i) for i in indicators]
        + ["|".join(f["imputed"])]
        for f in ranked["firms"]
    ]
    return download(f"assess-{peers}-{year}-{method}", columns, rows, fmt)


@router.get("/assess/{organization_id}")
def report_page(
    request: Request,
    session: SessionDep,
    organization_id: str,
    method: Method = "entropy-topsis",
) -> Response:
    report = firm_report(get_firms(request, session), load_system(), organization_id, method=method)
    radar = radar_chart([(r["name_en"], r["value"], r["peer_mean"]) for r in report["radar"]])
    history = bar_chart(
        [(str(h["year"]), h["score"]) for h in report["history"]], unit="closeness", height=200
    )
    return render(
        request,
        "assess_report.html",
        {"report": report, "_radar": radar, "_history": history, "_methods": sorted(METHODS)},
    )
