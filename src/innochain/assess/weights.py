"""Criterion weights: equal, entropy (Shannon), CRITIC (Diakoulaki et al. 1995) and AHP
(Saaty 1980), each variant the literature disagrees on an explicit keyword: what the entropy
is computed on (`on`: raw shares, min-max normalised, shifted) and how a zero share is
handled (`zero`); the normalisation CRITIC uses first; AHP's eigenvector or geometric-mean
priorities, random-index table and strictness about the consistency ratio."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from innochain.assess.matrix import (
    NORMALIZATIONS,
    FloatArray,
    _as_float,
    _choice,
    _directions,
    _label,
    _matrix,
    normalize,
)
from innochain.errors import InvalidInput, Problem

__all__ = ["AHPResult", "ahp_weights", "critic_weights", "entropy_weights", "equal_weights"]


#: Saaty's random consistency index by matrix size (Saaty 1980, *The Analytic Hierarchy
#: Process*, McGraw-Hill; the values used in Saaty 1990, EJOR 48:9-26)
SAATY_RI = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
#: the random index of Tummala & Ling (1998), Theory and Decision 44:221-230, to n = 15, as
#: tabulated by pymcdm 1.4 (`AHP.RI_M`)
TUMMALA_LING_RI = (
    0.0, 0.0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882,
    1.5117, 1.5356, 1.5571, 1.5714, 1.5831,
)  # fmt: skip
RI_TABLES = {"saaty": SAATY_RI, "tummala-ling": TUMMALA_LING_RI}


def equal_weights(n: int) -> FloatArray:
    """w_j = 1/n.

    >>> equal_weights(4).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InvalidInput.at("n", f"must be a positive number of criteria, got {n!r}")
    return np.full(int(n), 1.0 / n)


ENTROPY_ON = ("shares", "minmax", "shifted")
ENTROPY_ZERO = ("skip", "epsilon", "error")


def entropy_weights(
    matrix: Any,
    directions: Any = None,
    *,
    on: str = "shares",
    zero: str = "skip",
    shift: float = 1e-4,
    eps: float = 1e-9,
    names: Sequence[str] | None = None,
) -> FloatArray:
    """Shannon-entropy weights: criteria whose values differ more across alternatives weigh more.

    With z the values the entropy is computed on and m alternatives:
    p_ij = z_ij / Σ_i z_ij,  E_j = −(1 / ln m) Σ_i p_ij ln p_ij,  d_j = 1 − E_j,
    w_j = d_j / Σ_k d_k (Hwang & Yoon 1981; Zeleny 1982).

    `on`, what z is:

    - "shares": the raw values (Hwang & Yoon; pymcdm and pyrepo-mcda `entropy_weights`).
      Needs non-negative values; directions do not matter (a cost column is as informative
      as its mirror image);
    - "minmax": the min-max normalised values, cost columns reversed (the usual "熵值法" of
      the Chinese evaluation literature). The worst alternative of every column gets z = 0;
    - "shifted": min-max normalised plus `shift` (e.g. 1e-4, 0.01 or 1 in the literature),
      so that no share is zero.

    `zero`, a share p_ij = 0 (a zero value):

    - "skip": 0 · ln 0 = 0, its limit (Hwang & Yoon; pyrepo-mcda);
    - "epsilon": a zero value is replaced by `eps` before the shares are taken;
    - "error": `InvalidInput` naming the column (ln 0 is undefined).

    A constant column has E_j = 1 and weight 0.

    >>> entropy_weights([[1, 10], [2, 10], [3, 10]]).round(3).tolist()
    [1.0, 0.0]
    """
    x = _matrix(matrix, names)
    m, n = x.shape
    _directions(directions, n)
    _choice(on, ENTROPY_ON, "on")
    _choice(zero, ENTROPY_ZERO, "zero")
    if on == "shares":
        for j in range(n):
            if np.any(x[:, j] < 0):
                raise InvalidInput.at(_label(j, names), 'entropy on="shares" needs values ≥ 0')
        z = x.copy()
    else:
        z = normalize(x, directions, method="minmax", cost="reverse", names=names)
        if on == "shifted":
            if not shift > 0:
                raise InvalidInput.at("shift", f"must be > 0, got {shift}")
            z = z + shift
    if zero == "error" and np.any(z == 0):
        j = int(np.nonzero((z == 0).any(axis=0))[0][0])
        raise InvalidInput.at(_label(j, names), 'a zero share and zero="error": ln 0 is undefined')
    if zero == "epsilon":
        if not eps > 0:
            raise InvalidInput.at("eps", f"must be > 0, got {eps}")
        z = np.where(z == 0, eps, z)
    d = np.zeros(n)
    for j in range(n):
        col = z[:, j]
        total = col.sum()
        if total <= 0 or np.ptp(col) == 0:
            continue  # uniform shares: E = 1, no information
        p = col / total
        nz = p[p > 0]
        d[j] = max(0.0, 1.0 + float(nz @ np.log(nz)) / math.log(m))
    if d.sum() <= 0:
        raise InvalidInput.at("matrix", "every column is uniform; entropy cannot weigh them")
    return np.asarray(d / d.sum(), dtype=np.float64)


