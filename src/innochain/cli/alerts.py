"""`innochain alerts ...`: the overseas knowledge base's changes."""

from __future__ import annotations

import typer

from innochain.cli.main import app, emit_json, friendly, out, session

alerts_app = typer.Typer(help="Risk alerts: knowledge-base changes.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")
JSON = typer.Option(False, "--json", help="Machine-readable output.")


@alerts_app.command("sync")
@friendly
def sync_cmd(as_json: bool = JSON) -> None:
    """Record what changed since the last sync and notify followers (run daily from cron).

    Example: innochain alerts sync
    """
    from innochain.overseas import alerts

    with session() as s:
        found = alerts.sync(s)
    if as_json:
        emit_json(found)
        return
    out.print(f"{len(found)} change(s)", markup=False)
    for c in found:
        out.print(f"{c['market']} {c['kind']}: {c['title']}", markup=False)


@alerts_app.command("list")
@friendly
def list_cmd(as_json: bool = JSON) -> None:
    """Every recorded change, newest first.

    Example: innochain alerts list --json
    """
    from innochain.overseas import alerts

    with session() as s:
        found = alerts.changes(s)
    if as_json:
        emit_json(found)
        return
    for c in found:
        out.print(
            f"{c['at']} {c['market']} {c['kind']}: {c['title']} {c['source_url']}", markup=False
        )
