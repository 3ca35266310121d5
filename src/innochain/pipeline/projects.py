"""Projects in the pipeline, stored and read under the visibility rules, every write audited.

A project belongs to one organisation (its owner) and may be carried by a consortium. Its
members (and operators) write; who reads follows its `visibility`, like a need. Its stage
changes only through stage-gate reviews (`record_gate`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.domain import (
    ANONYMOUS,
    FundingSource,
    GateDecision,
    PipelineStage,
    ProjectStatus,
    Viewer,
    Visibility,
)
from innochain.errors import Forbidden, InvalidInput, NotFound, validated
from innochain.pipeline import portfolio as views
from innochain.pipeline.model import (
    FundingFacts,
    FundingIn,
    GateFacts,
    GateIn,
    MilestoneFacts,
    MilestoneIn,
    ProjectChange,
    ProjectFacts,
    ProjectIn,
    decide_gate,
)
from innochain.registry import resolve_organization
from innochain.registry.queries import _text_filter
from innochain.store import audit
from innochain.store.tables import Consortium, Fund, Need
from innochain.store.visibility import restrict
from innochain.store.work_tables import FundingRound, GateReview, Milestone, Project

__all__ = [
    "add_funding",
    "add_milestone",
    "create_project",
    "delete_project",
    "get_project",
    "list_projects",
    "portfolio",
    "project_id_for",
    "record_gate",
    "update_milestone",
    "update_project",
    "view_project",
]


def project_id_for(title: str, owner: str) -> str:
    """A stable slug: ASCII words of the title and a short hash of owner and title.

    >>> project_id_for("Sulfide solid-state cell pilot line 硫化物固态电池", "catl")
    'project-sulfide-solid-state-cell-pilot-line-d26bcc'
    """
    words = re.findall(r"[a-z0-9]+", title.lower())[:6]
    digest = hashlib.sha1(f"{owner}|{title}".encode()).hexdigest()[:6]
    return "-".join(["project", *words, digest])


def _visible(session: Session, project_id: str, viewer: Viewer) -> Project:
    query = restrict(select(Project).where(Project.id == project_id), Project, viewer)
    project = session.scalars(query).first()
    if project is None:
        raise NotFound(f"no project with id {project_id!r}")
    return project


def _writable(session: Session, project_id: str, viewer: Viewer) -> Project:
    viewer.require_writer("work on projects")
    project = _visible(session, project_id, viewer)
    if not viewer.is_operator and project.owner_id != viewer.organization_id:
        raise Forbidden("only the owning organisation or an operator may change this project")
    return project


def _check_links(
    session: Session, consortium_id: str | None, need_id: str | None, viewer: Viewer
) -> None:
    if consortium_id:
        query = restrict(
            select(Consortium.id).where(Consortium.id == consortium_id), Consortium, viewer
        )
        if session.scalars(query).first() is None:
            raise InvalidInput.at(
                "consortium_id", f"no consortium {consortium_id!r} that you may see"
            )
        if not viewer.is_operator and consortium_id not in viewer.consortium_ids:
            raise InvalidInput.at(
                "consortium_id", "your organisation is not a member of that consortium"
            )
    if need_id:
        query = restrict(select(Need.id).where(Need.id == need_id), Need, viewer)
        if session.scalars(query).first() is None:
            raise InvalidInput.at("need_id", f"no need {need_id!r} that you may see")


def create_project(
    session: Session, data: ProjectIn | dict[str, Any], *, viewer: Viewer, ip: str = ""
) -> str:
    """Validate and store a new project for the viewer's organisation; returns its id."""
    viewer.require_writer("work on projects")
    body: ProjectIn = validated(ProjectIn, data)
    owner = body.owner_id or viewer.organization_id
    if not owner:
        raise InvalidInput.at("owner_id", "name the organisation that runs the project")
    owner = resolve_organization(session, owner, column="owner_id")
    if not viewer.is_operator and owner != viewer.organization_id:
        raise Forbidden("members start projects for their own organisation only")
    if body.started > date.today():
        raise InvalidInput.at("started", f"{body.started} is in the future")
    _check_links(session, body.consortium_id, body.need_id, viewer)
    project_id = body.id or project_id_for(body.title_en or body.title_zh, owner)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", project_id):
        raise InvalidInput.at("id", "use lower-case letters, digits, '-', '_' or '.'")
    if session.get(Project, project_id) is not None:
        raise InvalidInput.at("id", f"a project with id {project_id!r} exists already")
    project = Project(
        id=project_id,
        title_en=body.title_en,
        title_zh=body.title_zh,
        description=body.description,
        owner_id=owner,
        consortium_id=body.consortium_id,
        need_id=body.need_id,
        stage=body.stage.value,
        status=ProjectStatus.ACTIVE.value,
        trl=body.trl,
        started=body.started,
        stage_entered=body.started,
        next_gate_due=body.next_gate_due,
        next_gate_budget_cny_m=body.next_gate_budget_cny_m,
        visibility=body.visibility.value,
        created_at=audit.utcnow(),
    )
    session.add(project)
    session.flush()
    audit.record(
        session,
        viewer,
        "create",
        entity="projects",
        entity_id=project_id,
        after=_project_dict(project),
        ip=ip,
    )
    return project_id


