"""Resilience: what breaks when firms, a whole chain node or a whole country's suppliers drop
out, how deep it goes, and who could step in.

The supply network has an edge supplier → customer for every supply relation, labelled with
the system it is about (a taxonomy root: power battery, automotive chips, ...). A firm fails
when it is removed, or (cascade) when every supplier it had for some system has failed: it
cannot build without that input, so its own customers lose it in turn. The tier of a failure
is how many supply steps it is from a removed firm (removed firms are tier 0; a firm that lost
all its battery suppliers is tier 1; its customers, if that was their only source, tier 2).

`cascade_tiers` does the propagation on integer arrays (numpy), tier by tier, so that a
100,000-firm, 1,000,000-relation network answers in well under a second
(`benchmarks/chain_speed.py`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from innochain.chain.chokepoints import supplier_ties, systems_of
from innochain.chain.model import INDUSTRIAL_KINDS, Chain, per_snapshot
from innochain.errors import InvalidInput

__all__ = ["SupplyNetwork", "cascade_tiers", "resilience", "supply_network"]

IntArray = npt.NDArray[np.int64]


def cascade_tiers(
    n: int,
    supplier: IntArray,
    customer: IntArray,
    system: IntArray,
    removed: IntArray,
    *,
    cascade: bool = True,
) -> IntArray:
    """Tier of failure of each of `n` firms: -1 unaffected, 0 removed, k ≥ 1 failed because
    every supplier of some system it buys had failed by tier k - 1.

    Edges are (supplier[i] → customer[i], system[i]); duplicates count once per edge.

    >>> import numpy as np
    >>> s, c, k = np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([0, 0, 0])
    >>> cascade_tiers(4, s, c, k, np.array([0])).tolist()  # a line: everything falls in turn
    [0, 1, 2, 3]
    >>> s, c, k = np.array([0, 1, 2]), np.array([2, 2, 3]), np.array([0, 0, 0])
    >>> cascade_tiers(4, s, c, k, np.array([0])).tolist()  # firm 2 keeps its second source
    [0, -1, -1, -1]
    """
    tiers = np.full(n, -1, dtype=np.int64)
    tiers[removed] = 0
    if not cascade or supplier.size == 0:
        return tiers
    systems = int(system.max()) + 1
    key = customer * systems + system  # one counter per (customer, system)
    uniq, slot = np.unique(key, return_inverse=True)
    alive = np.bincount(slot, minlength=uniq.size).astype(np.int64)
    order = np.argsort(supplier, kind="stable")  # edges grouped by supplier (CSR)
    starts = np.searchsorted(supplier[order], np.arange(n + 1))
    frontier = np.unique(removed)
    tier = 0
    while frontier.size:
        lo, hi = starts[frontier], starts[frontier + 1]
        counts = hi - lo
        if not counts.sum():
            break
        edges = order[np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())]
        hit = slot[edges]
        before = alive[hit] > 0
        np.subtract.at(alive, hit, 1)
        emptied = np.unique(hit[before & (alive[hit] == 0)])
        victims = np.unique(uniq[emptied] // systems)
        victims = victims[tiers[victims] < 0]
        tier += 1
        tiers[victims] = tier
        frontier = victims
    return tiers


def _removal(
    chain: Chain, orgs: list[str], nodes: list[str], countries: list[str]
) -> tuple[set[str], list[str]]:
    if not orgs and not nodes and not countries:
        raise InvalidInput.at("remove", "name at least one organisation, chain node or country")
    removed: set[str] = set()
    said = []
    for k, org in enumerate(orgs):
        if org not in chain.orgs:
            raise InvalidInput.at(f"remove.{k}", f"unknown organisation {org!r}")
        removed.add(org)
    if orgs:
        said.append(f"organisations: {', '.join(orgs)}")
    for k, node in enumerate(nodes):
        if node not in chain.nodes:
            raise InvalidInput.at(f"node.{k}", f"unknown chain node {node!r}")
        firms = {a for a in chain.actors(node) if chain.orgs[a].kind in INDUSTRIAL_KINDS}
        removed |= firms
        said.append(f"every firm in {chain.node_label(node)} ({len(firms)})")
    for k, country in enumerate(countries):
        code = country.upper()
        firms = {o.id for o in chain.orgs.values() if o.country == code}
        if not firms:
            raise InvalidInput.at(
                f"country.{k}", f"no organisation from {country!r} in the registry"
            )
        removed |= {f for f in firms if chain.orgs[f].kind in INDUSTRIAL_KINDS}
        said.append(f"every supplier from {code} ({len(firms)})")
    return removed, said


@dataclass(frozen=True)
class SupplyNetwork:
    """The supply relations of a chain as integer arrays, built once per snapshot: distinct
    (supplier, customer, system) rows, and per (customer, system) slot its suppliers."""

    ids: list[str]
    index: dict[str, int]
    roots: list[str]
    supplier: IntArray
    customer: IntArray
    system: IntArray
    slot_key: IntArray  # customer * len(roots) + system, one per slot
    slot: IntArray  # the slot of each row
    by_slot: IntArray  # rows ordered by slot
    slot_start: IntArray  # rows of slot s: by_slot[slot_start[s]:slot_start[s + 1]]


@per_snapshot
def supply_network(chain: Chain) -> SupplyNetwork:
    """The chain's `SupplyNetwork` (remembered per snapshot)."""
    ids = sorted(chain.orgs)
    index = {org: k for k, org in enumerate(ids)}
    roots = sorted(n for n, node in chain.nodes.items() if node.parent_id is None)
    root_index = {r: k for k, r in enumerate(roots)}
    rows = {
        (index[supplier], index[customer], root_index[system])
        for supplier, customer, tie in supplier_ties(chain)
        for system in systems_of(chain, supplier, tie)
    }
    array = np.array(sorted(rows), dtype=np.int64).reshape(-1, 3)
    key = array[:, 1] * max(len(roots), 1) + array[:, 2]
    slot_key, slot = np.unique(key, return_inverse=True)
    by_slot = np.argsort(slot, kind="stable")
    slot_start = np.searchsorted(slot[by_slot], np.arange(slot_key.size + 1))
    return SupplyNetwork(
        ids,
        index,
        roots,
        array[:, 0],
        array[:, 1],
        array[:, 2],
        slot_key,
        slot,
        by_slot,
        slot_start,
    )


