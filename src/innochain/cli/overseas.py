"""`innochain overseas ...`: export checklists, market differences, the standards map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from innochain.cli.main import app, emit_json, friendly, out

overseas_app = typer.Typer(
    help="Going overseas: checklists for a vehicle and a market, differences, standards.",
    no_args_is_help=True,
)
app.add_typer(overseas_app, name="overseas")
JSON = typer.Option(False, "--json", help="Machine-readable output.")


def _vehicle(path: Path) -> dict[str, Any]:
    from innochain.errors import InvalidInput, Problem

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput([Problem(f"cannot read the vehicle: {error}", file=str(path))]) from None
    if not isinstance(data, dict):
        raise InvalidInput([Problem("the vehicle must be a JSON object", file=str(path))])
    return data


@overseas_app.command("checklist")
@friendly
def checklist_cmd(
    market: str = typer.Option(..., "--market", help="Market id, e.g. EU, BR, UK."),
    vehicle: Path = typer.Option(
        ..., "--vehicle", help="JSON: category, powertrain, battery_kwh, ..."
    ),
    html: Path | None = typer.Option(None, "--html", help="Also write the checklist as HTML."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Also write the checklist as PDF."),
    as_json: bool = JSON,
) -> None:
    """Requirements, documents, issuers, duties and risks for a vehicle in a market.

    Example: innochain overseas checklist --market EU --vehicle vehicle.json
    """
    from innochain.overseas import checklist, checklist_html, checklist_pdf

    check = checklist(market, _vehicle(vehicle))
    if html is not None:
        html.write_text(checklist_html(check), encoding="utf-8")
    if pdf is not None:
        pdf.write_bytes(checklist_pdf(check))
    if as_json:
        emit_json(check)
        return
    out.print(f"{check['market_name_en']}: {check['approval_regime']}", markup=False)
    for risk in check["risks"]:
        out.print(f"risk: {risk}", markup=False)
    table = Table("topic", "requirement", "effective", "lead time (weeks)", "source")
    for r in check["requirements"]:
        weeks = r["lead_time_weeks"]
        table.add_row(r["topic"], r["title"], r["effective"] or "", str(weeks or "—"), r["url"])
    out.print(table)
    out.print(f"duties in force: {check['duty_total_percent']} %", markup=False)


@overseas_app.command("diff")
@friendly
def diff_cmd(
    first: str = typer.Argument(..., help="Market id."),
    second: str = typer.Argument(..., help="Market id."),
    vehicle: Path = typer.Option(..., "--vehicle", help="The vehicle as JSON."),
    as_json: bool = JSON,
) -> None:
    """Two markets side by side for a vehicle, by topic.

    Example: innochain overseas diff EU UK --vehicle vehicle.json
    """
    from innochain.overseas import diff

    result = diff(first, second, _vehicle(vehicle))
    if as_json:
        emit_json({k: v for k, v in result.items() if k != "checklists"})
        return
    a, b = result["markets"]
    table = Table("topic", a, b)
    for row in result["rows"]:
        table.add_row(row["topic"], "\n".join(row[a]) or "-", "\n".join(row[b]) or "-")
    out.print(table)


@overseas_app.command("markets")
@friendly
def markets_cmd(as_json: bool = JSON) -> None:
    """The markets in the knowledge base.

    Example: innochain overseas markets
    """
    from innochain.overseas import load_markets

    rows = [
        {"id": m.id, "name_en": m.name_en, "facts": len(m.facts)} for m in load_markets().values()
    ]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        out.print(f"{r['id']:3} {r['name_en']} ({r['facts']} facts)", markup=False)