def update_project(
    session: Session, project_id: str, changes: dict[str, Any], *, viewer: Viewer, ip: str = ""
) -> dict[str, Any]:
    """Change some fields (see `ProjectChange`); the stage and status only move by gates."""
    project = _writable(session, project_id, viewer)
    body: ProjectChange = validated(ProjectChange, changes)
    given = body.model_dump(exclude_unset=True)
    if not given:
        raise InvalidInput("name at least one field to change")
    merged = _project_dict(project) | given
    if given.get("visibility") == Visibility.CONSORTIUM and not merged["consortium_id"]:
        raise InvalidInput.at("consortium_id", "a consortium-only project must name its consortium")
    _check_links(session, given.get("consortium_id"), given.get("need_id"), viewer)
    due = given.get("next_gate_due")
    if due and due < project.stage_entered:
        raise InvalidInput.at(
            "next_gate_due", f"{due} is before the current stage began ({project.stage_entered})"
        )
    before = _project_dict(project)
    for name, value in given.items():
        setattr(project, name, value.value if isinstance(value, Visibility) else value)
    session.flush()
    after = _project_dict(project)
    audit.record(
        session,
        viewer,
        "change",
        entity="projects",
        entity_id=project_id,
        before={k: before[k] for k in given},
        after={k: after[k] for k in given},
        ip=ip,
    )
    return get_project(session, project_id, viewer=viewer)


def delete_project(session: Session, project_id: str, *, viewer: Viewer, ip: str = "") -> None:
    """Delete a project with its reviews, milestones and rounds; the audit log keeps it."""
    project = _writable(session, project_id, viewer)
    before = get_project(session, project_id, viewer=viewer)
    for model in (GateReview, Milestone, FundingRound):
        for row in session.scalars(select(model).where(model.project_id == project_id)):
            session.delete(row)
    session.delete(project)
    session.flush()
    audit.record(
        session, viewer, "delete", entity="projects", entity_id=project_id, before=before, ip=ip
    )


