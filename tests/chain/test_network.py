"""Network metrics with igraph, cross-checked against networkx on the bundled relation graph."""

from __future__ import annotations

import networkx as nx
import pytest
from sqlalchemy.orm import Session

from innochain.chain import load_chain
from innochain.chain.model import Chain, Node, Org, Tie
from innochain.chain.network import brokers, chain_leaders, compute_metrics

pytestmark = pytest.mark.integration


def test_igraph_metrics_equal_networkx_on_the_bundled_graph(loaded_session: Session) -> None:
    chain = load_chain(loaded_session)
    found = compute_metrics(chain)
    graph = nx.Graph()
    graph.add_nodes_from(chain.orgs)
    digraph = nx.DiGraph()
    digraph.add_nodes_from(chain.orgs)
    for tie in chain.ties:
        if tie.source != tie.target:
            graph.add_edge(tie.source, tie.target)
            a, b = (
                (tie.target, tie.source) if tie.type == "customer_of" else (tie.source, tie.target)
            )
            digraph.add_edge(a, b)
    assert found.degree == dict(graph.degree())
    between = nx.betweenness_centrality(graph)
    assert max(abs(found.betweenness[o] - between[o]) for o in chain.orgs) < 1e-9
    rank = nx.pagerank(digraph, alpha=0.85, tol=1e-12, max_iter=10_000)
    assert max(abs(found.pagerank[o] - rank[o]) for o in chain.orgs) < 1e-6
    # Leiden's partition is a good one: networkx agrees on its modularity, and it is no worse
    # than networkx's own Louvain partition by more than a little
    isolated = [{o} for o in chain.orgs if not found.degree[o]]  # left out of communities
    partition = [set(c) for c in found.communities] + isolated
    assert nx.community.modularity(graph, partition) == pytest.approx(found.modularity)
    louvain = nx.community.modularity(graph, nx.community.louvain_communities(graph, seed=1))
    assert found.modularity > louvain - 0.02
    assert found == compute_metrics(chain)  # seeded: the same communities every time


def test_bundled_leaders_and_brokers_are_who_an_analyst_expects(loaded_session: Session) -> None:
    chain = load_chain(loaded_session)
    found = compute_metrics(chain)
    leaders = [r["organization_id"] for r in chain_leaders(chain, found, top=12)]
    # vehicle makers and CATL organise the Chinese NEV chain around themselves
    assert "catl" in leaders and {"byd", "nio", "tesla"} <= set(leaders)
    assert all(chain.orgs[o].kind in ("automaker", "supplier", "tech_company") for o in leaders)
    tops = brokers(chain, found, top=10)
    assert all(r["research_partners"] and r["industrial_partners"] for r in tops)
    assert all(
        chain.orgs[p].kind in ("university", "research_institute")
        for r in tops
        for p in r["research_partners"]
    )


def _toy() -> Chain:
    orgs = {
        "oem": Org("oem", "OEM", "", "automaker", "CN"),
        "cell": Org("cell", "Cells", "", "supplier", "CN"),
        "uni": Org("uni", "Uni", "", "university", "CN"),
        "lab": Org("lab", "Lab", "", "research_institute", "CN"),
    }
    ties = [
        Tie("cell", "oem", "supplies"),
        Tie("uni", "cell", "joint_lab"),
        Tie("lab", "cell", "joint_lab"),
    ]
    return Chain(orgs, {"x": Node("x", None, "midstream", "X", "")}, ties)


def test_a_broker_bridges_research_pairs_with_firms() -> None:
    chain = _toy()
    found = compute_metrics(chain)
    [row] = brokers(chain, found)
    assert row["organization_id"] == "cell"
    assert row["bridged_pairs"] == 2  # (uni, lab) x (oem)
    assert found.betweenness["cell"] == pytest.approx(1.0)  # every path goes through it
    [leader] = [r for r in chain_leaders(chain, found) if r["organization_id"] == "oem"]
    assert leader["suppliers"] == 1
