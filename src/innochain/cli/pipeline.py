"""`innochain project ...` and `innochain portfolio`: the pipeline from the shell (as operator)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from innochain import pipeline
from innochain.cli.main import app, emit_json, friendly, out, session
from innochain.domain import SYSTEM
from innochain.errors import InvalidInput
from innochain.registry.formats import table_bytes

project_app = typer.Typer(
    help="Projects: create, list, show, gate reviews, milestones, funding.", no_args_is_help=True
)
app.add_typer(project_app, name="project")
JSON = typer.Option(False, "--json", help="Machine-readable output.")


def _brief(project: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(project)
        return
    out.print(
        f"{project['id']}: {project['stage']} ({project['status']}), TRL {project['trl']}, "
        f"since {project['stage_entered']}",
        markup=False,
    )
    for risk in project.get("risks", []):
        out.print(f"  at risk: {risk}", markup=False)


@project_app.command("create")
@friendly
def project_create(
    title: str = typer.Option(..., "--title", help="Title, Chinese or English."),
    owner: str = typer.Option(..., "--owner", help="Owning organisation (id, name or alias)."),
    stage: str = typer.Option("research", "--stage", help="Starting stage."),
    trl: int | None = typer.Option(None, "--trl", help="Default: the stage's lowest TRL."),
    started: str | None = typer.Option(None, "--started", help="YYYY-MM-DD (default today)."),
    consortium: str | None = typer.Option(None, "--consortium", help="Carrying consortium."),
    need: str | None = typer.Option(None, "--need", help="The need it answers."),
    gate_due: str | None = typer.Option(None, "--gate-due", help="Next gate, YYYY-MM-DD."),
    gate_budget: float | None = typer.Option(None, "--gate-budget", help="CNY m to next gate."),
    visibility: str = typer.Option("private", "--visibility", help="Who may see it."),
    as_json: bool = JSON,
) -> None:
    """Start a project.

    Example: innochain project create --title "钠离子电池量产" --owner catl --gate-budget 50
    """
    chinese = any("\u3400" <= ch <= "\u9fff" for ch in title)
    body: dict[str, Any] = {
        "title_zh" if chinese else "title_en": title,
        "owner_id": owner,
        "stage": stage,
        "trl": trl,
        "consortium_id": consortium,
        "need_id": need,
        "next_gate_due": gate_due,
        "next_gate_budget_cny_m": gate_budget,
        "visibility": visibility,
    }
    if started:
        body["started"] = started
    with session() as s:
        project_id = pipeline.create_project(s, body, viewer=SYSTEM)
        _brief(pipeline.get_project(s, project_id, viewer=SYSTEM), as_json)


@project_app.command("list")
@friendly
def project_list(
    stage: str | None = typer.Option(None, "--stage"),
    status: str | None = typer.Option(None, "--status"),
    owner: str | None = typer.Option(None, "--owner"),
    consortium: str | None = typer.Option(None, "--consortium"),
    output: Path | None = typer.Option(
        None, "--output", help="Save the list as a table: FILE.csv or FILE.xlsx."
    ),
    as_json: bool = JSON,
) -> None:
    """Projects by stage, with money raised and risks.

    Example: innochain project list --stage pilot --output projects.xlsx
    """
    filters: dict[str, Any] = {
        "stage": stage,
        "status": status,
        "owner_id": owner,
        "consortium_id": consortium,
    }
    if output is not None:
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            raise InvalidInput(f"{output}: save as .csv or .xlsx, not {output.suffix!r}")
        with session() as s:
            rows = pipeline.export_projects(s, viewer=SYSTEM, **filters)
        output.write_bytes(table_bytes(pipeline.TABLE_COLUMNS, rows, fmt=fmt))
        out.print(f"{len(rows)} projects written to {output}", markup=False)
        return
    with session() as s:
        items = pipeline.list_projects(s, viewer=SYSTEM, **filters)
    if as_json:
        emit_json(items)
        return
    table = Table("id", "stage", "status", "TRL", "days", "CNY m", "risks")
    for p in items:
        table.add_row(
            p["id"],
            p["stage"],
            p["status"],
            str(p["trl"]),
            str(p["days_in_stage"]),
            f"{p['raised_cny_m']:g}",
            str(len(p["risks"])),
        )
    out.print(table)


@project_app.command("show")
@friendly
def project_show(project_id: str = typer.Argument(...), as_json: bool = JSON) -> None:
    """A project with its gate history, milestones, funding and risks.

    Example: innochain project show project-sodium-ion-cells-1a2b3c --json
    """
    with session() as s:
        project = pipeline.get_project(s, project_id, viewer=SYSTEM)
    if as_json:
        emit_json(project)
        return
    _brief(project, False)
    for g in project["gates"]:
        out.print(
            f"  gate {g['decided_on']}: {g['decision']} {g['from_stage']} -> {g['to_stage']}",
            markup=False,
        )
    for f in project["funding"]:
        out.print(
            f"  funding {f['received']}: {f['source']} {f['amount_m']:g} m {f['currency']} "
            f"({f['stage']})",
            markup=False,
        )


@project_app.command("gate")
@friendly
def project_gate(
    project_id: str = typer.Argument(...),
    decision: str = typer.Option(..., "--decision", help="go, hold, stop or recycle."),
    trl: int = typer.Option(..., "--trl", help="The TRL the reviewers assessed."),
    met: list[str] = typer.Option([], "--met", help="A criterion that is met (repeatable)."),
    unmet: list[str] = typer.Option([], "--unmet", help="A criterion not met (repeatable)."),
    decided_on: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default today)."),
    to_stage: str | None = typer.Option(None, "--to-stage", help="For recycle: where to."),
    reviewers: str = typer.Option("", "--reviewers"),
    as_json: bool = JSON,
) -> None:
    """Record a stage-gate review; go moves one stage on.

    Example: innochain project gate project-x --decision go --trl 4 --met "cells pass 1,000 cycles"
    """
    body: dict[str, Any] = {
        "decision": decision,
        "trl": trl,
        "criteria": [{"name": c, "met": True} for c in met]
        + [{"name": c, "met": False} for c in unmet],
        "to_stage": to_stage,
        "reviewers": reviewers,
    }
    if decided_on:
        body["decided_on"] = decided_on
    with session() as s:
        _brief(pipeline.record_gate(s, project_id, body, viewer=SYSTEM), as_json)


@project_app.command("milestone")
@friendly
def project_milestone(
    project_id: str = typer.Argument(...),
    title: str = typer.Option(..., "--title"),
    due: str = typer.Option(..., "--due", help="YYYY-MM-DD"),
    done: str | None = typer.Option(None, "--done", help="YYYY-MM-DD if already reached."),
    as_json: bool = JSON,
) -> None:
    """Add a milestone.

    Example: innochain project milestone project-x --title "B-sample cells" --due 2026-03-31
    """
    body = {"title": title, "due": due, "done": done}
    with session() as s:
        row = pipeline.add_milestone(s, project_id, body, viewer=SYSTEM)
    emit_json(row) if as_json else out.print(f"milestone {row['id']} added", markup=False)


@project_app.command("done")
@friendly
def project_done(
    project_id: str = typer.Argument(...),
    milestone_id: int = typer.Argument(...),
    done: str = typer.Option(..., "--date", help="YYYY-MM-DD"),
    as_json: bool = JSON,
) -> None:
    """Mark a milestone reached; prints its slippage.

    Example: innochain project done project-x 3 --date 2026-04-12
    """
    with session() as s:
        row = pipeline.update_milestone(s, project_id, milestone_id, {"done": done}, viewer=SYSTEM)
    if as_json:
        emit_json(row)
    else:
        out.print(f"milestone {row['id']}: {row['slippage_days']} days late", markup=False)


@project_app.command("fund")
@friendly
def project_fund(
    project_id: str = typer.Argument(...),
    source: str = typer.Option(..., "--source", help="guided_fund, vc_pe, corporate, ..."),
    amount: str = typer.Option(..., "--amount", help="Millions of the currency."),
    received: str = typer.Option(..., "--date", help="YYYY-MM-DD"),
    currency: str = typer.Option("CNY", "--currency", help="ISO 4217 code."),
    rate: str | None = typer.Option(None, "--cny-rate", help="CNY per unit, for non-CNY."),
    investor: str | None = typer.Option(None, "--investor", help="Organisation id or name."),
    fund: str | None = typer.Option(None, "--fund", help="A fund id in the registry."),
    as_json: bool = JSON,
) -> None:
    """Record a funding round.

    Example: innochain project fund project-x --source guided_fund --amount 30 --date 2026-01-15
    """
    body: dict[str, Any] = {
        "source": source,
        "amount_m": amount,
        "received": received,
        "currency": currency,
        "investor_id": investor,
        "fund_id": fund,
    }
    if rate:
        body["cny_rate"] = rate
    with session() as s:
        row = pipeline.add_funding(s, project_id, body, viewer=SYSTEM)
    if as_json:
        emit_json(row)
    else:
        out.print(
            f"round {row['id']}: CNY {row['amount_cny_m']:g} m ({row['stage']})", markup=False
        )


@app.command("portfolio")
@friendly
def portfolio(
    owner: str | None = typer.Option(None, "--owner"),
    consortium: str | None = typer.Option(None, "--consortium"),
    as_json: bool = JSON,
) -> None:
    """Funnel by stage, time in stage, funding by source and stage, projects at risk.

    Example: innochain portfolio --json
    """
    with session() as s:
        data = pipeline.portfolio(s, viewer=SYSTEM, owner_id=owner, consortium_id=consortium)
    if as_json:
        emit_json(data)
        return
    table = Table("stage", "reached", "now", "stopped", "median days", "CNY m")
    times = {r["stage"]: r for r in data["time_in_stage"]}
    for r in data["funnel"]:
        median = times[r["stage"]]["median_days"]
        table.add_row(
            r["stage"],
            str(r["reached"]),
            str(r["current"]),
            str(r["stopped"]),
            "-" if median is None else str(median),
            f"{data['funding']['by_stage'][r['stage']]:g}",
        )
    out.print(table)
    for r in data["at_risk"]:
        out.print(f"at risk: {r['id']}: {'; '.join(r['reasons'])}", markup=False)
