"""Pipeline pages: the project board by stage, a project with its gate reviews, milestones and
funding (and the forms to add them), and the portfolio charts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from innochain import pipeline
from innochain.api.auth import ViewerDep, client_ip, require_csrf
from innochain.api.deps import get_session
from innochain.domain import FundingSource, GateDecision, PipelineStage, Visibility
from innochain.web.charts import bar_chart, stacked_chart
from innochain.web.pages import download, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
SessionDep = Annotated[Session, Depends(get_session)]
Short = Annotated[str, Form(max_length=200)]
Day = Annotated[str, Form(max_length=10)]

#: criteria rows on the gate form
CRITERIA_ROWS = 4


def _filters(q: str, owner_id: str, consortium_id: str) -> dict[str, Any]:
    return {"q": q or None, "owner_id": owner_id or None, "consortium_id": consortium_id or None}


@router.get("/projects")
def board_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    q: Annotated[str, Query(max_length=500)] = "",
    owner_id: Annotated[str, Query(max_length=200)] = "",
    consortium_id: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Projects in columns by stage; stopped ones listed apart."""
    items = pipeline.list_projects(session, viewer=viewer, **_filters(q, owner_id, consortium_id))
    columns = [
        {
            "stage": s.value,
            "label_zh": s.label_zh,
            "trl": s.trl_range,
            "projects": [p for p in items if p["stage"] == s.value and p["status"] != "stopped"],
        }
        for s in PipelineStage
    ]
    context = {
        "q": q,
        "owner_id": owner_id,
        "consortium_id": consortium_id,
        "total": len(items),
        "columns": columns,
        "stopped": [p for p in items if p["status"] == "stopped"],
        "_stages": list(PipelineStage),
        "_visibilities": list(Visibility),
    }
    return render(request, "projects.html", context)


@router.get("/projects.{fmt}")
def board_download(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    fmt: Literal["csv", "xlsx"],
    q: Annotated[str, Query(max_length=500)] = "",
    owner_id: Annotated[str, Query(max_length=200)] = "",
    consortium_id: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The board's projects (same filters) as a table: one row per project."""
    rows = pipeline.export_projects(
        session, viewer=viewer, ip=client_ip(request), **_filters(q, owner_id, consortium_id)
    )
    session.commit()  # the audit entry, if the file holds a project not public
    return download("projects", pipeline.TABLE_COLUMNS, rows, fmt)


@router.post("/projects/new")
def create_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    title: Annotated[str, Form(max_length=500)],
    description: Annotated[str, Form(max_length=20_000)] = "",
    stage: Short = "research",
    started: Day = "",
    consortium_id: Short = "",
    need_id: Short = "",
    next_gate_due: Day = "",
    next_gate_budget_cny_m: Annotated[str, Form(max_length=20)] = "",
    visibility: Short = "private",
) -> Response:
    chinese = any("\u3400" <= ch <= "\u9fff" for ch in title)
    body = {
        "title_zh" if chinese else "title_en": title,
        "description": description,
        "stage": stage,
        "consortium_id": consortium_id or None,
        "need_id": need_id or None,
        "next_gate_due": next_gate_due or None,
        "next_gate_budget_cny_m": next_gate_budget_cny_m or None,
        "visibility": visibility,
    }
    if started:
        body["started"] = started
    project_id = pipeline.create_project(session, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return RedirectResponse(f"/projects/{project_id}", status_code=303)


@router.get("/portfolio")
def portfolio_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    owner_id: Annotated[str, Query(max_length=200)] = "",
    consortium_id: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Funnel, time in stage, the relay of capital by source and stage, projects at risk."""
    data = pipeline.portfolio(
        session, viewer=viewer, owner_id=owner_id or None, consortium_id=consortium_id or None
    )
    funnel = bar_chart([(r["stage"], r["reached"]) for r in data["funnel"]], unit="projects")
    money = data["funding"]["matrix"]
    relay = stacked_chart(
        [(s.value, {src: money[src][s.value] for src in money}) for s in PipelineStage],
        unit="CNY m",
    )
    context = {
        "portfolio": data,
        "owner_id": owner_id,
        "consortium_id": consortium_id,
        "_funnel": funnel,
        "_relay": relay,
        "_sources": {s.value: s for s in FundingSource},
    }
    return render(request, "portfolio.html", context)


@router.get("/projects/{project_id}")
def project_page(
    request: Request, session: SessionDep, viewer: ViewerDep, project_id: str
) -> Response:
    project = pipeline.view_project(session, project_id, viewer=viewer, ip=client_ip(request))
    session.commit()
    context = {
        "project": project,
        "_decisions": list(GateDecision),
        "_stages": list(PipelineStage),
        "_sources": list(FundingSource),
        "_criteria_rows": range(CRITERIA_ROWS),
    }
    return render(request, "project.html", context)


def _back(project_id: str) -> Response:
    return RedirectResponse(f"/projects/{project_id}", status_code=303)


@router.post("/projects/{project_id}/gates")
def gate_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    project_id: str,
    decision: Short,
    trl: Annotated[str, Form(max_length=2)],
    criterion: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI reads the default
    met: Annotated[list[str], Form()] = [],  # noqa: B006 - the row numbers ticked as met
    decided_on: Day = "",
    to_stage: Short = "",
    reviewers: Annotated[str, Form(max_length=2000)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """A gate review: criteria rows, each with a met box (its value is the row number)."""
    body: dict[str, Any] = {
        "decision": decision,
        "criteria": [
            {"name": name, "met": str(k) in met} for k, name in enumerate(criterion) if name.strip()
        ],
        "trl": trl,
        "reviewers": reviewers,
        "note": note,
    }
    if decided_on:
        body["decided_on"] = decided_on
    if to_stage:
        body["to_stage"] = to_stage
    pipeline.record_gate(session, project_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return _back(project_id)


@router.post("/projects/{project_id}/milestones")
def milestone_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    project_id: str,
    title: Annotated[str, Form(max_length=500)],
    due: Day,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    body = {"title": title, "due": due, "note": note}
    pipeline.add_milestone(session, project_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return _back(project_id)


@router.post("/projects/{project_id}/milestones/{milestone_id}/done")
def milestone_done_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    project_id: str,
    milestone_id: int,
    done: Day,
) -> Response:
    pipeline.update_milestone(
        session, project_id, milestone_id, {"done": done}, viewer=viewer, ip=client_ip(request)
    )
    session.commit()
    return _back(project_id)


@router.post("/projects/{project_id}/funding")
def funding_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    project_id: str,
    source: Short,
    amount_m: Annotated[str, Form(max_length=30)],
    received: Day,
    currency: Annotated[str, Form(max_length=3)] = "CNY",
    cny_rate: Annotated[str, Form(max_length=30)] = "",
    investor: Short = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    body: dict[str, Any] = {
        "source": source,
        "amount_m": amount_m,
        "currency": currency or "CNY",
        "received": received,
        "investor_name": investor,
        "note": note,
    }
    if cny_rate:
        body["cny_rate"] = cny_rate
    pipeline.add_funding(session, project_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return _back(project_id)
