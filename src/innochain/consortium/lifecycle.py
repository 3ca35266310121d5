"""Running a consortium: create it from a proposal, invite, accept, decline, exit; share
resources; agree on IP and on cost and benefit shares; record outcomes; and see what each
member's exit does to the coverage of the consortium's technology domains.

Who may do what: the lead organisation's writers (and operators) create, invite, set the
agreement; an invited organisation's writers accept or decline; an accepted member's writers
share its resources, record outcomes and may leave. Every change is audited. Reads follow the
consortium's visibility; an organisation may always read the consortia it is invited to.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from innochain.consortium.inputs import (
    AgreementIn,
    ConsortiumChange,
    ConsortiumIn,
    OutcomeIn,
    ResourceIn,
)
from innochain.domain import (
    ConsortiumRole,
    ConsortiumStatus,
    MemberStatus,
    Viewer,
    Visibility,
)
from innochain.errors import Forbidden, InvalidInput, NotFound, validated
from innochain.registry import get_consortium, resolve_organization
from innochain.registry.queries import _descendants
from innochain.store import audit
from innochain.store.tables import (
    Capability,
    Consortium,
    ConsortiumMember,
    Organization,
    TechnologyDomain,
)
from innochain.store.visibility import restrict
from innochain.store.work_tables import ConsortiumAgreement, ConsortiumOutcome, ConsortiumResource

__all__ = [
    "add_outcome",
    "add_resource",
    "coverage",
    "create_consortium",
    "exit_member",
    "invitations",
    "invite_member",
    "remove_resource",
    "require_visible",
    "respond",
    "set_agreement",
    "update_consortium",
    "view",
    "workspace",
]


def _membership(
    session: Session, consortium_id: str, org_id: str | None
) -> ConsortiumMember | None:
    if not org_id:
        return None
    return session.get(ConsortiumMember, f"{consortium_id}:{org_id}")


def _consortium(
    session: Session, consortium_id: str, viewer: Viewer, *, invited_ok: bool = False
) -> Consortium:
    """The consortium if the viewer may see it (or, with `invited_ok`, its organisation is
    invited to it); `NotFound` otherwise."""
    query = restrict(select(Consortium).where(Consortium.id == consortium_id), Consortium, viewer)
    found = session.scalars(query).first()
    member = _membership(session, consortium_id, viewer.organization_id)
    invited = member is not None and member.status == MemberStatus.INVITED.value
    if found is None and invited_ok and invited:
        found = session.get(Consortium, consortium_id)
    if found is None:
        raise NotFound(f"no consortium with id {consortium_id!r}")
    return found


def _is_lead(consortium: Consortium, viewer: Viewer) -> bool:
    return viewer.is_operator or consortium.lead_id == viewer.organization_id


def _require_lead(consortium: Consortium, viewer: Viewer, action: str) -> None:
    viewer.require_writer("work in consortia")
    if not _is_lead(consortium, viewer):
        raise Forbidden(f"only the lead organisation or an operator may {action}")


def _require_member(session: Session, consortium: Consortium, viewer: Viewer, action: str) -> None:
    viewer.require_writer("work in consortia")
    if _is_lead(consortium, viewer):
        return
    member = _membership(session, consortium.id, viewer.organization_id)
    if member is None or member.status != MemberStatus.ACCEPTED.value:
        raise Forbidden(f"only accepted members may {action}")


def _accepted(session: Session, consortium_id: str) -> list[str]:
    return list(
        session.scalars(
            select(ConsortiumMember.organization_id).where(
                ConsortiumMember.consortium_id == consortium_id,
                ConsortiumMember.status == MemberStatus.ACCEPTED.value,
            )
        )
    )


def consortium_id_for(name: str, lead: str) -> str:
    """A stable slug for a new consortium.

    >>> consortium_id_for("Solid-state battery consortium 固态电池创新联合体", "catl")
    'consortium-solid-state-battery-consortium-a6fdb8'
    """
    words = re.findall(r"[a-z0-9]+", name.lower())[:6]
    digest = hashlib.sha1(f"{lead}|{name}".encode()).hexdigest()[:6]
    return "-".join(["consortium", *words, digest])


def create_consortium(
    session: Session, data: ConsortiumIn | dict[str, Any], *, viewer: Viewer, ip: str = ""
) -> str:
    """Create a consortium led by the viewer's organisation (operators: any lead), status
    proposed; the lead is an accepted member, the others are invited. Returns its id."""
    viewer.require_writer("work in consortia")
    body: ConsortiumIn = validated(ConsortiumIn, data)
    lead = body.lead_id or viewer.organization_id
    if not lead:
        raise InvalidInput.at("lead_id", "name the lead organisation")
    lead = resolve_organization(session, lead, column="lead_id")
    if not viewer.is_operator and lead != viewer.organization_id:
        raise Forbidden("members create consortia led by their own organisation only")
    known = set(
        session.scalars(select(TechnologyDomain.id).where(TechnologyDomain.id.in_(body.domain_ids)))
    )
    for k, domain in enumerate(body.domain_ids):
        if domain not in known:
            raise InvalidInput.at(f"domain_ids.{k}", f"unknown technology domain {domain!r}")
    roles: dict[str, tuple[int, ConsortiumRole]] = {}
    for k, m in enumerate(body.members):
        org = resolve_organization(
            session, m.organization_id, column=f"members.{k}.organization_id"
        )
        if org == lead:
            raise InvalidInput.at(
                f"members.{k}.organization_id", f"{org!r} is the lead; a member holds one role"
            )
        if org in roles:
            raise InvalidInput.at(
                f"members.{k}.organization_id",
                f"{org!r} is listed twice (as {roles[org][1].value} and {m.role.value}); "
                "a member holds one role",
            )
        roles[org] = (k, m.role)
    consortium_id = body.id or consortium_id_for(body.name_en or body.name_zh, lead)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", consortium_id):
        raise InvalidInput.at("id", "use lower-case letters, digits, '-', '_' or '.'")
    if session.get(Consortium, consortium_id) is not None:
        raise InvalidInput.at("id", f"a consortium with id {consortium_id!r} exists already")
    consortium = Consortium(
        id=consortium_id,
        name_en=body.name_en,
        name_zh=body.name_zh,
        kind=body.kind.value,
        lead_id=lead,
        founded=date.today().year,
        description_en=body.description_en,
        description_zh=body.description_zh,
        visibility=body.visibility.value,
        status=ConsortiumStatus.PROPOSED.value,
        uncertain=[],
        note="",
    )
    consortium.domains = list(
        session.scalars(select(TechnologyDomain).where(TechnologyDomain.id.in_(body.domain_ids)))
    )
    session.add(consortium)
    session.flush()
    _add_member(session, consortium_id, lead, ConsortiumRole.LEAD, MemberStatus.ACCEPTED)
    for org, (_, role) in roles.items():
        _add_member(session, consortium_id, org, role, MemberStatus.INVITED)
    session.flush()
    audit.record(
        session,
        viewer,
        "create",
        entity="consortia",
        entity_id=consortium_id,
        after={
            "lead_id": lead,
            "members": {o: r.value for o, (_, r) in roles.items()},
            "domain_ids": body.domain_ids,
            "visibility": body.visibility.value,
        },
        ip=ip,
    )
    return consortium_id


def _add_member(
    session: Session, consortium_id: str, org: str, role: ConsortiumRole, status: MemberStatus
) -> None:
    session.add(
        ConsortiumMember(
            id=f"{consortium_id}:{org}",
            consortium_id=consortium_id,
            organization_id=org,
            role=role.value,
            status=status.value,
            joined=date.today().year if status is MemberStatus.ACCEPTED else None,
            source_url=None,
            uncertain=[],
            note="",
        )
    )


def invite_member(
    session: Session,
    consortium_id: str,
    organization: str,
    role: ConsortiumRole | str,
    *,
    viewer: Viewer,
    ip: str = "",
) -> dict[str, Any]:
    """Invite an organisation as core or supporting member (again, if it declined or left)."""
    consortium = _consortium(session, consortium_id, viewer)
    _require_lead(consortium, viewer, "invite members")
    _require_open(consortium)
    try:
        role = ConsortiumRole(role)
    except ValueError:
        raise InvalidInput.at("role", f"{role!r} is not one of core, supporting") from None
    if role is ConsortiumRole.LEAD:
        raise InvalidInput.at("role", "a consortium has one lead; invite as core or supporting")
    org = resolve_organization(session, organization)
    member = _membership(session, consortium_id, org)
    if member is not None and member.status in (
        MemberStatus.INVITED.value,
        MemberStatus.ACCEPTED.value,
    ):
        raise InvalidInput.at(
            "organization_id",
            f"{org!r} is already {member.status} as {member.role}; a member holds one role",
        )
    if member is None:
        _add_member(session, consortium_id, org, role, MemberStatus.INVITED)
    else:
        member.role, member.status = role.value, MemberStatus.INVITED.value
    session.flush()
    audit.record(
        session,
        viewer,
        "invite",
        entity="consortia",
        entity_id=consortium_id,
        detail={"organization_id": org, "role": role.value},
        ip=ip,
    )
    return _member_dict(session, consortium_id, org)


def respond(
    session: Session,
    consortium_id: str,
    organization: str,
    *,
    accept: bool,
    viewer: Viewer,
    ip: str = "",
) -> dict[str, Any]:
    """Accept or decline an invitation, for the invited organisation (or by an operator)."""
    viewer.require_writer("work in consortia")
    consortium = _consortium(session, consortium_id, viewer, invited_ok=True)
    org = resolve_organization(session, organization)
    if not viewer.is_operator and org != viewer.organization_id:
        raise Forbidden("only the invited organisation may answer its invitation")
    if accept:
        _require_open(consortium)
    member = _membership(session, consortium.id, org)
    if member is None or member.status != MemberStatus.INVITED.value:
        state = member.status if member else "not invited"
        raise InvalidInput.at("organization_id", f"{org!r} has no open invitation ({state})")
    member.status = (MemberStatus.ACCEPTED if accept else MemberStatus.DECLINED).value
    if accept:
        member.joined = date.today().year
    session.flush()
    audit.record(
        session,
        viewer,
        "accept" if accept else "decline",
        entity="consortia",
        entity_id=consortium_id,
        detail={"organization_id": org},
        ip=ip,
    )
    return _member_dict(session, consortium_id, org)


def exit_member(
    session: Session,
    consortium_id: str,
    organization: str,
    *,
    viewer: Viewer,
    ip: str = "",
    dry_run: bool = False,
) -> dict[str, Any]:
    """A member leaves (or the lead removes it): its status becomes exited. Returns the
    effect: domains only it covered, candidate replacements for them, the resources it
    shared and the agreement shares that must be renegotiated. `dry_run` only reports."""
    consortium = _consortium(session, consortium_id, viewer)
    org = resolve_organization(session, organization)
    if not dry_run:
        viewer.require_writer("work in consortia")
        if not _is_lead(consortium, viewer) and org != viewer.organization_id:
            raise Forbidden("a member leaves for itself; the lead or an operator may remove it")
    member = _membership(session, consortium_id, org)
    if member is None or member.status not in (
        MemberStatus.ACCEPTED.value,
        MemberStatus.INVITED.value,
    ):
        raise InvalidInput.at("organization_id", f"{org!r} is not a member of {consortium_id!r}")
    if member.role == ConsortiumRole.LEAD.value:
        raise InvalidInput.at(
            "organization_id", "the lead cannot leave; close the consortium instead"
        )
    before = coverage(session, consortium_id)
    remaining = [o for o in _accepted(session, consortium_id) if o != org]
    after = coverage(session, consortium_id, members=remaining)
    lost = [d for d in before["covered"] if d not in after["covered"]]
    agreement = session.get(ConsortiumAgreement, consortium_id)
    share = (agreement.shares or {}).get(org) if agreement else None
    effect = {
        "organization_id": org,
        "role": member.role,
        "covered_before": len(before["covered"]),
        "covered_after": len(after["covered"]),
        "lost_domains": lost,
        "replacements": _replacements(session, lost, exclude={*remaining, org}),
        "resources": [
            r.name
            for r in session.scalars(
                select(ConsortiumResource).where(
                    ConsortiumResource.consortium_id == consortium_id,
                    ConsortiumResource.owner_id == org,
                )
            )
        ],
        "agreement_share": share,
        "agreement_to_renegotiate": bool(share and (share.get("cost") or share.get("benefit"))),
        "dry_run": dry_run,
    }
    if not dry_run:
        member.status = MemberStatus.EXITED.value
        session.flush()
        audit.record(
            session,
            viewer,
            "exit",
            entity="consortia",
            entity_id=consortium_id,
            detail={k: effect[k] for k in ("organization_id", "lost_domains", "agreement_share")},
            ip=ip,
        )
    return effect


def _replacements(
    session: Session, domains: list[str], *, exclude: set[str], per_domain: int = 5
) -> dict[str, list[dict[str, Any]]]:
    """For each lost domain, the organisations with the most mature capability in it (or a
    sub-domain) outside the consortium."""
    out: dict[str, list[dict[str, Any]]] = {}
    for domain in domains:
        ids = _descendants(session, TechnologyDomain, domain)
        best: dict[str, int] = {}
        for org, trl in session.execute(
            select(Capability.organization_id, Capability.trl).where(Capability.domain_id.in_(ids))
        ):
            if org not in exclude:
                best[org] = max(best.get(org, 0), trl)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:per_domain]
        names: dict[str, str] = {
            org: name
            for org, name in session.execute(
                select(Organization.id, Organization.name_en).where(
                    Organization.id.in_([o for o, _ in ranked])
                )
            )
        }
        out[domain] = [
            {"organization_id": o, "name_en": names.get(o, ""), "trl": t} for o, t in ranked
        ]
    return out


def coverage(
    session: Session, consortium_id: str, *, members: list[str] | None = None
) -> dict[str, Any]:
    """Which accepted members cover each of the consortium's domains (a capability in the
    domain or a sub-domain), with their best TRL; and the domains nobody covers."""
    consortium = session.get(Consortium, consortium_id)
    if consortium is None:
        raise NotFound(f"no consortium with id {consortium_id!r}")
    orgs = _accepted(session, consortium_id) if members is None else members
    matrix: dict[str, dict[str, int]] = {}
    for domain in consortium.domains:
        ids = _descendants(session, TechnologyDomain, domain.id)
        cells: dict[str, int] = defaultdict(int)
        if orgs:
            for org, trl in session.execute(
                select(Capability.organization_id, Capability.trl).where(
                    Capability.domain_id.in_(ids), Capability.organization_id.in_(orgs)
                )
            ):
                cells[org] = max(cells[org], trl)
        matrix[domain.id] = dict(sorted(cells.items()))
    return {
        "members": sorted(orgs),
        "matrix": matrix,
        "covered": [d for d, cells in matrix.items() if cells],
        "uncovered": [d for d, cells in matrix.items() if not cells],
    }


def set_agreement(
    session: Session,
    consortium_id: str,
    data: AgreementIn | dict[str, Any],
    *,
    viewer: Viewer,
    ip: str = "",
) -> dict[str, Any]:
    """Set the agreement's terms (the lead or an operator). Every share holder must be an
    accepted member, listed once; cost and benefit shares each sum to 100 %."""
    consortium = _consortium(session, consortium_id, viewer)
    _require_lead(consortium, viewer, "set the agreement")
    body: AgreementIn = validated(AgreementIn, data)
    accepted = set(_accepted(session, consortium_id))
    shares: dict[str, dict[str, float]] = {}
    for k, s in enumerate(body.shares):
        org = resolve_organization(session, s.organization_id, column=f"shares.{k}.organization_id")
        if org not in accepted:
            raise InvalidInput.at(
                f"shares.{k}.organization_id", f"{org!r} is not an accepted member"
            )
        if org in shares:
            raise InvalidInput.at(f"shares.{k}.organization_id", f"{org!r} is listed twice")
        shares[org] = {"cost": s.cost_pct, "benefit": s.benefit_pct}
    if body.signed and body.signed > date.today():
        raise InvalidInput.at("signed", f"{body.signed} is in the future")
    agreement = session.get(ConsortiumAgreement, consortium_id)
    before = _agreement_dict(agreement) if agreement else None
    if agreement is None:
        agreement = ConsortiumAgreement(consortium_id=consortium_id)
        session.add(agreement)
    agreement.background_ip = body.background_ip
    agreement.foreground_ip = body.foreground_ip.value
    agreement.licensing = body.licensing.value
    agreement.shares = shares
    agreement.signed = body.signed
    agreement.updated_at = audit.utcnow()
    session.flush()
    after = _agreement_dict(agreement)
    audit.record(
        session,
        viewer,
        "agreement",
        entity="consortia",
        entity_id=consortium_id,
        before=before,
        after=after,
        ip=ip,
    )
    return after


def add_resource(
    session: Session,
    consortium_id: str,
    data: ResourceIn | dict[str, Any],
    *,
    viewer: Viewer,
    ip: str = "",
) -> dict[str, Any]:
    """Share a member's lab, pilot line, test track or dataset with the consortium."""
    consortium = _consortium(session, consortium_id, viewer)
    _require_member(session, consortium, viewer, "share resources")
    body: ResourceIn = validated(ResourceIn, data)
    owner = body.owner_id or viewer.organization_id
    if not owner:
        raise InvalidInput.at("owner_id", "name the member that owns the resource")
    owner = resolve_organization(session, owner, column="owner_id")
    if not _is_lead(consortium, viewer) and owner != viewer.organization_id:
        raise Forbidden("members share their own organisation's resources")
    if owner not in _accepted(session, consortium_id):
        raise InvalidInput.at("owner_id", f"{owner!r} is not an accepted member")
    row = ConsortiumResource(
        consortium_id=consortium_id,
        owner_id=owner,
        kind=body.kind.value,
        name=body.name,
        access_terms=body.access_terms,
        created_at=audit.utcnow(),
    )
    session.add(row)
    session.flush()
    out = _resource_dict(row)
    audit.record(
        session, viewer, "resource", entity="consortia", entity_id=consortium_id, after=out, ip=ip
    )
    return out


