"""Published worked examples for the objective weightings (issue 8).

Each example is a decision matrix and the weights its paper prints. The papers themselves
were not open to us; the matrices and the printed weights were read from the test suites of
two maintained MCDA packages, which transcribe them with the citation:

- pyrepo-mcda (A. Bączkiewicz), `tests/test_weighting_methods.py`,
  https://github.com/energyinpython/pyrepo-mcda/blob/e69d81f2c8d7f8478558ba02c1f7822b66f8fc79/tests/test_weighting_methods.py
- pymcdm (A. Shekhovtsov, B. Kizielewicz), `test/test_weights.py`,
  https://github.com/kotbaton/pymcdm/blob/2daa0b6029d5ad05550a58eb46ca7c1555fdfe93/test/test_weights.py

Table numbers in the papers could not be checked for that reason and are not given. Every
comparison is at the precision the paper prints: half a unit of its last decimal.

For grey relational analysis no published example with *printed grades* could be read
through the available sources. The one here is a textbook example whose input matrix and
procedure are published (the book's own program); its expected grades come from an
independent implementation, greytheory, not from the book (see `test_methods.py` for the
formula checks on random matrices).
"""

from __future__ import annotations

import numpy as np
import pytest
from greytheory.analysis.quality import rank_quality

from innochain.assess import critic_weights, entropy_weights, grey_relational, ranks

pytestmark = pytest.mark.unit


def _atol(decimals: int) -> float:
    """Half a unit of the last printed decimal."""
    return 0.5 * 10.0**-decimals


# -- entropy ------------------------------------------------------------------------------


def test_entropy_xu_2004() -> None:
    """Xu, X. (2004). A note on the subjective and objective integrated approach to
    determine attribute weights. European Journal of Operational Research 156(2), 530-532,
    https://doi.org/10.1016/S0377-2217(03)00146-2. Four alternatives, four benefit
    attributes; entropy weights printed to four decimals. Read from the pyrepo-mcda
    transcription (`Test_Entropy.test_Entropy`),
    https://github.com/energyinpython/pyrepo-mcda/blob/e69d81f2c8d7f8478558ba02c1f7822b66f8fc79/tests/test_weighting_methods.py

    Variant: entropy on raw shares p = x / Σx (`on="shares"`, the default). The fourth
    column is almost constant (29, 29, 28.9, 29) and gets weight 0.0000.
    """
    x = [
        [30, 30, 38, 29],
        [19, 54, 86, 29],
        [19, 15, 85, 28.9],
        [68, 70, 60, 29],
    ]
    w = entropy_weights(x, on="shares")
    np.testing.assert_allclose(w, [0.4630, 0.3992, 0.1378, 0.0000], rtol=0, atol=_atol(4))


def test_entropy_zavadskas_podvezko_2016() -> None:
    """Zavadskas, E. K. & Podvezko, V. (2016). Integrated determination of objective
    criteria weights in MCDM. International Journal of Information Technology & Decision
    Making 15(2), 267-283, https://doi.org/10.1142/S0219622016500036. Four alternatives,
    four criteria (the first and third are costs); entropy weights printed to four
    decimals. Read from the pyrepo-mcda transcription (`Test_Entropy.test_Entropy2`),
    https://github.com/energyinpython/pyrepo-mcda/blob/e69d81f2c8d7f8478558ba02c1f7822b66f8fc79/tests/test_weighting_methods.py

    Variant: raw shares; the cost direction does not enter the entropy of shares.
    """
    x = [
        [3.0, 100, 10, 7],
        [2.5, 80, 8, 5],
        [1.8, 50, 20, 11],
        [2.2, 70, 12, 9],
    ]
    d = [-1, 1, -1, 1]
    w = entropy_weights(x, d, on="shares")
    np.testing.assert_allclose(w, [0.1146, 0.1981, 0.4185, 0.2689], rtol=0, atol=_atol(4))
    np.testing.assert_allclose(w, entropy_weights(x), rtol=0, atol=1e-15)


