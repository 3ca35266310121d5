"""The decision methods against two maintained packages, against published worked examples,
against closed-form cases, and on bad input.

Independent packages (test-only): pymcdm 1.4.0 and pyrepo-mcda 0.1.15. How their variants map
onto ours:

- entropy: both compute on raw shares p = x / Σx, directions ignored (= `on="shares"`);
  pyrepo-mcda skips zero shares (= `zero="skip"`), pymcdm refuses zeros outright, so it is
  compared on positive matrices only. `on="minmax"` / `on="shifted"` are pyrepo-mcda's entropy
  on its own min-max normalised matrix (plus the shift);
- CRITIC: both min-max normalise every column as a benefit (= `directions=None`); with cost
  columns, ours equals theirs on the matrix with the cost columns negated (min-max of −x is
  the reversed min-max of x). pymcdm uses σ with m − 1, pyrepo-mcda with m: the weights agree;
- AHP: eigenvector weights from both; the geometric-mean weights from pyrepo-mcda; CR with
  Saaty's RI from pyrepo-mcda (printed), with Tummala & Ling's RI from pymcdm (`get_cr`);
- TOPSIS (weights in the matrix): "vector" and "minmax" with cost "reverse" are both
  packages' `vector_normalization` / `minmax_normalization`; "max" with "inverse" their
  `linear_normalization`, "max" with "reverse" their `max_normalization`, "sum" with
  "inverse" their `sum_normalization`. `weighting="distance"` equals pymcdm with weights √w.
  pymcdm runs with `validation=False`: its validator warns about dominated alternatives;
- grey relational analysis is in neither package. It is checked against greytheory 2.0.5
  (Kuo-Ming Lin's GreyTheory): its `rank_quality` (min-max benefits, reversed for
  smaller-the-better responses, reference 1, ρ / (Δ + ρ) with Δ in [0, 1]) from the raw matrix
  for our default min-max variant, and its `grey_relation` (Deng's coefficient with the global
  Δmin/Δmax against a given reference) on our normalised matrix for every normalisation and
  cost rule; and against a direct loop over the formulas of Kuo, Yang & Huang (2008) and a
  hand-computed case.
"""

from __future__ import annotations

import json

import numpy as np
import pyrepo_mcda.normalizations as rn
import pyrepo_mcda.weighting_methods as rw
import pytest
from greytheory.analysis.gra import grey_relation
from greytheory.analysis.quality import rank_quality
from pymcdm import normalizations as pn
from pymcdm import weights as pw
from pymcdm.methods import TOPSIS
from pymcdm.weights.subjective import AHP
from pyrepo_mcda.distance_metrics import euclidean
from pyrepo_mcda.mcda_methods import AHP as RepoAHP
from pyrepo_mcda.mcda_methods import TOPSIS as RepoTOPSIS
from scipy.stats import rankdata

from innochain.assess import (
    METHODS,
    ahp_weights,
    assess,
    check_matrix,
    critic_weights,
    entropy_weights,
    equal_weights,
    grey_relational,
    normalize,
    ranks,
    topsis,
)
from innochain.assess.matrix import COST_RULES, NORMALIZATIONS
from innochain.errors import InvalidInput

pytestmark = pytest.mark.unit

SEEDS = range(8)
TOL = 1e-9
SAATY_SCALE = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]


