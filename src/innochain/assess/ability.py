"""Innovation ability of firms against their peers: the matrix of a peer group and year, the
assessment by a chosen method, and each firm's report (rank over years, radar values,
drivers, growth stage, recommended innovation mode, archetype, and why)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

import numpy as np

from innochain.assess.firms import PEER_GROUPS, Firm, FirmData
from innochain.assess.indicators import IndicatorDef, System
from innochain.assess.matrix import normalize
from innochain.assess.methods import METHODS, assess
from innochain.assess.sensitivity import drivers, weight_perturbation
from innochain.assess.strategy import ability_tier, archetype, growth_stage, recommend_mode
from innochain.errors import InvalidInput, NotFound

__all__ = ["MIN_PEERS", "PeerMatrix", "assess_matrix", "firm_report", "peer_matrix", "rank_peers"]

#: the report's year is the latest with at least this many peers (a year with fewer, such as
#: one only early reporters have published, stays in the history)
MIN_PEERS = 5


@dataclass(frozen=True)
class PeerMatrix:
    """The peers × indicators matrix of one year, with what was left out and filled in."""

    year: int
    firms: list[Firm]
    indicators: list[IndicatorDef]
    matrix: np.ndarray
    #: (firm index, indicator index) filled with the peer median
    imputed: list[tuple[int, int]]
    notes: list[str]


def _check_method(method: str) -> tuple[str, str]:
    if method not in METHODS:
        raise InvalidInput.at("method", f"{method!r} is not one of {', '.join(sorted(METHODS))}")
    return METHODS[method]


def _assess(pm: PeerMatrix, weighting: str, ranking: str, options: dict[str, Any]) -> Any:
    """`methods.assess` on a peer matrix. Firm indicators take negative values (growth,
    margins), so entropy is computed on min-max normalised values unless asked otherwise."""
    if weighting == "entropy":
        options = {"entropy_on": "minmax"} | options
    directions = np.array([ind.direction for ind in pm.indicators])
    names = [ind.id for ind in pm.indicators]
    ratios = [j for j, ind in enumerate(pm.indicators) if ind.ratio]
    return assess(
        pm.matrix,
        directions,
        weighting=weighting,
        ranking=ranking,
        names=names,
        ratio_columns=ratios,
        **options,
    )


def peer_matrix(data: FirmData, system: System, *, peers: str, year: int) -> PeerMatrix:
    """Firms of the peer group with figures for `year`; indicators missing for more than the
    system's `max_missing` share of them are left out; other gaps take the peer median."""
    if peers not in PEER_GROUPS:
        raise InvalidInput.at("peers", f"{peers!r} is not one of {', '.join(PEER_GROUPS)}")
    firms = [f for f in data.peers(peers) if year in f.facts.annual]
    if len(firms) < 2:
        raise InvalidInput.at("year", f"fewer than two {peers} firms have figures for {year}")
    notes, used, columns = [], [], []
    for ind in system.indicators:
        values = [f.facts.compute(ind, year) for f in firms]
        missing = sum(v is None for v in values) / len(values)
        if missing > system.max_missing:
            notes.append(f"{ind.name_en} left out: missing for {missing:.0%} of the peers")
            continue
        present = [v for v in values if v is not None]
        if len(set(present)) <= 1:
            notes.append(f"{ind.name_en} left out: the same for every peer")
            continue
        used.append(ind)
        columns.append(values)
    if len(used) < 2:
        raise InvalidInput.at(
            "year", f"fewer than two indicators are available for the {peers} peers in {year}"
        )
    imputed = []
    matrix = np.zeros((len(firms), len(used)))
    for j, values in enumerate(columns):
        median = statistics.median(v for v in values if v is not None)
        for i, v in enumerate(values):
            if v is None:
                imputed.append((i, j))
            matrix[i, j] = median if v is None else v
    if imputed:
        notes.append(f"{len(imputed)} missing value(s) filled with the peer median")
    return PeerMatrix(year, firms, used, matrix, imputed, notes)