def test_entropy_elsayed_dawood_karthikeyan_2017() -> None:
    """Elsayed, E. A., Dawood, A. S. & Karthikeyan, R. (2017). Evaluating alternatives
    through the application of TOPSIS method with entropy weight. International Journal of
    Engineering Trends and Technology 46(2), 60-66. Twelve alternatives, five criteria;
    entropy weights printed to six decimals. Read from the pymcdm transcription
    (`TestEntropyWeights`),
    https://github.com/kotbaton/pymcdm/blob/2daa0b6029d5ad05550a58eb46ca7c1555fdfe93/test/test_weights.py

    Variant: raw shares. The columns span six orders of magnitude (0.1048 to 941804), a good
    test of the shares' numerical handling.
    """
    x = [
        [7, 312, 1891, 6613, 163],
        [72, 88, 728, 941804, 1078],
        [10, 252, 2594, 3466, 117471],
        [10, 145, 980, 2371, 86329],
        [65, 54, 350, 501, 29897],
        [29, 48, 380, 912, 34051],
        [7, 476, 3300, 78470, 2212],
        [70, 87, 650, 733, 819000],
        [4, 86, 591, 3015, 103],
        [12, 79, 579, 3240, 96098],
        [21, 45, 261, 1253, 453],
        [1, 72, 530, 4333, 0.104800],
    ]
    w = entropy_weights(x, on="shares")
    np.testing.assert_allclose(
        w, [0.104991, 0.069124, 0.071373, 0.449937, 0.304575], rtol=0, atol=_atol(6)
    )


def test_entropy_lee_chang_2018() -> None:
    """Lee, H. C. & Chang, C. T. (2018). Comparative analysis of MCDM methods for ranking
    renewable energy sources in Taiwan. Renewable and Sustainable Energy Reviews 92,
    883-896, https://doi.org/10.1016/j.rser.2018.05.007. Five energy sources, ten criteria;
    entropy weights printed to three decimals. Read from the pyrepo-mcda transcription
    (`Test_Entropy.test_Entropy4`),
    https://github.com/energyinpython/pyrepo-mcda/blob/e69d81f2c8d7f8478558ba02c1f7822b66f8fc79/tests/test_weighting_methods.py

    Variant: raw shares; directions (costs and benefits as in the paper) do not enter.
    """
    x = [
        [4550, 30, 6.74, 20, 15, 5, 85, 150, 0.87, 4.76],
        [3005, 60.86, 2.4, 35, 27, 4, 26, 200, 0.17, 4.51],
        [2040, 14.85, 1.7, 90, 25, 5, 26, 500, 0.27, 4.19],
        [3370, 99.4, 3.25, 25.3, 54, 3, 45, 222, 0.21, 3.78],
        [3920, 112.6, 4.93, 11.4, 71.7, 2, 50, 100, 0.25, 4.11],
    ]
    d = [-1, -1, -1, 1, 1, 1, -1, -1, 1, 1]
    w = entropy_weights(x, d, on="shares")
    np.testing.assert_allclose(
        w,
        [0.026, 0.154, 0.089, 0.199, 0.115, 0.040, 0.080, 0.123, 0.172, 0.002],
        rtol=0,
        atol=_atol(3),
    )


def test_entropy_ersoy_2021() -> None:
    """Ersoy, Y. (2021). Equipment selection for an e-commerce company using entropy-based
    TOPSIS, EDAS and CODAS methods during the COVID-19. LogForum 17(3),
    https://doi.org/10.17270/J.LOG.2021.603. Six laptops, six criteria; entropy weights
    printed to three decimals. Read from the pyrepo-mcda transcription
    (`Test_Entropy.test_Entropy3`),
    https://github.com/energyinpython/pyrepo-mcda/blob/e69d81f2c8d7f8478558ba02c1f7822b66f8fc79/tests/test_weighting_methods.py

    Variant: raw shares.
    """
    x = [
        [256, 8, 41, 1.6, 1.77, 7347.16],
        [256, 8, 32, 1.0, 1.8, 6919.99],
        [256, 8, 53, 1.6, 1.9, 8400],
        [256, 8, 41, 1.0, 1.75, 6808.9],
        [512, 8, 35, 1.6, 1.7, 8479.99],
        [256, 4, 35, 1.6, 1.7, 7499.99],
    ]
    w = entropy_weights(x, on="shares")
    np.testing.assert_allclose(w, [0.405, 0.221, 0.134, 0.199, 0.007, 0.034], rtol=0, atol=_atol(3))


# -- CRITIC -------------------------------------------------------------------------------

#: Tuş, A. & Aytaç Adalı, E. (2019): five time-and-attendance software packages; the first
#: criterion is the price (a cost), the other five are benefit ratings.
TUS_ADALI = np.array(
    [
        [5000, 3, 3, 4, 3, 2],
        [680, 5, 3, 2, 2, 1],
        [2000, 3, 2, 3, 4, 3],
        [600, 4, 3, 1, 2, 2],
        [800, 2, 4, 3, 3, 4],
    ]
)
TUS_ADALI_WEIGHTS = [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]


