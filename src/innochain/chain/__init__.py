"""The chain engine: the industrial chain as a network (metrics, communities, brokers, chain
leaders), its chokepoints, its resilience to the loss of firms, nodes or countries, regional
clusters with investment-attraction suggestions, and innovation-industry synergy."""

from innochain.chain.model import Ability, Chain, Node, Org, Tie
from innochain.chain.snapshot import load_chain

__all__ = ["Ability", "Chain", "Node", "Org", "Tie", "load_chain"]
