"""Indicator system, growth stage, innovation mode and archetype; the bundled firms' reports;
the user's own matrix file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from innochain.assess.ability import firm_report, rank_peers
from innochain.assess.firms import load_firms
from innochain.assess.indicators import load_system
from innochain.assess.matrix_file import read_matrix
from innochain.assess.strategy import (
    MODE_TABLE,
    STAGES,
    TIERS,
    ability_tier,
    archetype,
    growth_stage,
    recommend_mode,
)
from innochain.errors import InvalidInput

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "cash,stage",
    [
        # Dickinson (2011), Table 1: (operating, investing, financing)
        ((-1, -1, 1), "introduction"),
        ((1, -1, 1), "growth"),
        ((1, -1, -1), "maturity"),
        ((-1, -1, -1), "shake_out_decline"),
        ((1, 1, 1), "shake_out_decline"),
        ((1, 1, -1), "shake_out_decline"),
        ((-1, 1, 1), "shake_out_decline"),
        ((-1, 1, -1), "shake_out_decline"),
    ],
)
def test_cash_flow_patterns(cash: tuple[float, float, float], stage: str) -> None:
    assert growth_stage(year=2024, cash=cash, revenue_growth=None)["stage"] == stage


def test_revenue_growth_fallback_and_young_firms() -> None:
    none = (None, None, None)
    assert growth_stage(year=2024, cash=none, revenue_growth=0.3)["stage"] == "growth"
    assert growth_stage(year=2024, cash=none, revenue_growth=0.3, founded=2021)["stage"] == (
        "introduction"
    )
    assert growth_stage(year=2024, cash=none, revenue_growth=0.05)["stage"] == "maturity"
    assert growth_stage(year=2024, cash=none, revenue_growth=-0.1)["stage"] == "shake_out_decline"
    assert growth_stage(year=2024, cash=none, revenue_growth=None)["stage"] is None


def test_every_tier_and_stage_has_a_mode_with_a_reason_and_a_source() -> None:
    for tier in TIERS:
        for stage in STAGES:
            mode, why, source = MODE_TABLE[(tier, stage)]
            assert mode and len(why) > 20 and "(" in source
    assert recommend_mode("catching_up", "introduction")["mode"] == "imitation"
    assert recommend_mode("leading", "growth")["name_zh"] == "原始创新"
    assert recommend_mode("strong", None)["mode"] is None


def test_tiers_and_archetypes() -> None:
    assert [ability_tier(r, 5) for r in range(1, 6)] == [
        "leading",
        "strong",
        "developing",
        "developing",
        "catching_up",
    ]
    assert archetype(0.12)["archetype"] == "science_based"
    assert archetype(0.01, 0.08)["archetype"] == "customer_focused"
    assert archetype(0.01)["archetype"] == "efficiency_driven"


def test_the_default_system_loads_and_a_bad_one_names_every_problem(tmp_path: Path) -> None:
    system = load_system()
    assert {i.dimension for i in system.indicators} == {
        "input",
        "output",
        "collaboration",
        "market",
    }
    assert all(i.citation for i in system.indicators)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[indicator]]\nid = "x"\nname_en = "X"\ndimension = "mood"\ndirection = "up"\n'
        'formula = "happiness / revenue"\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        load_system(bad)
    columns = {p.column for p in caught.value.problems}
    assert columns == {"dimension", "direction", "formula"}


def test_a_matrix_file_is_checked_like_an_import(tmp_path: Path) -> None:
    good = tmp_path / "m.csv"
    good.write_text("name,cost,quality\ndirection,cost,benefit\nA,10,7\nB,12,9\n", encoding="utf-8")
    data = read_matrix(good)
    assert data.alternatives == ["A", "B"] and data.directions is not None
    assert data.directions.tolist() == [-1, 1]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,cost,quality\nA,ten,7\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_matrix(bad)
    messages = [str(p) for p in caught.value.problems]
    assert f"{bad}:2:cost: 'ten' is not a number" in messages
    assert any("direction" in m for m in messages)
    assert any("fewer than two alternatives" in m for m in messages)


@pytest.mark.integration
def test_bundled_rankings_and_reports(loaded_session: Session) -> None:
    data, system = load_firms(loaded_session), load_system()
    suppliers = rank_peers(data, system, peers="supplier", year=2023)
    assert suppliers["firms"][0]["organization_id"] == "catl"  # by far the most ties and R&D
    assert any("left out" in note for note in suppliers["notes"])  # patents: not published
    assert abs(sum(i["weight"] for i in suppliers["indicators"]) - 1) < 1e-5  # 6 decimals
    report = firm_report(data, system, "byd")
    assert report["tier"] == "leading" and report["peers"] == "oem"
    # BYD's 2024 cash flows in the bundled data: operating +133,500, investing -129,100,
    # financing -9,900 CNY m, which is Dickinson's (2011) maturity pattern (+, -, -); a leading
    # firm in maturity is advised collaborative/open innovation by the rule table
    assert report["stage"]["basis"] == "cash_flow" and report["stage"]["stage"] == "maturity"
    assert report["stage"]["year"] == 2024
    assert report["mode"]["mode"] == "collaborative_open"
    assert all(0 <= r["value"] <= 1 for r in report["radar"])
    assert report["figures"]["revenue"]["source_url"].startswith("http")
    with pytest.raises(InvalidInput):
        rank_peers(data, system, peers="oem", year=1990)
