"""Sensitivity: seeded and deterministic, consistent with the methods, stable where the
ranking is clear, unstable where two alternatives are close; drivers decompose exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import rankdata, spearmanr

from innochain.assess import (
    drivers,
    grey_relational,
    normalize,
    ranks,
    topsis,
    weight_perturbation,
)
from innochain.assess.sensitivity import _row_ranks, _spearman_rows
from innochain.errors import InvalidInput

pytestmark = pytest.mark.unit

#: four firms on R&D intensity, patents per employee and cost ratio (a cost); firm 3 is
#: dominated (worst on every criterion); firms 0 and 1 are close
FIRMS = np.array(
    [
        [4.0, 2.0, 0.30],
        [3.8, 2.1, 0.30],
        [2.0, 1.0, 0.50],
        [1.0, 0.5, 0.60],
    ]
)
DIRECTIONS = [1, 1, -1]
WEIGHTS = [0.4, 0.4, 0.2]


def test_weight_perturbation_is_deterministic_with_a_seed() -> None:
    a = weight_perturbation(FIRMS, WEIGHTS, DIRECTIONS, trials=300, seed=7)
    b = weight_perturbation(FIRMS, WEIGHTS, DIRECTIONS, trials=300, seed=7)
    assert a == b
    c = weight_perturbation(FIRMS, WEIGHTS, DIRECTIONS, trials=300, seed=8)
    assert c["alternatives"] != a["alternatives"]
    json.dumps(a)


@pytest.mark.parametrize("ranking", ["topsis", "gra"])
def test_dominated_alternative_always_ranks_last(ranking: str) -> None:
    out = weight_perturbation(FIRMS, WEIGHTS, DIRECTIONS, ranking=ranking, trials=500, spread=0.5)
    last = out["alternatives"][3]
    assert (last["base_rank"], last["min_rank"], last["max_rank"]) == (4, 4, 4)
    assert (last["mean_rank"], last["std_rank"], last["stability"]) == (4.0, 0.0, 1.0)


def test_close_alternatives_flip_under_small_weight_changes() -> None:
    """Firm 0 leads on R&D, firm 1 on patents, by about the same normalised margin (0.2/6.0
    against 0.1/3.1): which comes first depends on the ratio of the two weights, so a ±10%
    wobble flips them in a share of the trials; both keep their ranks in the same trials."""
    out = weight_perturbation(FIRMS, [0.4, 0.4, 0.2], DIRECTIONS, trials=1000, spread=0.1)
    first, second = out["alternatives"][0], out["alternatives"][1]
    assert {first["base_rank"], second["base_rank"]} == {1, 2}
    assert 0 < first["stability"] < 1 and 0 < second["stability"] < 1
    assert first["stability"] == second["stability"]
    assert (first["min_rank"], first["max_rank"]) == (1, 2)
    assert out["alternatives"][2]["stability"] == 1.0
    assert out["spearman_min"] == pytest.approx(0.8)  # one swap of neighbours among four
    assert 0.8 < out["spearman_mean"] < 1.0


def test_zero_spread_keeps_every_rank() -> None:
    out = weight_perturbation(FIRMS, WEIGHTS, DIRECTIONS, trials=20, spread=0.0)
    assert [a["stability"] for a in out["alternatives"]] == [1.0] * 4
    assert out["spearman_mean"] == out["spearman_min"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("ranking", "options"),
    [
        ("topsis", {}),
        ("topsis", {"normalization": "minmax", "weighting": "distance"}),
        ("topsis", {"normalization": "max", "cost": "inverse"}),
        ("gra", {"rho": 0.3}),
    ],
)
def test_base_ranks_are_those_of_the_methods(ranking: str, options: dict[str, object]) -> None:
    out = weight_perturbation(FIRMS, WEIGHTS, DIRECTIONS, ranking=ranking, trials=5, **options)
    if ranking == "topsis":
        scores = topsis(FIRMS, WEIGHTS, DIRECTIONS, **options).scores  # type: ignore[arg-type]
    else:
        scores = grey_relational(FIRMS, WEIGHTS, DIRECTIONS, **options).grades  # type: ignore[arg-type]
    expected = (-scores).argsort(kind="stable").argsort() + 1
    assert [a["base_rank"] for a in out["alternatives"]] == expected.tolist()
    assert out["options"] == {
        **{"topsis": {"normalization": "vector", "cost": None, "weighting": "matrix"},
           "gra": {"normalization": "minmax", "cost": None, "rho": 0.5}}[ranking],
        **options,
    }  # fmt: skip


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's correlation of one pair, through the function that takes many rows."""
    return float(_spearman_rows(_row_ranks(a[None, :])[1][0], _row_ranks(b[None, :])[1])[0])


