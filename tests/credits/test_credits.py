"""The dual-credit engine against the cited worked examples in `rules/examples.toml`, boundary
cases, invariants, bad input and the published totals."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import pytest

from innochain.credits import company_account, move_volume, plan, settle, validate_fleet
from innochain.credits.account import cafc_credit
from innochain.credits.fleet import Model, read_fleet
from innochain.credits.rules import (
    RULES_DIR,
    published_results,
    published_summary,
    rule_set_for,
    rule_sets,
)
from innochain.errors import InvalidInput

pytestmark = pytest.mark.unit

EXAMPLES = {e["id"]: e for e in tomllib.loads((RULES_DIR / "examples.toml").read_text())["example"]}


def _model(**fields: object) -> Model:
    base: dict[str, object] = {
        "model_id": "m",
        "powertrain": "ice",
        "curb_mass_kg": 1500,
        "volume": 1000,
        "fuel_consumption_l100": 6.0,
    }
    return Model.model_validate(base | fields)


def test_every_rule_set_parameter_is_sourced() -> None:
    for rules in rule_sets():
        summary = rule_set_for(rules.years[0]).summary()
        assert summary["parameters"] > 50
        for item in summary["items"]:
            assert item["source"], item["path"]  # cited, even when not confirmed
    years = [y for r in rule_sets() for y in range(r.years[0], r.years[1] + 1)]
    assert years == list(range(2016, 2026))  # no gap, no overlap


@pytest.mark.parametrize(
    "example_id",
    [
        "cafc-2023-tesla-compliance-value",
        "cafc-2023-chery-compliance-value",
    ],
)
def test_compliance_values_published_by_miit(example_id: str) -> None:
    example = EXAMPLES[example_id]
    mass = example["inputs"]["average_curb_mass_kg"]
    account = company_account([_model(curb_mass_kg=mass)], example["year"])
    assert account["cafc"]["requirement_percent"] == example["inputs"]["requirement_percent"]
    expected = example["result"]["compliance_value_l_per_100km"]
    assert account["cafc"]["compliance_value"] == pytest.approx(expected, abs=example["tolerance"])


def test_cafc_credit_arithmetic_of_brilliance_bmw() -> None:
    """(5.73 − 4.84) × 491,572 = 437,499: a fleet whose compliance value is 5.73 (the target
    piece of GB 27999-2019 at 1,848 kg, ×1.15 in 2023) and whose actual CAFC is 4.84."""
    example = EXAMPLES["cafc-credit-brilliance-bmw"]
    volume = example["inputs"]["volume"]
    # solve the mass for target × 1.15 = 5.73: 0.0018 (m − 1415) + 4.60 = 4.983 → m ≈ 1627.6
    account = company_account(
        [_model(curb_mass_kg=1627.6, volume=volume, fuel_consumption_l100=4.84)], 2023
    )
    assert account["cafc"]["compliance_value"] == 5.73 and account["cafc"]["actual"] == 4.84
    assert account["cafc"]["credit"] == example["result"]["cafc_credit"]


def test_cafc_credit_formula_reproduces_miit_2018_table() -> None:
    """Art. 8 on the ministry's own figures: three rows of the 2018 table, to the credit."""
    example = EXAMPLES["cafc-credit-2018-miit-table"]
    inputs = example["inputs"]
    got = [
        cafc_credit(c, a, v)
        for c, a, v in zip(
            inputs["compliance_value_l_per_100km"],
            inputs["actual_cafc_l_per_100km"],
            inputs["volume"],
            strict=True,
        )
    ]
    assert got == example["result"]["cafc_credit"]
    assert (
        company_account([_model()], 2017)["cafc"]["requirement_percent"]
        == (EXAMPLES["cafc-requirement-2017"]["result"]["requirement_percent"])
    )


def _bev_credit(year: int, reach: float) -> float:
    bev = _model(powertrain="bev", electric_range_km=reach, fuel_consumption_l100=None)
    return float(company_account([bev], year)["models"][0]["nev_credit_per_vehicle"])


@pytest.mark.parametrize("example_id", ["nev-bev-2024-500km", "nev-bev-bands-2020-vs-2024"])
def test_bev_standard_credits_of_order_64_as_published(example_id: str) -> None:
    example = EXAMPLES[example_id]
    ranges, expected = example["inputs"]["electric_range_km"], example["result"]["standard_credit"]
    got = [_bev_credit(example["year"], r) for r in ranges]
    assert got == pytest.approx(expected, abs=example["tolerance"])
    if "range_2020_km" in example["inputs"]:  # the old rule's cap, reached at 536 km
        old = _bev_credit(2022, example["inputs"]["range_2020_km"])
        assert old == pytest.approx(example["result"]["standard_credit_2020"], abs=0.01)


