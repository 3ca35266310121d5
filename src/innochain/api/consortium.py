"""POST /api/v1/consortia/propose: a need -> the optimal consortium and alternatives."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from innochain.api.auth import ViewerDep, require_csrf
from innochain.api.deps import get_matcher, get_session
from innochain.consortium import ConsortiumProposal, Constraints, propose
from innochain.domain import Viewer
from innochain.match import MAX_NEED_CHARS, Need, need_from_registry

router = APIRouter(tags=["consortia"], dependencies=[Depends(require_csrf)])


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
