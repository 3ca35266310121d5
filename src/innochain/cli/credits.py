"""`innochain credits ...`: dual-credit accounts and plans from a fleet file."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from innochain.cli.main import app, emit_json, friendly, out
from innochain.credits import parse_assumptions

credits_app = typer.Typer(
    help="China's dual credits (CAFC + NEV): compute, settle, plan, rules.", no_args_is_help=True
)
app.add_typer(credits_app, name="credits")
JSON = typer.Option(False, "--json", help="Machine-readable output.")
ASSUME = typer.Option([], "--assume", help="PATH=VALUE for a parameter the rule data lacks.")


@credits_app.command("compute")
@friendly
def compute(
    fleet: Path = typer.Argument(..., help="Fleet CSV or XLSX (one row per model)."),
    year: int = typer.Option(..., "--year", help="The accounting year."),
    assume: list[str] = ASSUME,
    as_json: bool = JSON,
) -> None:
    """A company's CAFC and NEV account for a year, every figure traced to its rule.

    Example: innochain credits compute fleet.csv --year 2023
    """
    from innochain.credits import company_account, read_fleet

    account = company_account(read_fleet(fleet), year, assume=parse_assumptions(assume))
    if as_json:
        emit_json(account)
        return
    c, n = account["cafc"], account["nev"]
    out.print(
        f"{year} under {account['rule_set']}: {account['volume']:,} vehicles "
        f"({account['nev_volume']:,} NEV)",
        markup=False,
    )
    out.print(
        f"CAFC: actual {c['actual']} vs compliance {c['compliance_value']} "
        f"(target {c['target']} × {c['requirement_percent']} %): credit {c['credit']:+,}",
        markup=False,
    )
    if n["earned"] is None:
        out.print("NEV: not computable: " + "; ".join(n["not_computable"]), markup=False)
    else:
        out.print(
            f"NEV: earned {n['earned']:,} − required {n['required']:,} = "
            f"{n['balance']:+,} ({n['required_basis']})",
            markup=False,
        )
    table = Table("model", "powertrain", "volume", "target", "NEV credit/vehicle")
    for m in account["models"]:
        table.add_row(
            m["model_id"],
            m["powertrain"],
            f"{m['volume']:,}",
            str(m["target_l100"]),
            "-" if m["nev_credit_per_vehicle"] is None else str(m["nev_credit_per_vehicle"]),
        )
    out.print(table)
    for caveat in account["trace"]["caveats"]:
        out.print(f"caveat: {caveat}", markup=False)
    out.print(
        f"{len(account['trace']['unconfirmed'])} of {len(account['trace']['rules'])} rules "
        "used are not confirmed from the primary text (see --json)",
        markup=False,
    )


@credits_app.command("plan")
@friendly
def plan_cmd(
    fleet: Path = typer.Argument(..., help="The planned fleet, CSV or XLSX."),
    year: int = typer.Option(..., "--year"),
    nev_model: str | None = typer.Option(
        None, "--nev-model", help="Raise this NEV model's volume."
    ),
    assume: list[str] = ASSUME,
    as_json: bool = JSON,
) -> None:
    """Credits to buy for a planned fleet, or the extra NEVs that would need none.

    Example: innochain credits plan plan2025.csv --year 2025 --nev-model ev1
    """
    from innochain.credits import plan, read_fleet

    result = plan(read_fleet(fleet), year, nev_model=nev_model, assume=parse_assumptions(assume))
    if as_json:
        emit_json(result)
        return
    out.print(f"credits to buy as planned: {result['credits_to_buy']:,}", markup=False)
    if nev_model:
        out.print(
            f"extra {nev_model} vehicles that need no purchase: {result.get('extra_nev_volume')}",
            markup=False,
        )


@credits_app.command("rules")
@friendly
def rules_cmd(as_json: bool = JSON) -> None:
    """The rule sets, how many parameters each has and how many are confirmed.

    Example: innochain credits rules --json
    """
    from innochain.credits import rule_sets

    summaries = [r.summary() for r in rule_sets()]
    if as_json:
        emit_json(summaries)
        return
    for s in summaries:
        out.print(
            f"{s['id']} {s['years'][0]}–{s['years'][1]}: {s['parameters']} parameters, "
            f"{s['confirmed']} confirmed, {len(s['not_captured'])} not captured; "
            f"{s['title_zh']}",
            markup=False,
        )


@credits_app.command("published")
@friendly
def published_cmd(year: int | None = typer.Option(None, "--year"), as_json: bool = JSON) -> None:
    """The ministry's published annual results, with sources.

    Example: innochain credits published --year 2023
    """
    from innochain.credits import published_summary

    summary = published_summary(year)
    if as_json:
        emit_json(summary)
        return
    totals = Table("year", "group", "CAFC +", "CAFC −", "NEV +", "NEV −", "avg CAFC")
    for t in summary["totals"]:
        totals.add_row(
            str(t["year"]),
            t["group"],
            *(
                "" if t.get(k) is None else f"{t[k]:,.0f}"
                for k in ("cafc_positive", "cafc_negative", "nev_positive", "nev_negative")
            ),
            "" if t.get("cafc_actual") is None else str(t["cafc_actual"]),
        )
    out.print(totals)
    for c in summary["checks"]:
        verdict = "adds up" if c["adds_up"] else "does NOT add up"
        out.print(f"{c['year']}: domestic + importers = all {verdict} {c['differences']}")
    companies = Table("company", "year", "CAFC credit", "NEV credit")
    for c in summary["companies"]:
        for r in c["results"]:
            companies.add_row(
                c["company"],
                f"{r['year']}{' (preliminary)' if r['preliminary'] else ''}",
                "" if r["cafc_credit"] is None else f"{r['cafc_credit']:+,.0f}",
                "" if r["nev_credit"] is None else f"{r['nev_credit']:+,.0f}",
            )
    out.print(companies)