def test_from_2024_carried_nev_credits_also_offset_a_cafc_deficit() -> None:
    """Order 64 art. 26(3): own NEV credits carried forward (结转) may offset a CAFC deficit;
    under Order 53 only the year's own NEV credits could."""
    thirsty = [_model(fuel_consumption_l100=9.0, volume=10_000)]
    for year, offsets in ((2023, False), (2024, True)):
        account = company_account(thirsty, year)
        nev_gap = -account["nev"]["balance"]
        settled = settle(account, carried_nev=nev_gap + 5_000)
        cafc_sources = [s["source"] for s in settled["steps"] if s["offsets"] == "cafc"]
        assert ("own NEV credits carried forward" in cafc_sources) is offsets
        assert settled["nev_after"] == 0  # the NEV deficit is met first, either way
        improved = settled["cafc_after"] > account["cafc"]["credit"]
        assert improved is offsets


def test_2018_requirement_and_the_nev_share_illustration() -> None:
    assert company_account([_model()], 2018)["cafc"]["requirement_percent"] == 120
    # ICCT: at 3 credits per NEV the 12 % ratio of 2020 needs NEVs of 4 % of conventional
    ratio = company_account([_model(volume=100_000)], 2020)["nev"]["required"] / 100_000
    assert ratio / 3 * 100 == pytest.approx(
        EXAMPLES["nev-share-at-3-credits-2020"]["result"]["nev_share_percent_approx"], abs=0.5
    )


@pytest.mark.parametrize(
    "mass,target",
    [
        (1090, 4.02),
        (1090.5, round(0.0018 * (1090.5 - 1415) + 4.60, 3)),
        (2510, 6.571),
        (2511, 6.57),
        (800, 4.02),
    ],
)
def test_gb27999_2019_mass_edges(mass: float, target: float) -> None:
    account = company_account([_model(curb_mass_kg=mass)], 2022)
    assert account["models"][0]["target_l100"] == pytest.approx(target, abs=1e-3)


def test_three_rows_raise_the_target_and_phev_low_consumption_counts() -> None:
    two = company_account([_model(seat_rows=2)], 2022)["models"][0]["target_l100"]
    three = company_account([_model(seat_rows=3)], 2022)["models"][0]["target_l100"]
    assert three == pytest.approx(two + 0.2)
    low = company_account([_model(fuel_consumption_l100=3.0, volume=40_000)], 2022)
    high = company_account([_model(fuel_consumption_l100=9.0, volume=40_000)], 2022)
    # a low-fuel-consumption car counts 0.3 towards the NEV requirement in 2022
    assert low["nev"]["required"] == pytest.approx(high["nev"]["required"] * 0.3)
    phev = _model(model_id="p", powertrain="phev", electric_range_km=80, fuel_consumption_l100=5)
    short = _model(model_id="s", powertrain="phev", electric_range_km=40, fuel_consumption_l100=5)
    rows = company_account([phev, short], 2022)["models"]
    assert [r["nev_credit_per_vehicle"] for r in rows] == [1.6, 0.0]  # 50 km minimum


def test_invariants_aggregation_and_one_way_offsetting() -> None:
    a = [_model(model_id="a", volume=50_000)]
    b = [
        _model(
            model_id="b",
            powertrain="bev",
            electric_range_km=400,
            fuel_consumption_l100=None,
            energy_consumption_kwh100=13,
            volume=8_000,
        )
    ]
    both = company_account(a + b, 2022)
    assert both["nev"]["earned"] == pytest.approx(
        company_account(a, 2022)["nev"]["earned"] + company_account(b, 2022)["nev"]["earned"]
    )
    # a CAFC surplus never offsets a NEV deficit
    thrifty = company_account([_model(volume=50_000, fuel_consumption_l100=3.0)], 2022)
    assert thrifty["cafc"]["credit"] > 0 and thrifty["nev"]["balance"] < 0
    settled = settle(thrifty)
    assert settled["nev_after"] == thrifty["nev"]["balance"] and not settled["compliant"]
    # while a NEV surplus does offset a CAFC deficit, one to one
    thirsty = company_account([_model(volume=40_000, fuel_consumption_l100=9.0), *b], 2022)
    done = settle(thirsty)
    assert thirsty["cafc"]["credit"] < 0 and done["cafc_after"] >= min(
        0, thirsty["cafc"]["credit"] + thirsty["nev"]["balance"]
    )
    assert [s["source"] for s in done["steps"]] == ["own NEV surplus"]


