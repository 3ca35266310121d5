"""The assess engine: innovation-ability assessment by multi-criteria decision methods
(entropy, CRITIC, AHP and equal weights; TOPSIS and grey relational ranking) and sensitivity."""

from innochain.assess.matrix import check_matrix, normalize, ranks
from innochain.assess.methods import METHODS, Assessment, assess
from innochain.assess.ranking import GRAResult, TopsisResult, grey_relational, topsis
from innochain.assess.sensitivity import drivers, weight_perturbation
from innochain.assess.weights import (
    AHPResult,
    ahp_weights,
    critic_weights,
    entropy_weights,
    equal_weights,
)

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
