"""The `innochain` command. Each command parses, calls one engine function and prints.

Every command that prints data takes `--json` for stable machine-readable output. Errors are
one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from innochain import __version__
from innochain.data import check_dataset, load_bundled
from innochain.domain import SYSTEM
from innochain.errors import InnochainError, InvalidInput, Problem
from innochain.registry import (
    FORMATS,
    count_entities,
    export_records,
    get_organization,
    import_tables,
    list_organizations,
    read_path,
    write_path,
)
from innochain.settings import Settings
from innochain.store import (
    audit,
    current_revision,
    ensure_migrated,
    head_revision,
    make_engine,
    upgrade,
)
from innochain.store.db import make_sessionmaker, session_scope

app = typer.Typer(
    help="innochain: registry, matching and analysis for the automotive innovation ecosystem.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
orgs_app = typer.Typer(help="Organisations in the registry.", no_args_is_help=True)
data_app = typer.Typer(help="The bundled dataset.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(orgs_app, name="orgs")
app.add_typer(data_app, name="data")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


class State:
    def __init__(self) -> None:
        self.database_url: str | None = None
        self._engine: Engine | None = None

    @property
    def settings(self) -> Settings:
        if self.database_url:
            return Settings(database_url=self.database_url)
        return Settings()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine


state = State()


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn innochain errors into one clear line and exit code 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InvalidInput as error:
            for problem in error.problems:
                err.print(f"error: {problem}", markup=False)
            if any(problem.file for problem in error.problems):
                err.print(f"{len(error.problems)} problem(s); nothing was written.", markup=False)
            raise typer.Exit(1) from None
        except (InnochainError, ValueError) as error:
            err.print(f"error: {error}", markup=False)
            raise typer.Exit(1) from None
        except SQLAlchemyError as error:
            message = str(error.orig if hasattr(error, "orig") else error).splitlines()[0]
            err.print(f"database error: {message}", markup=False)
            raise typer.Exit(1) from None

    return wrapper


@contextmanager
def session(*, migrated: bool = True) -> Iterator[Session]:
    if migrated:
        ensure_migrated(state.engine)
    with session_scope(make_sessionmaker(state.engine)) as s:
        yield s


def emit_json(payload: Any) -> None:
    def default(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.asdict(value)
        return str(value)

    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=default) + "\n")


@app.callback()
def main(
    ctx: typer.Context,
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        help="Database URL (default: $INNOCHAIN_DATABASE_URL, else SQLite in the user data dir).",
    ),
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    """innochain: registry, matching and analysis for the automotive innovation ecosystem.

    Example: innochain orgs list --q 电池
    """
    if version:
        out.print(__version__)
        raise typer.Exit()
    state.database_url = database_url
    state._engine = None
    ctx.call_on_close(state.close)


@db_app.command("upgrade")
@friendly
def db_upgrade() -> None:
    """Create or migrate the database schema to the newest revision.

    Example: innochain db upgrade
    """
    reached = upgrade(state.engine)
    out.print(f"database at schema revision {reached}", markup=False)


@db_app.command("current")
@friendly
def db_current(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Show the schema revision of the database and the one this innochain needs.

    Example: innochain db current --json
    """
    payload = {"current": current_revision(state.engine), "head": head_revision()}
    if as_json:
        emit_json(payload)
    else:
        out.print(f"current {payload['current'] or 'none'}, needed {payload['head']}", markup=False)


