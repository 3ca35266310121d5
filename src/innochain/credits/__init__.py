"""The dual-credit engine: China's passenger-car CAFC and NEV credit accounts under versioned,
cited rule sets (`rules/`), offsetting and carry-forward in the legal order, the credit pool's
trigger, and planning a future year."""

from innochain.credits.account import company_account, parse_assumptions
from innochain.credits.fleet import Model, Powertrain, read_fleet, validate_fleet
from innochain.credits.ledger import pool_state, settle
from innochain.credits.plan import move_volume, plan
from innochain.credits.rules import (
    covered_years,
    published_results,
    published_summary,
    rule_set_for,
    rule_sets,
)

__all__ = [
    "Model",
    "Powertrain",
    "company_account",
    "covered_years",
    "move_volume",
    "parse_assumptions",
    "plan",
    "pool_state",
    "published_results",
    "published_summary",
    "read_fleet",
    "rule_set_for",
    "rule_sets",
    "settle",
    "validate_fleet",
]