def remove_resource(
    session: Session, consortium_id: str, resource_id: int, *, viewer: Viewer, ip: str = ""
) -> None:
    """Withdraw a shared resource (its owner, the lead or an operator)."""
    consortium = _consortium(session, consortium_id, viewer)
    viewer.require_writer("work in consortia")
    row = session.get(ConsortiumResource, resource_id)
    if row is None or row.consortium_id != consortium_id:
        raise NotFound(f"no resource {resource_id} in consortium {consortium_id!r}")
    if not _is_lead(consortium, viewer) and row.owner_id != viewer.organization_id:
        raise Forbidden("only the resource's owner, the lead or an operator may withdraw it")
    before = _resource_dict(row)
    session.delete(row)
    session.flush()
    audit.record(
        session,
        viewer,
        "resource",
        entity="consortia",
        entity_id=consortium_id,
        before=before,
        ip=ip,
    )


def add_outcome(
    session: Session,
    consortium_id: str,
    data: OutcomeIn | dict[str, Any],
    *,
    viewer: Viewer,
    ip: str = "",
) -> dict[str, Any]:
    """Record a patent, product, standard, paper or software release; owners are members
    (default: your organisation)."""
    consortium = _consortium(session, consortium_id, viewer)
    _require_member(session, consortium, viewer, "record outcomes")
    body: OutcomeIn = validated(OutcomeIn, data)
    members = {
        m.organization_id
        for m in session.scalars(
            select(ConsortiumMember).where(ConsortiumMember.consortium_id == consortium_id)
        )
        if m.status in (MemberStatus.ACCEPTED.value, MemberStatus.EXITED.value)
    }
    owners = []
    for k, name in enumerate(body.owner_ids or [viewer.organization_id or consortium.lead_id]):
        org = resolve_organization(session, name, column=f"owner_ids.{k}")
        if org not in members:
            raise InvalidInput.at(f"owner_ids.{k}", f"{org!r} is not a member of the consortium")
        owners.append(org)
    if body.achieved and body.achieved > date.today():
        raise InvalidInput.at("achieved", f"{body.achieved} is in the future")
    row = ConsortiumOutcome(
        consortium_id=consortium_id,
        kind=body.kind.value,
        title=body.title,
        reference=body.reference,
        owner_ids=owners,
        achieved=body.achieved,
        url=body.url,
        created_at=audit.utcnow(),
    )
    session.add(row)
    session.flush()
    out = _outcome_dict(row)
    audit.record(
        session, viewer, "outcome", entity="consortia", entity_id=consortium_id, after=out, ip=ip
    )
    return out


