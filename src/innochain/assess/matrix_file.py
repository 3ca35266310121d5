"""A user's own decision matrix from a CSV or XLSX file, checked like an import.

Layout: a header row `name, <criterion>, <criterion>, ...`; then an optional row whose first
cell is `direction` (benefit/cost, or +1/-1); then one row per alternative. Directions may
instead be given on the command line. Every problem is reported as file:row:column: reason,
and nothing is assessed unless the file is clean.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from innochain.errors import InvalidInput, Problem
from innochain.registry.formats import _decode

__all__ = ["MatrixFile", "read_matrix"]

DIRECTIONS = {"benefit": 1, "+1": 1, "1": 1, "+": 1, "cost": -1, "-1": -1, "-": -1}


@dataclass(frozen=True)
class MatrixFile:
    alternatives: list[str]
    criteria: list[str]
    matrix: np.ndarray
    directions: np.ndarray | None


def _rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [
            ["" if c is None else str(c).strip() for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    text, _ = _decode(path, path.read_bytes())
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def read_matrix(path: Path | str, *, directions: list[str] | None = None) -> MatrixFile:
    """Read and check a matrix file; `directions` (benefit/cost per criterion, in order)
    override a `direction` row."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem("no such file", file=str(path))])
    rows = [r for r in _rows(path) if any(r)]
    if not rows:
        raise InvalidInput([Problem("the file is empty", file=str(path))])
    header, body = rows[0], rows[1:]
    criteria = header[1:]
    problems: list[Problem] = []
    where = str(path)
    if not criteria or any(not c for c in criteria):
        problems.append(Problem("every criterion column needs a name in the header", where, 1))
    special: dict[str, list[str]] = {}
    values: list[list[float]] = []
    names: list[str] = []
    for k, row in enumerate(body, start=2):
        key = row[0].lower() if row else ""
        cells = (row[1:] + [""] * len(criteria))[: len(criteria)]
        if key == "direction":
            special[key] = cells
            continue
        names.append(row[0] or f"row {k}")
        parsed = []
        for j, cell in enumerate(cells):
            try:
                value = float(cell.replace(",", ""))
                if not np.isfinite(value):
                    raise ValueError
            except ValueError:
                problems.append(Problem(f"{cell!r} is not a number", where, k, criteria[j]))
                value = float("nan")
            parsed.append(value)
        values.append(parsed)
    given = directions or special.get("direction")
    signs = None
    if given is not None:
        if len(given) != len(criteria):
            problems.append(
                Problem(
                    f"{len(given)} directions for {len(criteria)} criteria",
                    where,
                    column="direction",
                )
            )
        else:
            signs = []
            for j, d in enumerate(given):
                if d.lower() not in DIRECTIONS:
                    problems.append(
                        Problem(
                            f"direction {d!r} is not benefit or cost", where, column=criteria[j]
                        )
                    )
                signs.append(DIRECTIONS.get(d.lower(), 1))
    if given is None:
        problems.append(
            Problem(
                "give each criterion's direction: a `direction` row or "
                "--direction benefit|cost per criterion",
                where,
                column="direction",
            )
        )
    if len(values) < 2:
        problems.append(Problem("fewer than two alternatives", where))
    if problems:
        raise InvalidInput(problems)
    return MatrixFile(
        names,
        criteria,
        np.array(values, dtype=float),
        None if signs is None else np.array(signs),
    )
