"""Page handlers: build a context from the registry, then render it as HTML or as JSON.

Every page's JSON twin is the same URL with `?format=json`, linked from the page head.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from innochain import __version__, registry
from innochain.api.auth import (
    ANON_CSRF_COOKIE,
    SESSION_COOKIE,
    ViewerDep,
    client_ip,
    csrf_token,
    require_csrf,
)
from innochain.api.deps import get_matcher, get_session
from innochain.domain import ANONYMOUS, PROVINCES, NeedStatus, OrgKind, Viewer, Visibility
from innochain.match import Filters, Need
from innochain.registry.formats import XLSX_MEDIA_TYPE, table_bytes
from innochain.web.charts import compact, number, series_chart

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(version=__version__)
templates.env.filters["compact"] = compact
templates.env.filters["num"] = number
static_files = StaticFiles(directory=HERE / "static")
#: every page: who is asking, and the CSRF check on every form post
router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
SessionDep = Annotated[Session, Depends(get_session)]

#: the statistics series the dashboard charts, first one present wins
DASHBOARD_SERIES = ("cn-nev-sales", "cn-vehicle-sales", "cn-vehicle-production")


def _me(viewer: Viewer) -> dict[str, Any]:
    return {
        "signed_in": viewer.signed_in,
        "email": viewer.name,
        "organization_id": viewer.organization_id,
        "role": viewer.role.value if viewer.role else None,
        "is_operator": viewer.is_operator,
        "is_admin": viewer.is_operator
        or (viewer.role is not None and viewer.role.value == "member_admin"),
        "can_write": viewer.can_write,
        "consortium_ids": sorted(viewer.consortium_ids),
    }


class _LazyToken:
    """The CSRF token, made only when a form prints it (so pages without forms set no cookie
    and stay cacheable)."""

    def __init__(self, request: Request) -> None:
        self.request = request

    def __str__(self) -> str:
        return csrf_token(self.request)

    def __html__(self) -> str:
        return str(self)


def finish(request: Request, response: Response) -> Response:
    """Cookies every page response may need: a new anonymous CSRF token, a dead session."""
    settings = request.app.state.settings
    new_token = getattr(request.state, "new_anon_csrf", None)
    if new_token:
        response.set_cookie(
            ANON_CSRF_COOKIE,
            new_token,
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
            path="/",
        )
    if getattr(request.state, "drop_session_cookie", False):
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    """HTML for people, the same context as JSON for `?format=json`."""
    if request.query_params.get("format") == "json":
        data = jsonable_encoder({k: v for k, v in context.items() if not k.startswith("_")})
        return finish(request, JSONResponse(data, status_code=status_code))
    params = dict(request.query_params) | {"format": "json"}
    json_url = f"{request.url.path}?{urlencode(params)}"
    viewer = getattr(request.state, "viewer", ANONYMOUS)
    extra = {"json_url": json_url, "me": _me(viewer), "csrf_token": _LazyToken(request)}
    response = templates.TemplateResponse(
        request, template, context | extra, status_code=status_code
    )
    return finish(request, response)


def download(
    stem: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str
) -> Response:
    """A table as a CSV or XLSX file to save (`stem.csv`, `stem.xlsx`)."""
    media = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_MEDIA_TYPE}[fmt]
    return Response(
        table_bytes(columns, rows, fmt=fmt),
        media_type=media,
        headers={"content-disposition": f'attachment; filename="{stem}.{fmt}"'},
    )


@router.get("/")
def home(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    counts = registry.count_entities(session, viewer=viewer)
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
        chart = series_chart(chart_series)
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
        "_nodes": registry.choices(session, "chain_nodes"),
    }
    return render(request, "directory.html", context)


#: the columns of the directory saved as a table
DIRECTORY_COLUMNS = (
    "id",
    "name_en",
    "name_zh",
    "kind",
    "ownership",
    "country",
    "province",
    "city",
    "founded",
    "chain_node_ids",
)


@router.get("/organizations.{fmt}")
def directory_download(
    session: SessionDep,
    fmt: Literal["csv", "xlsx"],
    q: str | None = None,
    kind: str | None = None,
    province: str | None = None,
    chain_node: str | None = None,
) -> Response:
    """Every organisation the directory's filters match (all pages), one row each."""
    filters: dict[str, Any] = {
        "q": q,
        "kind": kind or None,
        "province": province or None,
        "chain_node": chain_node or None,
    }
    total = registry.list_organizations(session, **filters, size=1).total
    found = registry.list_organizations(session, **filters, size=max(total, 1)).items
    rows = [
        ["|".join(o.chain_node_ids) if c == "chain_node_ids" else getattr(o, c)
         for c in DIRECTORY_COLUMNS]
        for o in found
    ]  # fmt: skip
    return download("organizations", DIRECTORY_COLUMNS, rows, fmt)


