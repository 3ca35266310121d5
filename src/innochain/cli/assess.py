"""`innochain assess`: innovation ability of the bundled firms, or of your own matrix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from innochain.cli.main import app, emit_json, friendly, out, session


@app.command("assess")
@friendly
def assess_cmd(
    method: str = typer.Option(
        "entropy-topsis", "--method", help="e.g. entropy-topsis, critic-gra, ahp-topsis."
    ),
    peers: str = typer.Option("oem", "--peers", help="oem, supplier or all (bundled firms)."),
    year: int = typer.Option(2024, "--year", help="The year to compare (bundled firms)."),
    firm: str | None = typer.Option(
        None, "--firm", help="One firm's report instead of the ranking."
    ),
    input_: Path | None = typer.Option(None, "--input", help="Your own matrix, CSV or XLSX."),
    direction: list[str] = typer.Option(
        [], "--direction", help="benefit|cost per criterion, in order (with --input)."
    ),
    indicators: Path | None = typer.Option(
        None, "--indicators", help="Another indicator system (TOML)."
    ),
    pairwise: Path | None = typer.Option(
        None, "--pairwise", help="AHP pairwise matrix, CSV of numbers."
    ),
    entropy_on: str | None = typer.Option(None, "--entropy-on", help="shares, minmax or shifted."),
    normalization: str | None = typer.Option(
        None, "--normalization", help="vector, minmax, sum, max."
    ),
    topsis_weighting: str | None = typer.Option(
        None, "--topsis-weighting", help="matrix or distance."
    ),
    cost: str | None = typer.Option(
        None, "--cost", help="Cost criteria: reverse, inverse or none."
    ),
    rho: float | None = typer.Option(None, "--rho", help="GRA distinguishing coefficient."),
    trials: int = typer.Option(0, "--trials", min=0, help="Monte Carlo weight perturbations."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Rank firms' innovation ability by a multi-criteria method, with every variant explicit.

    Example: innochain assess --method entropy-topsis --peers oem --year 2024
    """
    from innochain.assess import METHODS

    options: dict[str, Any] = {
        k: v
        for k, v in {
            "entropy_on": entropy_on,
            "normalization": normalization,
            "topsis_weighting": topsis_weighting,
            "cost": cost,
            "rho": rho,
        }.items()
        if v is not None
    }
    if pairwise is not None:
        import csv

        options["pairwise"] = [
            [float(c) for c in row] for row in csv.reader(pairwise.open(encoding="utf-8")) if row
        ]
    if input_ is not None:
        _own_matrix(input_, direction, method, options, trials, as_json)
        return
    from innochain.assess.ability import firm_report, rank_peers
    from innochain.assess.firms import load_firms
    from innochain.assess.indicators import load_system

    system = load_system(indicators)
    with session() as s:
        data = load_firms(s)
    if method not in METHODS:
        from innochain.errors import InvalidInput

        raise InvalidInput.at("method", f"{method!r} is not one of {', '.join(sorted(METHODS))}")
    if firm:
        report = firm_report(data, system, firm, method=method, **options)
        if as_json:
            emit_json(report)
            return
        _print_report(report)
        return
    ranked = rank_peers(data, system, peers=peers, year=year, method=method, **options)
    if as_json:
        emit_json(ranked)
        return
    out.print(
        f"{ranked['method']} · {peers} · {year}: "
        + ", ".join(f"{i['id']} {i['weight']:.3f}" for i in ranked["indicators"]),
        markup=False,
    )
    table = Table("rank", "firm", "score", "tier")
    for f in ranked["firms"]:
        table.add_row(
            str(f["rank"]), f"{f['name']} [{f['organization_id']}]", f"{f['score']:.4f}", f["tier"]
        )
    out.print(table)
    for note in ranked["notes"] + ranked["warnings"]:
        out.print(f"note: {note}", markup=False)


def _print_report(r: dict[str, Any]) -> None:
    out.print(
        f"{r['name']} [{r['organization_id']}] · {r['method']} · {r['peers']} peers", markup=False
    )
    out.print(
        "rank by year: " + ", ".join(f"{h['year']} {h['rank']}/{h['of']}" for h in r["history"]),
        markup=False,
    )
    out.print(
        f"{r['year']}: tier {r['tier']}; stage {r['stage']['stage']} ({r['stage']['why']})",
        markup=False,
    )
    mode = r["mode"]
    if mode["mode"]:
        out.print(
            f"recommended mode: {mode['name_en']} {mode['name_zh']}: {mode['why']} "
            f"[{mode['source']}]",
            markup=False,
        )
    arch = r["archetype"]
    if arch["archetype"]:
        out.print(f"archetype: {arch['archetype']} ({arch['why']})", markup=False)
    for d in r["drivers"][:5]:
        out.print(
            f"driver: {d['name_en']}: effect {d['effect']:+.4f} (weight {d['weight']:.3f})",
            markup=False,
        )


def _own_matrix(
    path: Path,
    direction: list[str],
    method: str,
    options: dict[str, Any],
    trials: int,
    as_json: bool,
) -> None:
    from innochain.assess.ability import assess_matrix
    from innochain.assess.matrix_file import read_matrix

    data = read_matrix(path, directions=direction or None)
    payload = assess_matrix(
        data.alternatives,
        data.criteria,
        data.matrix.tolist(),
        data.directions,
        method=method,
        trials=trials,
        **options,
    )
    if as_json:
        emit_json(payload)
        return
    weights = zip(data.criteria, payload["weights"], strict=True)
    out.print("weights: " + ", ".join(f"{c} {w:.4f}" for c, w in weights), markup=False)
    table = Table("rank", "alternative", "score")
    for row in sorted(payload["alternatives"], key=lambda a: a["rank"]):
        table.add_row(str(row["rank"]), row["name"], f"{row['score']:.4f}")
    out.print(table)
    for warning in payload["warnings"]:
        out.print(f"warning: {warning}", markup=False)