def rank_peers(
    data: FirmData,
    system: System,
    *,
    peers: str,
    year: int,
    method: str = "entropy-topsis",
    **options: Any,
) -> dict[str, Any]:
    """Assess a peer group in a year: weights, scores and ranks with every option recorded."""
    weighting, ranking = _check_method(method)
    pm = peer_matrix(data, system, peers=peers, year=year)
    result = _assess(pm, weighting, ranking, options)
    order = np.argsort(result.ranks, kind="stable")
    n = len(pm.firms)
    return {
        "year": year,
        "peers": peers,
        "method": method,
        "options": result.options,
        "indicators": [
            {
                "id": ind.id,
                "name_en": ind.name_en,
                "name_zh": ind.name_zh,
                "dimension": ind.dimension,
                "direction": "benefit" if ind.direction > 0 else "cost",
                "weight": round(float(result.weights[j]), 6),
            }
            for j, ind in enumerate(pm.indicators)
        ],
        "firms": [
            {
                "organization_id": pm.firms[i].id,
                "name": pm.firms[i].name,
                "rank": int(result.ranks[i]),
                "score": round(float(result.scores[i]), 6),
                "tier": ability_tier(int(result.ranks[i]), n),
                "values": {ind.id: float(pm.matrix[i, j]) for j, ind in enumerate(pm.indicators)},
                "imputed": [pm.indicators[j].id for (r, j) in pm.imputed if r == i],
            }
            for i in order
        ],
        "notes": pm.notes,
        "warnings": list(result.warnings),
    }


def firm_report(
    data: FirmData,
    system: System,
    organization_id: str,
    *,
    peers: str | None = None,
    method: str = "entropy-topsis",
    trials: int = 500,
    **options: Any,
) -> dict[str, Any]:
    """One firm against its peers in every year it has figures for: rank and score by year;
    for the latest year with at least `MIN_PEERS` peers, radar values (min-max normalised
    indicators, 1 = best), the drivers of its position, rank stability under weight
    perturbation, growth stage, ability tier, recommended innovation mode and archetype, each
    with why."""
    firm = data.firms.get(organization_id)
    if firm is None:
        raise NotFound(f"no annual-report figures for organisation {organization_id!r}")
    group = peers or next((g for g, kinds in PEER_GROUPS.items() if firm.kind in kinds), "all")
    weighting, ranking = _check_method(method)
    history, latest, thin = [], None, None
    for year in firm.years:
        try:
            ranked = rank_peers(data, system, peers=group, year=year, method=method, **options)
        except InvalidInput:
            continue
        mine = next((f for f in ranked["firms"] if f["organization_id"] == firm.id), None)
        if mine is None:
            continue
        history.append(
            {
                "year": year,
                "rank": mine["rank"],
                "of": len(ranked["firms"]),
                "score": mine["score"],
                "tier": mine["tier"],
            }
        )
        if len(ranked["firms"]) >= MIN_PEERS:
            latest = ranked
        else:
            thin = ranked
    latest = latest or thin
    if latest is None:
        raise InvalidInput.at(
            "organization_id",
            f"{firm.name_en} has no year with two peers and two indicators to compare on",
        )
    year = latest["year"]
    pm = peer_matrix(data, system, peers=group, year=year)
    index = [f.id for f in pm.firms].index(firm.id)
    directions = np.array([ind.direction for ind in pm.indicators])
    radar = normalize(pm.matrix, directions, method="minmax")
    found = _assess(pm, weighting, ranking, options)
    stability = weight_perturbation(
        pm.matrix, found.weights, directions, ranking=ranking, trials=trials, seed=0
    )
    mine = next(f for f in latest["firms"] if f["organization_id"] == firm.id)
    this = firm.facts.annual.get(year, {})
    stage = _stage(firm, year)
    mode = recommend_mode(mine["tier"], stage["stage"])
    rd = firm.facts.compute(_RD_INTENSITY, year)
    return {
        "organization_id": firm.id,
        "name": firm.name,
        "name_en": firm.name_en,
        "peers": group,
        "peer_count": len(pm.firms),
        "method": method,
        "year": year,
        "rank": mine["rank"],
        "score": mine["score"],
        "tier": mine["tier"],
        "history": history,
        "radar": [
            {
                "indicator": ind.id,
                "name_en": ind.name_en,
                "name_zh": ind.name_zh,
                "value": round(float(radar[index, j]), 4),
                "peer_mean": round(float(radar[:, j].mean()), 4),
            }
            for j, ind in enumerate(pm.indicators)
        ],
        "drivers": [
            d
            | {
                "indicator": pm.indicators[d["criterion"]].id,
                "name_en": pm.indicators[d["criterion"]].name_en,
            }
            for d in drivers(pm.matrix, found.weights, directions, index)
        ],
        "stability": stability["alternatives"][index] | {"trials": trials},
        "stage": stage,
        "mode": mode,
        "archetype": archetype(rd),
        "figures": {
            k: {"value": v, "source_url": firm.sources.get((year, k), "")}
            for k, v in sorted(this.items())
        },
        "notes": latest["notes"],
        "warnings": latest["warnings"],
    }


