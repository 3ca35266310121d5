"""Planning a future year: the NEV volume of a chosen model, or the credits to buy, that bring
both balances to zero; and the effect of moving volume from one model to another."""

from __future__ import annotations

from typing import Any

from innochain.credits.account import Assumptions, company_account
from innochain.credits.fleet import Model
from innochain.errors import InvalidInput

__all__ = ["move_volume", "plan"]

#: the search stops at this many added vehicles
MAX_ADDED = 10_000_000


def _balances(account: dict[str, Any]) -> tuple[float, float]:
    nev = account["nev"]["balance"]
    if nev is None:
        raise InvalidInput.at("nev", "; ".join(account["nev"]["not_computable"]))
    return float(account["cafc"]["credit"]), float(nev)


def _short(cafc: float, nev: float) -> float:
    """Credits still to buy: the NEV deficit, and the CAFC deficit the NEV surplus cannot
    cover (NEV credits offset CAFC deficits one to one, never the reverse)."""
    need_nev = max(-nev, 0.0)
    need_cafc = max(-cafc - max(nev, 0.0), 0.0)
    return need_nev + need_cafc


def _with(fleet: list[Model], model_id: str, volume: int) -> list[Model]:
    return [m.model_copy(update={"volume": volume}) if m.model_id == model_id else m for m in fleet]


def plan(
    fleet: list[Model],
    year: int,
    *,
    nev_model: str | None = None,
    assume: Assumptions | None = None,
) -> dict[str, Any]:
    """The account of the plan; the credits to buy as it stands; and, for `nev_model`, the
    fewest extra vehicles of it that need no purchase."""
    base = company_account(fleet, year, assume=assume)
    cafc, nev = _balances(base)
    out: dict[str, Any] = {
        "year": year,
        "account": base,
        "credits_to_buy": round(_short(cafc, nev), 2),
    }
    if nev_model is None:
        return out
    model = next((m for m in fleet if m.model_id == nev_model), None)
    if model is None:
        raise InvalidInput.at("nev_model", f"no model {nev_model!r} in the fleet")
    if not model.powertrain.nev:
        raise InvalidInput.at("nev_model", f"{nev_model} is a {model.powertrain.value}, not an NEV")

    def short(extra: int) -> float:
        account = company_account(
            _with(fleet, nev_model, model.volume + extra), year, assume=assume
        )
        return _short(*_balances(account))

    if short(0) <= 0:
        out["extra_nev_volume"] = 0
        return out
    high = 1
    while short(high) > 0:
        high *= 2
        if high > MAX_ADDED:
            out["extra_nev_volume"] = None
            out["why"] = f"more than {MAX_ADDED:,} extra {nev_model} would be needed"
            return out
    low = high // 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if short(middle) > 0 else (low, middle)
    out["extra_nev_volume"] = high
    out["account_with_extra"] = company_account(
        _with(fleet, nev_model, model.volume + high), year, assume=assume
    )
    return out


def move_volume(
    fleet: list[Model],
    year: int,
    *,
    source: str,
    target: str,
    volume: int,
    assume: Assumptions | None = None,
) -> dict[str, Any]:
    """Move `volume` vehicles from model `source` to model `target`: both accounts and the
    change in each balance."""
    ids = {m.model_id: m for m in fleet}
    for field, model_id in (("source", source), ("target", target)):
        if model_id not in ids:
            raise InvalidInput.at(field, f"no model {model_id!r} in the fleet")
    if not 0 < volume <= ids[source].volume:
        raise InvalidInput.at("volume", f"must be between 1 and {ids[source].volume}")
    moved = _with(
        _with(fleet, source, ids[source].volume - volume), target, ids[target].volume + volume
    )
    before = company_account(fleet, year, assume=assume)
    after = company_account(moved, year, assume=assume)
    (c0, n0), (c1, n1) = _balances(before), _balances(after)
    return {
        "year": year,
        "moved": {"from": source, "to": target, "volume": volume},
        "cafc_credit": {"before": c0, "after": c1, "change": round(c1 - c0, 2)},
        "nev_balance": {"before": n0, "after": n1, "change": round(n1 - n0, 2)},
        "credits_to_buy": {"before": round(_short(c0, n0), 2), "after": round(_short(c1, n1), 2)},
    }
