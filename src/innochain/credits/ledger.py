"""Offsetting and carrying forward: a year's balances settled in the legal order, and the
credit pool's trigger.

A CAFC deficit is offset, in this order: own CAFC credits carried forward (oldest first), CAFC
credits transferred from affiliates, the company's own NEV surplus of the year, (from 2024,
Order 64) its own NEV credits carried forward, purchased NEV credits. A NEV deficit only by
own NEV credits carried forward and purchased NEV credits: CAFC credits never offset NEV
deficits. A positive CAFC balance carries forward at the rule set's rate (per cent kept each
year) for its validity; a NEV surplus at the NEV carry-forward rate where the rule set
allows it.
"""

from __future__ import annotations

from typing import Any

from innochain.credits.rules import Trace, rule_set_for
from innochain.errors import InvalidInput

__all__ = ["pool_state", "settle"]


def settle(
    account: dict[str, Any],
    *,
    carried_cafc: list[tuple[int, float]] | None = None,
    affiliate_cafc: float = 0.0,
    carried_nev: float = 0.0,
    bought_nev: float = 0.0,
) -> dict[str, Any]:
    """Settle one year's account (from `company_account`). `carried_cafc`: (year earned,
    credits) of own CAFC credits still valid; the others are amounts available this year.
    Returns every offset step, the remaining deficits and what carries forward."""
    for name, value in (
        ("affiliate_cafc", affiliate_cafc),
        ("carried_nev", carried_nev),
        ("bought_nev", bought_nev),
    ):
        if value < 0:
            raise InvalidInput.at(name, f"must be ≥ 0, not {value}")
    year = int(account["year"])
    rules = rule_set_for(year)
    trace = Trace()
    cafc = float(account["cafc"]["credit"])
    nev_balance = account["nev"]["balance"]
    if nev_balance is None:
        raise InvalidInput.at(
            "nev",
            "the NEV balance could not be computed: " + "; ".join(account["nev"]["not_computable"]),
        )
    steps: list[dict[str, Any]] = []
    validity = int(rules.param("carry_forward.cafc_validity", trace).value)
    pool = sorted(
        ((y, v) for y, v in (carried_cafc or []) if year - validity <= y < year and v > 0)
    )
    expired = [(y, v) for y, v in (carried_cafc or []) if y < year - validity]
    # the NEV side first: its deficit can only be met by NEV credits
    nev = float(nev_balance)
    for label, available in (
        ("own NEV credits carried forward", carried_nev),
        ("purchased NEV credits", bought_nev),
    ):
        if nev < 0 and available > 0:
            used = min(available, -nev)
            nev += used
            steps.append({"offsets": "nev", "source": label, "credits": used})
            if label.startswith("own"):
                carried_nev -= used
            else:
                bought_nev -= used
    # then the CAFC side, in the legal order
    sources: list[tuple[str, float]] = [
        (f"own CAFC credits of {y} carried forward", v) for y, v in pool
    ]
    sources += [("CAFC credits from affiliates", affiliate_cafc)]
    sources += [("own NEV surplus", max(nev, 0.0))]
    if (
        rules.has("offset.carried_nev_can_offset_cafc")
        and rules.param("offset.carried_nev_can_offset_cafc", trace).value is True
    ):
        sources += [("own NEV credits carried forward", carried_nev)]
    sources += [("purchased NEV credits", bought_nev)]
    rate = (
        float(rules.param("offset.nev_to_cafc_rate", trace).value)
        if rules.has("offset.nev_to_cafc_rate")
        else 1.0
    )
    for label, available in sources:
        if cafc >= 0:
            break
        if available <= 0:
            continue
        per_unit = rate if "NEV" in label else 1.0
        used = min(available, -cafc / per_unit)
        cafc += used * per_unit
        steps.append({"offsets": "cafc", "source": label, "credits": round(used, 2)})
        if label == "own NEV surplus":
            nev -= used
        elif label == "own NEV credits carried forward":
            carried_nev -= used
    carry_rate = float(
        rules.param("carry_forward.cafc_rate_credits_2019_and_later", trace).value
        if year >= 2019
        else rules.param("carry_forward.cafc_rate_credits_2018_and_earlier", trace).value
    )
    nev_rate = 0.0
    if (
        rules.has("carry_forward.nev_carry_forward")
        and rules.param("carry_forward.nev_carry_forward", trace).value is True
        and rules.has("carry_forward.nev_carry_forward_rate")
    ):
        nev_rate = float(rules.param("carry_forward.nev_carry_forward_rate", trace).value)
        if rules.has("carry_forward.nev_carry_forward_condition"):
            trace.caveat(
                "the condition for carrying NEV credits forward (actual CAFC against the "
                "compliance value) is not captured: assumed met"
            )
    return {
        "year": year,
        "rule_set": rules.id,
        "steps": steps,
        "cafc_after": round(cafc, 2),
        "nev_after": round(nev, 2),
        "compliant": cafc >= 0 and nev >= 0,
        "cafc_carried_forward": round(max(cafc, 0.0) * carry_rate / 100, 2),
        "cafc_carry_rate_percent": carry_rate,
        "cafc_valid_until": year + validity,
        "nev_carried_forward": round(max(nev, 0.0) * nev_rate / 100, 2),
        "expired": expired,
        "trace": trace.as_dict(),
    }


def pool_state(year: int, supply: float, demand: float) -> dict[str, Any]:
    """The credit pool's trigger (2024 on): storage opens when the year's tradable NEV
    supply over demand exceeds the storage ratio; stored credits are released below the
    release ratio."""
    rules = rule_set_for(year)
    trace = Trace()
    if not rules.has("pool.exists"):
        raise InvalidInput.at("year", f"{rules.id} has no credit pool")
    if demand <= 0:
        raise InvalidInput.at("demand", "must be > 0")
    store = float(rules.param("pool.storage_trigger_ratio", trace).value)
    release = float(rules.param("pool.release_trigger_ratio", trace).value)
    ratio = supply / demand
    state = "store" if ratio > store else "release" if ratio < release else "neutral"
    return {"year": year, "ratio": round(ratio, 3), "state": state, "trace": trace.as_dict()}