def _problem(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random positive matrix (3-12 alternatives, 2-7 criteria), directions with at least
    one benefit and one cost column, and random weights summing to 1."""
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(3, 13)), int(rng.integers(2, 8))
    x = rng.uniform(0.5, 100.0, size=(m, n))
    d = rng.choice([1, -1], size=n)
    d[0], d[-1] = 1, -1
    return x, d, rng.dirichlet(np.ones(n))


def _pairwise(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 10))
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = rng.choice(SAATY_SCALE)
            a[j, i] = 1 / a[i, j]
    return a


# -- agreement with pymcdm and pyrepo-mcda ------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_entropy_shares_matches_pymcdm_and_pyrepo(seed: int) -> None:
    x, d, _ = _problem(seed)
    ours = entropy_weights(x, d, on="shares", zero="skip")
    np.testing.assert_allclose(ours, pw.entropy_weights(x), rtol=0, atol=TOL)
    np.testing.assert_allclose(ours, rw.entropy_weighting(x), rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_entropy_shares_with_zero_values_matches_pyrepo(seed: int) -> None:
    x, d, _ = _problem(seed)
    x[0, :] = 0.0  # a zero share in every column
    ours = entropy_weights(x, d, on="shares", zero="skip")
    np.testing.assert_allclose(ours, rw.entropy_weighting(x), rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_entropy_minmax_and_shifted_match_pyrepo_on_its_minmax_matrix(seed: int) -> None:
    x, d, _ = _problem(seed)
    z = rn.minmax_normalization(x, d)
    np.testing.assert_allclose(
        entropy_weights(x, d, on="minmax"), rw.entropy_weighting(z), rtol=0, atol=TOL
    )
    np.testing.assert_allclose(
        entropy_weights(x, d, on="shifted", shift=0.01),
        rw.entropy_weighting(z + 0.01),
        rtol=0,
        atol=TOL,
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_critic_matches_pymcdm_and_pyrepo(seed: int) -> None:
    x, d, _ = _problem(seed)
    ours = critic_weights(x, None)
    np.testing.assert_allclose(ours, pw.critic_weights(x), rtol=0, atol=TOL)
    np.testing.assert_allclose(ours, rw.critic_weighting(x), rtol=0, atol=TOL)
    mirrored = np.where(d > 0, x, -x)
    with_costs = critic_weights(x, d)
    np.testing.assert_allclose(with_costs, pw.critic_weights(mirrored), rtol=0, atol=TOL)
    np.testing.assert_allclose(with_costs, rw.critic_weighting(mirrored), rtol=0, atol=TOL)


@pytest.mark.parametrize("n", [1, 2, 5, 17])
def test_equal_weights_match_pymcdm_and_pyrepo(n: int) -> None:
    x = np.ones((3, n))
    np.testing.assert_allclose(equal_weights(n), pw.equal_weights(x), rtol=0, atol=TOL)
    np.testing.assert_allclose(equal_weights(n), rw.equal_weighting(x), rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_ahp_matches_pymcdm_and_pyrepo(seed: int, capsys: pytest.CaptureFixture[str]) -> None:
    a = _pairwise(seed)
    eig = ahp_weights(a, ri="tummala-ling")
    model = AHP(matrix=a)
    np.testing.assert_allclose(eig.weights, model(), rtol=0, atol=TOL)
    assert eig.cr == pytest.approx(model.get_cr(), abs=TOL)
    repo = RepoAHP()
    np.testing.assert_allclose(eig.weights, repo._calculate_eigenvector(a), rtol=0, atol=TOL)
    geo = ahp_weights(a, method="geometric")
    np.testing.assert_allclose(geo.weights, repo._geometric_mean(a), rtol=0, atol=TOL)
    capsys.readouterr()
    repo._check_consistency(a)  # prints "Inconsistency index:  <CR with Saaty's RI>"
    printed = float(capsys.readouterr().out.splitlines()[0].split(":")[1])
    assert ahp_weights(a, ri="saaty").cr == pytest.approx(printed, abs=TOL)


TOPSIS_VARIANTS = [
    ("vector", None, pn.vector_normalization, rn.vector_normalization),
    ("vector", "reverse", pn.vector_normalization, rn.vector_normalization),
    ("vector", "none", pn.vector_normalization, rn.vector_normalization),
    ("minmax", None, pn.minmax_normalization, rn.minmax_normalization),
    ("minmax", "none", pn.minmax_normalization, rn.minmax_normalization),
    ("max", "inverse", pn.linear_normalization, rn.linear_normalization),
    ("max", "reverse", pn.max_normalization, rn.max_normalization),
    ("sum", "inverse", pn.sum_normalization, rn.sum_normalization),
]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("method", "cost", "theirs", "repo"), TOPSIS_VARIANTS)
def test_topsis_matches_pymcdm_and_pyrepo(
    seed: int, method: str, cost: str | None, theirs: object, repo: object
) -> None:
    x, d, w = _problem(seed)
    ours = topsis(x, w, d, normalization=method, cost=cost).scores
    np.testing.assert_allclose(ours, TOPSIS(theirs)(x, w, d, validation=False), rtol=0, atol=TOL)
    np.testing.assert_allclose(ours, RepoTOPSIS(repo, euclidean)(x, w, d), rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_topsis_weights_inside_the_distance_equal_pymcdm_with_root_weights(seed: int) -> None:
    x, d, w = _problem(seed)
    for method, theirs in (
        ("vector", pn.vector_normalization),
        ("minmax", pn.minmax_normalization),
    ):
        ours = topsis(x, w, d, normalization=method, weighting="distance").scores
        expected = TOPSIS(theirs)(x, np.sqrt(w), d, validation=False)
        np.testing.assert_allclose(ours, expected, rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_ranks_are_scipy_min_ranks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 5, size=12).astype(float)  # many ties
    assert ranks(scores).tolist() == rankdata(-scores, method="min").astype(int).tolist()
    assert ranks(scores, descending=False).tolist() == rankdata(scores, method="min").tolist()


def _gra_loop(x: np.ndarray, w: np.ndarray, d: np.ndarray, rho: float) -> list[float]:
    """Grey relational grades as Kuo, Yang & Huang (2008) define them, written the slow,
    obvious way: min-max (reversed for costs), reference 1, global Δmin/Δmax, weighted sum."""
    m, n = x.shape
    y = [[0.0] * n for _ in range(m)]
    for j in range(n):
        col = [x[i][j] for i in range(m)]
        lo, hi = min(col), max(col)
        for i in range(m):
            y[i][j] = (col[i] - lo) / (hi - lo) if d[j] > 0 else (hi - col[i]) / (hi - lo)
    deltas = [[abs(1.0 - y[i][j]) for j in range(n)] for i in range(m)]
    dmin = min(min(row) for row in deltas)
    dmax = max(max(row) for row in deltas)
    return [
        sum(w[j] * (dmin + rho * dmax) / (deltas[i][j] + rho * dmax) for j in range(n))
        for i in range(m)
    ]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("rho", [0.5, 0.2, 1.0])
def test_grey_relational_matches_a_direct_loop(seed: int, rho: float) -> None:
    x, d, w = _problem(seed)
    ours = grey_relational(x, w, d, rho=rho).grades
    np.testing.assert_allclose(ours, _gra_loop(x, w, d, rho), rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("rho", [0.5, 0.2, 1.0])
def test_grey_relational_matches_greytheory_from_the_raw_matrix(seed: int, rho: float) -> None:
    x, d, w = _problem(seed)
    responses = ["larger" if v > 0 else "smaller" for v in d]
    theirs = rank_quality(x, responses, weights=w, rho=rho)
    ours = grey_relational(x, w, d, rho=rho)  # min-max, costs reversed: the Taguchi-GRA steps
    np.testing.assert_allclose(ours.grades, theirs.scores, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours.coefficients, theirs.coefficients, rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("normalization", NORMALIZATIONS)
@pytest.mark.parametrize("cost", COST_RULES)
def test_grey_coefficients_match_greytheory_for_every_variant(
    seed: int, normalization: str, cost: str
) -> None:
    """Whatever the normalisation, the coefficients and grades against the best value of each
    column are Deng's, as greytheory's `grey_relation` computes them."""
    x, d, w = _problem(seed)
    ours = grey_relational(x, w, d, rho=0.4, normalization=normalization, cost=cost)
    r = normalize(x, d, method=normalization, cost=cost)
    grades, coefficients = grey_relation(
        ours.reference, r, rho=0.4, normalize="none", weights=w, return_coefficients=True
    )
    np.testing.assert_allclose(ours.grades, grades, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours.coefficients, coefficients, rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_gra_and_topsis_cost_none_equals_reverse(seed: int) -> None:
    x, d, w = _problem(seed)
    for method in ("vector", "minmax"):
        a = topsis(x, w, d, normalization=method, cost="none").scores
        b = topsis(x, w, d, normalization=method, cost="reverse").scores
        np.testing.assert_allclose(a, b, rtol=0, atol=TOL)
        g = grey_relational(x, w, d, normalization=method, cost="none").grades
        h = grey_relational(x, w, d, normalization=method, cost="reverse").grades
        np.testing.assert_allclose(g, h, rtol=0, atol=TOL)


# -- published worked examples ------------------------------------------------------------

#: Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and
#: Applications. Lecture Notes in Economics and Mathematical Systems 186, Springer. The
#: fighter-aircraft example, TOPSIS on p. 133: max speed (Mach), ferry range (NM), max payload
#: (lb), acquisition cost ($10^6, a cost), reliability and manoeuvrability (the book's
#: 3/5/7/9 interval scale for low/average/high/very high).
AIRCRAFT = np.array(
    [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
)
AIRCRAFT_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
AIRCRAFT_DIRECTIONS = [1, 1, 1, -1, 1, 1]


def test_topsis_reproduces_hwang_yoon_1981_fighter_aircraft() -> None:
    """The book works to four decimals and its normalised matrix carries small slips (the
    cost column 0.5063/0.5983/0.4143/0.4603 where x/‖x‖ is 0.5069/0.5990/0.4147/0.4608, and
    0.4392 for A4's range, 0.4394), so the comparison is at the book's precision: 2.5e-4 for
    the normalised values outside the cost column, 1.5e-4 for the ideal points and the
    distances, 1e-3 for the closeness."""
    r = normalize(AIRCRAFT, AIRCRAFT_DIRECTIONS, method="vector", cost="none")
    book_r = [
        [0.4671, 0.3662, 0.5056, 0.4811, 0.6708],
        [0.5839, 0.6591, 0.4550, 0.2887, 0.3727],
        [0.4204, 0.4882, 0.5308, 0.6736, 0.5217],
        [0.5139, 0.4392, 0.5056, 0.4811, 0.3727],
    ]
    np.testing.assert_allclose(np.delete(r, 3, axis=1), book_r, rtol=0, atol=2.5e-4)
    t = topsis(AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_DIRECTIONS, cost="none")
    np.testing.assert_allclose(
        t.ideal, [0.1168, 0.0659, 0.0531, 0.0414, 0.1347, 0.2012], rtol=0, atol=1.5e-4
    )
    np.testing.assert_allclose(
        t.anti_ideal, [0.0841, 0.0366, 0.0455, 0.0598, 0.0577, 0.1118], rtol=0, atol=1.5e-4
    )
    np.testing.assert_allclose(t.d_plus, [0.0545, 0.1197, 0.0580, 0.1009], rtol=0, atol=1.5e-4)
    np.testing.assert_allclose(t.d_minus, [0.0983, 0.0439, 0.0920, 0.0458], rtol=0, atol=1.5e-4)
    np.testing.assert_allclose(t.scores, [0.643, 0.268, 0.613, 0.312], rtol=0, atol=1e-3)
    assert ranks(t.scores).tolist() == [1, 4, 2, 3]  # A1 > A3 > A4 > A2, as in the book
    default = topsis(AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_DIRECTIONS)  # cost="reverse"
    np.testing.assert_allclose(default.scores, t.scores, rtol=0, atol=TOL)


#: Saaty, T. L. (1990). How to make a decision: The analytic hierarchy process. European
#: Journal of Operational Research 48, 9-26: the house example, pairwise comparison of the
#: eight criteria (size of house, transportation, neighbourhood, age of house, yard space,
#: modern facilities, general condition, financing), with priorities 0.173, 0.054, 0.188,
#: 0.018, 0.031, 0.036, 0.167, 0.333, λmax = 9.669, C.I. = 0.238, C.R. = 0.169.
HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def test_ahp_reproduces_saaty_1990_house_example() -> None:
    r = ahp_weights(HOUSE)
    np.testing.assert_allclose(
        r.weights, [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333], rtol=0, atol=5e-4
    )
    assert round(r.lambda_max, 3) == 9.669
    assert round(r.ci, 3) == 0.238
    assert round(r.cr, 3) == 0.169
    assert r.ri == 1.41
    assert r.consistent is False
    with pytest.raises(InvalidInput, match=r"consistency ratio 0\.169 > 0\.1"):
        ahp_weights(HOUSE, strict=True)


# -- closed-form cases --------------------------------------------------------------------


def test_entropy_closed_form_two_alternatives() -> None:
    """Shares (1/4, 3/4): E = −(¼ ln ¼ + ¾ ln ¾) / ln 2 = 0.811278...; (1, 0): E = 0 with
    0·ln 0 = 0; (½, ½): E = 1, weight 0."""
    e = -(0.25 * np.log(0.25) + 0.75 * np.log(0.75)) / np.log(2)
    d = np.array([1 - e, 1.0, 0.0])
    np.testing.assert_allclose(
        entropy_weights([[1, 5, 2], [3, 0, 2]]), d / d.sum(), rtol=0, atol=1e-15
    )
    with pytest.raises(InvalidInput, match="column 1"):
        entropy_weights([[1, 5, 2], [3, 0, 2]], zero="error")
    eps = entropy_weights([[1, 5, 2], [3, 0, 2]], zero="epsilon", eps=1e-12)
    np.testing.assert_allclose(eps, d / d.sum(), rtol=0, atol=1e-9)


def test_entropy_minmax_depends_on_direction_shares_do_not() -> None:
    x = [[1.0, 10], [2, 20], [6, 25]]
    assert entropy_weights(x, [1, 1]).tolist() == entropy_weights(x, [1, -1]).tolist()
    assert entropy_weights(x, [1, 1], on="minmax")[1] != entropy_weights(x, [1, -1], on="minmax")[1]


def test_critic_closed_form_conflicting_pair_and_a_redundant_copy() -> None:
    """Columns a, 10 − a and a copy of a; min-max gives all three the same σ, and the
    correlations are −1 between 10 − a and the others, +1 between a and its copy. So
    C = σ·(0 + 2 + 0) for a and its copy, σ·(2 + 0 + 2) for the conflicting column:
    weights 1/4, 1/2, 1/4."""
    a = np.array([1.0, 4.0, 2.0, 8.0])
    x = np.column_stack([a, -a + 10, a])
    np.testing.assert_allclose(critic_weights(x, [1, 1, 1]), [0.25, 0.5, 0.25], atol=1e-12)


def test_critic_constant_column_gets_zero_and_leaves_the_rest_unchanged() -> None:
    x, d, _ = _problem(3)
    with_constant = np.column_stack([x, np.full(x.shape[0], 7.0)])
    w = critic_weights(with_constant, [*d, 1])
    assert w[-1] == 0.0
    np.testing.assert_allclose(w[:-1], critic_weights(x, d), rtol=0, atol=1e-12)


def test_ahp_consistent_matrix_recovers_its_weights_by_both_methods() -> None:
    true = np.array([0.5, 0.25, 0.15, 0.1])
    a = true[:, None] / true[None, :]
    for method in ("eigenvector", "geometric"):
        r = ahp_weights(a, method=method)
        np.testing.assert_allclose(r.weights, true, rtol=0, atol=1e-12)
        assert r.lambda_max == pytest.approx(4.0, abs=1e-9)
        assert r.cr == pytest.approx(0.0, abs=1e-9)
        assert r.consistent is True
        assert r.method == method


def test_ahp_two_criteria_are_always_consistent() -> None:
    r = ahp_weights([[1, 9], [1 / 9, 1]])
    np.testing.assert_allclose(r.weights, [0.9, 0.1], rtol=0, atol=1e-12)
    assert (r.cr, r.consistent) == (0.0, True)


def test_grey_relational_hand_computed() -> None:
    """Min-max rows (0, 0), (1, 1), (½, ½) after reversing the cost column: Δ = 1, 0, ½,
    Δmin = 0, Δmax = 1, ξ = 0.5 / (Δ + 0.5) = ⅓, 1, ½ in both columns."""
    g = grey_relational([[1, 4], [3, 2], [2, 3]], [0.3, 0.7], [1, -1])
    np.testing.assert_allclose(g.coefficients, [[1 / 3] * 2, [1, 1], [0.5, 0.5]], atol=1e-15)
    np.testing.assert_allclose(g.grades, [1 / 3, 1, 0.5], atol=1e-15)
    np.testing.assert_allclose(g.reference, [1, 1], atol=0)


def test_topsis_dominant_and_dominated_alternatives_score_one_and_zero() -> None:
    t = topsis([[9, 1], [5, 5], [1, 9]], [0.4, 0.6], [1, -1])
    assert t.scores[0] == 1.0 and t.scores[2] == 0.0
    assert np.all((t.scores >= 0) & (t.scores <= 1))


def test_topsis_scores_do_not_depend_on_the_weight_scale() -> None:
    x, d, w = _problem(5)
    np.testing.assert_allclose(topsis(x, w, d).scores, topsis(x, 7 * w, d).scores, atol=TOL)


def test_normalize_cost_rules() -> None:
    x = [[2.0, 4], [4, 1]]
    assert normalize(x, [1, -1], method="max").tolist() == [[0.5, 0.25], [1.0, 1.0]]
    assert normalize(x, [1, -1], method="max", cost="reverse").tolist() == [[0.5, 0.0], [1, 0.75]]
    assert normalize(x, [1, -1], method="sum").tolist() == [[1 / 3, 0.2], [2 / 3, 0.8]]
    assert normalize(x, [1, -1], method="minmax").tolist() == [[0.0, 0.0], [1.0, 1.0]]
    assert normalize(x, [1, -1], method="minmax", cost="none").tolist() == [[0, 1], [1, 0]]
    const = normalize([[3.0, 1], [3, 2]], [-1, 1], method="minmax")
    assert const[:, 0].tolist() == [1.0, 1.0]  # a constant column is 1, cost or not


# -- bad input ----------------------------------------------------------------------------

NAMES = ["rd_intensity", "patents", "cost_ratio"]


def _problems(error: pytest.ExceptionInfo[InvalidInput]) -> list[tuple[int | None, str]]:
    return [(p.row, p.column) for p in error.value.problems]


def test_check_matrix_returns_floats_and_no_warnings_for_good_input() -> None:
    x, warnings = check_matrix([[1, 2, 3], [4, 5, 6]], [1, 1, -1], names=NAMES)
    assert x.dtype == np.float64 and x.tolist() == [[1, 2, 3], [4, 5, 6]]
    assert warnings == []


def test_check_matrix_non_numeric_cells_each_named() -> None:
    with pytest.raises(InvalidInput) as error:
        check_matrix([[1, "2", 3], [4, None, True]], [1, 1, -1], names=NAMES)
    assert _problems(error) == [(0, "patents"), (1, "patents"), (1, "cost_ratio")]


def test_check_matrix_non_finite_cells() -> None:
    with pytest.raises(InvalidInput) as error:
        check_matrix(np.array([[1, np.nan, 3], [4, 5, np.inf]]), [1, 1, -1], names=NAMES)
    assert _problems(error) == [(0, "patents"), (1, "cost_ratio")]
    with pytest.raises(InvalidInput, match="column 1: not finite"):
        check_matrix([[1.0, float("nan")], [2.0, 3.0]], [1, 1])


def test_check_matrix_fewer_than_two_alternatives() -> None:
    with pytest.raises(InvalidInput, match="at least two alternatives"):
        check_matrix([[1, 2, 3]], [1, 1, 1])
    with pytest.raises(InvalidInput, match="rows of equal length"):
        check_matrix([1, 2, 3], [1, 1, 1])


@pytest.mark.parametrize(
    ("directions", "message"),
    [
        ([1, 1], "directions: has 2 entries for 3 criteria"),
        ([1, 0, -1], "directions: must be +1 (benefit) or -1 (cost); entries [1] are [0]"),
        ([1, "x", 1], "directions: must be +1 (benefit) or -1 (cost); entries [1] are ['x']"),
    ],
)
def test_check_matrix_bad_directions(directions: list[object], message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check_matrix([[1, 2, 3], [4, 5, 6]], directions)
    assert str(error.value) == message


def test_check_matrix_negative_value_in_a_ratio_column() -> None:
    with pytest.raises(InvalidInput) as error:
        check_matrix([[1, -2, -3], [4, 5, 6]], [1, 1, -1], names=NAMES, ratio_columns=[2])
    assert _problems(error) == [(0, "cost_ratio")]
    assert "negative value -3 in a ratio column" in str(error.value)
    check_matrix([[1, -2, 3], [4, 5, 6]], [1, 1, -1], ratio_columns=[2])  # column 1 may be < 0


def test_check_matrix_all_zero_row_is_an_error() -> None:
    with pytest.raises(InvalidInput) as error:
        check_matrix([[1, 2, 3], [0, 0, 0], [4, 5, 6]], [1, 1, -1], names=NAMES)
    assert _problems(error) == [(1, "")]


def test_check_matrix_constant_column_is_a_warning_all_constant_an_error() -> None:
    _, warnings = check_matrix([[1, 2, 3], [4, 2, 6]], [1, 1, -1], names=NAMES)
    assert warnings == ["patents: constant column (every value 2); it carries no information"]
    with pytest.raises(InvalidInput, match="every column is constant"):
        check_matrix([[1, 2, 3], [1, 2, 3]], [1, 1, -1])


def test_check_matrix_names_must_match_the_columns() -> None:
    with pytest.raises(InvalidInput, match="names"):
        check_matrix([[1, 2], [3, 4]], [1, 1], names=["a"])


def test_check_matrix_reports_every_problem_at_once() -> None:
    with pytest.raises(InvalidInput) as error:
        check_matrix([["a", 2, 3], [4, "b", 6]], [1, 1, -1])
    assert len(error.value.problems) == 2


def test_normalize_bad_options_and_values() -> None:
    x = [[1.0, -2], [3, 4]]
    with pytest.raises(InvalidInput, match="method"):
        normalize(x, [1, 1], method="zscore")
    with pytest.raises(InvalidInput, match="cost"):
        normalize(x, [1, 1], cost="flip")
    with pytest.raises(InvalidInput, match="b: sum normalisation needs non-negative"):
        normalize(x, [1, 1], method="sum", names=["a", "b"])
    with pytest.raises(InvalidInput, match='cost="inverse" needs positive'):
        normalize([[1.0, 0], [3, 4]], [1, -1], method="max")


def test_entropy_bad_input() -> None:
    with pytest.raises(InvalidInput, match='patents: entropy on="shares" needs values'):
        entropy_weights([[1, -1], [2, 3]], names=["rd", "patents"])
    entropy_weights([[1, -1], [2, 3]], on="minmax")  # min-max makes negatives fine
    with pytest.raises(InvalidInput, match="on"):
        entropy_weights([[1, 2], [2, 3]], on="raw")
    with pytest.raises(InvalidInput, match="shift"):
        entropy_weights([[1, 2], [2, 3]], on="shifted", shift=0)
    with pytest.raises(InvalidInput, match="every column is uniform"):
        entropy_weights([[1, 2], [1, 2]])
    with pytest.raises(InvalidInput, match="two alternatives"):
        entropy_weights([[1, 2]])


def test_entropy_constant_column_gets_weight_zero() -> None:
    for on in ("shares", "minmax", "shifted"):
        w = entropy_weights([[1, 5, 2], [3, 5, 7], [2, 5, 1]], [1, 1, -1], on=on)
        assert w[1] == 0.0 and w.sum() == pytest.approx(1.0)


def test_critic_bad_input() -> None:
    with pytest.raises(InvalidInput, match="every column is constant"):
        critic_weights([[1, 2], [1, 2]], [1, 1])
    with pytest.raises(InvalidInput, match="perfectly correlated"):
        critic_weights([[1, 2], [2, 4], [3, 6]], [1, 1])
    with pytest.raises(InvalidInput, match="normalization"):
        critic_weights([[1, 2], [2, 1]], [1, 1], normalization="z")


def test_equal_weights_bad_n() -> None:
    for n in (0, -1, 2.5, True):
        with pytest.raises(InvalidInput, match="n"):
            equal_weights(n)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pairwise", "message"),
    [
        ([[1, 2, 3], [0.5, 1, 2]], "square"),
        ([[1, -2], [-0.5, 1]], "must be positive"),
        ([[1, 3], [0.5, 1]], "not reciprocal"),
        ([[2, 3], [1 / 3, 1]], "diagonal must be 1"),
        ([[1, "3"], [1 / 3, 1]], "not a number"),
        (np.ones((11, 11)), "saaty random index table stops at 10"),
    ],
)
def test_ahp_bad_pairwise(pairwise: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        ahp_weights(pairwise)


def test_ahp_accepts_rounded_reciprocals_and_larger_matrices_with_tummala_ling() -> None:
    r = ahp_weights([[1, 3, 8], [0.33, 1, 2], [0.13, 0.5, 1]])
    assert r.consistent is True
    with pytest.raises(InvalidInput, match="not reciprocal"):
        ahp_weights([[1, 3, 8], [0.33, 1, 2], [0.14, 0.5, 1]])  # 8 × 0.14 = 1.12
    assert ahp_weights(np.ones((12, 12)), ri="tummala-ling").cr == pytest.approx(0.0, abs=1e-9)


def test_topsis_and_gra_bad_input() -> None:
    x = [[1.0, 2], [3, 4], [2, 1]]
    for bad in ([0.5], [0.5, -0.5], [0, 0], [0.5, float("nan")], ["a", 1]):
        with pytest.raises(InvalidInput, match="weights"):
            topsis(x, bad, [1, 1])
    with pytest.raises(InvalidInput, match="weighting"):
        topsis(x, [0.5, 0.5], [1, 1], weighting="inside")
    with pytest.raises(InvalidInput, match="no criterion with a positive weight"):
        topsis([[1.0, 2], [1, 3]], [1, 0], [1, 1])
    for rho in (0, -0.1, 1.5):
        with pytest.raises(InvalidInput, match="rho"):
            grey_relational(x, [0.5, 0.5], [1, 1], rho=rho)
    with pytest.raises(InvalidInput, match="every column is constant"):
        grey_relational([[1.0, 2], [1, 2]], [0.5, 0.5], [1, 1])
    with pytest.raises(InvalidInput, match="scores"):
        ranks([[1.0, 2.0]])


# -- assess -------------------------------------------------------------------------------


def test_methods_cover_every_weighting_and_ranking() -> None:
    assert METHODS["entropy-topsis"] == ("entropy", "topsis")
    assert METHODS["ahp-gra"] == ("ahp", "gra")
    assert len(METHODS) == 8


@pytest.mark.parametrize("name", sorted(METHODS))
def test_assess_runs_every_method_and_records_its_options(name: str) -> None:
    x, d, _ = _problem(2)
    weighting, ranking = METHODS[name]
    extra = {"pairwise": np.ones((x.shape[1], x.shape[1]))} if weighting == "ahp" else {}
    a = assess(x, d, weighting=weighting, ranking=ranking, **extra)
    assert a.method == name
    assert sorted(a.ranks) == sorted(ranks(a.scores).tolist())
    assert a.ranks == ranks(a.scores).tolist()
    assert sum(a.weights) == pytest.approx(1.0)
    assert a.options["weighting"] == weighting and a.options["ranking"] == ranking
    assert a.options["cost"] == "reverse"
    json.dumps(a.as_dict())
    if ranking == "topsis":
        w = np.array(a.weights)
        np.testing.assert_allclose(a.scores, topsis(x, w, d).scores, rtol=0, atol=TOL)


def test_assess_passes_options_through() -> None:
    x, d, _ = _problem(4)
    a = assess(
        x, d, weighting="entropy", ranking="topsis", entropy_on="shifted", shift=0.01,
        normalization="minmax", topsis_weighting="distance",
    )  # fmt: skip
    w = entropy_weights(x, d, on="shifted", shift=0.01)
    np.testing.assert_allclose(a.weights, w, rtol=0, atol=TOL)
    expected = topsis(x, w, d, normalization="minmax", weighting="distance").scores
    np.testing.assert_allclose(a.scores, expected, rtol=0, atol=TOL)
    assert a.options["entropy_on"] == "shifted" and a.options["topsis_weighting"] == "distance"
    g = assess(x, d, weighting="critic", ranking="gra", rho=0.3)
    expected = grey_relational(x, critic_weights(x, d), d, rho=0.3).grades
    np.testing.assert_allclose(g.scores, expected, rtol=0, atol=TOL)


def test_assess_warns_about_constant_columns_and_inconsistent_ahp() -> None:
    x = np.column_stack([AIRCRAFT, np.full(4, 3.0)])
    a = assess(x, [*AIRCRAFT_DIRECTIONS, 1], weighting="entropy", ranking="gra")
    assert a.warnings == ["column 6: constant column (every value 3); it carries no information"]
    assert a.weights[6] == 0.0
    eight = np.column_stack([AIRCRAFT, AIRCRAFT[:, :2] * 1.5 + 1])
    b = assess(
        eight, [*AIRCRAFT_DIRECTIONS, 1, 1], weighting="ahp", ranking="topsis", pairwise=HOUSE
    )
    assert b.warnings == [
        "AHP consistency ratio 0.169 > 0.1: the pairwise judgements are inconsistent (Saaty); "
        "revise them before relying on the weights"
    ]
    assert round(b.details["ahp"]["cr"], 3) == 0.169
    assert b.options["pairwise"] == np.asarray(HOUSE, dtype=float).tolist()
    with pytest.raises(InvalidInput, match="consistency ratio"):
        assess(eight, [*AIRCRAFT_DIRECTIONS, 1, 1], weighting="ahp", ranking="topsis",
               pairwise=HOUSE, strict=True)  # fmt: skip


def test_assess_bad_options() -> None:
    x, d, _ = _problem(1)
    with pytest.raises(InvalidInput, match="rho: not an option of entropy-topsis"):
        assess(x, d, weighting="entropy", ranking="topsis", rho=0.5)
    with pytest.raises(InvalidInput, match="pairwise: ahp weighting needs"):
        assess(x, d, weighting="ahp", ranking="topsis")
    with pytest.raises(InvalidInput, match="weighting"):
        assess(x, d, weighting="pca", ranking="topsis")
    with pytest.raises(InvalidInput, match="ranking"):
        assess(x, d, weighting="equal", ranking="vikor")
    with pytest.raises(InvalidInput, match=f"compares 2 criteria, the matrix has {x.shape[1]}"):
        assess(x, d, weighting="ahp", ranking="topsis", pairwise=[[1, 2], [0.5, 1]])
