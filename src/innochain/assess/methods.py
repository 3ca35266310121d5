"""Multi-criteria decision methods as pure functions on a decision matrix.

A decision matrix has one row per alternative (a firm) and one column per criterion (an
indicator); `directions` gives +1 for a benefit criterion (more is better) and -1 for a cost
criterion (less is better). Every variant the literature disagrees on is an explicit keyword:

- **normalisation** (`normalize`): "vector", "minmax", "sum", "max", and what a cost column
  becomes (`cost`: "reverse", "inverse" or "none");
- **entropy** (`entropy_weights`): what the entropy is computed on (`on`: raw shares, min-max
  normalised, shifted) and how a zero share is handled (`zero`);
- **CRITIC** (`critic_weights`, Diakoulaki et al. 1995): the normalisation used first;
- **AHP** (`ahp_weights`, Saaty 1980): eigenvector or geometric-mean priorities, the random
  index table, strictness about the consistency ratio;
- **TOPSIS** (`topsis`, Hwang & Yoon 1981): normalisation, cost treatment, and whether the
  weights multiply the matrix or sit inside the distance (`weighting`);
- **grey relational analysis** (`grey_relational`, Deng 1989): distinguishing coefficient and
  normalisation.

`assess` runs one weighting then one ranking and records every option it used. Invalid input
raises `InvalidInput` naming the column (and row) at fault; what only weakens the result (a
constant column, an inconsistent AHP matrix) is a warning in the result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
import numpy.typing as npt

from innochain.errors import InvalidInput, Problem

__all__ = [
    "METHODS",
    "AHPResult",
    "Assessment",
    "GRAResult",
    "TopsisResult",
    "ahp_weights",
    "assess",
    "check_matrix",
    "critic_weights",
    "entropy_weights",
    "equal_weights",
    "grey_relational",
    "normalize",
    "ranks",
    "topsis",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

NORMALIZATIONS = ("vector", "minmax", "sum", "max")
COST_RULES = ("reverse", "inverse", "none")
#: the cost rule each normalisation uses unless told otherwise (the common textbook pairing)
DEFAULT_COST = {"vector": "reverse", "minmax": "reverse", "sum": "inverse", "max": "inverse"}
WEIGHTINGS = ("entropy", "critic", "equal", "ahp")
RANKINGS = ("topsis", "gra")
#: CLI method names -> (weighting, ranking): "entropy-topsis", "ahp-gra", ...
METHODS: dict[str, tuple[str, str]] = {f"{w}-{r}": (w, r) for w in WEIGHTINGS for r in RANKINGS}

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


# -- validation ---------------------------------------------------------------------------


def _label(j: int, names: Sequence[str] | None) -> str:
    return names[j] if names is not None and j < len(names) else f"column {j}"


def _as_float(matrix: Any, names: Sequence[str] | None = None) -> FloatArray:
    """The matrix as a 2-D float array; every non-numeric or non-finite cell is a problem."""
    if isinstance(matrix, np.ndarray) and matrix.dtype.kind in "iuf":
        arr: npt.NDArray[Any] = matrix
    else:
        try:
            arr = np.asarray(matrix, dtype=object)
        except ValueError as error:  # ragged nested sequences
            raise InvalidInput.at("matrix", "not a table of rows of equal length") from error
    if arr.ndim != 2:
        raise InvalidInput.at("matrix", "must be a table: rows of equal length, one column each")
    if arr.shape[1] == 0:
        raise InvalidInput.at("matrix", "has no criteria (columns)")
    problems = []
    if arr.dtype.kind not in "iuf":
        out = np.empty(arr.shape, dtype=np.float64)
        for (i, j), cell in np.ndenumerate(arr):
            if isinstance(cell, Real) and not isinstance(cell, bool | np.bool_):
                out[i, j] = float(cell)
            else:
                out[i, j] = 0.0
                problems.append(Problem(f"not a number: {cell!r}", row=i, column=_label(j, names)))
    else:
        out = arr.astype(np.float64)
    for i, j in zip(*np.nonzero(~np.isfinite(out)), strict=True):
        problems.append(Problem(f"not finite: {out[i, j]}", row=int(i), column=_label(j, names)))
    if problems:
        raise InvalidInput(problems)
    return out


def _matrix(matrix: Any, names: Sequence[str] | None = None) -> FloatArray:
    x = _as_float(matrix, names)
    if x.shape[0] < 2:
        raise InvalidInput.at("matrix", f"needs at least two alternatives (rows), got {x.shape[0]}")
    return x


def _directions(directions: Any, n: int) -> IntArray:
    if directions is None:
        return np.ones(n, dtype=np.int64)
    d = np.asarray(directions, dtype=object).ravel()
    if d.size != n:
        raise InvalidInput.at("directions", f"has {d.size} entries for {n} criteria")
    bad = [k for k, v in enumerate(d) if isinstance(v, bool | np.bool_) or v not in (1, -1)]
    if bad:
        raise InvalidInput.at(
            "directions", f"must be +1 (benefit) or -1 (cost); entries {bad} are {d[bad].tolist()}"
        )
    return d.astype(np.int64)


def _weights(weights: Any, n: int) -> FloatArray:
    """Non-negative finite weights, one per criterion, divided by their sum."""
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidInput.at("weights", f"not numbers ({error})") from error
    if w.ndim != 1 or w.size != n:
        raise InvalidInput.at("weights", f"needs one weight per criterion ({n}), got {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise InvalidInput.at("weights", "must be finite, non-negative and not all zero")
    return np.asarray(w / w.sum(), dtype=np.float64)


def _choice(value: str, allowed: Sequence[str], field: str) -> str:
    if value not in allowed:
        raise InvalidInput.at(field, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def check_matrix(
    matrix: Any,
    directions: Any,
    *,
    names: list[str] | None = None,
    ratio_columns: Sequence[int] = (),
) -> tuple[FloatArray, list[str]]:
    """Validate a decision matrix: the float matrix and a list of warnings, or `InvalidInput`.

    Errors (every one found, each naming its column by `names` when given, and its row):
    non-numeric or non-finite cells; fewer than two alternatives; `directions` of the wrong
    length or not ±1; a negative value in a `ratio_columns` column; an all-zero row; every
    column constant. A constant column is only a warning: it carries no information (entropy
    weight 0, CRITIC standard deviation 0) and cannot change any ranking.

    >>> x, warnings = check_matrix([[1, 5], [2, 5], [3, 5]], [1, -1], names=["rd", "cost"])
    >>> x.shape, warnings
    ((3, 2), ['cost: constant column (every value 5); it carries no information'])
    >>> check_matrix([[1, "n/a"], [2, 3]], [1, 1], names=["rd", "patents"])
    Traceback (most recent call last):
    innochain.errors.InvalidInput: 0:patents: not a number: 'n/a'
    """
    x = _matrix(matrix, names)
    n = x.shape[1]
    if names is not None and len(names) != n:
        raise InvalidInput.at("names", f"has {len(names)} names for {n} columns")
    _directions(directions, n)
    problems = []
    for j in ratio_columns:
        if not 0 <= j < n:
            raise InvalidInput.at("ratio_columns", f"{j} is not a column index (0..{n - 1})")
        for i in np.nonzero(x[:, j] < 0)[0]:
            problems.append(
                Problem(
                    f"negative value {x[i, j]:g} in a ratio column",
                    row=int(i),
                    column=_label(j, names),
                )
            )
    for i in np.nonzero(~x.any(axis=1))[0]:
        problems.append(Problem("every value of this alternative is zero", row=int(i)))
    if problems:
        raise InvalidInput(problems)
    constant = np.ptp(x, axis=0) == 0
    if constant.all():
        raise InvalidInput.at("matrix", "every column is constant; nothing tells the rows apart")
    warnings = [
        f"{_label(int(j), names)}: constant column (every value {x[0, j]:g}); "
        "it carries no information"
        for j in np.nonzero(constant)[0]
    ]
    return x, warnings


# -- normalisation ------------------------------------------------------------------------


def _benefit_form(col: FloatArray, method: str, label: str) -> FloatArray:
    if method == "vector":
        norm = math.sqrt(float(col @ col))
        return col / norm if norm > 0 else np.zeros_like(col)
    if method == "minmax":
        lo, hi = col.min(), col.max()
        return (col - lo) / (hi - lo) if hi > lo else np.ones_like(col)
    if np.any(col < 0):
        raise InvalidInput.at(label, f"{method} normalisation needs non-negative values")
    if method == "sum":
        total = col.sum()
        return col / total if total > 0 else np.full_like(col, 1.0 / col.size)
    top = col.max()  # "max"
    return col / top if top > 0 else np.ones_like(col)


def normalize(
    matrix: Any,
    directions: Any,
    *,
    method: str = "vector",
    cost: str | None = None,
    names: Sequence[str] | None = None,
) -> FloatArray:
    """Each column rescaled to a common, unitless scale; cost columns per `cost`.

    Benefit columns (``r`` is the result, ``x`` the column):

    - "vector": r = x / ‖x‖₂ (Hwang & Yoon 1981); an all-zero column stays 0;
    - "minmax": r = (x − min) / (max − min); a constant column becomes 1 (as pymcdm and
      pyrepo-mcda do);
    - "sum": r = x / Σx (needs x ≥ 0);
    - "max": r = x / max (needs x ≥ 0; the linear scale of Hwang & Yoon 1981).

    Cost columns, `cost`:

    - "reverse": r = 1 − r(x); for "minmax" that is (max − x) / (max − min). The pairing used
      by pymcdm and pyrepo-mcda for "vector", "minmax" and their "max" normalisation;
    - "inverse": r = r(1/x), needs x > 0; for "sum" (1/x) / Σ(1/x), for "max" min / x (the
      linear scale of Hwang & Yoon 1981 for costs; pymcdm/pyrepo-mcda "linear" and "sum");
    - "none": normalised like a benefit column; the caller takes its minimum as best (the
      original TOPSIS of Hwang & Yoon 1981).

    The default (`cost=None`) is "reverse" for "vector" and "minmax" and "inverse" for "sum"
    and "max". "reverse" is an affine map of slope −1, so for TOPSIS and grey relational
    analysis it gives exactly the same distances as "none".

    >>> normalize([[1, 4], [3, 2]], [1, -1], method="minmax").tolist()
    [[0.0, 0.0], [1.0, 1.0]]
    >>> normalize([[1, 4], [3, 2]], [1, -1], method="max").tolist()
    [[0.3333333333333333, 0.5], [1.0, 1.0]]
    """
    x = _matrix(matrix, names)
    d = _directions(directions, x.shape[1])
    _choice(method, NORMALIZATIONS, "method")
    rule = _choice(DEFAULT_COST[method] if cost is None else cost, COST_RULES, "cost")
    out = np.empty_like(x)
    for j in range(x.shape[1]):
        col, label = x[:, j], _label(j, names)
        if d[j] > 0 or rule == "none":
            out[:, j] = _benefit_form(col, method, label)
        elif rule == "reverse":
            constant_minmax = method == "minmax" and col.max() == col.min()
            out[:, j] = 1.0 if constant_minmax else 1.0 - _benefit_form(col, method, label)
        else:  # inverse
            if np.any(col <= 0):
                raise InvalidInput.at(label, 'cost="inverse" needs positive values (it uses 1/x)')
            out[:, j] = _benefit_form(1.0 / col, method, label)
    return out


def _best_is_max(directions: IntArray, cost: str) -> npt.NDArray[np.bool_]:
    """Which columns have their best value at the maximum after `normalize(cost=cost)`."""
    return np.asarray((directions > 0) | (cost != "none"))


# -- weights ------------------------------------------------------------------------------


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


# -- rankings -----------------------------------------------------------------------------


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


def ranks(scores: Any, *, descending: bool = True) -> IntArray:
    """Rank 1 is the best (highest score when `descending`); equal scores share the lowest
    rank of their group and the next rank is skipped ("1224", competition ranking).

    >>> ranks([0.2, 0.9, 0.5, 0.9]).tolist()
    [4, 1, 3, 1]
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 1 or not np.all(np.isfinite(s)):
        raise InvalidInput.at("scores", "must be a flat list of finite numbers")
    key = -s if descending else s
    return (np.searchsorted(np.sort(key), key, side="left") + 1).astype(np.int64)


