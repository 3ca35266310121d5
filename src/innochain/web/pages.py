"""Page handlers: build a context from the registry, then render it as HTML or as JSON.

Every page's JSON twin is the same URL with `?format=json`, linked from the page head.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from innochain import __version__, registry
from innochain.api.deps import get_matcher, get_session
from innochain.domain import PROVINCES, OrgKind, Stage
from innochain.match import Filters, Need
from innochain.web.charts import bar_chart, compact

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(version=__version__)
templates.env.filters["compact"] = compact
static_files = StaticFiles(directory=HERE / "static")
router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(get_session)]

#: the statistics series the dashboard charts, first one present wins
DASHBOARD_SERIES = ("cn-nev-sales", "cn-vehicle-sales", "cn-vehicle-production")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def render(request: Request, template: str, context: dict[str, Any]) -> Response:
    """HTML for people, the same context as JSON for `?format=json`."""
    if request.query_params.get("format") == "json":
        return JSONResponse(_plain({k: v for k, v in context.items() if not k.startswith("_")}))
    params = dict(request.query_params) | {"format": "json"}
    json_url = f"{request.url.path}?{urlencode(params)}"
    return templates.TemplateResponse(request, template, context | {"json_url": json_url})


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    counts = registry.count_entities(session)
    per_kind = registry.count_organizations_by(session, "kind")
    by_kind = [
        {
            "kind": k.value,
            "label_en": k.label_en,
            "label_zh": k.label_zh,
            "count": per_kind.get(k.value, 0),
        }
        for k in OrgKind
    ]
    series = {s["id"]: s for s in registry.list_series(session)}
    chart_series = next((series[i] for i in DASHBOARD_SERIES if i in series), None)
    chart = None
    if chart_series:
        points = [(o["period"], o["value"]) for o in chart_series["observations"]]
        chart = bar_chart(points, unit=chart_series["unit"])
    context = {
        "counts": counts,
        "by_kind": by_kind,
        "chart_series": chart_series,
        "_chart": chart,
    }
    return render(request, "home.html", context)


@router.get("/organizations")
def directory(
    request: Request,
    session: SessionDep,
    q: str | None = None,
    kind: str | None = None,
    province: str | None = None,
    chain_node: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    result = registry.list_organizations(
        session,
        q=q,
        kind=kind or None,
        province=province or None,
        chain_node=chain_node or None,
        page=page,
        size=50,
    )
    filters = {
        "q": q or "",
        "kind": kind or "",
        "province": province or "",
        "chain_node": chain_node or "",
    }
    base = {k: v for k, v in filters.items() if v}
    context = {
        "filters": filters,
        "organizations": result.items,
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "prev_url": f"?{urlencode(base | {'page': page - 1})}" if page > 1 else None,
        "next_url": f"?{urlencode(base | {'page': page + 1})}" if page < result.pages else None,
        "_kinds": list(OrgKind),
        "_provinces": [(en, zh) for en, (zh, _) in PROVINCES.items()],
        "_nodes": registry.list_chain_nodes(session),
    }
    return render(request, "directory.html", context)


@router.get("/organizations/{org_id}")
def organization_page(request: Request, session: SessionDep, org_id: str) -> Response:
    detail = registry.get_organization(session, org_id)
    return render(request, "organization.html", {"detail": detail})


@router.get("/match")
def match_page(
    request: Request,
    session: SessionDep,
    text: str = "",
    domain: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads the default
    trl: Annotated[int | None, Query(ge=1, le=9)] = None,
    seeker: str = "",
    kind: str = "",
    province: str = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    saved: str = "",
) -> Response:
    """Find partners: write a need, see ranked partners with their reasons."""
    result = None
    if text.strip() or domain:
        matcher = get_matcher(request, session)
        result = matcher.match(
            Need(text=text, domain_ids=tuple(domain), required_trl=trl, seeker_id=seeker or None),
            limit=limit,
            filters=Filters(
                kinds=(kind,) if kind else (), provinces=(province,) if province else ()
            ),
        )
    context = {
        "form": {
            "text": text,
            "domain": domain,
            "trl": trl,
            "seeker": seeker,
            "kind": kind,
            "province": province,
            "limit": limit,
        },
        "result": result,
        "saved": registry.get_need(session, saved) if saved else None,
        "_kinds": list(OrgKind),
        "_provinces": [(en, zh) for en, (zh, _) in PROVINCES.items()],
        "_domains": registry.list_technologies(session),
    }
    return render(request, "match.html", context)


@router.post("/needs")
def save_need(
    session: SessionDep,
    seeker: Annotated[str, Form()],
    title: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
    domain: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI reads the default
    trl: Annotated[str, Form()] = "",
) -> Response:
    """Save the need written on the Find partners page (public; accounts come with issue 5)."""
    chinese = any("\u3400" <= ch <= "\u9fff" for ch in title + text)
    fields = {
        "seeker_id": seeker,
        "title_zh" if chinese else "title_en": title,
        "description_zh" if chinese else "description_en": text,
        "domain_ids": "|".join(d for d in domain if d),
        "required_trl": trl,
    }
    need_id = registry.create_need(session, fields, source="form")
    session.commit()
    back = {"text": text, "trl": trl, "seeker": seeker, "saved": need_id}
    query = urlencode({k: v for k, v in back.items() if v})
    if domain:
        query += "&" + urlencode([("domain", d) for d in domain if d])
    return RedirectResponse(f"/match?{query}", status_code=303)


@router.get("/chain")
def chain_page(request: Request, session: SessionDep) -> Response:
    return render(
        request, "chain.html", {"roots": registry.chain_tree(session), "_stages": list(Stage)}
    )


@router.get("/chain/{node_id}")
def chain_node_page(request: Request, session: SessionDep, node_id: str) -> Response:
    return render(request, "chain_node.html", {"node": registry.get_chain_node(session, node_id)})