_RD_INTENSITY = IndicatorDef(
    "rd_intensity", "R&D intensity", "", "input", 1, "rd_expense / revenue"
)


CASH = ("net_cash_operating", "net_cash_investing", "net_cash_financing")


def _stage(firm: Firm, year: int) -> dict[str, Any]:
    """The growth stage: from the cash-flow signs of the year, or of the year before when the
    year's are incomplete; else from revenue growth, averaged (geometric) over up to three
    years so that one year's price cut does not read as decline."""
    for when in (year, year - 1):
        figures = firm.facts.annual.get(when, {})
        if all(k in figures for k in CASH):
            cash = (figures[CASH[0]], figures[CASH[1]], figures[CASH[2]])
            found = growth_stage(year=when, cash=cash, revenue_growth=None)
            return found | {"year": when}
    revenue = firm.facts.annual
    now = revenue.get(year, {}).get("revenue")
    start = next(
        (y for y in (year - 3, year - 2, year - 1) if revenue.get(y, {}).get("revenue")), None
    )
    growth = None
    if now and start is not None:
        growth = (now / revenue[start]["revenue"]) ** (1 / (year - start)) - 1
    found = growth_stage(
        year=year, cash=(None, None, None), revenue_growth=growth, founded=firm.founded
    )
    if start is not None and growth is not None:
        found["why"] = found["why"].replace(
            "revenue growth", f"revenue growth {start}–{year} per year"
        )
    return found | {"year": year}


def assess_matrix(
    alternatives: list[str],
    criteria: list[str],
    matrix: Any,
    directions: Any,
    *,
    method: str = "entropy-topsis",
    trials: int = 0,
    **options: Any,
) -> dict[str, Any]:
    """Any decision matrix (a user's own): weights, scores and ranks by the method, every
    option recorded, and with `trials` the rank stability under weight perturbation."""
    weighting, ranking = _check_method(method)
    rows = list(matrix)
    if len(rows) != len(alternatives):
        raise InvalidInput.at("matrix", f"{len(rows)} rows for {len(alternatives)} alternatives")
    for k, row in enumerate(rows):
        if len(row) != len(criteria):
            raise InvalidInput.at(f"matrix.{k}", f"{len(row)} values for {len(criteria)} criteria")
    result = assess(
        np.array(rows, dtype=object),
        directions,
        weighting=weighting,
        ranking=ranking,
        names=criteria,
        **options,
    )
    out: dict[str, Any] = {
        "method": method,
        "criteria": criteria,
        "weights": list(result.weights),
        "alternatives": [
            {"name": name, "score": result.scores[i], "rank": result.ranks[i]}
            for i, name in enumerate(alternatives)
        ],
        "options": result.options,
        "warnings": list(result.warnings),
    }
    if trials:
        out["stability"] = weight_perturbation(
            np.array(rows, dtype=float),
            np.array(result.weights),
            directions,
            ranking=ranking,
            trials=trials,
        )
    return out