def record_gate(
    session: Session,
    project_id: str,
    data: GateIn | dict[str, Any],
    *,
    viewer: Viewer,
    ip: str = "",
    today: date | None = None,
) -> dict[str, Any]:
    """Record a stage-gate review and apply its decision; returns the project as now stored."""
    project = _writable(session, project_id, viewer)
    gate: GateIn = validated(GateIn, data)
    last = session.scalars(
        select(GateReview.decided_on)
        .where(GateReview.project_id == project_id)
        .order_by(GateReview.decided_on.desc())
        .limit(1)
    ).first()
    result = decide_gate(
        PipelineStage(project.stage),
        ProjectStatus(project.status),
        last or project.started,
        gate,
        today=today,
    )
    review = GateReview(
        project_id=project_id,
        from_stage=result.from_stage.value,
        to_stage=result.to_stage.value,
        decision=gate.decision.value,
        criteria=[c.model_dump() for c in gate.criteria],
        trl=gate.trl,
        decided_on=gate.decided_on,
        reviewers=gate.reviewers,
        note=gate.note,
        created_at=audit.utcnow(),
    )
    session.add(review)
    if result.to_stage.value != project.stage:
        project.stage_entered = gate.decided_on
        project.next_gate_due = None
        project.next_gate_budget_cny_m = None
    project.stage = result.to_stage.value
    project.status = result.status.value
    project.trl = result.trl
    session.flush()
    audit.record(
        session,
        viewer,
        "gate",
        entity="projects",
        entity_id=project_id,
        detail={
            "decision": gate.decision.value,
            "from": result.from_stage.value,
            "to": result.to_stage.value,
            "trl": gate.trl,
            "decided_on": gate.decided_on,
        },
        ip=ip,
    )
    return get_project(session, project_id, viewer=viewer, today=today)


def add_milestone(
    session: Session,
    project_id: str,
    data: MilestoneIn | dict[str, Any],
    *,
    viewer: Viewer,
    ip: str = "",
    today: date | None = None,
) -> dict[str, Any]:
    """Add a milestone (due date, stage, optionally already done); returns it."""
    project = _writable(session, project_id, viewer)
    body: MilestoneIn = validated(MilestoneIn, data)
    _check_milestone_dates(project, body.due, body.done, today or date.today())
    milestone = Milestone(
        project_id=project_id,
        title=body.title,
        stage=(body.stage or PipelineStage(project.stage)).value,
        due=body.due,
        done=body.done,
        note=body.note,
    )
    session.add(milestone)
    session.flush()
    row = _milestone_dict(milestone, today or date.today())
    audit.record(
        session, viewer, "milestone", entity="projects", entity_id=project_id, after=row, ip=ip
    )
    return row


def _check_milestone_dates(project: Project, due: date, done: date | None, today: date) -> None:
    if due < project.started:
        raise InvalidInput.at("due", f"{due} is before the project started ({project.started})")
    if done is not None:
        if done < project.started:
            raise InvalidInput.at(
                "done", f"{done} is before the project started ({project.started})"
            )
        if done > today:
            raise InvalidInput.at("done", f"{done} is in the future")


def update_milestone(
    session: Session,
    project_id: str,
    milestone_id: int,
    changes: dict[str, Any],
    *,
    viewer: Viewer,
    ip: str = "",
    today: date | None = None,
) -> dict[str, Any]:
    """Mark a milestone done (`done`: a date, or null to reopen) or move its due date."""
    project = _writable(session, project_id, viewer)
    milestone = session.get(Milestone, milestone_id)
    if milestone is None or milestone.project_id != project_id:
        raise NotFound(f"no milestone {milestone_id} in project {project_id!r}")
    unknown = sorted(set(changes) - {"done", "due", "title", "note"})
    if unknown:
        raise InvalidInput.at(
            unknown[0], "not a field that can be changed (done, due, title, note)"
        )
    merged = {
        "title": milestone.title,
        "due": milestone.due,
        "done": milestone.done,
        "stage": milestone.stage,
        "note": milestone.note,
    } | changes
    body: MilestoneIn = validated(MilestoneIn, merged)
    today = today or date.today()
    _check_milestone_dates(project, body.due, body.done, today)
    before = _milestone_dict(milestone, today)
    milestone.title, milestone.due, milestone.done, milestone.note = (
        body.title,
        body.due,
        body.done,
        body.note,
    )
    session.flush()
    after = _milestone_dict(milestone, today)
    audit.record(
        session,
        viewer,
        "milestone",
        entity="projects",
        entity_id=project_id,
        before={k: before[k] for k in changes},
        after={k: after[k] for k in changes},
        ip=ip,
    )
    return after