def critic_weights(
    matrix: Any,
    directions: Any,
    *,
    normalization: str = "minmax",
    cost: str | None = None,
    names: Sequence[str] | None = None,
) -> FloatArray:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995, Computers & OR 22(7):763-770).

    r = `normalize`(x, directions, method=normalization) (the paper: min-max with the worst
    value at 0, so cost columns reversed), then
    C_j = σ_j · Σ_k (1 − ρ_jk),  w_j = C_j / Σ_k C_k,
    σ_j the standard deviation of column j of r, ρ_jk the Pearson correlation of columns j
    and k. Contrast (σ) and conflict (1 − ρ) both raise a weight. Whether σ uses m or m − 1
    does not matter: the factor cancels in w. A constant column has σ = 0 and no defined
    correlation; it gets weight 0 and is left out of the others' conflict sums.

    `directions=None` treats every column as a benefit (pymcdm's and pyrepo-mcda's
    `critic_weights`, which ignore criterion types).

    >>> critic_weights([[1, 3], [2, 2], [3, 1]], [1, 1]).tolist()
    [0.5, 0.5]
    """
    x = _matrix(matrix, names)
    _choice(normalization, NORMALIZATIONS, "normalization")
    r = normalize(x, directions, method=normalization, cost=cost, names=names)
    informative = np.ptp(r, axis=0) > 0
    if not informative.any():
        raise InvalidInput.at("matrix", "every column is constant; CRITIC cannot weigh them")
    ri = r[:, informative]
    sigma = ri.std(axis=0, ddof=1)
    rho = np.corrcoef(ri, rowvar=False) if ri.shape[1] > 1 else np.ones((1, 1))
    c = sigma * (1.0 - rho).sum(axis=0)
    if c.sum() <= 1e-12 * sigma.sum():
        raise InvalidInput.at(
            "matrix", "CRITIC is undefined: the informative columns are perfectly correlated"
        )
    w = np.zeros(x.shape[1])
    w[informative] = c / c.sum()
    return w


@dataclass(frozen=True, eq=False)
class AHPResult:
    """Priorities from a pairwise comparison matrix and how consistent the judgements were."""

    weights: FloatArray
    lambda_max: float
    ci: float
    cr: float
    consistent: bool
    method: str
    ri: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "weights": self.weights.tolist(),
            "lambda_max": self.lambda_max,
            "ci": self.ci,
            "cr": self.cr,
            "consistent": self.consistent,
            "method": self.method,
            "ri": self.ri,
        }


def ahp_weights(
    pairwise: Any,
    *,
    method: str = "eigenvector",
    ri: str = "saaty",
    tol: float = 0.05,
    threshold: float = 0.1,
    strict: bool = False,
) -> AHPResult:
    """AHP priorities from a pairwise comparison matrix A (Saaty 1980).

    a_ij says how much more important criterion i is than j on Saaty's 1-9 scale; A must be
    square, positive, with a_ii = 1 and a_ji = 1/a_ij within |a_ij · a_ji − 1| ≤ `tol`, so
    that reciprocals written to two decimals (0.33 for 1/3, 0.13 for 1/8) are accepted. The
    matrix is used as given.

    - `method="eigenvector"`: w is the principal right eigenvector, A w = λ_max w, Σ w = 1
      (Saaty 1980);
    - `method="geometric"`: w_i ∝ (Π_j a_ij)^(1/n), the row geometric mean (Crawford &
      Williams 1985).

    Consistency always uses the principal eigenvalue: CI = (λ_max − n) / (n − 1),
    CR = CI / RI(n), with RI from `ri`: "saaty" (n ≤ 10; Saaty 1980) or "tummala-ling"
    (n ≤ 15; Tummala & Ling 1998). CR = 0 for n ≤ 2. `consistent` is CR ≤ `threshold`
    (0.1, Saaty's rule); an inconsistent matrix is returned for the caller to warn about,
    or raises `InvalidInput` when `strict`.

    >>> r = ahp_weights([[1, 3, 5], [1 / 3, 1, 5 / 3], [1 / 5, 3 / 5, 1]])
    >>> r.weights.round(4).tolist(), round(r.cr, 6), r.consistent
    ([0.6522, 0.2174, 0.1304], 0.0, True)
    """
    _choice(method, ("eigenvector", "geometric"), "method")
    table = RI_TABLES[_choice(ri, tuple(RI_TABLES), "ri")]
    a = _as_float(pairwise)
    n = a.shape[0]
    if a.shape != (n, n):
        raise InvalidInput.at("pairwise", f"must be a square matrix, got shape {a.shape}")
    if n > len(table):
        raise InvalidInput.at(
            "pairwise", f"{n} criteria: the {ri} random index table stops at {len(table)}"
        )
    problems = []
    for i, j in zip(*np.nonzero(a <= 0), strict=True):
        problems.append(Problem(f"must be positive, got {a[i, j]:g}", row=int(i), column=str(j)))
    if problems:
        raise InvalidInput(problems)
    for i in range(n):
        if abs(a[i, i] - 1.0) > tol:
            problems.append(Problem(f"diagonal must be 1, got {a[i, i]:g}", row=i, column=str(i)))
        for j in range(i + 1, n):
            if abs(a[i, j] * a[j, i] - 1.0) > tol:
                problems.append(
                    Problem(
                        f"not reciprocal: a[{i},{j}] = {a[i, j]:g} but a[{j},{i}] = {a[j, i]:g}",
                        row=i,
                        column=str(j),
                    )
                )
    if problems:
        raise InvalidInput(problems)
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lambda_max = float(values[k].real)
    w = np.abs(vectors[:, k].real) if method == "eigenvector" else np.exp(np.log(a).mean(axis=1))
    w = w / w.sum()
    ci = max(0.0, (lambda_max - n) / (n - 1)) if n > 1 else 0.0
    ri_n = table[n - 1]
    cr = ci / ri_n if ri_n > 0 else 0.0
    result = AHPResult(w, lambda_max, ci, cr, cr <= threshold, method, ri_n)
    if strict and not result.consistent:
        raise InvalidInput.at(
            "pairwise", f"consistency ratio {cr:.3f} > {threshold}: revise the judgements"
        )
    return result