def invitations(session: Session, *, viewer: Viewer) -> list[dict[str, Any]]:
    """Open invitations to the viewer's organisation."""
    if not viewer.organization_id:
        return []
    rows = session.execute(
        select(ConsortiumMember, Consortium)
        .join(Consortium, Consortium.id == ConsortiumMember.consortium_id)
        .where(
            ConsortiumMember.organization_id == viewer.organization_id,
            ConsortiumMember.status == MemberStatus.INVITED.value,
        )
        .order_by(Consortium.id)
    ).all()
    return [
        {
            "consortium_id": c.id,
            "name_en": c.name_en,
            "name_zh": c.name_zh,
            "lead_id": c.lead_id,
            "role": m.role,
        }
        for m, c in rows
    ]


def workspace(session: Session, consortium_id: str, *, viewer: Viewer) -> dict[str, Any]:
    """The consortium with its members, coverage matrix, shared resources, agreement (and
    whether its shares still hold after exits) and outcomes."""
    consortium = _consortium(session, consortium_id, viewer, invited_ok=True)
    detail = (
        get_consortium(session, consortium_id, viewer=viewer)
        if _sees(session, consortium, viewer)
        else None
    )
    if detail is None:  # an invited organisation reads the invitation, not the workspace
        member = _membership(session, consortium_id, viewer.organization_id)
        return {
            "id": consortium.id,
            "name_en": consortium.name_en,
            "name_zh": consortium.name_zh,
            "lead_id": consortium.lead_id,
            "invitation": {"role": member.role if member else None},
        }
    agreement = session.get(ConsortiumAgreement, consortium_id)
    accepted = set(_accepted(session, consortium_id))
    agreement_out = _agreement_dict(agreement) if agreement else None
    if agreement_out is not None:
        stale = sorted(set(agreement_out["shares"]) - accepted)
        agreement_out["problems"] = (
            [f"shares held by organisations no longer members: {', '.join(stale)}"] if stale else []
        )
    detail |= {
        "coverage": coverage(session, consortium_id),
        "resources": [
            _resource_dict(r)
            for r in session.scalars(
                select(ConsortiumResource)
                .where(ConsortiumResource.consortium_id == consortium_id)
                .order_by(ConsortiumResource.id)
            )
        ],
        "agreement": agreement_out,
        "outcomes": [
            _outcome_dict(o)
            for o in session.scalars(
                select(ConsortiumOutcome)
                .where(ConsortiumOutcome.consortium_id == consortium_id)
                .order_by(ConsortiumOutcome.id)
            )
        ],
        "invitation": None,
    }
    member = _membership(session, consortium_id, viewer.organization_id)
    if member is not None and member.status == MemberStatus.INVITED.value:
        detail["invitation"] = {"role": member.role}
    return detail