def add_funding(
    session: Session,
    project_id: str,
    data: FundingIn | dict[str, Any],
    *,
    viewer: Viewer,
    ip: str = "",
    today: date | None = None,
) -> dict[str, Any]:
    """Record a funding round; its stage defaults to the stage the project was in that day."""
    project = _writable(session, project_id, viewer)
    body: FundingIn = validated(FundingIn, data)
    if body.received < project.started:
        raise InvalidInput.at(
            "received", f"{body.received} is before the project started ({project.started})"
        )
    if body.received > (today or date.today()):
        raise InvalidInput.at("received", f"{body.received} is in the future")
    facts = _facts(session, [project])[0]
    on_the_day = _stage_on(facts, body.received)
    order = list(PipelineStage)
    stage = body.stage or on_the_day
    if order.index(stage) > order.index(on_the_day):
        raise InvalidInput.at(
            "stage",
            f"on {body.received} the project was in {on_the_day.value}, not yet {stage.value}",
        )
    investor = (
        resolve_organization(session, body.investor_id, column="investor_id")
        if body.investor_id
        else None
    )
    if body.fund_id and session.get(Fund, body.fund_id) is None:
        raise InvalidInput.at("fund_id", f"unknown fund {body.fund_id!r}")
    row = FundingRound(
        project_id=project_id,
        source=body.source.value,
        investor_id=investor,
        fund_id=body.fund_id,
        investor_name=body.investor_name,
        amount_m=body.amount_m,
        currency=body.currency,
        cny_rate=body.cny_rate,
        stage=stage.value,
        received=body.received,
        note=body.note,
    )
    session.add(row)
    session.flush()
    out = _funding_dict(row)
    audit.record(
        session, viewer, "funding", entity="projects", entity_id=project_id, after=out, ip=ip
    )
    return out


def _stage_on(facts: ProjectFacts, day: date) -> PipelineStage:
    periods = views.stage_periods(facts)
    current = periods[0].stage
    for period in periods:
        if period.start <= day:
            current = period.stage
    return current


def _project_dict(p: Project) -> dict[str, Any]:
    return {
        "id": p.id,
        "title_en": p.title_en,
        "title_zh": p.title_zh,
        "description": p.description,
        "owner_id": p.owner_id,
        "consortium_id": p.consortium_id,
        "need_id": p.need_id,
        "stage": p.stage,
        "status": p.status,
        "trl": p.trl,
        "started": p.started,
        "stage_entered": p.stage_entered,
        "next_gate_due": p.next_gate_due,
        "next_gate_budget_cny_m": p.next_gate_budget_cny_m,
        "visibility": p.visibility,
    }


def _milestone_dict(m: Milestone, today: date) -> dict[str, Any]:
    facts = MilestoneFacts(m.id, m.title, PipelineStage(m.stage), m.due, m.done)
    return {
        "id": m.id,
        "title": m.title,
        "stage": m.stage,
        "due": m.due,
        "done": m.done,
        "note": m.note,
        "overdue": m.done is None and m.due < today,
        "slippage_days": facts.slippage(today),
    }


def _funding_dict(f: FundingRound) -> dict[str, Any]:
    return {
        "id": f.id,
        "source": f.source,
        "investor_id": f.investor_id,
        "fund_id": f.fund_id,
        "investor_name": f.investor_name,
        "amount_m": f.amount_m,
        "currency": f.currency,
        "cny_rate": f.cny_rate,
        "amount_cny_m": round(f.amount_m * f.cny_rate, 6),
        "stage": f.stage,
        "received": f.received,
        "note": f.note,
    }


def _gate_dict(g: GateReview) -> dict[str, Any]:
    return {
        "id": g.id,
        "decision": g.decision,
        "from_stage": g.from_stage,
        "to_stage": g.to_stage,
        "criteria": g.criteria,
        "trl": g.trl,
        "decided_on": g.decided_on,
        "reviewers": g.reviewers,
        "note": g.note,
    }


