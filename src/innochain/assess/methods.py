"""Multi-criteria decision methods as pure functions on a decision matrix: the weightings
(`weights`), the rankings (`ranking`), the matrix checks they share (`matrix`), and `assess`,
which runs one of each and records every option.

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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from innochain.assess.matrix import DEFAULT_COST, _choice, _directions, check_matrix, ranks
from innochain.assess.ranking import grey_relational, topsis
from innochain.assess.weights import ahp_weights, critic_weights, entropy_weights, equal_weights
from innochain.errors import InvalidInput

__all__ = ["METHODS", "Assessment", "assess"]

WEIGHTINGS = ("entropy", "critic", "equal", "ahp")
RANKINGS = ("topsis", "gra")
#: CLI method names -> (weighting, ranking): "entropy-topsis", "ahp-gra", ...
METHODS: dict[str, tuple[str, str]] = {f"{w}-{r}": (w, r) for w in WEIGHTINGS for r in RANKINGS}


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
