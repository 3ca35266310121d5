"""`innochain data check`: the dataset's own quality bar, beyond what an import validates.

Checks: schema and references (as an import would, into a scratch database), every fact row
sourced and every source used, the same organisation under two ids (names or aliases shared
in either script), numeric sanity (years not in the future, shares of one total <= 100 %),
and required coverage counts.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from innochain.data.bundled import BUNDLED
from innochain.errors import Problem
from innochain.registry.formats import read_path
from innochain.registry.importer import validate_tables
from innochain.store.db import make_engine, make_sessionmaker
from innochain.store.migrate import upgrade

__all__ = ["MINIMUM_COUNTS", "CheckReport", "check_dataset"]

#: coverage the bundled dataset promises (issues 3 and 6); a smaller custom dataset may pass
#: minimums={}
MINIMUM_COUNTS = {
    "chain_nodes": 80,
    "organizations": 250,
    "capabilities": 600,
    "relations": 300,
    "consortia": 5,
}


@dataclass(frozen=True)
class CheckReport:
    counts: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_dataset(
    path: Path = BUNDLED, *, minimums: dict[str, int] | None = None, today: date | None = None
) -> CheckReport:
    """Check a dataset folder; problems fail the check, warnings do not.

    `minimums` defaults to the coverage the bundled dataset promises (`MINIMUM_COUNTS`);
    `today` bounds years and dates (default: the real today).
    """
    today = today or date.today()
    minimums = MINIMUM_COUNTS if minimums is None else minimums
    tables = read_path(path)
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'check.sqlite3'}")
        upgrade(engine)
        with make_sessionmaker(engine)() as session:
            parsed, problems = validate_tables(session, tables)
        engine.dispose()
    warnings: list[Problem] = []
    records = {entity: [i.record for i in items] for entity, items in parsed.items()}
    located = {entity: items for entity, items in parsed.items()}
    counts = {entity: len(items) for entity, items in records.items()}

    # every source used, every used source listed (listing is enforced by references)
    used = {
        getattr(r, "source_url", None)
        for entity, rows in records.items()
        if entity != "sources"
        for r in rows
    }
    for item in located.get("sources", []):
        if item.record.key() not in used:
            warnings.append(Problem("source is not cited by any row", item.file, item.row, "url"))
        if getattr(item.record, "accessed", None) and item.record.accessed > today:  # type: ignore[attr-defined]
            problems.append(
                Problem("accessed date is in the future", item.file, item.row, "accessed")
            )

    # the same organisation under two ids
    names: dict[str, set[str]] = defaultdict(set)
    org_at: dict[str, tuple[str, int]] = {}
    for item in located.get("organizations", []):
        org = item.record
        org_at[org.key()] = (item.file, item.row)
        for name in {org.name_en, org.name_zh, *org.aliases}:  # type: ignore[attr-defined]
            names[name.strip().lower()].add(org.key())
    for name, ids in sorted(names.items()):
        if len(ids) > 1:
            first = sorted(ids)[0]
            file, row = org_at[first]
            problems.append(
                Problem(f"name or alias {name!r} is shared by {', '.join(sorted(ids))}", file, row)
            )

    # a symmetric tie (joint venture, alliance, joint lab) recorded twice: same pair and type,
    # either direction, same year or a year unknown (separate agreements in other years are fine)
    symmetric = {"joint_venture", "strategic_alliance", "joint_lab"}
    ties: dict[tuple[str, str, str], list[tuple[int | None, str, int]]] = defaultdict(list)
    for item in located.get("relations", []):
        rel = item.record
        kind = rel.type.value  # type: ignore[attr-defined]
        if kind not in symmetric:
            continue
        a, b = sorted((rel.source_id, rel.target_id))  # type: ignore[attr-defined]
        year = rel.year  # type: ignore[attr-defined]
        for other_year, file, row in ties[(a, b, kind)]:
            if year is None or other_year is None or year == other_year:
                problems.append(
                    Problem(
                        f"the {kind} of {a} and {b} is already recorded at {file}:{row}",
                        item.file,
                        item.row,
                    )
                )
                break
        ties[(a, b, kind)].append((year, item.file, item.row))

    # coverage: a leaf of the chain taxonomy without any organisation
    used_nodes = {n for o in records.get("organizations", []) for n in o.chain_node_ids}  # type: ignore[attr-defined]
    parents = {getattr(i.record, "parent_id", None) for i in located.get("chain_nodes", [])}
    for item in located.get("chain_nodes", []):
        key = item.record.key()
        if key not in parents and key not in used_nodes:
            warnings.append(
                Problem("no organisation is active in this chain node", item.file, item.row, "id")
            )

    # numeric sanity
    for entity, column in (
        ("organizations", "founded"),
        ("relations", "year"),
        ("investments", "year"),
    ):
        for item in located.get(entity, []):
            value = getattr(item.record, column)
            if value is not None and value > today.year:
                problems.append(
                    Problem(f"{column} {value} is in the future", item.file, item.row, column)
                )
    series = {r.key(): r for r in records.get("series", [])}
    share_totals: dict[tuple[str, str, str], float] = defaultdict(float)
    for item in located.get("observations", []):
        obs = item.record
        unit = series[obs.series_id].unit  # type: ignore[attr-defined]
        if int(obs.period[:4]) > today.year:  # type: ignore[attr-defined]
            problems.append(Problem("period is in the future", item.file, item.row, "period"))
        if unit == "percent":
            if not 0 <= obs.value <= 100:  # type: ignore[attr-defined]
                problems.append(Problem("a percentage must be 0-100", item.file, item.row, "value"))
            s = series[obs.series_id]  # type: ignore[attr-defined]
            if s.organization_id:  # type: ignore[attr-defined]
                share_totals[(s.metric, s.region, obs.period)] += obs.value  # type: ignore[attr-defined]
    for (metric, region, period), total in sorted(share_totals.items()):
        if total > 100.5:  # published shares are rounded
            problems.append(
                Problem(
                    f"shares of {metric} in {region} for {period} sum to {total:.1f} % (> 100 %)"
                )
            )
    for entity, minimum in minimums.items():
        if counts.get(entity, 0) < minimum:
            problems.append(
                Problem(
                    f"{entity}: {counts.get(entity, 0)} rows, the dataset promises >= {minimum}"
                )
            )
    return CheckReport(counts=counts, problems=problems, warnings=warnings)
