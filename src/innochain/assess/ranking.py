"""Rankings of the alternatives from a matrix and weights: TOPSIS (Hwang & Yoon 1981;
normalisation, cost treatment, and whether the weights multiply the matrix or sit inside the
distance, `weighting`) and grey relational analysis (Deng 1989; distinguishing coefficient
and normalisation)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from innochain.assess.matrix import (
    DEFAULT_COST,
    NORMALIZATIONS,
    FloatArray,
    _best_is_max,
    _choice,
    _directions,
    _matrix,
    _weights,
    normalize,
)
from innochain.errors import InvalidInput

__all__ = ["GRAResult", "TopsisResult", "grey_relational", "topsis"]


@dataclass(frozen=True, eq=False)
class TopsisResult:
    """TOPSIS closeness and its explanation, in the space the distances were measured in."""

    scores: FloatArray
    d_plus: FloatArray
    d_minus: FloatArray
    ideal: FloatArray
    anti_ideal: FloatArray
    weighted: FloatArray

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k).tolist() for k in self.__dataclass_fields__}


def _closeness(
    r: FloatArray, w: FloatArray, best_max: npt.NDArray[np.bool_], weighting: str
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """TOPSIS on a normalised matrix r (m × n) for one (n,) or many (t, n) weight vectors:
    (scores, d_plus, d_minus, ideal, anti_ideal), each with a leading t axis if w has one."""
    v = r * w[..., None, :] if weighting == "matrix" else np.broadcast_to(r, w.shape[:-1] + r.shape)
    hi, lo = v.max(axis=-2), v.min(axis=-2)
    ideal, anti = np.where(best_max, hi, lo), np.where(best_max, lo, hi)
    gap_plus, gap_minus = (v - ideal[..., None, :]) ** 2, (v - anti[..., None, :]) ** 2
    if weighting == "distance":
        gap_plus, gap_minus = gap_plus * w[..., None, :], gap_minus * w[..., None, :]
    d_plus, d_minus = np.sqrt(gap_plus.sum(axis=-1)), np.sqrt(gap_minus.sum(axis=-1))
    total = d_plus + d_minus
    if np.any(total == 0):
        raise InvalidInput.at(
            "matrix", "no criterion with a positive weight tells the alternatives apart"
        )
    return d_minus / total, d_plus, d_minus, ideal, anti


def topsis(
    matrix: Any,
    weights: Any,
    directions: Any,
    *,
    normalization: str = "vector",
    weighting: str = "matrix",
    cost: str | None = None,
    names: Sequence[str] | None = None,
) -> TopsisResult:
    """TOPSIS (Hwang & Yoon 1981): closeness to the ideal, distance from the anti-ideal.

    r = `normalize`(x, directions, method=normalization, cost=cost); per column the ideal is
    the best value (the maximum, or the minimum of a cost column left as is by cost="none")
    and the anti-ideal the worst. Then C_i = D⁻_i / (D⁺_i + D⁻_i) in [0, 1], with

    - `weighting="matrix"`: v_ij = w_j r_ij, D⁺_i = √Σ_j (v_ij − v⁺_j)² (Hwang & Yoon 1981;
      pymcdm and pyrepo-mcda);
    - `weighting="distance"`: D⁺_i = √Σ_j w_j (r_ij − r⁺_j)², the weighted Euclidean
      distance (Deng, Yeh & Willis 2000, Computers & OR 27:963-973); ideal and anti-ideal
      are then reported unweighted. It equals "matrix" with weights √w_j.

    Weights are divided by their sum (C does not change under "matrix").

    The example of pymcdm's documentation, min-max normalised:

    >>> r = topsis([[1, 3000], [2, 3750], [5, 4500]], [0.5, 0.5], [-1, 1], normalization="minmax")
    >>> r.scores.round(3).tolist()
    [0.5, 0.617, 0.5]
    """
    x = _matrix(matrix, names)
    d = _directions(directions, x.shape[1])
    w = _weights(weights, x.shape[1])
    _choice(weighting, ("matrix", "distance"), "weighting")
    _choice(normalization, NORMALIZATIONS, "normalization")
    rule = DEFAULT_COST[normalization] if cost is None else cost
    r = normalize(x, d, method=normalization, cost=rule, names=names)
    scores, d_plus, d_minus, ideal, anti = _closeness(r, w, _best_is_max(d, rule), weighting)
    weighted = r * w if weighting == "matrix" else r
    return TopsisResult(scores, d_plus, d_minus, ideal, anti, weighted)


@dataclass(frozen=True, eq=False)
class GRAResult:
    """Grey relational grades, the coefficients they average, and the reference series."""

    grades: FloatArray
    coefficients: FloatArray
    reference: FloatArray

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k).tolist() for k in self.__dataclass_fields__}


def _grey_coefficients(r: FloatArray, best_max: npt.NDArray[np.bool_], rho: float) -> FloatArray:
    reference = np.where(best_max, r.max(axis=0), r.min(axis=0))
    delta = np.abs(reference - r)
    dmin, dmax = delta.min(), delta.max()
    if dmax == 0:
        raise InvalidInput.at("matrix", "every column is constant; nothing tells the rows apart")
    return np.asarray((dmin + rho * dmax) / (delta + rho * dmax))


def grey_relational(
    matrix: Any,
    weights: Any,
    directions: Any,
    *,
    rho: float = 0.5,
    normalization: str = "minmax",
    cost: str | None = None,
    names: Sequence[str] | None = None,
) -> GRAResult:
    """Grey relational analysis (Deng 1989, J. Grey System 1(1):1-24; for decision making as
    in Kuo, Yang & Huang 2008, Computers & Industrial Engineering 55:80-93).

    r = `normalize`(x, directions, method=normalization, cost=cost); the reference series
    x⁰_j is the best value of column j (1 after min-max); Δ_ij = |x⁰_j − r_ij|, and with
    Δmin, Δmax the smallest and largest Δ over the whole matrix (Deng's two-level min/max),
    the grey relational coefficient is ξ_ij = (Δmin + ρ Δmax) / (Δ_ij + ρ Δmax) and the
    grade γ_i = Σ_j w_j ξ_ij (weights divided by their sum; equal weights give Deng's mean).
    `rho`, the distinguishing coefficient, is in (0, 1]; 0.5 is customary.

    >>> g = grey_relational([[1, 4], [3, 2], [2, 3]], [0.5, 0.5], [1, -1])
    >>> g.grades.round(4).tolist()
    [0.3333, 1.0, 0.5]
    """
    x = _matrix(matrix, names)
    d = _directions(directions, x.shape[1])
    w = _weights(weights, x.shape[1])
    if not 0 < rho <= 1:
        raise InvalidInput.at("rho", f"must be in (0, 1], got {rho}")
    _choice(normalization, NORMALIZATIONS, "normalization")
    rule = DEFAULT_COST[normalization] if cost is None else cost
    r = normalize(x, d, method=normalization, cost=rule, names=names)
    best_max = _best_is_max(d, rule)
    xi = _grey_coefficients(r, best_max, rho)
    reference = np.where(best_max, r.max(axis=0), r.min(axis=0))
    return GRAResult(xi @ w, xi, reference)