def resilience(
    chain: Chain,
    *,
    remove: list[str] | None = None,
    nodes: list[str] | None = None,
    countries: list[str] | None = None,
    cascade: bool = True,
    alternatives: int = 5,
) -> dict[str, Any]:
    """A scenario: remove organisations, every firm of chain nodes, or every supplier from
    countries; return which vehicle makers (and other firms) lose all suppliers of which
    systems, at which tier, the alternative suppliers for each lost system (from the
    registry's chain positions and capabilities, best TRL first, domestic first), and the
    before/after numbers."""
    removed, said = _removal(chain, remove or [], nodes or [], countries or [])
    net = supply_network(chain)
    ids, width = net.ids, max(len(net.roots), 1)
    tiers = cascade_tiers(
        len(ids),
        net.supplier,
        net.customer,
        net.system,
        np.array(sorted(net.index[r] for r in removed), dtype=np.int64),
        cascade=cascade,
    )
    supplier_tier = tiers[net.supplier]
    down = supplier_tier >= 0
    gone = np.bincount(net.slot, weights=down, minlength=net.slot_key.size)
    total = np.bincount(net.slot, minlength=net.slot_key.size)
    worst = np.full(net.slot_key.size, -1, dtype=np.int64)
    np.maximum.at(worst, net.slot[down], supplier_tier[down])
    removed_index = {net.index[r] for r in removed}
    lost_slots = [
        int(s)
        for s in np.flatnonzero((gone == total) & (total > 0))
        if int(net.slot_key[s] // width) not in removed_index
    ]
    systems_before = np.bincount(net.slot_key // width, minlength=len(ids))
    failed = {ids[k]: int(tiers[k]) for k in np.flatnonzero(tiers >= 0)}
    memo: dict[str, list[dict[str, Any]]] = {}
    by_customer: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in lost_slots:
        customer, system = divmod(int(net.slot_key[s]), width)
        rows = net.by_slot[net.slot_start[s] : net.slot_start[s + 1]]
        root = net.roots[system]
        if root not in memo:
            memo[root] = _alternatives(chain, root, failed, alternatives)
        by_customer[customer].append(
            {
                "node": root,
                "name_en": chain.nodes[root].name_en,
                "name_zh": chain.nodes[root].name_zh,
                "lost_suppliers": sorted(ids[k] for k in net.supplier[rows]),
                "tier": int(worst[s]) + 1,
                "alternatives": memo[root],
            }
        )
    affected: list[dict[str, Any]] = []
    for customer, lost in by_customer.items():
        org = chain.orgs[ids[customer]]
        lost.sort(key=lambda entry: entry["node"])
        before = int(systems_before[customer])
        affected.append(
            {
                "organization_id": org.id,
                "name": org.name,
                "kind": org.kind,
                "country": org.country,
                "tier": failed.get(org.id),
                "lost": lost,
                "systems_before": before,
                "systems_after": before - len(lost),
            }
        )
    affected.sort(key=lambda a: (a["kind"] != "automaker", -len(a["lost"]), a["organization_id"]))
    depth = max(failed.values(), default=0)
    alive = int(((tiers[net.supplier] < 0) & (tiers[net.customer] < 0)).sum())
    return {
        "scenario": said,
        "removed": sorted(removed),
        "cascade": cascade,
        "failed_by_tier": {
            str(t): sorted(o for o, ft in failed.items() if ft == t) for t in range(1, depth + 1)
        },
        "depth": depth,
        "affected": affected,
        "automakers_affected": sum(a["kind"] == "automaker" for a in affected),
        "before": {"supply_ties": int(net.supplier.size), "firms": len(ids)},
        "after": {"supply_ties": alive, "firms": len(ids) - len(failed)},
    }


def _alternatives(
    chain: Chain, system: str, failed: dict[str, int], top: int
) -> list[dict[str, Any]]:
    """Firms active in the system (or below) that did not fail: best TRL, domestic first."""
    rows: list[dict[str, Any]] = []
    for org in chain.actors(system):
        if org in failed or chain.orgs[org].kind not in INDUSTRIAL_KINDS:
            continue
        trl = max((chain.best_trl.get((org, n), 0) for n in chain.subtree(system)), default=0)
        rows.append(
            {
                "organization_id": org,
                "name": chain.orgs[org].name,
                "country": chain.orgs[org].country,
                "trl": trl or None,
            }
        )
    rows.sort(key=lambda r: (-(r["trl"] or 0), r["country"] != "CN", r["organization_id"]))
    return rows[:top]