def _sees(session: Session, consortium: Consortium, viewer: Viewer) -> bool:
    query = restrict(
        select(Consortium.id).where(Consortium.id == consortium.id), Consortium, viewer
    )
    return session.scalars(query).first() is not None


def _member_dict(session: Session, consortium_id: str, org: str) -> dict[str, Any]:
    m = _membership(session, consortium_id, org)
    assert m is not None
    return {
        "consortium_id": consortium_id,
        "organization_id": org,
        "role": m.role,
        "status": m.status,
        "joined": m.joined,
    }


def _agreement_dict(a: ConsortiumAgreement) -> dict[str, Any]:
    return {
        "background_ip": a.background_ip,
        "foreground_ip": a.foreground_ip,
        "licensing": a.licensing,
        "shares": dict(a.shares or {}),
        "signed": a.signed,
        "updated_at": a.updated_at,
    }


def _resource_dict(r: ConsortiumResource) -> dict[str, Any]:
    return {
        "id": r.id,
        "owner_id": r.owner_id,
        "kind": r.kind,
        "name": r.name,
        "access_terms": r.access_terms,
    }


def _outcome_dict(o: ConsortiumOutcome) -> dict[str, Any]:
    return {
        "id": o.id,
        "kind": o.kind,
        "title": o.title,
        "reference": o.reference,
        "owner_ids": o.owner_ids,
        "achieved": o.achieved,
        "url": o.url,
    }


