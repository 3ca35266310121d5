"""`innochain consortium ...`: assemble consortia from the shell."""

from __future__ import annotations

import typer
from rich.table import Table

from innochain.cli.main import app, emit_json, err, friendly, out, session, state
from innochain.consortium import Constraints, propose
from innochain.domain import SYSTEM
from innochain.errors import InvalidInput

consortium_app = typer.Typer(help="Innovation consortia: propose.", no_args_is_help=True)
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
