"""The consortium builder page: a need and constraints in, the optimum and alternatives out,
each with a coverage matrix (members x required domains)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from innochain import registry
from innochain.api.auth import ViewerDep, require_csrf
from innochain.api.consortium import ProposeIn, run_proposal
from innochain.api.deps import get_session
from innochain.domain import PROVINCES
from innochain.errors import InnochainError
from innochain.web.pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


@router.get("/consortia/propose")
def propose_page(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    viewer: ViewerDep,
    text: Annotated[str, Query(max_length=4000)] = "",
    need: Annotated[str, Query(max_length=200)] = "",
    domain: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads the default
    lead: Annotated[str, Query(max_length=200)] = "",
    min_size: Annotated[int, Query(ge=1, le=50)] = 3,
    max_size: Annotated[int, Query(ge=1, le=50)] = 8,
    research: bool = False,
    region: Annotated[str, Query(max_length=100)] = "",
    alternatives: Annotated[int, Query(ge=0, le=10)] = 2,
) -> Response:
    form = {
        "text": text,
        "need": need,
        "domain": [d for d in domain if d],
        "lead": lead,
        "min_size": min_size,
        "max_size": max_size,
        "research": research,
        "region": region,
        "alternatives": alternatives,
    }
    proposal, error = None, None
    if text.strip() or need or form["domain"]:
        body = ProposeIn(
            text=text,
            need_id=need or None,
            domain_ids=form["domain"],
            lead_id=lead or None,
            min_size=min_size,
            max_size=max_size,
            require_research=research,
            regions=[region] if region else [],
            alternatives=alternatives,
        )
        try:
            proposal = run_proposal(body, request, session, viewer)
        except InnochainError as problem:
            if problem.__class__.__name__ == "NotFound" and need:
                raise
            error = str(problem)
    context = {
        "form": form,
        "proposal": proposal,
        "error": error,
        "_provinces": [(en, zh) for en, (zh, _) in PROVINCES.items()],
    }
    return render(request, "consortium_propose.html", context)


@router.get("/consortia")
def consortia_page(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    viewer: ViewerDep,
    q: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    items = registry.list_consortia(session, viewer=viewer, q=q or None)
    return render(request, "consortia.html", {"q": q, "consortia": items, "total": len(items)})


@router.get("/consortia/{consortium_id}")
def consortium_page(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    viewer: ViewerDep,
    consortium_id: str,
) -> Response:
    detail = registry.get_consortium(session, consortium_id, viewer=viewer)
    return render(request, "consortium.html", {"consortium": detail})