def test_row_ranks_are_ranks_and_scipys_average_ranks_row_by_row() -> None:
    rng = np.random.default_rng(5)
    scores = rng.integers(0, 5, size=(60, 11)).astype(float)  # many ties
    low, mean = _row_ranks(scores)
    for row, lo, avg in zip(scores, low, mean, strict=True):
        assert lo.tolist() == ranks(row).tolist()
        assert avg.tolist() == rankdata(-row, method="average").tolist()


def test_spearman_matches_scipy_including_ties() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        a, b = rng.integers(0, 4, size=9).astype(float), rng.integers(0, 4, size=9).astype(float)
        if np.ptp(a) and np.ptp(b):
            assert _spearman(a, b) == pytest.approx(spearmanr(a, b).statistic, abs=1e-12)
    assert _spearman(np.ones(3), np.ones(3)) == 1.0
    assert _spearman(np.ones(3), np.arange(3.0)) == 0.0


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"trials": 0}, "trials"),
        ({"trials": 2.5}, "trials"),
        ({"spread": 1.0}, "spread"),
        ({"spread": -0.1}, "spread"),
        ({"ranking": "vikor"}, "ranking"),
        ({"rho": 0.5}, "rho"),
        ({"ranking": "gra", "rho": 0}, "rho"),
        ({"normalization": "z"}, "normalization"),
        ({"weighting": "inside"}, "weighting"),
    ],
)
def test_weight_perturbation_bad_input(options: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        weight_perturbation(FIRMS, WEIGHTS, DIRECTIONS, **options)  # type: ignore[arg-type]
    assert error.value.problems[0].column == field


def test_weight_perturbation_bad_matrix_and_weights() -> None:
    with pytest.raises(InvalidInput, match="two alternatives"):
        weight_perturbation([[1.0, 2.0]], [0.5, 0.5], [1, 1])
    with pytest.raises(InvalidInput, match="weights"):
        weight_perturbation(FIRMS, [0.5, 0.5], DIRECTIONS)


# -- drivers ------------------------------------------------------------------------------


def test_drivers_decompose_the_position_exactly() -> None:
    w = np.array(WEIGHTS)
    for index in range(4):
        rows = drivers(FIRMS, w, DIRECTIONS, index)
        assert sorted(r["criterion"] for r in rows) == [0, 1, 2]
        v = normalize(FIRMS, DIRECTIONS, method="vector") * w
        score = v.sum(axis=1)
        peers = np.delete(score, index).mean()
        assert sum(r["effect"] for r in rows) == pytest.approx(score[index] - peers, abs=1e-12)
        t = topsis(FIRMS, w, DIRECTIONS)
        plus = sum(r["gap_to_ideal"] ** 2 for r in rows)
        assert plus == pytest.approx(t.d_plus[index] ** 2, abs=1e-12)
        if t.d_plus[index] > 0:
            assert sum(r["d_plus_share"] for r in rows) == pytest.approx(1.0)
        effects = [abs(r["effect"]) for r in rows]
        assert effects == sorted(effects, reverse=True)
        json.dumps(rows)


def test_drivers_strengths_and_weaknesses_have_the_right_sign() -> None:
    best = drivers(FIRMS, WEIGHTS, DIRECTIONS, 0)
    assert all(r["effect"] > 0 for r in best)  # better than its peers' mean everywhere
    worst = drivers(FIRMS, WEIGHTS, DIRECTIONS, 3)
    assert all(r["effect"] < 0 for r in worst)
    cost = next(r for r in worst if r["criterion"] == 2)
    assert cost["raw"] == 0.6 and cost["gap_to_ideal"] > 0 and cost["d_minus_share"] == 0.0


def test_drivers_worked_example() -> None:
    rows = drivers([[9, 1], [5, 5], [1, 9]], [0.5, 0.5], [1, -1], 1, normalization="minmax")
    assert [(r["criterion"], r["value"], r["peer_mean"], r["effect"]) for r in rows] == [
        (0, 0.25, 0.25, 0.0),
        (1, 0.25, 0.25, 0.0),
    ]
    assert [r["d_plus_share"] for r in rows] == [0.5, 0.5]


def test_drivers_bad_input() -> None:
    for index in (-1, 4, 1.0, True):
        with pytest.raises(InvalidInput, match="index"):
            drivers(FIRMS, WEIGHTS, DIRECTIONS, index)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="normalization"):
        drivers(FIRMS, WEIGHTS, DIRECTIONS, 0, normalization="z")
