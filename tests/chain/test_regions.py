"""Regional clusters: the matrix, the economic-complexity measures, profiles and suggestions.

The small chain below has four provinces and four leaf nodes; every expected number is worked
out by hand in the comments (fractions first, then the decimals asserted).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from ecomplexity import ecomplexity
from sqlalchemy.orm import Session

from innochain.chain import load_chain
from innochain.chain.model import Ability, Chain, Node, Org, Tie
from innochain.chain.regions import (
    density,
    location_quotients,
    proximity,
    region_matrix,
    region_profile,
    regions_overview,
    relatedness,
)
from innochain.errors import InvalidInput, NotFound

unit = pytest.mark.unit
integration = pytest.mark.integration
#: ecomplexity 0.5.3 calls DataFrame.set_index(inplace=True), which pandas 3.1 deprecates
ECOMPLEXITY_PANDAS = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.set_index:DeprecationWarning"
)

NODES = ["bev", "cells", "lithium", "packs"]
REGIONS = ["Fujian", "Guangdong", "Jiangsu", "Sichuan"]
# firms per (region, leaf): Fujian: catl (cells, packs), hithium (cells), zijin (lithium,
# through a capability only); Guangdong: byd (bev, cells, packs), gac (bev); Jiangsu: svolt
# (cells, packs); Sichuan: tianqi (lithium)
COUNTS = [
    [0, 2, 1, 1],  # Fujian: total 4
    [2, 1, 0, 1],  # Guangdong: total 4
    [0, 1, 0, 1],  # Jiangsu: total 2
    [0, 0, 1, 0],  # Sichuan: total 1
]  # column totals 2, 4, 2, 3; grand total 11
# LQ = (X_rp / X_r.) / (X_.p / X_..):
#   Fujian    cells (2/4)/(4/11) = 11/8, lithium (1/4)/(2/11) = 11/8, packs (1/4)/(3/11) = 11/12
#   Guangdong bev (2/4)/(2/11) = 11/4, cells (1/4)/(4/11) = 11/16, packs 11/12
#   Jiangsu   cells (1/2)/(4/11) = 11/8, packs (1/2)/(3/11) = 11/6
#   Sichuan   lithium (1/1)/(2/11) = 11/2
LQ = [
    [0, 11 / 8, 11 / 8, 11 / 12],
    [11 / 4, 11 / 16, 0, 11 / 12],
    [0, 11 / 8, 0, 11 / 6],
    [0, 0, 11 / 2, 0],
]
# M = LQ >= 1: Fujian {cells, lithium}, Guangdong {bev}, Jiangsu {cells, packs}, Sichuan
# {lithium}; ubiquities bev 1, cells 2, lithium 2, packs 1
M = [[0, 1, 1, 0], [1, 0, 0, 0], [0, 1, 0, 1], [0, 0, 1, 0]]
# φ: cells & lithium together in Fujian only: 1 / max(2, 2) = 1/2; cells & packs in Jiangsu
# only: 1 / max(2, 1) = 1/2; nothing else co-occurs
PHI = [
    [1, 0, 0, 0],
    [0, 1, 0.5, 0.5],
    [0, 0.5, 1, 0],
    [0, 0.5, 0, 1],
]  # row sums 1, 2, 1.5, 1.5
# ω_rp = Σ_q M_rq φ_pq / Σ_q φ_pq, e.g. Sichuan at cells: φ(cells, lithium) / 2 = 1/4
DENSITY = [
    [0, (1 + 0.5) / 2, (0.5 + 1) / 1.5, 0.5 / 1.5],
    [1, 0, 0, 0],
    [0, (1 + 0.5) / 2, 0.5 / 1.5, (0.5 + 1) / 1.5],
    [0, 0.5 / 2, 1 / 1.5, 0],
]


def small_chain() -> Chain:
    nodes = {
        "battery": Node("battery", None, "midstream", "Power batteries", "动力电池"),
        "cells": Node("cells", "battery", "midstream", "Battery cells", "电芯"),
        "packs": Node("packs", "battery", "midstream", "Battery packs", "电池包"),
        "vehicles": Node("vehicles", None, "downstream", "Vehicles", "整车"),
        "bev": Node("bev", "vehicles", "downstream", "Battery electric cars", "纯电动乘用车"),
        "lithium": Node("lithium", None, "upstream", "Lithium", "锂资源"),
        "lidar": Node("lidar", None, "midstream", "LiDAR", "激光雷达"),
    }
    orgs = [
        Org("catl", "CATL", "宁德时代", "supplier", "CN", "Fujian", "Ningde", ("cells", "packs")),
        Org("hithium", "Hithium", "海辰储能", "supplier", "CN", "Fujian", "Xiamen", ("cells",)),
        Org("zijin", "Zijin Mining", "紫金矿业", "supplier", "CN", "Fujian", "Longyan"),
        Org(
            "byd",
            "BYD",
            "比亚迪",
            "automaker",
            "CN",
            "Guangdong",
            "Shenzhen",
            ("bev", "cells", "packs"),
        ),
        Org("gac", "GAC", "广汽", "automaker", "CN", "Guangdong", "Guangzhou", ("bev",)),
        # on a broad node only: not placed on any leaf
        Org("p1", "P One", "某车企", "automaker", "CN", "Guangdong", "Shenzhen", ("vehicles",)),
        # not a firm: neither counted nor suggested
        Org("fund", "A Fund", "基金", "investor", "CN", "Guangdong", "Shenzhen", ("cells",)),
        Org(
            "svolt",
            "SVOLT",
            "蜂巢能源",
            "supplier",
            "CN",
            "Jiangsu",
            "Changzhou",
            ("cells", "packs"),
        ),
        Org(
            "tianqi",
            "Tianqi Lithium",
            "天齐锂业",
            "supplier",
            "CN",
            "Sichuan",
            "Chengdu",
            ("lithium",),
        ),
        Org(
            "scu",
            "Sichuan University",
            "四川大学",
            "university",
            "CN",
            "Sichuan",
            "Chengdu",
            ("cells",),
        ),
        Org(
            "hit",
            "Harbin Institute",
            "哈工大",
            "research_institute",
            "CN",
            "Heilongjiang",
            "Harbin",
        ),
        # abroad: a candidate, never part of a Chinese region; the only LiDAR maker
        Org(
            "lges",
            "LG Energy Solution",
            "LG新能源",
            "supplier",
            "KR",
            None,
            "Seoul",
            ("cells", "lidar"),
        ),
    ]
    abilities = [
        Ability("catl", "cell-tech", 9, ("cells",)),
        Ability("byd", "cell-tech", 8, ("cells",)),
        Ability("lges", "cell-tech", 9, ("cells",)),
        Ability("zijin", "lithium-mining", 9, ("lithium",)),
    ]
    ties = [
        Tie("tianqi", "catl", "supplies", 2020),
        Tie("tianqi", "lges", "supplies", 2021),
        Tie("lges", "tianqi", "invests_in", 2022),
        Tie("scu", "byd", "joint_lab", 2019),  # with a research actor, not a firm: no count
        Tie("catl", "byd", "supplies", 2018),  # neither end in Sichuan
    ]
    return Chain({o.id: o for o in orgs}, nodes, ties, abilities)


# -- the arithmetic ----------------------------------------------------------------------------


@unit
def test_location_quotients_of_a_hand_matrix() -> None:
    assert location_quotients(np.array(COUNTS)) == pytest.approx(np.array(LQ))


@unit
def test_location_quotients_are_zero_for_empty_rows_and_columns() -> None:
    # one firm in region 0, node 0: LQ = (1/1)/(1/1) = 1; the empty row and column give 0
    assert location_quotients(np.array([[1, 0], [0, 0]])).tolist() == [[1.0, 0.0], [0.0, 0.0]]
    assert location_quotients(np.zeros((2, 2))).tolist() == [[0.0, 0.0], [0.0, 0.0]]


@unit
def test_proximity_and_density_of_a_hand_matrix() -> None:
    phi = proximity(np.array(M))
    assert phi == pytest.approx(np.array(PHI))
    assert density(np.array(M), phi) == pytest.approx(np.array(DENSITY))


@unit
def test_proximity_is_the_smaller_conditional_probability() -> None:
    # p in regions 0, 1, 2; q in region 0 only: P(p | q) = 1, P(q | p) = 1/3
    m = np.array([[1, 1], [1, 0], [1, 0]])
    assert proximity(m)[0, 1] == pytest.approx(1 / 3)
    assert proximity(m)[1, 0] == pytest.approx(1 / 3)


# -- the matrix of a chain ---------------------------------------------------------------------


@unit
def test_region_matrix_counts_domestic_firms_on_leaves() -> None:
    regions, nodes, x = region_matrix(small_chain())
    assert regions == REGIONS
    # lidar: only a foreign maker, so no column; p1 (broad node only), fund (investor) and the
    # university are not counted; zijin counts through its capability
    assert nodes == NODES
    assert x.tolist() == COUNTS


@unit
def test_region_matrix_by_city() -> None:
    regions, nodes, x = region_matrix(small_chain(), level="city")
    assert regions == [
        "Changzhou",
        "Chengdu",
        "Guangzhou",
        "Longyan",
        "Ningde",
        "Shenzhen",
        "Xiamen",
    ]
    assert nodes == NODES
    assert x[regions.index("Shenzhen")].tolist() == [1, 1, 0, 1]  # byd only (p1 unplaced)
    assert x.sum() == 11


@unit
def test_relatedness_of_a_chain() -> None:
    rel = relatedness(small_chain())
    assert (rel.regions, rel.nodes) == (REGIONS, NODES)
    assert rel.lq == pytest.approx(np.array(LQ))
    assert rel.m.tolist() == M
    assert rel.proximity == pytest.approx(np.array(PHI))
    assert rel.density == pytest.approx(np.array(DENSITY))
    as_dict = rel.as_dict()
    assert as_dict["counts"] == COUNTS
    assert as_dict["m"] == M
    json.dumps(as_dict)


def _ecomplexity(x: np.ndarray, regions: list[str], nodes: list[str]) -> pd.DataFrame:
    rows = [
        {"year": 2024, "region": r, "node": p, "firms": float(x[i, j])}
        for i, r in enumerate(regions)
        for j, p in enumerate(nodes)
    ]
    out = ecomplexity(
        pd.DataFrame(rows),
        {"time": "year", "loc": "region", "prod": "node", "val": "firms"},
        verbose=False,
        check_logsupermodularity=False,
    )
    return out.set_index(["region", "node"])


def _grid(out: pd.DataFrame, column: str, regions: list[str], nodes: list[str]) -> np.ndarray:
    return np.array([[out.loc[(r, p), column] for p in nodes] for r in regions], dtype=float)


@unit
@ECOMPLEXITY_PANDAS
@pytest.mark.parametrize("seed", [None, 7, 11])
def test_rca_mcp_and_density_agree_with_ecomplexity(seed: int | None) -> None:
    """The hand-made chain, then random region × node matrices (no empty row or column)."""
    if seed is None:
        regions, nodes, x = region_matrix(small_chain())
    else:
        x = np.random.default_rng(seed).poisson(1.2, size=(9, 14)).astype(float)
        x[:, x.sum(axis=0) == 0] = 1
        x[x.sum(axis=1) == 0, :] = 1
        regions = [f"region-{i}" for i in range(x.shape[0])]
        nodes = [f"node-{j:02d}" for j in range(x.shape[1])]
    out = _ecomplexity(x, regions, nodes)
    lq = location_quotients(x)
    m = (lq >= 1).astype(float)
    assert _grid(out, "rca", regions, nodes) == pytest.approx(lq)
    assert _grid(out, "mcp", regions, nodes).tolist() == m.tolist()
    assert _grid(out, "density", regions, nodes) == pytest.approx(density(m, proximity(m)))


# -- profiles ----------------------------------------------------------------------------------


@unit
def test_profile_of_sichuan() -> None:
    profile = region_profile(small_chain(), "Sichuan", suggestions=3)
    json.dumps(profile)
    assert (profile["region"], profile["region_zh"], profile["level"]) == (
        "Sichuan",
        "四川",
        "province",
    )
    assert profile["firms"] == {"count": 1, "ids": ["tianqi"]}
    assert profile["research"] == {"count": 1, "ids": ["scu"]}
    # 1 of the 4 leaves some Chinese firm makes; lidar (only made abroad) does not count
    assert profile["completeness"] == {"covered": 1, "total": 4, "share": 0.25}
    assert profile["absent_nationally"] == ["lidar"]
    assert profile["unplaced"] == []
    rows = {n["node"]: n for n in profile["nodes"]}
    assert rows["lithium"] == {
        "node": "lithium",
        "name_en": "Lithium",
        "name_zh": "锂资源",
        "stage": "upstream",
        "local": 1,
        "lq": 5.5,
        "density": pytest.approx(2 / 3, abs=1e-4),
        "present": True,
    }
    # missing, most related first: cells (1/4), then bev and packs (0) by id
    assert [(m["node"], m["density"]) for m in profile["missing"]] == [
        ("cells", 0.25),
        ("bev", 0.0),
        ("packs", 0.0),
    ]


@unit
def test_suggestions_rank_capability_relatedness_and_ties() -> None:
    cells = region_profile(small_chain(), "Sichuan", suggestions=3)["missing"][0]
    # candidates: industrial firms outside Sichuan active in cells: byd, catl, hithium, lges,
    # svolt (not the investor, not the university). score = 0.4 cap + 0.3 rel + 0.3 t/(t+1),
    # Sichuan's densities: bev 0, cells 1/4, lithium 2/3, packs 0
    #   lges    TRL 9 -> 1; other nodes: lidar only, outside the matrix -> rel = ω(cells) = 1/4;
    #           ties 2 -> 2/3: 0.4 + 0.075 + 0.2 = 0.675
    #   catl    TRL 9 -> 1; packs -> 0; 1 tie -> 1/2: 0.4 + 0 + 0.15 = 0.55
    #   byd     TRL 8 -> 8/9; bev, packs -> 0; no tie (scu is not a firm): 0.4 * 8/9 = 0.3556
    #   hithium no TRL -> 0.5; no other node -> 1/4; 0.2 + 0.075 = 0.275
    #   svolt   no TRL -> 0.5; packs -> 0: 0.2
    assert cells["candidates"] == 5
    assert [(s["org"], s["score"]) for s in cells["suggestions"]] == [
        ("lges", 0.675),
        ("catl", 0.55),
        ("byd", pytest.approx(0.4 * 8 / 9, abs=1e-4)),
    ]
    lges = cells["suggestions"][0]
    assert (lges["trl"], lges["ties"], lges["relatedness"], lges["capability"]) == (9, 2, 0.25, 1.0)
    assert lges["why"][0] == "best TRL 9 in Battery cells"
    assert lges["why"][2].startswith("2 tie(s) with Sichuan firms: supplies tianqi→lges (2021)")
    assert lges["why"][3] == "abroad (KR)"
    assert cells["suggestions"][1]["why"][3] == "based in Ningde, Fujian"


@unit
def test_suggestions_count_can_be_zero() -> None:
    profile = region_profile(small_chain(), "Sichuan", suggestions=0)
    assert all(m["suggestions"] == [] for m in profile["missing"])
    assert [m["candidates"] for m in profile["missing"]] == [5, 2, 3]  # cells, bev, packs


@unit
def test_profile_lists_firms_on_broad_nodes_only() -> None:
    profile = region_profile(small_chain(), "guangdong")
    assert profile["firms"]["ids"] == ["byd", "gac", "p1"]
    assert profile["unplaced"] == [{"org": "p1", "nodes": ["vehicles"]}]
    # bev, cells, packs of 4; lithium is missing, with Fujian's zijin and nothing local
    assert profile["completeness"] == {"covered": 3, "total": 4, "share": 0.75}
    assert [m["node"] for m in profile["missing"]] == ["lithium"]
    assert [s["org"] for s in profile["missing"][0]["suggestions"]] == ["zijin", "tianqi"]


@unit
def test_profile_by_city() -> None:
    profile = region_profile(small_chain(), "ningde", level="city")
    assert (profile["region"], profile["region_zh"], profile["level"]) == ("Ningde", "", "city")
    assert profile["firms"]["ids"] == ["catl"]
    assert profile["completeness"] == {"covered": 2, "total": 4, "share": 0.5}
    # a Fujian firm in another city is a candidate for the city of Ningde
    lithium = next(m for m in profile["missing"] if m["node"] == "lithium")
    # zijin: TRL 9 -> 0.4 + 0.3 ω; tianqi: no TRL, 1 tie with CATL -> 0.2 + 0.3 ω + 0.15
    assert [s["org"] for s in lithium["suggestions"]] == ["zijin", "tianqi"]


@unit
@pytest.mark.parametrize(
    "name", ["Sichuan", "sichuan", " SICHUAN ", "四川", "四川省", "Sichuan Province", "CN-SC"]
)
def test_region_names_in_english_chinese_or_iso(name: str) -> None:
    assert region_profile(small_chain(), name)["region"] == "Sichuan"


@unit
def test_overview_ranks_by_completeness() -> None:
    overview = regions_overview(small_chain())
    json.dumps(overview)
    assert [
        (r["region"], r["firms"], r["research"], r["covered"], r["share"]) for r in overview
    ] == [
        ("Fujian", 3, 0, 3, 0.75),
        ("Guangdong", 3, 0, 3, 0.75),
        ("Jiangsu", 1, 0, 2, 0.5),
        ("Sichuan", 1, 1, 1, 0.25),
        ("Heilongjiang", 0, 1, 0, 0.0),
    ]
    assert overview[0]["region_zh"] == "福建"
    assert all(r["total"] == 4 for r in overview)


# -- bad input ---------------------------------------------------------------------------------


@unit
def test_unknown_region_is_not_found_and_says_where_to_look() -> None:
    with pytest.raises(NotFound) as caught:
        region_profile(small_chain(), "Atlantis")
    message = str(caught.value)
    assert "'Atlantis'" in message
    assert "Fujian, Guangdong, Jiangsu, Sichuan" in message


@unit
def test_a_province_is_not_a_city() -> None:
    with pytest.raises(NotFound, match=r"no city named 'Sichuan'.*Chengdu"):
        region_profile(small_chain(), "Sichuan", level="city")


@unit
@pytest.mark.parametrize("name", ["Tibet", "西藏", "Heilongjiang", "黑龙江省"])
def test_region_without_firms_is_invalid(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        region_profile(small_chain(), name)
    [problem] = caught.value.problems
    assert problem.column == "region"
    assert "no industrial firms" in problem.reason


@unit
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"region": ""}, "region"),
        ({"region": "Sichuan", "level": "county"}, "level"),
        ({"region": "Sichuan", "suggestions": -1}, "suggestions"),
    ],
)
def test_other_bad_input_names_its_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        region_profile(small_chain(), **kwargs)
    assert [p.column for p in caught.value.problems] == [field]


@unit
def test_matrix_and_overview_check_the_level() -> None:
    with pytest.raises(InvalidInput):
        region_matrix(small_chain(), level="country")
    with pytest.raises(InvalidInput):
        regions_overview(small_chain(), level="country")


# -- the bundled dataset -----------------------------------------------------------------------


@integration
@ECOMPLEXITY_PANDAS
def test_bundled_data(loaded_session: Session) -> None:
    chain = load_chain(loaded_session)
    overview = regions_overview(chain)
    # the Pearl River Delta (BYD, GAC, XPeng and their suppliers) has the most complete chain
    assert [r["region"] for r in overview[:3]].count("Guangdong") == 1
    assert overview[0]["share"] > overview[-1]["share"]

    # Fujian: CATL in Ningde makes it a battery province (LQ >= 1 in cells)
    fujian = region_profile(chain, "福建")
    assert "catl" in fujian["firms"]["ids"]
    cells = next(n for n in fujian["nodes"] if n["node"] == "battery-cells")
    assert cells["present"] and cells["lq"] >= 1

    # Sichuan: China's hard-rock lithium province (Tianqi, Yahua in Chengdu); its strongest
    # specialisation is lithium
    sichuan = region_profile(chain, "Sichuan")
    by_lq = max(sichuan["nodes"], key=lambda n: n["lq"])
    assert by_lq["node"] == "lithium"
    assert sichuan["missing"] and all(m["suggestions"] for m in sichuan["missing"][:5])
    densities = [m["density"] for m in sichuan["missing"]]
    assert densities == sorted(densities, reverse=True)

    with pytest.raises(InvalidInput):
        region_profile(chain, "Tibet")

    # the same measures as the maintained package on the real matrix
    regions, nodes, x = region_matrix(chain)
    rel = relatedness(chain)
    out = _ecomplexity(x, regions, nodes)
    assert _grid(out, "rca", regions, nodes) == pytest.approx(rel.lq)
    assert _grid(out, "density", regions, nodes) == pytest.approx(rel.density)
