"""The dual-credit rule sets as versioned data (`rules/*.toml`, one per regulation version),
read into `RuleSet`s whose every parameter keeps its source and whether it is confirmed.

Every computation in this package asks its rule set for parameters through `RuleSet.param`,
which records each one in a `Trace`; so every figure can say which rule and which inputs made
it, and which of those rules are not yet confirmed from the primary text.
"""

from __future__ import annotations

import csv
import math
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from innochain.errors import InvalidInput

__all__ = [
    "RULES_DIR",
    "Param",
    "RuleSet",
    "Trace",
    "covered_years",
    "published_results",
    "published_summary",
    "rule_set_for",
    "rule_sets",
]

RULES_DIR = Path(__file__).with_name("rules")


@dataclass(frozen=True)
class Param:
    """One parameter of a rule set: its value and where it comes from."""

    path: str
    value: Any
    unit: str = ""
    source: str = ""
    url: str = ""
    confirmed: bool = False
    basis: str = ""
    note: str = ""

    @property
    def known(self) -> bool:
        """False for a number the data marks as not captured (`nan`)."""
        return not (isinstance(self.value, float) and math.isnan(self.value))

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "value": _plain(self.value),
            "unit": self.unit,
            "source": self.source,
            "url": self.url,
            "confirmed": self.confirmed,
            "basis": self.basis,
        }


def _plain(value: Any) -> Any:
    """JSON-safe: `nan` (not captured) as None, infinity as "inf", through rows and lists."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclass
class Trace:
    """The parameters a computation used, in order, once each; and the caveats it met."""

    params: dict[str, Param] = field(default_factory=dict)
    caveats: list[str] = field(default_factory=list)

    def use(self, param: Param) -> Param:
        self.params.setdefault(param.path, param)
        return param

    def caveat(self, text: str) -> None:
        if text not in self.caveats:
            self.caveats.append(text)

    def as_dict(self) -> dict[str, Any]:
        params = [p.as_dict() for p in self.params.values()]
        return {
            "rules": params,
            "unconfirmed": [p["path"] for p in params if not p["confirmed"]],
            "caveats": list(self.caveats),
        }


def _param(path: str, raw: Any) -> Param:
    """A cited parameter `{value, unit, source, url, confirmed, basis, note}`; a formula piece
    (a cited row without `value`) is its whole row; a bare number has no citation."""
    if not isinstance(raw, dict):
        return Param(path, raw)
    return Param(
        path,
        raw.get("value", raw),
        str(raw.get("unit", "")),
        str(raw.get("source", "")),
        str(raw.get("url", "")),
        bool(raw.get("confirmed", False)),
        str(raw.get("basis", "")),
        str(raw.get("note", "")),
    )


@dataclass(frozen=True)
class RuleSet:
    id: str
    title_zh: str
    title_en: str
    order: str
    years: tuple[int, int]
    url: str
    data: dict[str, Any]

    def _node(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(path)
            node = node[part]
        return node

    def has(self, path: str) -> bool:
        try:
            self._node(path)
        except KeyError:
            return False
        return True

    def param(self, path: str, trace: Trace) -> Param:
        """The parameter at a dotted path (`cafc.requirement.2024`), recorded in the trace."""
        try:
            return trace.use(_param(f"{self.id}:{path}", self._node(path)))
        except KeyError:
            raise InvalidInput.at(
                "year", f"the rule set {self.id} has no parameter {path!r}"
            ) from None

    def pieces(self, path: str, trace: Trace) -> list[Param]:
        """The rows of a piecewise table (a list of inline tables), each recorded."""
        rows = self._node(path)
        return [trace.use(_param(f"{self.id}:{path}[{k}]", row)) for k, row in enumerate(rows)]

    def summary(self) -> dict[str, Any]:
        flat: list[Param] = []

        def walk(prefix: str, node: Any) -> None:
            if isinstance(node, dict) and "value" in node:
                flat.append(_param(prefix, node))
            elif isinstance(node, dict):
                for key, child in node.items():
                    walk(f"{prefix}.{key}" if prefix else str(key), child)
            elif isinstance(node, list) and node and isinstance(node[0], dict):
                for k, row in enumerate(node):
                    flat.append(_param(f"{prefix}[{k}]", row))

        for key, child in self.data.items():
            if key not in ("ruleset", "schema_version"):
                walk(key, child)
        return {
            "id": self.id,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "order": self.order,
            "years": list(self.years),
            "url": self.url,
            "parameters": len(flat),
            "confirmed": sum(p.confirmed for p in flat),
            "not_captured": [p.path for p in flat if not p.known],
            "items": [p.as_dict() | {"note": p.note} for p in flat],
        }


@cache
def rule_sets() -> tuple[RuleSet, ...]:
    """Every rule set in `rules/`, oldest first."""
    found = []
    for path in sorted(RULES_DIR.glob("[0-9]*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        head = data["ruleset"]
        start, end = head["applies_to_years"]
        found.append(
            RuleSet(
                head["id"],
                head.get("title_zh", ""),
                head.get("title_en", ""),
                head.get("order", ""),
                (int(start), int(end)),
                head.get("url", ""),
                data,
            )
        )
    return tuple(sorted(found, key=lambda r: r.years))


def rule_set_for(year: int) -> RuleSet:
    """The rule set in force for an accounting year; a year outside all of them is an error
    naming the years covered."""
    for rules in rule_sets():
        if rules.years[0] <= year <= rules.years[1]:
            return rules
    covered = ", ".join(f"{r.years[0]}–{r.years[1]} ({r.id})" for r in rule_sets())
    raise InvalidInput.at("year", f"{year} is outside every rule set: {covered}")


def covered_years() -> list[int]:
    """Every accounting year some rule set covers, in order."""
    return [y for r in rule_sets() for y in range(r.years[0], r.years[1] + 1)]


def published_results(year: int | None = None) -> list[dict[str, str]]:
    """The ministry's published annual results (`rules/published.csv`), optionally of a year."""
    text = (RULES_DIR / "published.csv").read_text(encoding="utf-8")
    return [r for r in csv.DictReader(text.splitlines()) if year is None or r["year"] == str(year)]