def test_critic_tus_aytac_adali_2019() -> None:
    """Tuş, A. & Aytaç Adalı, E. (2019). The new combination with CRITIC and WASPAS methods
    for the time and attendance software selection problem. OPSEARCH 56(2), 528-538,
    https://doi.org/10.1007/s12597-019-00371-6. CRITIC weights printed to three decimals.
    Read from two independent transcriptions that agree on matrix and weights: pyrepo-mcda
    (`Test_CRITIC`),
    https://github.com/energyinpython/pyrepo-mcda/blob/e69d81f2c8d7f8478558ba02c1f7822b66f8fc79/tests/test_weighting_methods.py
    and pymcdm (`TestCRITICWeights`),
    https://github.com/kotbaton/pymcdm/blob/2daa0b6029d5ad05550a58eb46ca7c1555fdfe93/test/test_weights.py

    Variant: min-max normalisation with every column treated as a benefit
    (`directions=None`), which is how both packages compute it. The printed weights are
    reproduced only that way: reversing the price column (directions [-1, 1, 1, 1, 1, 1])
    flips the sign of its correlations and moves the weights by up to 0.037. The σ
    convention (m or m − 1) cancels in the weights.
    """
    w = critic_weights(TUS_ADALI, None, normalization="minmax")
    np.testing.assert_allclose(w, TUS_ADALI_WEIGHTS, rtol=0, atol=_atol(3))
    reversed_price = critic_weights(TUS_ADALI, [-1, 1, 1, 1, 1, 1], normalization="minmax")
    assert np.abs(reversed_price - TUS_ADALI_WEIGHTS).max() > 0.02
    # negating the price column and reversing it are the same min-max normalisation
    negated = TUS_ADALI.astype(float)
    negated[:, 0] *= -1
    np.testing.assert_allclose(critic_weights(negated, None), reversed_price, rtol=0, atol=1e-12)


# -- grey relational analysis ---------------------------------------------------------------

#: 司守奎、孙兆亮《数学建模算法与应用》(第2版), 国防工业出版社 2015, ch. 14, example 14.5:
#: choosing one of six parts suppliers on nine indicators. Rows are the indicators (product
#: quality, price, distance, after-sales service, technical level, economic benefit, supply
#: capacity, market influence, delivery), columns the suppliers, as the book's own program
#: ex14_5.m prints them; read from a copy of the book's programs,
#: https://github.com/personqianduixue/Math_Model/blob/280998d007001332b41aa624a125a590982867a1/4%E4%B9%A6%E7%B1%8D/%E6%95%B0%E5%AD%A6%E5%BB%BA%E6%A8%A1%E7%AE%97%E6%B3%95%E4%B8%8E%E5%BA%94%E7%94%A8/%E7%A8%8B%E5%BA%8F%E5%8F%8A%E6%95%B0%E6%8D%AE/14%E7%AC%AC14%E7%AB%A0/ex14_5.m
SI_SUPPLIERS = np.array(
    [
        [0.83, 0.90, 0.99, 0.92, 0.87, 0.95],
        [326, 295, 340, 287, 310, 303],
        [21, 38, 25, 19, 27, 10],
        [3.2, 2.4, 2.2, 2.0, 0.9, 1.7],
        [0.20, 0.25, 0.12, 0.33, 0.20, 0.09],
        [0.15, 0.20, 0.14, 0.09, 0.15, 0.17],
        [250, 180, 300, 200, 150, 175],
        [0.23, 0.15, 0.27, 0.30, 0.18, 0.26],
        [0.87, 0.95, 0.99, 0.89, 0.82, 0.94],
    ]
).T
#: ex14_5.m: indicators 2-4 (price, distance, after-sales service cost) are cost-type
SI_DIRECTIONS = [1, -1, -1, -1, 1, 1, 1, 1, 1]


def test_gra_si_sun_2015_supplier_example() -> None:
    """The procedure of ex14_5.m: min-max normalisation (reversed for the cost rows), the
    reference series the best normalised value of each indicator, Δmin and Δmax over the whole
    matrix, ρ = 0.5, the grade the plain mean of the coefficients. The book's printed grades
    could not be read; greytheory 2.0.5's `rank_quality` (an independent implementation of
    the same steps) gives the expected ones."""
    ours = grey_relational(SI_SUPPLIERS, np.ones(9), SI_DIRECTIONS, rho=0.5)
    responses = ["larger" if d > 0 else "smaller" for d in SI_DIRECTIONS]
    theirs = rank_quality(SI_SUPPLIERS, responses, rho=0.5)
    np.testing.assert_allclose(ours.grades, theirs.scores, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.coefficients, theirs.coefficients, rtol=0, atol=1e-12)
    assert ours.reference.tolist() == [1.0] * 9
    assert ranks(ours.grades).tolist() == ranks(theirs.scores).tolist()
