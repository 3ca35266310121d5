"""`innochain users ...` and `innochain audit ...`: accounts and the audit log from the shell.

Whoever runs the command line on the server can read the database file, so commands act as
the platform itself (an operator); what they change is audited as "system".
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from innochain import accounts
from innochain.cli.main import app, emit_json, err, friendly, out, session, state
from innochain.domain import SYSTEM, Role
from innochain.errors import InvalidInput
from innochain.registry.formats import table_bytes
from innochain.store import audit

users_app = typer.Typer(help="User accounts: create, invite, list, reset.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log: verify, list, export.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("create")
@friendly
def users_create(
    email: str = typer.Option(..., "--email", help="Sign-in e-mail."),
    operator: bool = typer.Option(False, "--operator", help="Make a platform operator."),
    role: str = typer.Option("member", "--role", help="Role when not --operator."),
    org: str | None = typer.Option(None, "--org", help="Organisation id (not for operators)."),
    name: str = typer.Option("", "--name", help="Display name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Create a user who can sign in at once (the first operator is made this way).

    Example: innochain users create --operator --email ops@example.org
    """
    chosen = Role.OPERATOR if operator else role
    password = _password(password_stdin)
    with session() as s:
        user = accounts.create_user(
            s,
            email=email,
            role=chosen,
            password=password,
            name=name,
            organization_id=org,
            actor=SYSTEM,
        )
        out.print(f"created user {user.id} <{user.email}> as {user.role}", markup=False)


@users_app.command("invite")
@friendly
def users_invite(
    email: str = typer.Option(..., "--email", help="The invitee's e-mail."),
    org: str = typer.Option(..., "--org", help="Organisation id the user acts for."),
    role: str = typer.Option("member", "--role", help="member-admin, member or viewer."),
    name: str = typer.Option("", "--name", help="Display name."),
) -> None:
    """Invite a user; prints the one-time link (valid 7 days) that sets the password.

    Example: innochain users invite --email li@byd.example --org byd --role member_admin
    """
    with session() as s:
        issued = accounts.invite_user(
            s, email=email, role=role, organization_id=org, name=name, actor=SYSTEM
        )
        out.print(state.settings.link_url(issued.secret), markup=False)


@users_app.command("list")
@friendly
def users_list(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List every user with role, organisation and status.

    Example: innochain users list --json
    """
    with session() as s:
        rows = [accounts.user_dict(u) for u in accounts.list_users(s, actor=SYSTEM)]
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "email", "organisation", "role", "active", "last sign-in")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["email"],
            r["organization_id"] or "",
            r["role"],
            "yes" if r["active"] else "no",
            r["last_login_at"] or "",
        )
    out.print(table)


@users_app.command("reset-link")
@friendly
def users_reset_link(email: str = typer.Argument(..., help="The user's e-mail.")) -> None:
    """Print a one-time password-reset link (valid 24 hours) for a user.

    Example: innochain users reset-link li@byd.example
    """
    with session() as s:
        match = [u for u in accounts.list_users(s, actor=SYSTEM) if u.email == email.lower()]
        if not match:
            raise InvalidInput(f"email: no user with {email}")
        issued = accounts.issue_reset_link(s, match[0].id, actor=SYSTEM)
        out.print(state.settings.link_url(issued.secret), markup=False)


@audit_app.command("verify")
@friendly
def audit_verify(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Recompute the audit log's hash chain; exit 1 if any entry was changed or removed.

    Example: innochain audit verify
    """
    with session() as s:
        check = audit.verify(s)
    if as_json:
        emit_json(check)
    elif check.ok:
        out.print(f"ok: {check.entries} entries, hash chain intact", markup=False)
    else:
        err.print(
            f"TAMPERED: entry {check.broken_id} {check.reason} ({check.entries} checked)",
            markup=False,
        )
    if not check.ok:
        raise typer.Exit(1)


@audit_app.command("list")
@friendly
def audit_list(
    action: str | None = typer.Option(None, "--action", help="e.g. login_failed, export."),
    entity: str | None = typer.Option(None, "--entity", help="e.g. needs, users."),
    limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="Newest N entries."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Show the newest audit entries.

    Example: innochain audit list --action login_failed
    """
    with session() as s:
        rows, total = audit.list_entries(s, action=action, entity=entity, limit=limit)
        items = [audit.entry_dict(e) for e in rows]
    if as_json:
        emit_json({"items": items, "total": total})
        return
    table = Table("id", "at (UTC)", "actor", "action", "record", "ip")
    for e in items:
        table.add_row(
            str(e["id"]),
            e["at"],
            e["actor"],
            e["action"],
            f"{e['entity']} {e['entity_id']}",
            e["ip"],
        )
    out.print(table)


@audit_app.command("export")
@friendly
def audit_export(path: Path = typer.Argument(..., help="CSV file to write.")) -> None:
    """Write the whole audit log as CSV, oldest first.

    Example: innochain audit export audit.csv
    """
    with session() as s:
        audit.record(s, SYSTEM, "export", entity="audit_log")
        s.flush()
        path.write_bytes(table_bytes(audit.CSV_COLUMNS, audit.entry_rows(s), fmt="csv"))
    out.print(f"wrote {path}", markup=False)