def _children(session: Session, model: Any, ids: list[str]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {i: [] for i in ids}
    if ids:
        for row in session.scalars(
            select(model).where(model.project_id.in_(ids)).order_by(model.id)
        ):
            out[row.project_id].append(row)
    return out


@dataclass(frozen=True)
class _Rows:
    """A project's gate reviews, milestones and funding rounds as stored, in id order."""

    gates: list[GateReview]
    milestones: list[Milestone]
    rounds: list[FundingRound]


def _rows(session: Session, projects: list[Project]) -> dict[str, _Rows]:
    ids = [p.id for p in projects]
    gates, milestones, rounds = (
        _children(session, m, ids) for m in (GateReview, Milestone, FundingRound)
    )
    return {i: _Rows(gates[i], milestones[i], rounds[i]) for i in ids}


def _facts(session: Session, projects: list[Project]) -> list[ProjectFacts]:
    rows = _rows(session, projects)
    return [_facts_of(p, rows[p.id]) for p in projects]


def _facts_of(p: Project, rows: _Rows) -> ProjectFacts:
    return ProjectFacts(
        id=p.id,
        title=p.title_en or p.title_zh,
        owner_id=p.owner_id,
        stage=PipelineStage(p.stage),
        status=ProjectStatus(p.status),
        trl=p.trl,
        started=p.started,
        stage_entered=p.stage_entered,
        next_gate_due=p.next_gate_due,
        next_gate_budget_cny_m=p.next_gate_budget_cny_m,
        gates=tuple(
            GateFacts(
                g.decided_on,
                PipelineStage(g.from_stage),
                PipelineStage(g.to_stage),
                GateDecision(g.decision),
            )
            for g in rows.gates
        ),
        milestones=tuple(
            MilestoneFacts(m.id, m.title, PipelineStage(m.stage), m.due, m.done)
            for m in rows.milestones
        ),
        funding=tuple(
            FundingFacts(
                FundingSource(f.source),
                PipelineStage(f.stage),
                f.amount_m * f.cny_rate,
                f.received,
            )
            for f in rows.rounds
        ),
    )


def get_project(
    session: Session, project_id: str, *, viewer: Viewer = ANONYMOUS, today: date | None = None
) -> dict[str, Any]:
    """One project with its gate history, stage periods, milestones, funding and risks."""
    today = today or date.today()
    project = _visible(session, project_id, viewer)
    rows = _rows(session, [project])[project.id]
    facts = _facts_of(project, rows)
    raised: dict[str, float] = {}
    for f in facts.funding:
        raised[f.stage.value] = round(raised.get(f.stage.value, 0.0) + f.amount_cny_m, 6)
    risk = views.at_risk([facts], today)
    return _project_dict(project) | {
        "trl_range": list(PipelineStage(project.stage).trl_range),
        "gates": [_gate_dict(g) for g in rows.gates],
        "periods": [
            {"stage": s.stage.value, "start": s.start, "end": s.end, "days": s.days(today)}
            for s in views.stage_periods(facts)
        ],
        "milestones": [_milestone_dict(m, today) for m in rows.milestones],
        "funding": [_funding_dict(f) for f in rows.rounds],
        "raised_cny_m_by_stage": raised,
        "raised_in_stage_cny_m": round(views.raised_in_stage(facts), 6),
        "risks": risk[0]["reasons"] if risk else [],
    }


def _query(
    viewer: Viewer,
    q: str | None,
    stage: str | None,
    status: str | None,
    owner_id: str | None,
    consortium_id: str | None,
) -> Any:
    query = restrict(select(Project), Project, viewer)
    if (
        text := _text_filter([Project.title_en, Project.title_zh, Project.description], q)
    ) is not None:
        query = query.where(text)
    if stage:
        if stage not in {s.value for s in PipelineStage}:
            raise InvalidInput.at(
                "stage", f"{stage!r} is not one of {', '.join(s.value for s in PipelineStage)}"
            )
        query = query.where(Project.stage == stage)
    if status:
        if status not in {s.value for s in ProjectStatus}:
            raise InvalidInput.at(
                "status", f"{status!r} is not one of {', '.join(s.value for s in ProjectStatus)}"
            )
        query = query.where(Project.status == status)
    if owner_id:
        query = query.where(Project.owner_id == owner_id)
    if consortium_id:
        query = query.where(Project.consortium_id == consortium_id)
    return query.order_by(Project.id)


def list_projects(
    session: Session,
    *,
    viewer: Viewer = ANONYMOUS,
    q: str | None = None,
    stage: str | None = None,
    status: str | None = None,
    owner_id: str | None = None,
    consortium_id: str | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """The projects the viewer may see, each with its money raised and its risks."""
    today = today or date.today()
    projects = list(session.scalars(_query(viewer, q, stage, status, owner_id, consortium_id)))
    facts = _facts(session, projects)
    risks = {r["id"]: r["reasons"] for r in views.at_risk(facts, today)}
    return [
        _project_dict(p)
        | {
            "raised_cny_m": round(sum(x.amount_cny_m for x in f.funding), 6),
            "open_milestones": sum(m.done is None for m in f.milestones),
            "days_in_stage": (today - p.stage_entered).days,
            "risks": risks.get(p.id, []),
        }
        for p, f in zip(projects, facts, strict=True)
    ]


#: the columns of a project list saved as a table (the board's CSV/XLSX, `project list --output`)
TABLE_COLUMNS = (
    "id",
    "title_en",
    "title_zh",
    "owner_id",
    "consortium_id",
    "need_id",
    "stage",
    "status",
    "trl",
    "started",
    "stage_entered",
    "days_in_stage",
    "next_gate_due",
    "next_gate_budget_cny_m",
    "raised_cny_m",
    "open_milestones",
    "risks",
    "visibility",
)


def export_projects(
    session: Session, *, viewer: Viewer, ip: str = "", **filters: Any
) -> list[list[Any]]:
    """`list_projects` (with its filters) as rows of `TABLE_COLUMNS`, risks joined by "; ",
    to save as a file. A file that holds a project not public is recorded in the audit log,
    as an export."""
    items = list_projects(session, viewer=viewer, **filters)
    hidden = [p["id"] for p in items if p["visibility"] != Visibility.PUBLIC.value]
    if hidden:
        detail = {"rows": len(items), "not_public": hidden}
        audit.record(session, viewer, "export", entity="projects", detail=detail, ip=ip)
    return [["; ".join(p["risks"]) if c == "risks" else p[c] for c in TABLE_COLUMNS] for p in items]


def portfolio(
    session: Session,
    *,
    viewer: Viewer = ANONYMOUS,
    owner_id: str | None = None,
    consortium_id: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Funnel, time in stage, funding by source and stage, and projects at risk, over the
    projects the viewer may see (optionally one owner's or one consortium's)."""
    today = today or date.today()
    projects = list(session.scalars(_query(viewer, None, None, None, owner_id, consortium_id)))
    facts = _facts(session, projects)
    return {
        "as_of": today,
        "projects": len(facts),
        "funnel": views.funnel(facts),
        "time_in_stage": views.time_in_stage(facts, today),
        "funding": views.funding_by_source_and_stage(facts),
        "at_risk": views.at_risk(facts, today),
    }


def view_project(
    session: Session, project_id: str, *, viewer: Viewer, ip: str = ""
) -> dict[str, Any]:
    """`get_project` for a person looking at it: reading a confidential project is audited."""
    found = get_project(session, project_id, viewer=viewer)
    if found["visibility"] != Visibility.PUBLIC.value:
        audit.record(session, viewer, "view", entity="projects", entity_id=project_id, ip=ip)
    return found
