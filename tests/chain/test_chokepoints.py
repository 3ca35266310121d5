"""Chokepoints on hand-made chains whose HHI and ranking are worked out by hand, and on the
bundled data, where an analyst's expectations must hold."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from innochain.chain import load_chain
from innochain.chain.chokepoints import chokepoints, node_stats, oem_dependencies
from innochain.chain.model import Chain, Node, Org, Tie

pytestmark = pytest.mark.unit

NODES = {
    "chips": Node("chips", None, "midstream", "Chips", "芯片"),
    "soc": Node("soc", "chips", "midstream", "SoC", ""),
    "glass": Node("glass", None, "midstream", "Glass", ""),
    "cars": Node("cars", None, "downstream", "Cars", ""),
}


def _chain() -> Chain:
    orgs = {
        "us1": Org("us1", "US chip", "", "supplier", "US", nodes=("soc",)),
        "us2": Org("us2", "US chip 2", "", "supplier", "US", nodes=("soc",)),
        "cn1": Org("cn1", "CN chip", "", "supplier", "CN", nodes=("soc",)),
        "g1": Org("g1", "Glass", "", "supplier", "CN", nodes=("glass",)),
        "oem": Org("oem", "Car", "", "automaker", "CN", nodes=("cars",)),
        "oem2": Org("oem2", "Car 2", "", "automaker", "CN", nodes=("cars",)),
    }
    ties = [
        Tie("us1", "oem", "supplies"),
        Tie("us2", "oem", "supplies"),
        Tie("cn1", "oem2", "supplies"),
        Tie("us1", "oem2", "supplies"),
        Tie("g1", "oem", "supplies"),
    ]
    return Chain(orgs, NODES, ties, shares={"glass": {"g1": 0.6}})


def test_hhi_from_shares_or_from_counts() -> None:
    chain = _chain()
    soc = node_stats(chain, "soc")
    assert (soc["suppliers"], soc["domestic"], soc["foreign_share"]) == (3, 1, 0.667)
    assert soc["hhi"] == 3333  # three suppliers, equal shares: 3 x 33.3^2
    glass = node_stats(chain, "glass")
    assert glass["hhi"] == 3600  # 60 % share reported: 60^2
    assert "market shares of 1 makers" in glass["hhi_basis"]


def test_ranking_by_foreign_dependence_then_thin_bases() -> None:
    rows = chokepoints(_chain())
    assert [(r["node"], r["kind"]) for r in rows] == [
        ("soc", "foreign_dependence"),
        ("glass", "thin_domestic_base"),
    ]  # cars are downstream: not a chokepoint
    soc = rows[0]
    # 3 of 4 supplies into Chinese firms come from the US
    assert soc["foreign_dependence"] == 0.75
    assert soc["score"] == pytest.approx(0.5 * 0.75 + 0.3 * 0.3333 + 0.2 / 2, abs=1e-4)
    assert "3 of 4 recorded supplies to domestic firms come from abroad" in soc["evidence"][2]


def test_oem_single_source_and_foreign_only() -> None:
    deps = {d["organization_id"]: d for d in oem_dependencies(_chain())}
    assert deps["oem"]["foreign_only"] == ["chips"]
    assert deps["oem"]["single_source"] == ["glass"]
    assert deps["oem2"]["foreign_only"] == [] and deps["oem2"]["single_source"] == []


@pytest.mark.integration
def test_bundled_chokepoints_read_as_sound(loaded_session: Session) -> None:
    rows = chokepoints(load_chain(loaded_session))
    ranked = [r["node"] for r in rows if r["kind"] == "foreign_dependence"]
    top = set(ranked[:15])
    # what the industry calls its chokepoints: chips for computing and the cockpit, power
    # semiconductors, radar, industrial software and fuel-cell catalysts (foreign-led)
    assert (
        len(
            top
            & {
                "computing-soc",
                "cockpit-soc",
                "power-semiconductors",
                "radar",
                "industrial-software",
                "catalysts",
                "central-computing",
            }
        )
        >= 5
    )
    # and where China leads, it is not one
    for strong in ("battery-cells", "cathode-materials", "lithium", "solid-state-cells"):
        assert strong not in top
    cells = next(r for r in rows if r["node"] == "battery-cells")
    assert "market shares" in cells["hhi_basis"]  # from the CABIA series, not a count
