"""Sensitivity: how stable a ranking is when the weights move, and which criteria put an
alternative where it is.

`weight_perturbation` is a seeded Monte Carlo over the weights; `drivers` decomposes one
alternative's TOPSIS position criterion by criterion. Both return plain JSON-able values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from innochain.assess.matrix import (
    DEFAULT_COST,
    NORMALIZATIONS,
    FloatArray,
    IntArray,
    _best_is_max,
    _choice,
    _directions,
    _matrix,
    _weights,
    normalize,
)
from innochain.assess.ranking import _closeness, _grey_coefficients
from innochain.errors import InvalidInput

__all__ = ["drivers", "weight_perturbation"]

_RANKING_OPTIONS: dict[str, dict[str, Any]] = {
    "topsis": {"normalization": "vector", "cost": None, "weighting": "matrix"},
    "gra": {"normalization": "minmax", "cost": None, "rho": 0.5},
}
_CHUNK = 4_000_000  # floats per block of trials (TOPSIS holds trials × m × n)


def _row_ranks(scores: FloatArray) -> tuple[IntArray, FloatArray]:
    """Ranks within each row of `scores` (t × m) by descending score: the competition rank of
    `ranks` (ties share the lowest) and the average rank (ties share their mean, Spearman's
    convention). One sort per row, all rows at once."""
    t, m = scores.shape
    order = np.argsort(-scores, axis=1, kind="stable")
    ordered = np.take_along_axis(scores, order, axis=1)
    first = np.ones((t, m), dtype=bool)  # the position starts a group of equal scores
    first[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    last = np.ones((t, m), dtype=bool)  # the position ends one
    last[:, :-1] = first[:, 1:]
    at = np.arange(m)
    start = np.maximum.accumulate(np.where(first, at, 0), axis=1)
    end = np.minimum.accumulate(np.where(last, at, m - 1)[:, ::-1], axis=1)[:, ::-1] + 1
    low, mean = np.empty((t, m), dtype=np.int64), np.empty((t, m))
    np.put_along_axis(low, order, start + 1, axis=1)
    np.put_along_axis(mean, order, (start + end + 1) / 2.0, axis=1)
    return low, mean


def _spearman_rows(base: FloatArray, ranked: FloatArray) -> FloatArray:
    """Spearman's correlation of each row of average ranks `ranked` (t × m) with the average
    ranks `base` (m): the Pearson correlation of the ranks; 1.0 if both are all ties, 0.0 if
    one is."""
    ra, rb = ranked - ranked.mean(axis=1, keepdims=True), base - base.mean()
    den = np.sqrt((ra * ra).sum(axis=1) * (rb @ rb))
    equal = np.all(ra == rb, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (ra @ rb) / den
    return np.where(den == 0, np.where(equal, 1.0, 0.0), rho)


def _trial_scores(
    x: FloatArray, d: Any, weights: FloatArray, ranking: str, opts: dict[str, Any]
) -> FloatArray:
    """Scores (t × m) of TOPSIS or GRA for each row of `weights` (t × n), normalised once."""
    rule = DEFAULT_COST[opts["normalization"]] if opts["cost"] is None else opts["cost"]
    r = normalize(x, d, method=opts["normalization"], cost=rule)
    best_max = _best_is_max(d, rule)
    if ranking == "gra":
        if not 0 < opts["rho"] <= 1:
            raise InvalidInput.at("rho", f"must be in (0, 1], got {opts['rho']}")
        return np.asarray(weights @ _grey_coefficients(r, best_max, opts["rho"]).T)
    _choice(opts["weighting"], ("matrix", "distance"), "weighting")
    block = max(1, _CHUNK // r.size)
    parts = [
        _closeness(r, weights[k : k + block], best_max, opts["weighting"])[0]
        for k in range(0, weights.shape[0], block)
    ]
    return np.concatenate(parts)


def weight_perturbation(
    matrix: Any,
    weights: Any,
    directions: Any,
    *,
    ranking: str = "topsis",
    trials: int = 1000,
    spread: float = 0.2,
    seed: int = 0,
    **options: Any,
) -> dict[str, Any]:
    """Rank stability under random weights near the given ones (Monte Carlo, seeded).

    Each trial multiplies every weight by an independent U(1 − spread, 1 + spread) factor and
    divides by the sum (a weight of 0 stays 0), then ranks with `ranking` ("topsis" or "gra")
    and `options` (TOPSIS: `normalization`, `cost`, `weighting`; GRA: `normalization`,
    `cost`, `rho`; as in `methods`). Per alternative: its base rank, the mean, population
    standard deviation, minimum and maximum of its rank over the trials, and `stability`,
    the share of trials in which it kept its base rank. Overall: the mean and minimum
    Spearman correlation between a trial's scores and the base scores.

    Two alternatives tied at the top trade places; the dominated third never moves:

    >>> out = weight_perturbation([[3, 1], [1, 3], [1, 1]], [0.5, 0.5], [1, 1], trials=200)
    >>> [(a["base_rank"], a["max_rank"], a["stability"]) for a in out["alternatives"]]
    [(1, 2, 0.55), (1, 2, 0.45), (3, 3, 1.0)]
    """
    _choice(ranking, tuple(_RANKING_OPTIONS), "ranking")
    for key in options:
        if key not in _RANKING_OPTIONS[ranking]:
            allowed = ", ".join(_RANKING_OPTIONS[ranking])
            raise InvalidInput.at(key, f"not an option of {ranking}; options are {allowed}")
    opts = _RANKING_OPTIONS[ranking] | options
    _choice(opts["normalization"], NORMALIZATIONS, "normalization")
    if isinstance(trials, bool) or not isinstance(trials, int) or trials < 1:
        raise InvalidInput.at("trials", f"must be a positive whole number, got {trials!r}")
    if not 0 <= spread < 1:
        raise InvalidInput.at("spread", f"must be in [0, 1), got {spread}")
    x = _matrix(matrix)
    d = _directions(directions, x.shape[1])
    w = _weights(weights, x.shape[1])
    rng = np.random.default_rng(seed)
    sample = w * rng.uniform(1.0 - spread, 1.0 + spread, size=(trials, w.size))
    sample /= sample.sum(axis=1, keepdims=True)
    base = _trial_scores(x, d, w[None, :], ranking, opts)[0]
    scores = _trial_scores(x, d, sample, ranking, opts)
    base_low, base_average = _row_ranks(base[None, :])
    base_rank = base_low[0]
    trial_ranks, average = _row_ranks(scores)
    rho = _spearman_rows(base_average[0], average)
    alternatives = [
        {
            "index": i,
            "base_rank": int(base_rank[i]),
            "mean_rank": float(trial_ranks[:, i].mean()),
            "std_rank": float(trial_ranks[:, i].std()),
            "min_rank": int(trial_ranks[:, i].min()),
            "max_rank": int(trial_ranks[:, i].max()),
            "stability": float((trial_ranks[:, i] == base_rank[i]).mean()),
        }
        for i in range(x.shape[0])
    ]
    return {
        "ranking": ranking,
        "options": opts,
        "trials": trials,
        "spread": float(spread),
        "seed": seed,
        "scheme": "w_j × U(1 − spread, 1 + spread), renormalised to sum 1",
        "alternatives": alternatives,
        "spearman_mean": float(rho.mean()),
        "spearman_min": float(rho.min()),
    }


def drivers(
    matrix: Any,
    weights: Any,
    directions: Any,
    index: int,
    *,
    normalization: str = "vector",
) -> list[dict[str, Any]]:
    """Which criteria drive alternative `index`'s position, strongest effect first.

    With r = `normalize`(x, directions, method=normalization) (cost columns turned so that
    more is better) and v_ij = w_j r_ij, the weighted normalised matrix of TOPSIS, each
    criterion j reports:

    - `value` v_ij, `peer_mean` the mean of v_kj over the other alternatives k ≠ i, and
      `effect` = value − peer_mean: positive is a strength, negative a weakness. The effects
      add up to the alternative's weighted-sum score minus its peers' mean score, an exact
      linear decomposition;
    - `ideal` and `anti_ideal` (column maximum and minimum of v), `gap_to_ideal` = ideal −
      value, and `d_plus_share` / `d_minus_share`, criterion j's share of the squared TOPSIS
      distances D⁺² = Σ_j (v⁺_j − v_ij)² and D⁻² = Σ_j (v_ij − v⁻_j)², also exact.

    Rows are sorted by |effect|, largest first (ties by criterion index); `raw` is x_ij.

    >>> rows = drivers([[9, 1], [5, 5], [1, 9]], [0.5, 0.5], [1, 1], 0, normalization="minmax")
    >>> [(r["criterion"], r["effect"]) for r in rows]
    [(0, 0.375), (1, -0.375)]
    """
    x = _matrix(matrix)
    d = _directions(directions, x.shape[1])
    w = _weights(weights, x.shape[1])
    _choice(normalization, NORMALIZATIONS, "normalization")
    m = x.shape[0]
    if isinstance(index, bool) or not isinstance(index, int | np.integer) or not 0 <= index < m:
        raise InvalidInput.at("index", f"must be a row index 0..{m - 1}, got {index!r}")
    v = normalize(x, d, method=normalization) * w
    ideal, anti = v.max(axis=0), v.min(axis=0)
    row = v[index]
    peer_mean = (v.sum(axis=0) - row) / (m - 1)
    plus, minus = (ideal - row) ** 2, (row - anti) ** 2
    plus_total, minus_total = plus.sum(), minus.sum()
    rows = [
        {
            "criterion": j,
            "weight": float(w[j]),
            "raw": float(x[index, j]),
            "value": float(row[j]),
            "peer_mean": float(peer_mean[j]),
            "effect": float(row[j] - peer_mean[j]),
            "ideal": float(ideal[j]),
            "anti_ideal": float(anti[j]),
            "gap_to_ideal": float(ideal[j] - row[j]),
            "d_plus_share": float(plus[j] / plus_total) if plus_total > 0 else 0.0,
            "d_minus_share": float(minus[j] / minus_total) if minus_total > 0 else 0.0,
        }
        for j in range(x.shape[1])
    ]
    return sorted(rows, key=lambda r: (-abs(r["effect"]), r["criterion"]))
