"""The decision matrix: its checks, normalisation and ranks, shared by every method.

A decision matrix has one row per alternative (a firm) and one column per criterion (an
indicator); `directions` gives +1 for a benefit criterion (more is better) and -1 for a cost
criterion (less is better). Normalisation is "vector", "minmax", "sum" or "max", and what a
cost column becomes is explicit (`cost`: "reverse", "inverse" or "none").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real
from typing import Any

import numpy as np
import numpy.typing as npt

from innochain.errors import InvalidInput, Problem

__all__ = ["check_matrix", "normalize", "ranks"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

NORMALIZATIONS = ("vector", "minmax", "sum", "max")
COST_RULES = ("reverse", "inverse", "none")
#: the cost rule each normalisation uses unless told otherwise (the common textbook pairing)
DEFAULT_COST = {"vector": "reverse", "minmax": "reverse", "sum": "inverse", "max": "inverse"}


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
