"""Projects in the pipeline: create, read, change; stage-gate reviews, milestones, funding
rounds; and the portfolio views. Thin: parse, call `innochain.pipeline`, serialise."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from innochain import pipeline
from innochain.api.auth import ViewerDep, client_ip, require_csrf
from innochain.api.deps import PlainJSONRoute, get_session
from innochain.errors import InvalidInput
from innochain.pipeline import FundingIn, GateIn, MilestoneIn, ProjectChange, ProjectIn

router = APIRouter(
    tags=["pipeline"], dependencies=[Depends(require_csrf)], route_class=PlainJSONRoute
)
SessionDep = Annotated[Session, Depends(get_session)]


@router.get("/projects")
def projects(
    session: SessionDep,
    viewer: ViewerDep,
    q: Annotated[str | None, Query(description="Text search in titles and description.")] = None,
    stage: Annotated[str | None, Query(description="research, lab, pilot, mass_production")] = None,
    status: Annotated[str | None, Query(description="active, on_hold, stopped")] = None,
    owner_id: str | None = None,
    consortium_id: str | None = None,
) -> dict[str, Any]:
    """Projects you may see, each with money raised, days in stage and risks."""
    items = pipeline.list_projects(
        session,
        viewer=viewer,
        q=q,
        stage=stage,
        status=status,
        owner_id=owner_id,
        consortium_id=consortium_id,
    )
    return {"items": items, "total": len(items)}


@router.post("/projects", status_code=201)
def create_project(
    body: ProjectIn, request: Request, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Start a project for your organisation (default stage research, private)."""
    project_id = pipeline.create_project(session, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return pipeline.get_project(session, project_id, viewer=viewer)


@router.get("/portfolio")
def portfolio(
    session: SessionDep,
    viewer: ViewerDep,
    owner_id: str | None = None,
    consortium_id: str | None = None,
) -> dict[str, Any]:
    """Funnel by stage, time in stage, funding by source and stage, projects at risk."""
    return pipeline.portfolio(
        session, viewer=viewer, owner_id=owner_id, consortium_id=consortium_id
    )


@router.get("/projects/{project_id}")
def project(
    project_id: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """One project with its gate history, stage periods, milestones, funding and risks."""
    found = pipeline.view_project(session, project_id, viewer=viewer, ip=client_ip(request))
    session.commit()
    return found


@router.patch("/projects/{project_id}")
def change_project(
    project_id: str,
    body: ProjectChange,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """Change titles, links, next gate date and budget, or visibility. The stage changes
    only by a gate review."""
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise InvalidInput("name at least one field to change")
    found = pipeline.update_project(
        session, project_id, changes, viewer=viewer, ip=client_ip(request)
    )
    session.commit()
    return found


@router.delete("/projects/{project_id}", status_code=204)
def delete_project(
    project_id: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    """Delete a project with its history (the audit log keeps it)."""
    pipeline.delete_project(session, project_id, viewer=viewer, ip=client_ip(request))
    session.commit()
    return Response(status_code=204)


@router.post("/projects/{project_id}/gates", status_code=201)
def gate(
    project_id: str, body: GateIn, request: Request, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Record a stage-gate review (go, hold, stop, recycle); returns the project."""
    found = pipeline.record_gate(session, project_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return found


@router.post("/projects/{project_id}/milestones", status_code=201)
def add_milestone(
    project_id: str,
    body: MilestoneIn,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """Add a milestone with its due date."""
    out = pipeline.add_milestone(session, project_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return out


@router.patch("/projects/{project_id}/milestones/{milestone_id}")
def change_milestone(
    project_id: str,
    milestone_id: int,
    body: dict[str, Any],
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """Mark a milestone done (`{"done": "YYYY-MM-DD"}`), reopen it (`null`) or move its due date."""
    out = pipeline.update_milestone(
        session, project_id, milestone_id, body, viewer=viewer, ip=client_ip(request)
    )
    session.commit()
    return out


@router.post("/projects/{project_id}/funding", status_code=201)
def add_funding(
    project_id: str, body: FundingIn, request: Request, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Record a funding round: source, amount and currency (with its CNY rate), date."""
    out = pipeline.add_funding(session, project_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return out
