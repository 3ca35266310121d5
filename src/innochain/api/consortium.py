"""Consortia: propose the optimal one for a need, create it, and run it (invitations,
agreement, resources, outcomes, exits)."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from innochain.api.auth import ViewerDep, client_ip, require_csrf
from innochain.api.deps import PlainJSONRoute, get_matcher, get_session
from innochain.consortium import ConsortiumProposal, Constraints, lifecycle, propose
from innochain.consortium.inputs import (
    AgreementIn,
    ConsortiumChange,
    ConsortiumIn,
    OutcomeIn,
    ResourceIn,
)
from innochain.domain import ConsortiumRole, Viewer
from innochain.match import MAX_NEED_CHARS, Need, need_from_registry

router = APIRouter(
    tags=["consortia"], dependencies=[Depends(require_csrf)], route_class=PlainJSONRoute
)
SessionDep = Annotated[Session, Depends(get_session)]


class ProposeIn(BaseModel):
    text: str = Field("", max_length=MAX_NEED_CHARS, description="The need, Chinese or English.")
    need_id: str | None = Field(None, description="A stored need you may see, instead of text.")
    domain_ids: list[str] = Field(
        default_factory=list, max_length=60, description="Required domains; default: inferred."
    )
    domain_weights: dict[str, float] = Field(
        default_factory=dict, description="Weight per domain (default 1)."
    )
    required_trl: int | None = Field(None, ge=1, le=9)
    lead_id: str | None = Field(None, description="The lead; default: the need's seeker.")
    min_size: int = Field(3, ge=1, le=50, description="Members, the lead included.")
    max_size: int = Field(8, ge=1, le=50)
    require_research: bool = Field(False, description="At least one university or institute.")
    regions: list[str] = Field(default_factory=list, description="Provinces members must be in.")
    preferred_regions: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list, description="Organisation ids to leave out.")
    domestic_only: bool = False
    allow_competitors: bool = Field(False, description="Allow direct competitors together.")
    alternatives: int = Field(2, ge=0, le=10, description="Next-best distinct consortia.")


def run_proposal(
    body: ProposeIn, request: Request, session: Session, viewer: Viewer
) -> ConsortiumProposal:
    """Shared by the API and the page: the need (stored or written) and the constraints."""
    if body.need_id:
        need = need_from_registry(session, body.need_id, viewer=viewer)
        if body.domain_ids:
            need = Need(need.text, tuple(body.domain_ids), need.required_trl, need.seeker_id)
    else:
        need = Need(
            text=body.text,
            domain_ids=tuple(body.domain_ids),
            required_trl=body.required_trl,
            seeker_id=body.lead_id or viewer.organization_id,
        )
    constraints = Constraints(
        min_size=body.min_size,
        max_size=body.max_size,
        require_research=body.require_research,
        regions=tuple(body.regions),
        preferred_regions=tuple(body.preferred_regions),
        excluded=tuple(body.exclude),
        domestic_only=body.domestic_only,
        no_competitors=not body.allow_competitors,
    )
    return propose(
        session,
        get_matcher(request, session),
        need,
        lead_id=body.lead_id,
        domain_weights=body.domain_weights,
        constraints=constraints,
        alternatives=body.alternatives,
    )


@router.post(
    "/consortia/propose",
    response_class=Response,
    responses={
        200: {
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "The optimum and alternatives, or why none exists.",
        }
    },
)
def propose_consortium(
    body: ProposeIn,
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    viewer: ViewerDep,
) -> Response:
    """Assemble "1 lead + 1 core + N supporting" consortia covering the need's domains,
    proven optimal by a MILP solver, each member with its role, domains and reasons; when
    infeasible, the uncovered domains and the smallest relaxation that would do."""
    proposal = run_proposal(body, request, session, viewer)
    return Response(orjson.dumps(proposal), media_type="application/json")


@router.post("/consortia", status_code=201)
def create_consortium(
    body: ConsortiumIn, request: Request, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Create a consortium led by your organisation (status proposed): the lead joins, the
    listed members are invited with their roles. Returns the consortium's workspace."""
    consortium_id = lifecycle.create_consortium(session, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return lifecycle.workspace(session, consortium_id, viewer=viewer)


@router.get("/consortia/invitations")
def invitations(session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """Open invitations to your organisation."""
    items = lifecycle.invitations(session, viewer=viewer)
    return {"items": items, "total": len(items)}


@router.get("/consortia/{consortium_id}")
def consortium(
    consortium_id: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """One consortium with its members, coverage of its domains, shared resources, agreement
    and outcomes (404 if you may not see it; an invited organisation sees its invitation)."""
    found = lifecycle.view(session, consortium_id, viewer=viewer, ip=client_ip(request))
    session.commit()
    return found


@router.patch("/consortia/{consortium_id}")
def change_consortium(
    consortium_id: str,
    body: ConsortiumChange,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """Change names, description, domains, visibility or status (proposed → active → closed)."""
    found = lifecycle.update_consortium(
        session,
        consortium_id,
        body.model_dump(exclude_unset=True),
        viewer=viewer,
        ip=client_ip(request),
    )
    session.commit()
    return found


class InviteIn(BaseModel):
    organization_id: str = Field(min_length=1, description="Id, name or alias.")
    role: ConsortiumRole = Field(ConsortiumRole.SUPPORTING, description="core or supporting")


@router.post("/consortia/{consortium_id}/members", status_code=201)
def invite(
    consortium_id: str, body: InviteIn, request: Request, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Invite an organisation (the lead or an operator)."""
    member = lifecycle.invite_member(
        session,
        consortium_id,
        body.organization_id,
        body.role,
        viewer=viewer,
        ip=client_ip(request),
    )
    session.commit()
    return member


def _answer(
    accept: bool,
    consortium_id: str,
    organization_id: str,
    request: Request,
    session: Session,
    viewer: Viewer,
) -> dict[str, Any]:
    member = lifecycle.respond(
        session,
        consortium_id,
        organization_id,
        accept=accept,
        viewer=viewer,
        ip=client_ip(request),
    )
    session.commit()
    return member


@router.post("/consortia/{consortium_id}/members/{organization_id}/accept")
def accept(
    consortium_id: str,
    organization_id: str,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """Accept your organisation's invitation."""
    return _answer(True, consortium_id, organization_id, request, session, viewer)


@router.post("/consortia/{consortium_id}/members/{organization_id}/decline")
def decline(
    consortium_id: str,
    organization_id: str,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """Decline your organisation's invitation."""
    return _answer(False, consortium_id, organization_id, request, session, viewer)


@router.get("/consortia/{consortium_id}/members/{organization_id}/exit")
def exit_effect(
    consortium_id: str, organization_id: str, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """What a member's exit would do: domains only it covers (with replacements), its shared
    resources and its agreement shares. Changes nothing."""
    lifecycle.require_visible(session, consortium_id, viewer=viewer)
    return lifecycle.exit_member(
        session, consortium_id, organization_id, viewer=viewer, dry_run=True
    )


@router.post("/consortia/{consortium_id}/members/{organization_id}/exit")
def exit_member(
    consortium_id: str,
    organization_id: str,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """A member leaves (or the lead removes it); returns the effect on coverage."""
    effect = lifecycle.exit_member(
        session, consortium_id, organization_id, viewer=viewer, ip=client_ip(request)
    )
    session.commit()
    return effect


@router.put("/consortia/{consortium_id}/agreement")
def agreement(
    consortium_id: str,
    body: AgreementIn,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """Set the agreement: background and foreground IP, licensing, cost and benefit shares
    (each summing to 100 %) among accepted members."""
    out = lifecycle.set_agreement(
        session, consortium_id, body, viewer=viewer, ip=client_ip(request)
    )
    session.commit()
    return out


@router.post("/consortia/{consortium_id}/resources", status_code=201)
def add_resource(
    consortium_id: str,
    body: ResourceIn,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """Share a lab, pilot line, test track or dataset of your organisation."""
    out = lifecycle.add_resource(session, consortium_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return out


@router.delete("/consortia/{consortium_id}/resources/{resource_id}", status_code=204)
def remove_resource(
    consortium_id: str,
    resource_id: int,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> Response:
    """Withdraw a shared resource."""
    lifecycle.remove_resource(
        session, consortium_id, resource_id, viewer=viewer, ip=client_ip(request)
    )
    session.commit()
    return Response(status_code=204)


@router.post("/consortia/{consortium_id}/outcomes", status_code=201)
def add_outcome(
    consortium_id: str,
    body: OutcomeIn,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """Record a patent, product, standard, paper or software release."""
    out = lifecycle.add_outcome(session, consortium_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return out
