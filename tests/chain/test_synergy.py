"""Synergy of the innovation and industrial sides, node by node, on a hand-built chain."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.orm import Session

from innochain.chain import load_chain
from innochain.chain.model import Chain, Node, Org, Tie
from innochain.chain.synergy import synergy, synergy_gaps

unit = pytest.mark.unit
integration = pytest.mark.integration


def small_chain() -> Chain:
    nodes = {
        "battery": Node("battery", None, "midstream", "Power batteries", "动力电池"),
        "cells": Node("cells", "battery", "midstream", "Battery cells", "电芯"),
        "packs": Node("packs", "battery", "midstream", "Battery packs", "电池包"),
        "fuel-cells": Node("fuel-cells", None, "midstream", "Fuel cells", "燃料电池"),
        "stacks": Node("stacks", "fuel-cells", "midstream", "Stacks", "电堆"),
        "simulation": Node("simulation", None, "midstream", "Simulation", "仿真"),
        "lithium": Node("lithium", None, "upstream", "Lithium", "锂资源"),
        "testing": Node("testing", None, "downstream", "Testing", "检测"),
    }
    orgs = [
        Org("tsinghua", "Tsinghua University", "清华大学", "university", "CN", nodes=("cells",)),
        Org("dicp", "CAS DICP", "大连化物所", "research_institute", "CN", nodes=("stacks",)),
        Org("pku", "Peking University", "北京大学", "university", "CN", nodes=("lithium",)),
        Org("tongji", "Tongji University", "同济大学", "university", "CN", nodes=("simulation",)),
        Org("catl", "CATL", "宁德时代", "supplier", "CN", nodes=("cells", "packs")),
        Org("byd", "BYD", "比亚迪", "automaker", "CN", nodes=("packs",)),
        Org("sunrise", "Sunrise Power", "新源动力", "supplier", "CN", nodes=("stacks",)),
        Org("tianqi", "Tianqi Lithium", "天齐锂业", "supplier", "CN", nodes=("lithium",)),
        # on neither side
        Org("fund", "A Fund", "基金", "investor", "CN", nodes=("cells",)),
        Org("lab", "A Lab", "检测中心", "testing_body", "CN", nodes=("testing",)),
    ]
    ties = [
        Tie("tsinghua", "catl", "joint_lab", 2020, "cell-tech", "https://example.org/1"),
        Tie("dicp", "sunrise", "licenses_technology", 2018, None, "https://example.org/2"),
        Tie("fund", "catl", "invests_in", 2021),  # an investor is not research
        Tie("catl", "byd", "supplies", 2019),  # two firms
        # Peking University (lithium) and BYD (packs) share no node: no bridge anywhere
        Tie("pku", "byd", "strategic_alliance", 2021),
        # Tsinghua (cells) and BYD (packs) meet only in their parent, battery
        Tie("byd", "tsinghua", "strategic_alliance", 2022, None, "https://example.org/3"),
    ]
    return Chain({o.id: o for o in orgs}, nodes, ties, domain_nodes={"cell-tech": ("cells",)})


def _by_node() -> dict[str, dict[str, Any]]:
    return {row["node"]: row for row in synergy(small_chain())}


@unit
def test_nodes_in_tree_order() -> None:
    rows = synergy(small_chain())
    json.dumps(rows)
    # roots by stage (upstream, midstream, downstream) then id, each followed by its subtree
    assert [r["node"] for r in rows] == [
        "lithium",
        "battery",
        "cells",
        "packs",
        "fuel-cells",
        "stacks",
        "simulation",
        "testing",
    ]
    assert [r["leaf"] for r in rows] == [True, False, True, True, False, True, True, True]


@unit
def test_a_leaf_with_a_bridge() -> None:
    cells = _by_node()["cells"]
    assert [a["id"] for a in cells["innovation"]] == ["tsinghua"]
    assert [a["id"] for a in cells["industry"]] == ["catl"]
    assert cells["ties"] == [
        {
            "source": "tsinghua",
            "target": "catl",
            "type": "joint_lab",
            "year": 2020,
            "source_url": "https://example.org/1",
            "innovation": "tsinghua",
            "industry": "catl",
            "about_node": True,  # its domain belongs to cells
        }
    ]
    assert cells["counts"] == {
        "innovation": 1,
        "industry": 1,
        "ties": 1,
        "linked_innovation": 1,
        "linked_industry": 1,
    }
    assert (cells["industry_without_research"], cells["research_without_industry"]) == (
        False,
        False,
    )


@unit
def test_a_parent_pools_its_sub_nodes() -> None:
    battery = _by_node()["battery"]
    # Tsinghua (cells) with CATL (cells) and with BYD (packs); BYD → Tsinghua turned round
    assert [(t["innovation"], t["industry"], t["type"]) for t in battery["ties"]] == [
        ("tsinghua", "catl", "joint_lab"),
        ("tsinghua", "byd", "strategic_alliance"),
    ]
    assert battery["ties"][1]["source"] == "byd"
    # no domain: the tie is about its source's nodes (BYD: packs), inside battery
    assert battery["ties"][1]["about_node"] is True
    assert battery["counts"] == {
        "innovation": 1,
        "industry": 2,
        "ties": 2,
        "linked_innovation": 1,
        "linked_industry": 2,
    }
    assert [(a["id"], a["linked"]) for a in battery["industry"]] == [
        ("byd", True),
        ("catl", True),
    ]


@unit
def test_flags() -> None:
    rows = _by_node()
    flags = {
        node: (row["industry_without_research"], row["research_without_industry"])
        for node, row in rows.items()
    }
    assert flags == {
        "lithium": (True, True),  # PKU and Tianqi, not tied to each other
        "battery": (False, False),
        "cells": (False, False),
        "packs": (True, False),  # CATL and BYD, no research actor at all
        "fuel-cells": (False, False),
        "stacks": (False, False),  # DICP licenses to Sunrise Power
        "simulation": (False, True),  # Tongji alone
        "testing": (False, False),  # a testing body is on neither side
    }
    assert rows["stacks"]["ties"][0]["about_node"] is True


@unit
def test_gaps_list_leaves() -> None:
    gaps = synergy_gaps(small_chain())
    json.dumps(gaps)
    assert gaps["leaves"] == 6
    # most firms first: packs (CATL, BYD), lithium (Tianqi)
    assert [
        (g["node"], g["industry"], g["innovation"]) for g in gaps["industry_without_research"]
    ] == [
        ("packs", 2, 0),
        ("lithium", 1, 1),
    ]
    # equal research counts: by id
    assert [g["node"] for g in gaps["research_without_industry"]] == ["lithium", "simulation"]
    assert gaps["industry_without_research"][0]["name_zh"] == "电池包"


@unit
def test_empty_chain() -> None:
    assert synergy(Chain({}, {})) == []
    assert synergy_gaps(Chain({}, {})) == {
        "leaves": 0,
        "industry_without_research": [],
        "research_without_industry": [],
    }


@integration
def test_bundled_data(loaded_session: Session) -> None:
    chain = load_chain(loaded_session)
    rows = {r["node"]: r for r in synergy(chain)}
    assert set(rows) == set(chain.nodes)

    def bridges(node: str) -> set[tuple[str, str]]:
        return {(t["innovation"], t["industry"]) for t in rows[node]["ties"]}

    # HiNa Battery was spun off from the CAS Institute of Physics for sodium-ion batteries;
    # Sunrise Power was founded by the Dalian Institute of Chemical Physics for fuel cells
    assert ("cas-institute-of-physics", "hina-battery") in bridges("sodium-ion-cells")
    assert ("cas-dicp", "sunrise-power") in bridges("fuel-cell-stacks")
    for node in ("sodium-ion-cells", "fuel-cell-stacks"):
        assert not rows[node]["industry_without_research"]
        assert not rows[node]["research_without_industry"]
    # a parent has every bridge of its leaves
    assert bridges("fuel-cell-stacks") <= bridges("hydrogen-fuel-cell")

    gaps = synergy_gaps(chain)
    assert gaps["leaves"] == len(chain.leaves)
    for entry in gaps["industry_without_research"]:
        assert entry["node"] in chain.leaves and entry["industry"] > 0
        assert rows[entry["node"]]["ties"] == []
    for entry in gaps["research_without_industry"]:
        assert entry["innovation"] > 0 and rows[entry["node"]]["ties"] == []