@router.get("/organizations/{org_id}")
def organization_page(request: Request, session: SessionDep, org_id: str) -> Response:
    detail = registry.get_organization(session, org_id)
    return render(request, "organization.html", {"detail": detail})


@router.get("/match")
def match_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
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
        "saved": registry.get_need(session, saved, viewer=viewer) if saved else None,
        "_visibilities": list(Visibility),
        "_kinds": list(OrgKind),
        "_provinces": [(en, zh) for en, (zh, _) in PROVINCES.items()],
        "_domains": registry.choices(session, "technology_domains"),
    }
    return render(request, "match.html", context)


@router.post("/needs")
def save_need(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    title: Annotated[str, Form(max_length=500)],
    seeker: Annotated[str, Form(max_length=200)] = "",
    text: Annotated[str, Form(max_length=20_000)] = "",
    domain: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI reads the default
    trl: Annotated[str, Form(max_length=2)] = "",
    visibility: Annotated[str, Form(max_length=20)] = "private",
    consortium: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Save the need written on the Find partners page for the user's organisation."""
    chinese = any("\u3400" <= ch <= "\u9fff" for ch in title + text)
    fields = {
        "seeker_id": seeker or viewer.organization_id,
        "title_zh" if chinese else "title_en": title,
        "description_zh" if chinese else "description_en": text,
        "domain_ids": "|".join(d for d in domain if d),
        "required_trl": trl,
        "visibility": visibility,
        "consortium_id": consortium,
    }
    need_id = registry.create_need(
        session, fields, viewer=viewer, source="form", ip=client_ip(request)
    )
    session.commit()
    return RedirectResponse(f"/needs/{need_id}?saved=1", status_code=303)


@router.get("/needs")
def needs_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    q: Annotated[str, Query(max_length=500)] = "",
    status: str = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    """Technology needs the visitor may see, with search."""
    result = registry.list_needs(
        session, viewer=viewer, q=q or None, status=status or None, page=page, size=50
    )
    base = {k: v for k, v in {"q": q, "status": status}.items() if v}
    context = {
        "filters": {"q": q, "status": status},
        "needs": result.items,
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "prev_url": f"?{urlencode(base | {'page': page - 1})}" if page > 1 else None,
        "next_url": f"?{urlencode(base | {'page': page + 1})}" if page < result.pages else None,
        "_statuses": list(NeedStatus),
    }
    return render(request, "needs.html", context)


@router.get("/needs/{need_id}")
def need_page(request: Request, session: SessionDep, viewer: ViewerDep, need_id: str) -> Response:
    need = registry.view_need(session, need_id, viewer=viewer, ip=client_ip(request))
    session.commit()
    owner = viewer.is_operator or (viewer.can_write and need["seeker_id"] == viewer.organization_id)
    context = {
        "need": need,
        "editable": owner,
        "saved": request.query_params.get("saved") == "1",
        "_visibilities": list(Visibility),
        "_statuses": list(NeedStatus),
    }
    return render(request, "need.html", context)


@router.post("/needs/{need_id}")
def change_need_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    need_id: str,
    visibility: Annotated[str, Form(max_length=20)],
    status: Annotated[str, Form(max_length=20)],
    consortium: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    changes = {"visibility": visibility, "status": status, "consortium_id": consortium or None}
    registry.update_need(session, need_id, changes, viewer=viewer, ip=client_ip(request))
    session.commit()
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


@router.post("/needs/{need_id}/delete")
def delete_need_page(
    request: Request, session: SessionDep, viewer: ViewerDep, need_id: str
) -> Response:
    registry.delete_need(session, need_id, viewer=viewer, ip=client_ip(request))
    session.commit()
    return RedirectResponse("/needs", status_code=303)


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    """The API reference, rendered on the server from the OpenAPI schema (no script, no CDN)."""
    schema = request.app.openapi()
    operations = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "tag": (op.get("tags") or ["other"])[0],
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": ref.rsplit("/", 1)[-1],
                }
            )
    context = {
        "title": schema["info"]["title"],
        "version": schema["info"]["version"],
        "operations": operations,
        "schemas": schema.get("components", {}).get("schemas", {}),
    }
    return render(request, "api_docs.html", context)
