"""The consortium engine: assemble "1 lead + 1 core + N supporting" consortia that cover a
need's technology domains, by exact optimisation (HiGHS), with alternatives and reasons; then
run it (`innochain.consortium.lifecycle`): invitations, resources, agreement, outcomes, exits."""

from innochain.consortium import lifecycle
from innochain.consortium.candidates import ConsortiumProposal, fit_of, propose
from innochain.consortium.model import Candidate, Constraints, Member, Proposal, Relaxation
from innochain.consortium.solver import BuildResult, build_consortium, competitor_groups, eligible

__all__ = [
    "BuildResult",
    "Candidate",
    "ConsortiumProposal",
    "Constraints",
    "Member",
    "Proposal",
    "Relaxation",
    "build_consortium",
    "competitor_groups",
    "eligible",
    "fit_of",
    "lifecycle",
    "propose",
]
