from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from innochain.data import BUNDLED, check_dataset
from innochain.data.check import MINIMUM_COUNTS
from tests.factories import ORGANIZATIONS, write_csv, write_seed

pytestmark = pytest.mark.integration


def test_bundled_dataset_passes_the_check() -> None:
    report = check_dataset(BUNDLED)
    assert [str(p) for p in report.problems] == []
    for entity, minimum in MINIMUM_COUNTS.items():
        assert report.counts[entity] >= minimum


def test_seed_passes_without_minimums(tmp_path: Path) -> None:
    report = check_dataset(write_seed(tmp_path / "seed"), minimums={})
    assert report.problems == []
    assert report.counts["organizations"] == 3


def test_same_firm_under_two_ids_is_caught(tmp_path: Path) -> None:
    seed = write_seed(tmp_path / "seed")
    twin = dict(ORGANIZATIONS[0]) | {"id": "ningde-era", "name_en": "Ningde Era", "aliases": ""}
    write_csv(seed / "organizations" / "seed.csv", "organizations", [*ORGANIZATIONS, twin])
    problems = [str(p) for p in check_dataset(seed, minimums={}).problems]
    assert len(problems) == 1
    assert "'宁德时代' is shared by catl, ningde-era" in problems[0]


def test_future_years_and_short_coverage_are_caught(tmp_path: Path) -> None:
    seed = write_seed(tmp_path / "seed")
    report = check_dataset(seed, minimums={"organizations": 4}, today=date(2005, 1, 1))
    reasons = sorted(p.reason for p in report.problems)
    assert reasons == [
        "founded 2011 is in the future",
        "organizations: 3 rows, the dataset promises >= 4",
    ]


def test_unused_source_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    seed = write_seed(tmp_path / "seed")
    shutil.rmtree(seed / "organizations")
    report = check_dataset(seed, minimums={})
    assert report.ok
    unused = [w for w in report.warnings if w.column == "url"]
    assert [w.reason for w in unused] == ["source is not cited by any row"] * 3


def test_symmetric_tie_recorded_both_ways_is_caught(tmp_path: Path) -> None:
    from tests.factories import WIKI_BYD

    seed = write_seed(tmp_path / "seed")
    tie = {"type": "strategic_alliance", "year": "2021", "source_url": WIKI_BYD}
    write_csv(
        seed / "relations" / "seed.csv",
        "relations",
        [
            {"source_id": "byd", "target_id": "catl", **tie},
            {"source_id": "catl", "target_id": "byd", **tie},
            # a separate agreement in another year is not a duplicate
            {
                "source_id": "catl",
                "target_id": "byd",
                **tie,
                "year": "2023",
                "domain_id": "lithium-ion-cells",
            },
        ],
    )
    problems = check_dataset(seed, minimums={}).problems
    assert [(p.row, p.reason.split(" is already")[0]) for p in problems] == [
        (3, "the strategic_alliance of byd and catl"),
    ]


def test_chain_leaf_without_organisations_is_a_warning(tmp_path: Path) -> None:
    seed = write_seed(tmp_path / "seed")
    rows = [dict(o) for o in ORGANIZATIONS]
    for row in rows:
        row["chain_node_ids"] = "battery-cells"  # nobody is in bev any more
    write_csv(seed / "organizations" / "seed.csv", "organizations", rows)
    report = check_dataset(seed, minimums={})
    assert report.ok
    assert [(w.reason, w.column) for w in report.warnings] == [
        ("no organisation is active in this chain node", "id")
    ]
