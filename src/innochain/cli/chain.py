"""`innochain chain ...`: the chain engine from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from innochain.chain import Chain, load_chain
from innochain.cli.main import app, emit_json, friendly, out, session

chain_app = typer.Typer(
    help="The industrial chain: chokepoints, resilience, regions, leaders, brokers, synergy.",
    no_args_is_help=True,
)
app.add_typer(chain_app, name="chain")
JSON = typer.Option(False, "--json", help="Machine-readable output.")


def _chain() -> Chain:
    with session() as s:
        return load_chain(s)


@chain_app.command("chokepoints")
@friendly
def chokepoints_cmd(
    top: int = typer.Option(20, "--top", min=1, help="How many rows."),
    as_json: bool = JSON,
) -> None:
    """Chain nodes ranked as chokepoints (卡脖子环节), with the evidence.

    Example: innochain chain chokepoints --top 10
    """
    from innochain.chain.chokepoints import chokepoints

    rows = chokepoints(_chain(), top=top)
    if as_json:
        emit_json(rows)
        return
    table = Table("node", "kind", "score", "suppliers", "domestic", "HHI", "evidence")
    for r in rows:
        table.add_row(
            f"{r['name_en']} {r['name_zh']}",
            r["kind"],
            "-" if r["score"] is None else f"{r['score']:.3f}",
            str(r["suppliers"]),
            str(r["domestic"]),
            str(r["hhi"]),
            "\n".join(r["evidence"]),
        )
    out.print(table)


@chain_app.command("resilience")
@friendly
def resilience_cmd(
    remove: list[str] = typer.Option([], "--remove", help="Organisation id (repeatable)."),
    node: list[str] = typer.Option([], "--node", help="Chain node whose firms all fail."),
    country: list[str] = typer.Option([], "--country", help="ISO code: its suppliers fail."),
    no_cascade: bool = typer.Option(False, "--no-cascade", help="Direct effects only."),
    as_json: bool = JSON,
) -> None:
    """What breaks if firms, a node or a country's suppliers drop out, and who could step in.

    Example: innochain chain resilience --remove catl --remove lg-energy-solution
    """
    from innochain.chain.resilience import resilience

    result = resilience(
        _chain(), remove=remove, nodes=node, countries=country, cascade=not no_cascade
    )
    if as_json:
        emit_json(result)
        return
    out.print(f"scenario: {'; '.join(result['scenario'])}", markup=False)
    out.print(
        f"{result['automakers_affected']} vehicle makers and {len(result['affected'])} firms "
        f"lose every supplier of a system; effects reach tier {result['depth']}; supply ties "
        f"{result['before']['supply_ties']} -> {result['after']['supply_ties']}",
        markup=False,
    )
    table = Table("firm", "loses", "tier", "lost suppliers", "alternatives")
    for a in result["affected"]:
        for lost in a["lost"]:
            table.add_row(
                f"{a['name']} [{a['organization_id']}]",
                lost["name_en"],
                str(lost["tier"]),
                ", ".join(lost["lost_suppliers"]),
                ", ".join(x["organization_id"] for x in lost["alternatives"]),
            )
    out.print(table)


@chain_app.command("region")
@friendly
def region_cmd(
    region: str = typer.Argument(..., help="Province (or city with --city), EN or 中文."),
    city: bool = typer.Option(False, "--city", help="A city rather than a province."),
    suggestions: int = typer.Option(5, "--suggestions", min=0, help="Per missing node."),
    html: Path | None = typer.Option(None, "--html", help="Also write the HTML report here."),
    as_json: bool = JSON,
) -> None:
    """A region's chain completeness, missing nodes and whom to attract to fill them.

    Example: innochain chain region 四川 --html sichuan.html
    """
    from innochain.chain.regions import region_profile

    level = "city" if city else "province"
    profile = region_profile(_chain(), region, level=level, suggestions=suggestions)
    if html is not None:
        from innochain.chain.report import region_report

        html.write_text(region_report(profile), encoding="utf-8")
    if as_json:
        emit_json(profile)
        return
    _print_region(profile)


def _print_region(profile: dict[str, Any]) -> None:
    done = profile["completeness"]
    out.print(
        f"{profile['region']} {profile.get('region_zh', '')}: {profile['firms']['count']} firms; "
        f"chain completeness {done['covered']}/{done['total']} ({done['share']:.0%})",
        markup=False,
    )
    table = Table("missing node", "density", "suggested firms")
    for row in profile["missing"]:
        table.add_row(
            f"{row['name_en']} {row['name_zh']}",
            f"{row['density']:.2f}",
            ", ".join(s["org"] for s in row["suggestions"]),
        )
    out.print(table)


@chain_app.command("leaders")
@friendly
def leaders_cmd(top: int = typer.Option(15, "--top", min=1), as_json: bool = JSON) -> None:
    """Chain leaders (链主) ranked, with the reasons.

    Example: innochain chain leaders --top 10
    """
    from innochain.chain.network import chain_leaders, metrics

    chain = _chain()
    rows = chain_leaders(chain, metrics(chain), top=top)
    if as_json:
        emit_json(rows)
        return
    for k, r in enumerate(rows, 1):
        out.print(
            f"{k:2}. {r['name']} [{r['organization_id']}] {r['score']:.3f}: " + "; ".join(r["why"]),
            markup=False,
        )


@chain_app.command("brokers")
@friendly
def brokers_cmd(top: int = typer.Option(15, "--top", min=1), as_json: bool = JSON) -> None:
    """Brokers between universities/institutes and firms.

    Example: innochain chain brokers --json
    """
    from innochain.chain.network import brokers, metrics

    chain = _chain()
    rows = brokers(chain, metrics(chain), top=top)
    if as_json:
        emit_json(rows)
        return
    for k, r in enumerate(rows, 1):
        out.print(
            f"{k:2}. {r['name']} [{r['organization_id']}]: " + "; ".join(r["why"]), markup=False
        )


@chain_app.command("synergy")
@friendly
def synergy_cmd(as_json: bool = JSON) -> None:
    """Where industry has no research partner, and research has no industrial taker.

    Example: innochain chain synergy --json
    """
    from innochain.chain.synergy import synergy_gaps

    gaps = synergy_gaps(_chain())
    if as_json:
        emit_json(gaps)
        return
    for key in ("industry_without_research", "research_without_industry"):
        nodes = ", ".join(r["node"] for r in gaps[key]) or "-"
        out.print(f"{key.replace('_', ' ')} ({len(gaps[key])}): {nodes}", markup=False)
