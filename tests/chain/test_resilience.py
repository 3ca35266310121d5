"""Resilience scenarios: the array cascade against a plain-Python fixpoint on random networks,
hand-made chains with known answers, bad input, and a bundled scenario an analyst can read."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sqlalchemy.orm import Session

from innochain.chain import load_chain
from innochain.chain.model import Ability, Chain, Node, Org, Tie
from innochain.chain.resilience import cascade_tiers, resilience
from innochain.errors import InvalidInput

pytestmark = pytest.mark.unit


def _fixpoint(n: int, edges: list[tuple[int, int, int]], removed: set[int]) -> list[int]:
    """The rule written the slow, obvious way: a firm fails one step after the last supplier
    of some system it buys failed (the earliest such system); repeat until nothing changes."""
    buys: dict[tuple[int, int], set[int]] = {}
    for s, c, k in edges:
        buys.setdefault((c, k), set()).add(s)
    tiers = [0 if k in removed else -1 for k in range(n)]
    changed = True
    while changed:
        changed = False
        for (c, _), suppliers in buys.items():
            if c in removed or any(tiers[s] < 0 for s in suppliers):
                continue
            tier = max(tiers[s] for s in suppliers) + 1
            if tiers[c] < 0 or tier < tiers[c]:
                tiers[c] = tier
                changed = True
    return tiers


@pytest.mark.parametrize("seed", range(25))
def test_cascade_matches_the_plain_fixpoint(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(5, 40)
    edges = [
        (rng.randrange(n), rng.randrange(n), rng.randrange(3)) for _ in range(rng.randint(0, 80))
    ]
    edges = [(s, c, k) for s, c, k in edges if s != c]
    removed = set(rng.sample(range(n), rng.randint(1, 3)))
    array = np.array(edges, dtype=np.int64).reshape(-1, 3)
    tiers = cascade_tiers(n, array[:, 0], array[:, 1], array[:, 2], np.array(sorted(removed)))
    expected = _fixpoint(n, edges, removed)
    assert tiers.tolist() == expected


NODES = {
    "battery": Node("battery", None, "midstream", "Power batteries", "动力电池"),
    "cells": Node("cells", "battery", "midstream", "Cells", "电芯"),
    "materials": Node("materials", None, "upstream", "Materials", "材料"),
    "cars": Node("cars", None, "downstream", "Cars", "整车"),
}


def _chain() -> Chain:
    orgs = {
        "lith": Org("lith", "Lithium Co", "", "supplier", "AU", nodes=("materials",)),
        "cell": Org("cell", "Cell Co", "", "supplier", "CN", nodes=("cells",)),
        "cell2": Org("cell2", "Cell Two", "", "supplier", "KR", nodes=("cells",)),
        "spare": Org("spare", "Spare Cells", "", "supplier", "CN", nodes=("cells",)),
        "oem": Org("oem", "Car A", "", "automaker", "CN", nodes=("cars",)),
        "oem2": Org("oem2", "Car B", "", "automaker", "CN", nodes=("cars",)),
    }
    ties = [
        Tie("lith", "cell", "supplies"),  # the cell maker's only material source
        Tie("cell", "oem", "supplies"),  # car A's only battery source
        Tie("cell", "oem2", "supplies"),
        Tie("cell2", "oem2", "supplies"),  # car B has a second source
    ]
    return Chain(orgs, NODES, ties, abilities=[Ability("spare", "d", 8, ("cells",))])


def test_removing_a_raw_material_supplier_reaches_the_car_maker_at_tier_two() -> None:
    result = resilience(_chain(), countries=["AU"])
    assert result["failed_by_tier"] == {"1": ["cell"], "2": ["oem"]}
    [car] = [a for a in result["affected"] if a["organization_id"] == "oem"]
    [lost] = car["lost"]
    assert (lost["node"], lost["tier"], lost["lost_suppliers"]) == ("battery", 2, ["cell"])
    # the spare cell maker (TRL 8, domestic) comes first, then the Korean one
    assert [x["organization_id"] for x in lost["alternatives"]] == ["spare", "cell2"]
    assert "oem2" not in {a["organization_id"] for a in result["affected"]}  # second source
    assert result["automakers_affected"] == 1 and result["depth"] == 2
    assert result["before"]["supply_ties"] == 4 and result["after"]["supply_ties"] == 1


def test_without_cascade_only_direct_customers_lose_supply() -> None:
    result = resilience(_chain(), countries=["AU"], cascade=False)
    assert [a["organization_id"] for a in result["affected"]] == ["cell"]


@pytest.mark.parametrize(
    "kwargs,column",
    [
        ({}, "remove"),
        ({"remove": ["nobody"]}, "remove.0"),
        ({"nodes": ["warp-drives"]}, "node.0"),
        ({"countries": ["ZZ"]}, "country.0"),
    ],
)
def test_bad_scenarios_name_the_field(kwargs: dict[str, list[str]], column: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        resilience(_chain(), **kwargs)
    assert caught.value.problems[0].column == column


@pytest.mark.integration
def test_bundled_catl_outage(loaded_session: Session) -> None:
    result = resilience(load_chain(loaded_session), remove=["catl"])
    lost = {a["organization_id"]: a["lost"] for a in result["affected"] if a["kind"] == "automaker"}
    # makers whose only recorded battery supplier is CATL lose power batteries at tier 1
    assert "zeekr" in lost
    battery = next(entry for entry in lost["zeekr"] if entry["node"] == "power-battery")
    assert battery["tier"] == 1 and battery["lost_suppliers"] == ["catl"]
    alternatives = {x["organization_id"] for x in battery["alternatives"]}
    assert alternatives & {"byd", "findreams-battery", "calb", "gotion", "eve-energy", "svolt"}
    assert "catl" not in alternatives