def test_plan_finds_the_fewest_nevs_and_moving_volume_helps() -> None:
    fleet = [
        _model(model_id="suv", volume=60_000, fuel_consumption_l100=8.0),
        _model(
            model_id="ev",
            powertrain="bev",
            electric_range_km=400,
            fuel_consumption_l100=None,
            energy_consumption_kwh100=13,
            volume=100,
        ),
    ]
    result = plan(fleet, 2023, nev_model="ev")
    extra = result["extra_nev_volume"]
    assert result["credits_to_buy"] > 0 and extra > 0
    one_less = plan([fleet[0], fleet[1].model_copy(update={"volume": 100 + extra - 1})], 2023)
    assert one_less["credits_to_buy"] > 0  # the fewest: one fewer still falls short
    moved = move_volume(fleet, 2023, source="suv", target="ev", volume=1_000)
    assert moved["nev_balance"]["change"] > 0 and moved["cafc_credit"]["change"] > 0


@pytest.mark.parametrize(
    "row,field",
    [
        ({"powertrain": "steam"}, "powertrain"),
        ({"curb_mass_kg": ""}, "curb_mass_kg"),
        ({"volume": "-5"}, "volume"),
        ({"fuel_consumption_l100": ""}, "fuel_consumption_l100"),
    ],
)
def test_bad_fleet_rows_name_row_and_field(row: dict[str, str], field: str) -> None:
    base = {
        "model_id": "x",
        "powertrain": "ice",
        "curb_mass_kg": "1500",
        "volume": "10",
        "fuel_consumption_l100": "6",
    }
    with pytest.raises(InvalidInput) as caught:
        validate_fleet([base | row], file="fleet.csv")
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("fleet.csv", 2, field)


def test_duplicates_and_years_outside_every_rule_set(tmp_path: Path) -> None:
    path = tmp_path / "fleet.csv"
    path.write_text(
        "model_id,powertrain,curb_mass_kg,volume,fuel_consumption_l100\n"
        "a,ice,1500,10,6\na,ice,1600,10,6\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match=r"fleet.csv:3:model_id: model_id 'a' also on row 2"):
        read_fleet(path)
    with pytest.raises(InvalidInput, match="2015 is outside every rule set"):
        company_account([_model()], 2015)


def test_not_captured_rules_stop_the_figure_unless_assumed() -> None:
    phev = _model(powertrain="phev", electric_range_km=80, fuel_consumption_l100=5)
    account = company_account([phev], 2024)
    assert account["nev"]["earned"] is None and account["nev"]["not_computable"]
    assumed = company_account([phev], 2024, assume={"nev.credits.phev.standard": 1.6})
    assert assumed["nev"]["earned"] == 1600
    assert any("assumed 1.6" in c for c in assumed["trace"]["caveats"])
    assert assumed["trace"]["unconfirmed"]  # said, not hidden


def test_published_totals_add_up() -> None:
    """MIIT's annual totals: domestic makers plus importers equal the total (the issue's
    aggregation invariant), for every year both are published."""
    text = (RULES_DIR / "published.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    for name in ("aggregation-2020", "aggregation-2022", "aggregation-2023"):
        example = EXAMPLES[name]
        domestic, importers = example["inputs"]["domestic"], example["inputs"]["importers"]
        year = int(name[-4:])
        totals = [r for r in rows if r["year"] == str(year) and "total (all)" in r["company_en"]]
        positive = max(float(r["cafc_credit"]) for r in totals if r["cafc_credit"])
        assert positive == pytest.approx(domestic["cafc_pos"] + importers["cafc_pos"], abs=100)


def test_published_summary_checks_the_totals_and_groups_the_companies() -> None:
    summary = published_summary()
    assert [c["year"] for c in summary["checks"]] == list(range(2016, 2024))
    assert all(c["adds_up"] for c in summary["checks"])
    # 经济观察网 (2024-07-11): the two BYD companies together earned 1,463.98万 CAFC and
    # 769.19万 NEV credits in 2023
    byd = [
        r
        for c in summary["companies"]
        if c["company"].startswith("比亚迪")
        for r in c["results"]
        if r["year"] == 2023
    ]
    assert sum(r["cafc_credit"] for r in byd) == 14_639_800
    assert sum(r["nev_credit"] for r in byd) == 7_691_900
    for company in summary["companies"]:
        years = [r["year"] for r in company["results"]]
        assert years == sorted(years)
    # a domestic total off by 5,000 credits is reported, not smoothed over
    rows = published_results(2022)
    for r in rows:
        if r["company_en"] == "industry total (domestic)" and float(r["cafc_credit"]) > 0:
            r["cafc_credit"] = str(float(r["cafc_credit"]) + 5000)
    tampered = published_summary(rows=rows)["checks"]
    assert tampered == [
        {
            "year": 2022,
            "differences": {
                "cafc_positive": -5000,
                "cafc_negative": 0,
                "nev_positive": 0,
                "nev_negative": 0,
            },
            "adds_up": False,
        }
    ]
