"""`innochain consortium ...`: assemble consortia and run them from the shell (as operator)."""

from __future__ import annotations

import typer
from rich.table import Table

from innochain.cli.main import app, emit_json, err, friendly, out, session, state
from innochain.consortium import Constraints, lifecycle, propose
from innochain.domain import SYSTEM
from innochain.errors import InvalidInput

consortium_app = typer.Typer(
    help="Innovation consortia: propose, create, invite, answer, exit, agreement, resources, "
    "outcomes.",
    no_args_is_help=True,
)
app.add_typer(consortium_app, name="consortium")


@consortium_app.command("propose")
@friendly
def consortium_propose(
    text: str = typer.Option("", "--text", help="The need, Chinese or English."),
    need: str | None = typer.Option(None, "--need", help="A stored need's id instead of text."),
    domain: list[str] = typer.Option([], "--domain", help="Required domain id (repeatable)."),
    lead: str | None = typer.Option(None, "--lead", help="Lead organisation (default: seeker)."),
    trl: int | None = typer.Option(None, "--trl", min=1, max=9, help="Required TRL."),
    min_size: int = typer.Option(3, "--min-size", min=1, help="Fewest members, lead included."),
    max_size: int = typer.Option(8, "--max-size", min=1, help="Most members, lead included."),
    require_research: bool = typer.Option(
        False, "--require-research", help="At least one university or research institute."
    ),
    region: list[str] = typer.Option([], "--region", help="Province members must be in."),
    prefer: list[str] = typer.Option([], "--prefer-region", help="Province that earns a bonus."),
    exclude: list[str] = typer.Option([], "--exclude", help="Organisation id to leave out."),
    domestic_only: bool = typer.Option(False, "--domestic-only", help="Chinese members only."),
    allow_competitors: bool = typer.Option(
        False, "--allow-competitors", help="Allow direct competitors in one consortium."
    ),
    alternatives: int = typer.Option(2, "--alternatives", min=0, max=10, help="Next-best ones."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Propose the optimal consortium for a need, and the next-best alternatives.

    Example: innochain consortium propose --text "固态电池 硅碳负极" --lead byd --max-size 5
    """
    from innochain.match import Need, build_matcher, need_from_registry

    if not text and not need and not domain:
        raise InvalidInput("give --text, --need or at least one --domain")
    constraints = Constraints(
        min_size=min_size,
        max_size=max_size,
        require_research=require_research,
        regions=tuple(region),
        preferred_regions=tuple(prefer),
        excluded=tuple(exclude),
        domestic_only=domestic_only,
        no_competitors=not allow_competitors,
    )
    with session() as s:
        matcher = build_matcher(s, semantic=state.settings.semantic)
        if need:
            stored = need_from_registry(s, need, viewer=SYSTEM)
            asked = Need(
                stored.text,
                tuple(domain) or stored.domain_ids,
                stored.required_trl,
                stored.seeker_id,
            )
        else:
            asked = Need(text=text, domain_ids=tuple(domain), required_trl=trl, seeker_id=lead)
        proposal = propose(
            s, matcher, asked, lead_id=lead, constraints=constraints, alternatives=alternatives
        )
    if as_json:
        emit_json(proposal)
        return
    result = proposal.result
    out.print(
        f"domains: {', '.join(proposal.domains)}; {result.candidates} candidates", markup=False
    )
    if not result.feasible:
        err.print(result.message, markup=False)
        raise typer.Exit(1)
    for k, p in enumerate(result.proposals):
        label = "optimum" if k == 0 else f"alternative {k}"
        proof = "proven optimal" if p.optimal else f"gap {p.gap:.2%}"
        out.print(
            f"\n{label}: objective {p.objective:.3f} ({proof}), {p.size} members, "
            f"{p.trust_ties} existing ties",
            markup=False,
        )
        table = Table("role", "organisation", "covers", "why")
        for m in p.members:
            table.add_row(
                m.role, m.name or m.organization_id, ", ".join(m.domains), "; ".join(m.why[:3])
            )
        out.print(table)


JSON = typer.Option(False, "--json", help="Machine-readable output.")


def _show(payload: dict[str, object], as_json: bool) -> None:
    if as_json:
        emit_json(payload)
        return
    for key, value in payload.items():
        out.print(f"{key}: {value}", markup=False)


@consortium_app.command("create")
@friendly
def consortium_create(
    name: str = typer.Option(..., "--name", help="Name, Chinese or English."),
    lead: str = typer.Option(..., "--lead", help="Lead organisation (id, name or alias)."),
    domain: list[str] = typer.Option([], "--domain", help="Technology domain id (repeatable)."),
    member: list[str] = typer.Option(
        [], "--member", help="ORG:ROLE to invite, role core or supporting (repeatable)."
    ),
    kind: str = typer.Option("innovation_consortium", "--kind", help="Consortium kind."),
    visibility: str = typer.Option("consortium", "--visibility", help="Who may see it."),
    as_json: bool = JSON,
) -> None:
    """Create a consortium (status proposed): the lead joins, the members are invited.

    Example: innochain consortium create --name "固态电池联合体" --lead catl --member byd:core
    """
    chinese = any("\u3400" <= ch <= "\u9fff" for ch in name)
    members = []
    for item in member:
        org, _, role = item.rpartition(":") if ":" in item else (item, "", "supporting")
        members.append({"organization_id": org, "role": role or "supporting"})
    body = {
        "name_zh" if chinese else "name_en": name,
        "lead_id": lead,
        "domain_ids": domain,
        "members": members,
        "kind": kind,
        "visibility": visibility,
    }
    with session() as s:
        consortium_id = lifecycle.create_consortium(s, body, viewer=SYSTEM)
        detail = lifecycle.workspace(s, consortium_id, viewer=SYSTEM)
    _show(
        {
            "id": consortium_id,
            "members": [
                f"{m['organization_id']} ({m['role']}, {m['status']})"
                for m in detail["member_list"]
            ],
            "uncovered": detail["coverage"]["uncovered"],
        },
        as_json,
    )


@consortium_app.command("show")
@friendly
def consortium_show(consortium_id: str = typer.Argument(...), as_json: bool = JSON) -> None:
    """A consortium's members, coverage, agreement, resources and outcomes.

    Example: innochain consortium show catl-sodium-ion-alliance --json
    """
    with session() as s:
        detail = lifecycle.workspace(s, consortium_id, viewer=SYSTEM)
    if as_json:
        emit_json(detail)
        return
    out.print(f"{detail['name_zh'] or detail['name_en']} ({detail['status']})", markup=False)
    table = Table("role", "organisation", "status")
    for m in detail["member_list"]:
        table.add_row(m["role"], m["organization_id"], m["status"])
    out.print(table)
    coverage = detail["coverage"]
    out.print(f"covered: {', '.join(coverage['covered']) or '-'}", markup=False)
    out.print(f"uncovered: {', '.join(coverage['uncovered']) or '-'}", markup=False)
    if detail["agreement"]:
        out.print(f"agreement: {detail['agreement']}", markup=False)


@consortium_app.command("status")
@friendly
def consortium_status(
    consortium_id: str = typer.Argument(...),
    status: str = typer.Argument(..., help="active or closed (proposed → active → closed)."),
    as_json: bool = JSON,
) -> None:
    """Start or close a consortium.

    Example: innochain consortium status c1 active
    """
    with session() as s:
        detail = lifecycle.update_consortium(s, consortium_id, {"status": status}, viewer=SYSTEM)
    _show({"id": detail["id"], "status": detail["status"]}, as_json)


@consortium_app.command("invite")
@friendly
def consortium_invite(
    consortium_id: str = typer.Argument(...),
    organization: str = typer.Argument(..., help="Id, name or alias."),
    role: str = typer.Option("supporting", "--role", help="core or supporting."),
    as_json: bool = JSON,
) -> None:
    """Invite an organisation.

    Example: innochain consortium invite my-consortium byd --role core
    """
    with session() as s:
        _show(lifecycle.invite_member(s, consortium_id, organization, role, viewer=SYSTEM), as_json)


@consortium_app.command("answer")
@friendly
def consortium_answer(
    consortium_id: str = typer.Argument(...),
    organization: str = typer.Argument(...),
    decline: bool = typer.Option(False, "--decline", help="Decline instead of accepting."),
    as_json: bool = JSON,
) -> None:
    """Accept (or --decline) an organisation's invitation on its behalf.

    Example: innochain consortium answer my-consortium byd
    """
    with session() as s:
        member = lifecycle.respond(
            s, consortium_id, organization, accept=not decline, viewer=SYSTEM
        )
        _show(member, as_json)


@consortium_app.command("exit")
@friendly
def consortium_exit(
    consortium_id: str = typer.Argument(...),
    organization: str = typer.Argument(...),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only show the effect."),
    as_json: bool = JSON,
) -> None:
    """A member leaves; shows the domains only it covered and who could replace it.

    Example: innochain consortium exit my-consortium byd --dry-run
    """
    with session() as s:
        effect = lifecycle.exit_member(
            s, consortium_id, organization, viewer=SYSTEM, dry_run=dry_run
        )
    _show(effect, as_json)


@consortium_app.command("agreement")
@friendly
def consortium_agreement(
    consortium_id: str = typer.Argument(...),
    foreground_ip: str = typer.Option("joint", "--foreground-ip", help="Who owns new IP."),
    licensing: str = typer.Option(
        "case_by_case", "--licensing", help="How members may use each other's new IP."
    ),
    share: list[str] = typer.Option(
        ..., "--share", help="ORG:COST%:BENEFIT% (repeatable; each kind sums to 100)."
    ),
    background_ip: str = typer.Option("", "--background-ip", help="What each brings and keeps."),
    signed: str | None = typer.Option(None, "--signed", help="YYYY-MM-DD"),
    as_json: bool = JSON,
) -> None:
    """Set the agreement's terms.

    Example: innochain consortium agreement c1 --share catl:60:50 --share byd:40:50
    """
    shares = []
    for k, item in enumerate(share):
        parts = item.split(":")
        if len(parts) != 3:
            raise InvalidInput.at(f"shares.{k}", f"{item!r} is not ORG:COST:BENEFIT")
        shares.append({"organization_id": parts[0], "cost_pct": parts[1], "benefit_pct": parts[2]})
    body = {
        "foreground_ip": foreground_ip,
        "licensing": licensing,
        "shares": shares,
        "background_ip": background_ip,
        "signed": signed,
    }
    with session() as s:
        _show(lifecycle.set_agreement(s, consortium_id, body, viewer=SYSTEM), as_json)


@consortium_app.command("resource")
@friendly
def consortium_resource(
    consortium_id: str = typer.Argument(...),
    kind: str = typer.Option(..., "--kind", help="lab, pilot_line, test_track, dataset, ..."),
    name: str = typer.Option(..., "--name"),
    owner: str = typer.Option(..., "--owner", help="The member that owns it."),
    terms: str = typer.Option("", "--terms", help="Access terms."),
    as_json: bool = JSON,
) -> None:
    """Share a member's resource with the consortium.

    Example: innochain consortium resource c1 --kind test_track --name "Yancheng track" --owner byd
    """
    body = {"kind": kind, "name": name, "owner_id": owner, "access_terms": terms}
    with session() as s:
        _show(lifecycle.add_resource(s, consortium_id, body, viewer=SYSTEM), as_json)


@consortium_app.command("outcome")
@friendly
def consortium_outcome(
    consortium_id: str = typer.Argument(...),
    kind: str = typer.Option(..., "--kind", help="patent, product, standard, paper, software"),
    title: str = typer.Option(..., "--title"),
    owner: list[str] = typer.Option(..., "--owner", help="Owning member (repeatable)."),
    reference: str = typer.Option("", "--reference", help="Patent or standard number, DOI."),
    achieved: str | None = typer.Option(None, "--date", help="YYYY-MM-DD"),
    as_json: bool = JSON,
) -> None:
    """Record an outcome of the consortium.

    Example: innochain consortium outcome c1 --kind standard --title "GB/T 40032" --owner catl
    """
    body = {
        "kind": kind,
        "title": title,
        "owner_ids": owner,
        "reference": reference,
        "achieved": achieved,
    }
    with session() as s:
        _show(lifecycle.add_outcome(s, consortium_id, body, viewer=SYSTEM), as_json)