@app.command("load")
@friendly
def load(
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing if the database already holds organisations."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Load (or refresh) the bundled real dataset into the database; safe to repeat.

    Example: innochain load --if-empty
    """
    with session() as s:
        if if_empty and count_entities(s)["organizations"]:
            if not as_json:
                out.print(
                    "database already holds data; nothing loaded (drop --if-empty to refresh)"
                )
            else:
                emit_json({"loaded": False})
            return
        report = load_bundled(s)
    if as_json:
        emit_json({"loaded": True, "created": report.created, "updated": report.updated})
    else:
        out.print(f"loaded {report.total} bundled rows ({sum(report.created.values())} new)")


@app.command("import")
@friendly
def import_(
    path: Path = typer.Argument(..., help="A .csv, .json or .xlsx file, or a folder of CSV files."),
    kind: str | None = typer.Option(
        None,
        "--kind",
        help="What the file holds (organizations, relations, ...); default: its name.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Validate and import records; all or nothing; repeat imports update by id.

    CSV may be UTF-8 or GB18030/GBK. Organisations may be referred to by id, English or
    Chinese name, or alias. Every problem is reported as file:row:column: reason.

    Example: innochain import organizations.csv
    """
    tables = read_path(path, kind=kind, max_mb=state.settings.import_max_mb)
    total = sum(len(t.rows) for t in tables.values())
    with (
        session() as s,
        Progress(console=err, transient=True, disable=as_json or total < 2000) as bar,
    ):
        task = bar.add_task("importing", total=total)
        report = import_tables(s, tables, progress=lambda n: bar.advance(task, n))
    if as_json:
        emit_json(dataclasses.asdict(report))
        return
    for entity in report.created:
        out.print(
            f"{entity}: {report.created[entity]} created, {report.updated[entity]} updated",
            markup=False,
        )
    for file, encoding in report.encodings.items():
        if encoding != "utf-8":
            out.print(f"{file}: read as {encoding}", markup=False)


@app.command("export")
@friendly
def export(
    path: Path = typer.Argument(..., help="Output: a folder (csv), or a .json / .xlsx file."),
    fmt: str = typer.Option(
        "", "--format", help=f"One of {', '.join(FORMATS)}; default from the path."
    ),
    kind: list[str] = typer.Option(
        [], "--kind", help="Only these kinds (repeatable); default all."
    ),
) -> None:
    """Export the database in the formats `import` reads.

    Example: innochain export backup.xlsx
    """
    chosen = fmt or {".json": "json", ".xlsx": "xlsx"}.get(path.suffix.lower(), "csv")
    with session() as s:
        records = export_records(s, kind or None, viewer=SYSTEM)
        rows = sum(len(r) for r in records.values())
        audit.record(s, SYSTEM, "export", entity=",".join(kind), detail={"rows": rows})
        s.commit()
    written = write_path(records, path, fmt=chosen)
    rows = sum(len(r) for r in records.values())
    out.print(f"exported {rows} rows to {', '.join(str(w) for w in written)}", markup=False)


@app.command("stats")
@friendly
def stats(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Count the rows of every entity.

    Example: innochain stats --json
    """
    with session() as s:
        counts = count_entities(s, viewer=SYSTEM)
    if as_json:
        emit_json(counts)
        return
    table = Table("entity", "rows")
    for entity, count in counts.items():
        table.add_row(entity, str(count))
    out.print(table)


@orgs_app.command("list")
@friendly
def orgs_list(
    q: str | None = typer.Option(None, "--q", help="Text search in Chinese or English."),
    kind: str | None = typer.Option(None, "--kind", help="automaker, supplier, university, ..."),
    province: str | None = typer.Option(None, "--province", help="Province, English or Chinese."),
    country: str | None = typer.Option(None, "--country", help="ISO country code, e.g. CN."),
    chain_node: str | None = typer.Option(
        None, "--chain-node", help="Chain node id (with sub-nodes)."
    ),
    page: int = typer.Option(1, "--page", min=1),
    size: int = typer.Option(50, "--size", min=1, max=500),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List organisations with filters and bilingual search.

    Example: innochain orgs list --q 激光雷达 --kind tech_company
    """
    with session() as s:
        result = list_organizations(
            s,
            q=q,
            kind=kind,
            province=province,
            country=country,
            chain_node=chain_node,
            page=page,
            size=size,
        )
    if as_json:
        emit_json(
            {
                "total": result.total,
                "page": result.page,
                "size": result.size,
                "items": [dataclasses.asdict(o) for o in result.items],
            }
        )
        return
    table = Table("id", "name", "名称", "kind", "where", title=f"{result.total} organisations")
    for o in result.items:
        where = ", ".join(p for p in (o.city, o.province or o.country) if p)
        table.add_row(o.id, o.name_en, o.name_zh, o.kind, where)
    out.print(table)
    if result.pages > 1:
        out.print(f"page {result.page} of {result.pages}")


@orgs_app.command("show")
@friendly
def orgs_show(
    org_id: str = typer.Argument(..., help="Organisation id, e.g. catl."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Show one organisation with capabilities and relations.

    Example: innochain orgs show catl
    """
    with session() as s:
        detail = get_organization(s, org_id)
    if as_json:
        emit_json(dataclasses.asdict(detail))
        return
    o = detail.organization
    out.print(f"{o.name_en}  {o.name_zh}  [{o.id}]", markup=False)
    out.print(
        f"{o.kind} · {o.ownership} · {', '.join(p for p in (o.city, o.province, o.country) if p)}"
        f"{f' · founded {o.founded}' if o.founded else ''}",
        markup=False,
    )
    if detail.description_en:
        out.print(detail.description_en, markup=False)
    if detail.capabilities:
        table = Table("technology", "TRL", "what", title="capabilities")
        for c in detail.capabilities:
            table.add_row(f"{c['domain_en']} {c['domain_zh']}", str(c["trl"]), c["description_en"])
        out.print(table)
    if detail.relations:
        table = Table("relation", "with", "year", title="relations")
        for r in detail.relations:
            arrow = "→" if r["direction"] == "out" else "←"
            table.add_row(
                f"{arrow} {r['type']}",
                f"{r['other_name_en']} {r['other_name_zh']}",
                str(r["year"] or ""),
            )
        out.print(table)
    out.print(f"source: {detail.source['url']}", markup=False)


@app.command("match")
@friendly
def match(
    text: str = typer.Argument("", help="The need, in Chinese or English."),
    domain: list[str] = typer.Option([], "--domain", help="Technology domain id (repeatable)."),
    trl: int | None = typer.Option(None, "--trl", help="Required TRL, 1-9."),
    seeker: str | None = typer.Option(None, "--seeker", help="Seeking organisation id."),
    kind: list[str] = typer.Option([], "--kind", help="Only these kinds (repeatable)."),
    province: list[str] = typer.Option([], "--province", help="Only these provinces."),
    country: list[str] = typer.Option([], "--country", help="Only these countries (ISO code)."),
    exclude: list[str] = typer.Option([], "--exclude", help="Leave out these ids (competitors)."),
    limit: int = typer.Option(10, "--limit", min=1, max=200, help="How many partners to list."),
    semantic: bool = typer.Option(
        False, "--semantic", help="Add the semantic component (needs the semantic extra)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Rank capable partners for a technology need, with the reasons for each.

    Example: innochain match "车规级碳化硅功率模块 for 800 V inverters" --trl 9
    """
    from innochain.match import Filters, Need, build_matcher

    with session() as s:
        matcher = build_matcher(s, semantic=semantic or state.settings.semantic)
    result = matcher.match(
        Need(text=text, domain_ids=tuple(domain), required_trl=trl, seeker_id=seeker),
        limit=limit,
        filters=Filters(
            kinds=tuple(kind),
            provinces=tuple(province),
            countries=tuple(country),
            exclude=tuple(exclude),
        ),
    )
    if as_json:
        emit_json(dataclasses.asdict(result))
        return
    domains = ", ".join(result.domain_ids) or "none"
    out.print(
        f"domains: {domains}{' (inferred from the text)' if result.inferred_domains else ''}",
        markup=False,
    )
    if result.message:
        out.print(result.message, markup=False)
    for rank, c in enumerate(result.candidates, start=1):
        parts = " ".join(f"{k} {v:.2f}" for k, v in c.components.items())
        out.print(
            f"{rank:>2}. {c.name_en} {c.name_zh} [{c.organization_id}]  {c.score:.3f}  ({parts})",
            markup=False,
        )
        for reason in c.reasons:
            out.print(f"      - {reason}", markup=False)


def _check_knowledge() -> list[Problem]:
    """Problems of the overseas knowledge base (every fact sourced and dated consistently)
    and of the dual-credit rule sets (every parameter sourced)."""
    import tomllib

    from innochain.credits import rule_sets
    from innochain.overseas.knowledge import DATA, parse_markets

    problems: list[Problem] = []
    path = DATA / "markets.toml"
    try:
        parse_markets(tomllib.loads(path.read_text(encoding="utf-8")), file=str(path))
    except InvalidInput as error:
        problems.extend(error.problems)
    for rules in rule_sets():
        for item in rules.summary()["items"]:
            if not item["source"]:
                problems.append(
                    Problem("a rule parameter needs a source", file=rules.id, column=item["path"])
                )
    return problems


@data_app.command("check")
@friendly
def data_check(
    path: Path | None = typer.Option(
        None, "--path", help="A dataset folder; default the bundled one."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Check the dataset: schema, references, duplicates, sources, numeric sanity, coverage.

    Example: innochain data check
    """
    report = check_dataset(path) if path else check_dataset()
    if path is None:  # the bundled overseas knowledge base and the dual-credit rule sets too
        report.problems.extend(_check_knowledge())
    if as_json:
        emit_json(
            {
                "ok": report.ok,
                "counts": report.counts,
                "problems": [str(p) for p in report.problems],
                "warnings": [str(p) for p in report.warnings],
            }
        )
    else:
        for problem in report.problems:
            err.print(f"error: {problem}", markup=False)
        for warning in report.warnings:
            err.print(f"warning: {warning}", markup=False)
        counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
        out.print(f"{'ok' if report.ok else 'FAILED'}: {counts}", markup=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command("serve")
@friendly
def serve(
    host: str | None = typer.Option(None, "--host", help="Bind address (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", help="Port (default 8000)."),
) -> None:
    """Serve the web pages and the REST API in one process.

    Example: innochain serve --port 8000
    """
    import uvicorn

    from innochain.app import create_app

    settings = state.settings
    settings = settings.model_copy(
        update={k: v for k, v in (("host", host), ("port", port)) if v is not None}
    )
    application = create_app(settings)  # refuses an unmigrated database
    out.print(f"innochain serving on http://{settings.host}:{settings.port}/", markup=False)
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="info")


from innochain.cli import accounts as _accounts  # noqa: E402,F401 - registers `users` and `audit`
from innochain.cli import alerts as _alerts  # noqa: E402,F401 - registers `alerts`
from innochain.cli import assess as _assess  # noqa: E402,F401 - registers `assess`
from innochain.cli import chain as _chain  # noqa: E402,F401 - registers `chain`
from innochain.cli import consortium as _consortium  # noqa: E402,F401 - registers `consortium`
from innochain.cli import credits as _credits  # noqa: E402,F401 - registers `credits`
from innochain.cli import overseas as _overseas  # noqa: E402,F401 - registers `overseas`
from innochain.cli import pipeline as _pipeline  # noqa: E402,F401 - registers `project`, `portfolio`