# -- the convenience ----------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """One weighting then one ranking, with every option used, so the result can be redone."""

    method: str
    weights: list[float]
    scores: list[float]
    ranks: list[int]
    warnings: list[str]
    options: dict[str, Any]
    details: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


#: options `assess` accepts, with their defaults, by the method that reads them
_OPTIONS: dict[str, dict[str, Any]] = {
    "entropy": {"entropy_on": "shares", "zero": "skip", "shift": 1e-4, "eps": 1e-9},
    "critic": {"critic_normalization": "minmax"},
    "equal": {},
    "ahp": {"pairwise": None, "ahp_method": "eigenvector", "ri": "saaty", "strict": False},
    "topsis": {"normalization": "vector", "cost": None, "topsis_weighting": "matrix"},
    "gra": {"normalization": "minmax", "cost": None, "rho": 0.5},
}


def assess(
    matrix: Any,
    directions: Any,
    *,
    weighting: str,
    ranking: str,
    names: list[str] | None = None,
    ratio_columns: Sequence[int] = (),
    **options: Any,
) -> Assessment:
    """Validate, weigh (`weighting`: "entropy", "critic", "equal", "ahp"), then rank
    (`ranking`: "topsis", "gra").

    Options, each recorded in `Assessment.options` with its default when not given:
    entropy: `entropy_on`, `zero`, `shift`, `eps` (see `entropy_weights`); critic:
    `critic_normalization`; ahp: `pairwise` (required), `ahp_method`, `ri`, `strict`;
    topsis: `normalization` ("vector"), `cost`, `topsis_weighting` ("matrix"/"distance");
    gra: `normalization` ("minmax"), `cost`, `rho`. An option the chosen methods do not read
    is an error, so a typo never passes silently.

    >>> a = assess([[1, 9], [2, 7], [3, 8]], [1, -1], weighting="equal", ranking="topsis")
    >>> a.method, a.ranks, a.options["normalization"]
    ('equal-topsis', [3, 2, 1], 'vector')
    """
    _choice(weighting, WEIGHTINGS, "weighting")
    _choice(ranking, RANKINGS, "ranking")
    accepted = _OPTIONS[weighting] | _OPTIONS[ranking]
    for key in options:
        if key not in accepted:
            raise InvalidInput.at(
                key,
                f"not an option of {weighting}-{ranking}; "
                f"options are {', '.join(sorted(accepted)) or 'none'}",
            )
    opts = accepted | options
    x, warnings = check_matrix(matrix, directions, names=names, ratio_columns=ratio_columns)
    d = _directions(directions, x.shape[1])
    details: dict[str, Any] = {}
    if weighting == "entropy":
        w = entropy_weights(
            x, d, on=opts["entropy_on"], zero=opts["zero"], shift=opts["shift"],
            eps=opts["eps"], names=names,
        )  # fmt: skip
    elif weighting == "critic":
        w = critic_weights(x, d, normalization=opts["critic_normalization"], names=names)
    elif weighting == "equal":
        w = equal_weights(x.shape[1])
    else:
        if opts["pairwise"] is None:
            raise InvalidInput.at("pairwise", "ahp weighting needs a pairwise comparison matrix")
        ahp = ahp_weights(
            opts["pairwise"], method=opts["ahp_method"], ri=opts["ri"], strict=opts["strict"]
        )
        if ahp.weights.size != x.shape[1]:
            raise InvalidInput.at(
                "pairwise", f"compares {ahp.weights.size} criteria, the matrix has {x.shape[1]}"
            )
        if not ahp.consistent:
            warnings.append(
                f"AHP consistency ratio {ahp.cr:.3f} > 0.1: the pairwise judgements are "
                "inconsistent (Saaty); revise them before relying on the weights"
            )
        details["ahp"] = ahp.as_dict()
        w = ahp.weights
        opts = opts | {"pairwise": np.asarray(opts["pairwise"], dtype=float).tolist()}
    if ranking == "topsis":
        t = topsis(
            x, w, d, normalization=opts["normalization"], weighting=opts["topsis_weighting"],
            cost=opts["cost"], names=names,
        )  # fmt: skip
        scores = t.scores
        details["topsis"] = {"d_plus": t.d_plus.tolist(), "d_minus": t.d_minus.tolist()}
    else:
        g = grey_relational(
            x, w, d, rho=opts["rho"], normalization=opts["normalization"], cost=opts["cost"],
            names=names,
        )  # fmt: skip
        scores = g.grades
    if opts["cost"] is None:
        opts["cost"] = DEFAULT_COST[opts["normalization"]]
    return Assessment(
        method=f"{weighting}-{ranking}",
        weights=w.tolist(),
        scores=scores.tolist(),
        ranks=ranks(scores).tolist(),
        warnings=warnings,
        options={"weighting": weighting, "ranking": ranking} | opts,
        details=details,
    )