#: the published totals are in 万分 to one or two decimals: sums agree to this many credits
TOTALS_TOLERANCE = 1000
_GROUPS = ("all", "domestic", "importers")


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def published_summary(
    year: int | None = None, *, rows: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The published results read as the ministry presents them: per year the industry totals
    of all makers, domestic makers and importers (positive and negative CAFC and NEV credits,
    average actual CAFC), whether domestic + importers = all within the publication's
    rounding, and the named companies' figures grouped by company. `rows` (rows of
    `published.csv`) defaults to the bundled file."""
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    companies: dict[str, list[dict[str, Any]]] = {}
    for r in published_results(year) if rows is None else rows:
        label = r["company_en"]
        if label.startswith("industry total ("):
            group = label.removeprefix("industry total (").rstrip(")")
            entry = totals.setdefault(
                (r["year"], group),
                {"year": int(r["year"]), "group": group, "name_zh": r["company_zh"],
                 "sources": []},
            )  # fmt: skip
            cafc, nev = _number(r["cafc_credit"]), _number(r["nev_credit"])
            side = "negative" if (cafc or 0) < 0 or (nev or 0) < 0 else "positive"
            entry[f"cafc_{side}"] = cafc
            entry[f"nev_{side}"] = nev
            if side == "positive":
                entry["cafc_actual"] = _number(r["cafc_actual"])
            if r["source_url"] not in entry["sources"]:
                entry["sources"].append(r["source_url"])
            continue
        name = r["company_zh"] or label
        companies.setdefault(name, []).append(
            {
                "year": int(r["year"]),
                "company_zh": r["company_zh"],
                "company_en": label,
                "cafc_credit": _number(r["cafc_credit"]),
                "nev_credit": _number(r["nev_credit"]),
                "cafc_actual": _number(r["cafc_actual"]),
                "cafc_target": _number(r["cafc_target"]),
                "preliminary": "PRELIMINARY" in r["note"],
                "source_url": r["source_url"],
                "note": r["note"],
            }
        )
    years = sorted({y for y, _ in totals})
    checks = []
    for y in years:
        if not all((y, g) in totals for g in _GROUPS):
            continue
        whole, dom, imp = (totals[(y, g)] for g in _GROUPS)
        gaps = {}
        for key in ("cafc_positive", "cafc_negative", "nev_positive", "nev_negative"):
            if whole.get(key) is None:
                continue
            gaps[key] = round(whole[key] - (dom.get(key) or 0) - (imp.get(key) or 0))
        checks.append(
            {
                "year": int(y),
                "differences": gaps,
                "adds_up": all(abs(v) <= TOTALS_TOLERANCE for v in gaps.values()),
            }
        )
    return {
        "totals": [totals[k] for k in sorted(totals, key=lambda k: (k[0], _GROUPS.index(k[1])))],
        "checks": checks,
        "tolerance": TOTALS_TOLERANCE,
        "companies": [
            {"company": name, "results": sorted(rows, key=lambda x: x["year"])}
            for name, rows in sorted(companies.items())
        ],
    }
