"""Statistics dashboards: the headline series at a glance, a page per series (chart, table,
source, CSV and XLSX download, a stable URL), and comparisons across regions and makers for
one metric and year."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from innochain import registry
from innochain.api.auth import require_csrf
from innochain.api.deps import get_session
from innochain.errors import NotFound
from innochain.web.charts import bar_chart, series_chart
from innochain.web.pages import download, render, templates

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
SessionDep = Annotated[Session, Depends(get_session)]

#: the dashboard's headline series, in order
HEADLINE = (
    "cn-vehicle-production",
    "cn-vehicle-sales",
    "cn-nev-sales",
    "cn-nev-sales-share",
    "cn-vehicle-exports",
    "cn-nev-exports",
    "cn-power-battery-installations",
    "cn-share-world-vehicle-production",
)
#: metrics compared across series (regions or makers) for one year
COMPARED = {
    "vehicle_production": "by region 各省产量",
    "nev_production": "by region 各省新能源汽车产量",
    "power_battery_installation_share": "by maker 动力电池装车量份额",
    "ev_battery_installation_share": "by maker, world 全球动力电池份额",
}


@router.get("/stats")
def dashboard(request: Request, session: SessionDep) -> Response:
    by_id = {s["id"]: s for s in registry.list_series(session)}
    headline = [by_id[i] for i in HEADLINE if i in by_id]
    context = {
        "cards": [
            s | {"latest": s["observations"][-1] if s["observations"] else None} for s in headline
        ],
        "_charts": [series_chart(s, height=180) for s in headline],
        "compared": COMPARED,
        "all": sorted(by_id.values(), key=lambda s: s["id"]),
    }
    return render(request, "stats.html", context)


def _compared(session: Session, metric: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The series of one metric that are compared with each other, and all their periods."""
    series = registry.list_series(session, metric=metric)
    if not series:
        raise NotFound(f"no series of metric {metric!r}")
    provinces = [s for s in series if str(s["region"]).startswith("CN-")]
    if provinces:  # compare provinces with provinces, not with the national total
        series = provinces
    return series, sorted({str(o["period"]) for s in series for o in s["observations"]})


@router.get("/stats/compare/{metric}.{fmt}")
def compare_download(session: SessionDep, metric: str, fmt: Literal["csv", "xlsx"]) -> Response:
    """Every series of the comparison, one row each, one column per period (empty: none)."""
    series, periods = _compared(session, metric)
    columns = ["series_id", "name_en", "name_zh", "region", "organization_id", "unit", *periods]
    rows = []
    for s in series:
        values = {str(o["period"]): o["value"] for o in s["observations"]}
        head = [s["id"], s["name_en"], s["name_zh"], s["region"], s["organization_id"], s["unit"]]
        rows.append(head + [values.get(p) for p in periods])
    return download(f"compare-{metric}", columns, rows, fmt)


@router.get("/stats/compare/{metric}")
def compare(
    request: Request,
    session: SessionDep,
    metric: str,
    year: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """One metric across its series (regions or makers) for one period."""
    series, periods = _compared(session, metric)
    chosen = year if year in periods else periods[-1]
    points = []
    for s in series:
        for o in s["observations"]:
            if str(o["period"]) == chosen:
                label = s["organization_id"] or s["region"]
                points.append((label, float(o["value"]), s["id"], o["source_url"]))
    points.sort(key=lambda p: -p[1])
    chart = bar_chart([(p[0], p[1]) for p in points], unit=series[0]["unit"], height=240)
    context = {
        "metric": metric,
        "title": COMPARED.get(metric, metric),
        "year": chosen,
        "periods": periods,
        "rows": points,
        "unit": series[0]["unit"],
        "_chart": chart,
    }
    return render(request, "stats_compare.html", context)


def _one(session: Session, series_id: str) -> dict[str, Any]:
    return registry.list_series(session, series_id=series_id)[0]


@router.get("/stats/{series_id}.csv")
def series_csv(session: SessionDep, series_id: str) -> Response:
    return _download(session, series_id, "csv")


@router.get("/stats/{series_id}.svg")
def series_svg(request: Request, session: SessionDep, series_id: str) -> Response:
    """The series' chart as a standalone SVG file, to embed in reports and slides."""
    series = _one(session, series_id)
    svg = templates.get_template("stats_chart.svg").render(
        c=series_chart(series, height=260),
        title=f"{series['name_en']} · {series['name_zh']}",
        url=f"{request.base_url}stats/{series_id}",
    )
    return Response(svg, media_type="image/svg+xml")


@router.get("/stats/{series_id}.xlsx")
def series_xlsx(session: SessionDep, series_id: str) -> Response:
    return _download(session, series_id, "xlsx")


def _download(session: Session, series_id: str, fmt: str) -> Response:
    series = _one(session, series_id)
    rows = [
        [series_id, o["period"], o["value"], series["unit"], o["source_url"]]
        for o in series["observations"]
    ]
    return download(series_id, ["series_id", "period", "value", "unit", "source_url"], rows, fmt)


@router.get("/stats/{series_id}")
def series_page(request: Request, session: SessionDep, series_id: str) -> Response:
    series = _one(session, series_id)
    values = [float(o["value"]) for o in series["observations"]]
    changes = [
        None if k == 0 or not values[k - 1] else round(100 * (v / values[k - 1] - 1), 1)
        for k, v in enumerate(values)
    ]
    context = {
        "series": series,
        "changes": changes,
        "_chart": series_chart(series, height=260),
        "compare": series["metric"] if series["metric"] in COMPARED else None,
    }
    return render(request, "stats_series.html", context)
