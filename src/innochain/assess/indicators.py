"""The indicator system: which indicators, how each is computed, its direction and source.

The default system is `indicators.toml` beside this module (documented there, with
citations); `load_system(path)` reads another file of the same form. `compute` evaluates an
indicator for one firm and year from its annual-report figures and the relation graph.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innochain.domain import Indicator
from innochain.errors import InvalidInput, Problem

__all__ = [
    "DEFAULT",
    "DIMENSIONS",
    "GRAPH_METRICS",
    "FirmYear",
    "IndicatorDef",
    "System",
    "load_system",
]

DEFAULT = Path(__file__).with_name("indicators.toml")
DIMENSIONS = ("input", "output", "collaboration", "market")
GRAPH_METRICS = ("iur_ties", "consortium_roles", "foreign_partners")
_NAMES = {i.value for i in Indicator}
_FORMULA = re.compile(
    r"^(?:(?P<num>\w+)\s*/\s*(?P<den>\w+)|growth\((?P<growth>\w+)\)|log\((?P<log>\w+)\)"
    r"|graph\.(?P<graph>\w+)|(?P<plain>\w+))$"
)


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    name_en: str
    name_zh: str
    dimension: str
    direction: int  # +1 benefit, -1 cost
    formula: str
    ratio: bool = False
    source: str = ""
    citation: str = ""

    @property
    def inputs(self) -> tuple[str, ...]:
        """The annual-report indicators the formula reads."""
        m = _FORMULA.match(self.formula)
        assert m is not None
        return tuple(v for k, v in m.groupdict().items() if v and k != "graph")


@dataclass(frozen=True)
class System:
    indicators: tuple[IndicatorDef, ...]
    max_missing: float = 0.25
    path: str = str(DEFAULT)

    def get(self, indicator_id: str) -> IndicatorDef:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise InvalidInput.at("indicator", f"no indicator {indicator_id!r} in {self.path}")


@dataclass(frozen=True)
class FirmYear:
    """What `compute` needs about one firm: its annual figures by year and its graph metrics
    by year."""

    annual: dict[int, dict[str, float]]
    graph: dict[int, dict[str, float]]

    def compute(self, ind: IndicatorDef, year: int) -> float | None:
        """The indicator's value for the year, or None when a figure is missing or the value
        is undefined (a ratio over zero, the log of a non-positive number)."""
        m = _FORMULA.match(ind.formula)
        assert m is not None
        this = self.annual.get(year, {})
        if m["graph"]:
            return self.graph.get(year, {}).get(m["graph"])
        if m["plain"]:
            return this.get(m["plain"])
        if m["log"]:
            value = this.get(m["log"])
            return math.log(value) if value and value > 0 else None
        if m["growth"]:
            now, before = this.get(m["growth"]), self.annual.get(year - 1, {}).get(m["growth"])
            if now is None or not before:
                return None
            return (now - before) / abs(before)
        num, den = this.get(m["num"]), this.get(m["den"])
        return None if num is None or not den else num / den


def load_system(path: Path | str | None = None) -> System:
    """Read and check an indicator system file (TOML, the form of `indicators.toml`); every
    problem named by file, indicator and field."""
    path = Path(path) if path else DEFAULT
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        problem = Problem(f"cannot read the indicator system: {error}", file=str(path))
        raise InvalidInput([problem]) from None
    problems: list[Problem] = []
    out: list[IndicatorDef] = []
    seen: set[str] = set()
    for k, item in enumerate(raw.get("indicator", []), start=1):
        file, row = str(path), k
        ident = str(item.get("id", ""))
        for field in ("id", "name_en", "dimension", "direction", "formula"):
            if not item.get(field):
                problems.append(
                    Problem(f"indicator {k} needs a {field}", column=field, file=file, row=row)
                )
        if ident in seen:
            problems.append(
                Problem(f"indicator id {ident!r} appears twice", column="id", file=file, row=row)
            )
        seen.add(ident)
        if item.get("dimension") and item["dimension"] not in DIMENSIONS:
            problems.append(
                Problem(
                    f"dimension must be one of {', '.join(DIMENSIONS)}",
                    column="dimension",
                    file=file,
                    row=row,
                )
            )
        if item.get("direction") and item["direction"] not in ("benefit", "cost"):
            problems.append(
                Problem("direction must be benefit or cost", column="direction", file=file, row=row)
            )
        formula = str(item.get("formula", ""))
        m = _FORMULA.match(formula.strip())
        if formula and not m:
            problems.append(
                Problem(f"cannot read formula {formula!r}", column="formula", file=file, row=row)
            )
        elif m:
            names = [v for key, v in m.groupdict().items() if v and key != "graph"]
            for name in names:
                if name not in _NAMES:
                    problems.append(
                        Problem(
                            f"{name!r} is not an annual-report indicator "
                            f"({', '.join(sorted(_NAMES))})",
                            column="formula",
                            file=file,
                            row=row,
                        )
                    )
            if m["graph"] and m["graph"] not in GRAPH_METRICS:
                problems.append(
                    Problem(
                        f"graph.{m['graph']} is not one of {', '.join(GRAPH_METRICS)}",
                        column="formula",
                        file=file,
                        row=row,
                    )
                )
        if not problems or all(p.row != k for p in problems):
            out.append(
                IndicatorDef(
                    id=ident,
                    name_en=str(item["name_en"]),
                    name_zh=str(item.get("name_zh", "")),
                    dimension=str(item["dimension"]),
                    direction=1 if item["direction"] == "benefit" else -1,
                    formula=formula.strip(),
                    ratio=bool(item.get("ratio", False)),
                    source=str(item.get("source", "")),
                    citation=str(item.get("citation", "")),
                )
            )
    if not raw.get("indicator"):
        problems.append(Problem("no [[indicator]] entries", file=str(path)))
    max_missing = raw.get("max_missing", 0.25)
    if not isinstance(max_missing, (int, float)) or not 0 <= max_missing < 1:
        problems.append(
            Problem("max_missing must be a number in [0, 1)", file=str(path), column="max_missing")
        )
    if problems:
        raise InvalidInput(problems)
    return System(tuple(out), float(max_missing), str(path))
