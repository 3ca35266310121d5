"""The assess engine: innovation-ability assessment by multi-criteria decision methods
(entropy, CRITIC, AHP and equal weights; TOPSIS and grey relational ranking) and sensitivity."""

from innochain.assess.methods import (
    METHODS,
    AHPResult,
    Assessment,
    GRAResult,
    TopsisResult,
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
from innochain.assess.sensitivity import drivers, weight_perturbation

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
    "drivers",
    "entropy_weights",
    "equal_weights",
    "grey_relational",
    "normalize",
    "ranks",
    "topsis",
    "weight_perturbation",
]
