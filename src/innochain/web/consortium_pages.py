"""Consortium pages: the builder (a need and constraints in, the optimum and alternatives out,
each with a coverage matrix), the list, and each consortium's workspace with its lifecycle
forms (invite, accept, decline, exit with its effect, agreement, resources, outcomes)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from innochain import registry
from innochain.api.auth import ViewerDep, client_ip, require_csrf
from innochain.api.consortium import ProposeIn, run_proposal
from innochain.api.deps import get_session
from innochain.consortium import lifecycle
from innochain.domain import (
    PROVINCES,
    ForegroundIP,
    Licensing,
    OutcomeKind,
    ResourceKind,
    Visibility,
)
from innochain.errors import InnochainError, NotFound
from innochain.store import audit
from innochain.web.pages import download, render

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


SessionDep = Annotated[Session, Depends(get_session)]
Text = Annotated[str, Form(max_length=5000)]


def _back(consortium_id: str) -> Response:
    return RedirectResponse(f"/consortia/{consortium_id}", status_code=303)


@router.post("/consortia/new")
def create_consortium_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    name: Annotated[str, Form(max_length=500)],
    lead: Annotated[str, Form(max_length=200)] = "",
    domain: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI reads the default
    member: Annotated[list[str], Form()] = [],  # noqa: B006
    visibility: Annotated[str, Form(max_length=20)] = "consortium",
) -> Response:
    """Create the consortium a proposal describes: the lead joins, the others are invited."""
    chinese = any("\u3400" <= ch <= "\u9fff" for ch in name)
    members = [
        {"organization_id": org, "role": role}
        for org, _, role in (m.partition(":") for m in member)
    ]
    body = {
        "name_zh" if chinese else "name_en": name,
        "lead_id": lead or None,
        "domain_ids": [d for d in domain if d],
        "members": members,
        "visibility": visibility,
    }
    consortium_id = lifecycle.create_consortium(session, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return _back(consortium_id)


@router.get("/consortia/{consortium_id}")
def consortium_page(
    request: Request, session: SessionDep, viewer: ViewerDep, consortium_id: str
) -> Response:
    detail = lifecycle.view(session, consortium_id, viewer=viewer, ip=client_ip(request))
    session.commit()
    context = {
        "consortium": detail,
        "_foreground": list(ForegroundIP),
        "_licensing": list(Licensing),
        "_resource_kinds": list(ResourceKind),
        "_outcome_kinds": list(OutcomeKind),
    }
    return render(request, "consortium.html", context)


#: the columns of a consortium's outcomes saved as a table
OUTCOME_COLUMNS = ("id", "kind", "title", "reference", "owner_ids", "achieved", "url")


@router.get("/consortia/{consortium_id}/outcomes.{fmt}")
def outcomes_download(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    consortium_id: str,
    fmt: Literal["csv", "xlsx"],
) -> Response:
    """The consortium's outcomes (patents, products, standards, papers, software) as a table,
    for whoever may see the workspace; a file of a consortium not public is audited."""
    detail = lifecycle.workspace(session, consortium_id, viewer=viewer)
    if "outcomes" not in detail:  # an invitation, not the workspace
        raise NotFound(f"consortium {consortium_id!r}: accept the invitation to see its work")
    if detail["visibility"] != Visibility.PUBLIC.value:
        rows_n = {"rows": len(detail["outcomes"])}
        audit.record(
            session, viewer, "export", entity="consortium_outcomes", entity_id=consortium_id,
            detail=rows_n, ip=client_ip(request),
        )  # fmt: skip
        session.commit()
    rows = [
        ["|".join(o["owner_ids"]) if c == "owner_ids" else o[c] for c in OUTCOME_COLUMNS]
        for o in detail["outcomes"]
    ]
    return download(f"{consortium_id}-outcomes", OUTCOME_COLUMNS, rows, fmt)


@router.post("/consortia/{consortium_id}/status")
def status_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    consortium_id: str,
    status: Annotated[str, Form(max_length=20)],
) -> Response:
    lifecycle.update_consortium(
        session, consortium_id, {"status": status}, viewer=viewer, ip=client_ip(request)
    )
    session.commit()
    return _back(consortium_id)


@router.post("/consortia/{consortium_id}/members")
def invite_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    consortium_id: str,
    organization: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=20)] = "supporting",
) -> Response:
    lifecycle.invite_member(
        session, consortium_id, organization, role, viewer=viewer, ip=client_ip(request)
    )
    session.commit()
    return _back(consortium_id)


@router.post("/consortia/{consortium_id}/members/{organization_id}/{answer}")
def answer_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    consortium_id: str,
    organization_id: str,
    answer: str,
) -> Response:
    """accept, decline or exit."""
    ip = client_ip(request)
    if answer == "exit":
        lifecycle.exit_member(session, consortium_id, organization_id, viewer=viewer, ip=ip)
    elif answer in ("accept", "decline"):
        lifecycle.respond(
            session,
            consortium_id,
            organization_id,
            accept=answer == "accept",
            viewer=viewer,
            ip=ip,
        )
    else:
        raise NotFound(f"no action {answer!r}")
    session.commit()
    return _back(consortium_id) if answer != "decline" else RedirectResponse("/consortia", 303)


@router.get("/consortia/{consortium_id}/members/{organization_id}/exit")
def exit_preview_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    consortium_id: str,
    organization_id: str,
) -> Response:
    """What the exit would do, before confirming it."""
    lifecycle.require_visible(session, consortium_id, viewer=viewer)
    effect = lifecycle.exit_member(
        session, consortium_id, organization_id, viewer=viewer, dry_run=True
    )
    return render(
        request, "consortium_exit.html", {"consortium_id": consortium_id, "effect": effect}
    )


@router.post("/consortia/{consortium_id}/agreement")
def agreement_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    consortium_id: str,
    foreground_ip: Annotated[str, Form(max_length=40)],
    licensing: Annotated[str, Form(max_length=40)],
    background_ip: Text = "",
    share_org: Annotated[list[str], Form()] = [],  # noqa: B006
    cost_pct: Annotated[list[str], Form()] = [],  # noqa: B006
    benefit_pct: Annotated[list[str], Form()] = [],  # noqa: B006
    signed: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    shares = [
        {"organization_id": o, "cost_pct": c, "benefit_pct": b}
        for o, c, b in zip(share_org, cost_pct, benefit_pct, strict=False)
    ]
    body = {
        "background_ip": background_ip,
        "foreground_ip": foreground_ip,
        "licensing": licensing,
        "shares": shares,
        "signed": signed or None,
    }
    lifecycle.set_agreement(session, consortium_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return _back(consortium_id)


@router.post("/consortia/{consortium_id}/resources")
def resource_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    consortium_id: str,
    kind: Annotated[str, Form(max_length=20)],
    name: Annotated[str, Form(max_length=500)],
    access_terms: Text = "",
) -> Response:
    body = {"kind": kind, "name": name, "access_terms": access_terms}
    lifecycle.add_resource(session, consortium_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return _back(consortium_id)


@router.post("/consortia/{consortium_id}/resources/{resource_id}/delete")
def withdraw_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    consortium_id: str,
    resource_id: int,
) -> Response:
    lifecycle.remove_resource(
        session, consortium_id, resource_id, viewer=viewer, ip=client_ip(request)
    )
    session.commit()
    return _back(consortium_id)


@router.post("/consortia/{consortium_id}/outcomes")
def outcome_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    consortium_id: str,
    kind: Annotated[str, Form(max_length=20)],
    title: Annotated[str, Form(max_length=1000)],
    reference: Annotated[str, Form(max_length=500)] = "",
    owners: Annotated[str, Form(max_length=2000)] = "",
    achieved: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    body = {
        "kind": kind,
        "title": title,
        "reference": reference,
        "owner_ids": [o.strip() for o in owners.split(",") if o.strip()],
        "achieved": achieved or None,
    }
    lifecycle.add_outcome(session, consortium_id, body, viewer=viewer, ip=client_ip(request))
    session.commit()
    return _back(consortium_id)