def require_visible(session: Session, consortium_id: str, *, viewer: Viewer) -> None:
    """`NotFound` unless the viewer may see the consortium itself (not just an invitation)."""
    _consortium(session, consortium_id, viewer)


def view(session: Session, consortium_id: str, *, viewer: Viewer, ip: str = "") -> dict[str, Any]:
    """`workspace` for a person looking at it: reading a confidential one is audited."""
    found = workspace(session, consortium_id, viewer=viewer)
    if found.get("visibility") != Visibility.PUBLIC.value:
        audit.record(session, viewer, "view", entity="consortia", entity_id=consortium_id, ip=ip)
    return found


#: status changes the lead may make
STATUS_MOVES = {
    ConsortiumStatus.PROPOSED: {ConsortiumStatus.ACTIVE, ConsortiumStatus.CLOSED},
    ConsortiumStatus.ACTIVE: {ConsortiumStatus.CLOSED},
    ConsortiumStatus.CLOSED: set(),
}


def update_consortium(
    session: Session,
    consortium_id: str,
    changes: ConsortiumChange | dict[str, Any],
    *,
    viewer: Viewer,
    ip: str = "",
) -> dict[str, Any]:
    """Change names, description, domains, visibility or status (the lead or an operator)."""
    consortium = _consortium(session, consortium_id, viewer)
    _require_lead(consortium, viewer, "change the consortium")
    body: ConsortiumChange = validated(ConsortiumChange, changes)
    given = body.model_dump(exclude_unset=True)
    if not given:
        raise InvalidInput("name at least one field to change")
    if body.status is not None and body.status.value != consortium.status:
        current = ConsortiumStatus(consortium.status)
        if body.status not in STATUS_MOVES[current]:
            raise InvalidInput.at(
                "status",
                f"a consortium moves proposed → active → closed; not {current.value} → "
                f"{body.status.value}",
            )
    before = {k: getattr(consortium, k) for k in given if k != "domain_ids"}
    if body.domain_ids is not None:
        before["domain_ids"] = [d.id for d in consortium.domains]
        found = {
            d.id: d
            for d in session.scalars(
                select(TechnologyDomain).where(TechnologyDomain.id.in_(body.domain_ids))
            )
        }
        for k, domain in enumerate(body.domain_ids):
            if domain not in found:
                raise InvalidInput.at(f"domain_ids.{k}", f"unknown technology domain {domain!r}")
        consortium.domains = [found[d] for d in dict.fromkeys(body.domain_ids)]
    for name, value in given.items():
        if name != "domain_ids":
            setattr(consortium, name, getattr(value, "value", value))
    session.flush()
    after = {k: getattr(consortium, k) for k in given if k != "domain_ids"}
    if body.domain_ids is not None:
        after["domain_ids"] = [d.id for d in consortium.domains]
    audit.record(
        session,
        viewer,
        "change",
        entity="consortia",
        entity_id=consortium_id,
        before=before,
        after=after,
        ip=ip,
    )
    return workspace(session, consortium_id, viewer=viewer)


def _require_open(consortium: Consortium) -> None:
    if consortium.status == ConsortiumStatus.CLOSED.value:
        raise InvalidInput.at("status", "the consortium is closed; it takes no new members")
