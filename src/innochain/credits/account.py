"""A company's dual-credit account for one year, every figure traced to its rule and inputs.

Per model: the CAFC target from curb mass and seat rows (GB 27999), whether it is a
low-fuel-consumption vehicle, and its NEV credits per vehicle. Per company:

    actual CAFC      = Σ FC_i V_i / Σ V_i W_i   (NEVs' FC counted as their value (0 for BEV,
                                                 FCV), W_i the year's NEV multiplier; low-FC
                                                 conventional vehicles their multiplier)
    CAFC target      = Σ T_i V_i / Σ V_i
    compliance value = CAFC target × the year's requirement (per cent)
    CAFC credit      = (compliance value − actual CAFC) × Σ V_i     (values to 2 decimals)
    NEV earned       = Σ credits_i × V_i
    NEV required     = (conventional V − low-FC V + low-FC V × counting factor) × ratio,
                       0 below the small-volume threshold
    NEV balance      = earned − required

A parameter the rule data has not captured (`nan`) stops the figure that needs it, with the
reason, unless the caller assumes a value for it (`assume={"nev.credits.phev.standard": 1.6}`):
assumptions are listed in the result like every rule used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from innochain.credits.fleet import Model, Powertrain
from innochain.credits.formula import evaluate
from innochain.credits.rules import Param, RuleSet, Trace, rule_set_for
from innochain.errors import InvalidInput

__all__ = [
    "Assumptions",
    "cafc_credit",
    "company_account",
    "model_target",
    "nev_credit",
    "parse_assumptions",
]

Assumptions = dict[str, float]


def parse_assumptions(lines: list[str]) -> Assumptions:
    """`PATH=NUMBER` lines (blank ones skipped) as assumptions, each problem naming its line.

    >>> parse_assumptions(["nev.credits.phev.standard=1.6", ""])
    {'nev.credits.phev.standard': 1.6}
    """
    out: Assumptions = {}
    for k, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        key, _, value = line.partition("=")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            raise InvalidInput.at("assume", f"line {k}: {line!r} is not PATH=NUMBER") from None
    return out


class NotCaptured(Exception):
    """A parameter needed for a figure is `nan` in the rule data and was not assumed."""


@dataclass
class _Ctx:
    rules: RuleSet
    year: int
    trace: Trace
    assume: Assumptions

    def value(self, path: str) -> Any:
        param = self.rules.param(path, self.trace)
        return self._known(path, param, param.value)

    def _known(self, path: str, param: Param, value: Any) -> Any:
        if isinstance(value, float) and math.isnan(value):
            if path in self.assume:
                self.trace.caveat(
                    f"{path} assumed {self.assume[path]} (not captured in {self.rules.id})"
                )
                return self.assume[path]
            raise NotCaptured(f"{self.rules.id}: {path} is not captured in the rule data")
        return value

    def optional(self, path: str, default: float) -> float:
        """A factor that may be missing from the data: 1 (or `default`) with a caveat."""
        if not self.rules.has(path):
            return default
        try:
            return float(self.value(path))
        except NotCaptured:
            self.trace.caveat(f"{path} is not captured in {self.rules.id}: taken as {default}")
            return default

    def pieces(self, path: str) -> list[dict[str, Any]]:
        rows = []
        for k, param in enumerate(self.rules.pieces(path, self.trace)):
            row = dict(param.value)
            for key, value in row.items():
                if isinstance(value, float) and math.isnan(value):
                    row[key] = self._known(f"{path}[{k}].{key}", param, value)
            rows.append(row)
        return rows


def model_target(ctx: _Ctx, model: Model) -> float:
    """GB 27999 target of a model (L/100km): the piece of its curb mass, plus the three-row
    offset for vehicles with three or more seat rows."""
    mass = model.curb_mass_kg
    for piece in ctx.pieces("cafc.target.pieces"):
        if piece["cm_gt"] < mass <= piece["cm_le"]:
            target = piece["intercept"] + piece["slope"] * (mass - piece["cm_ref"])
            break
    else:  # pragma: no cover - the pieces cover (0, inf)
        raise InvalidInput.at("curb_mass_kg", f"{mass} kg is outside the target table")
    if model.seat_rows >= 3:
        target += float(ctx.value("cafc.target.three_row_offset"))
    return round(float(target), 3)


def _piece(rows: list[dict[str, Any]], low: str, high: str, x: float) -> dict[str, Any] | None:
    return next((r for r in rows if r[low] <= x < r[high]), None)


def nev_credit(ctx: _Ctx, model: Model) -> tuple[float, list[str]]:
    """NEV credits per vehicle of a model, with the steps that made it."""
    steps: list[str] = []
    if model.powertrain is Powertrain.BEV:
        return _bev(ctx, model, steps), steps
    if model.powertrain is Powertrain.PHEV:
        return _phev(ctx, model, steps), steps
    if model.powertrain is Powertrain.FCV:
        power = model.fuel_cell_kw or 0.0
        row = _piece(ctx.pieces("nev.credits.fcv.standard_pieces"), "p_ge", "p_lt", power)
        if row is None:
            return 0.0, [f"fuel-cell power {power} kW: below every piece"]
        credit = min(row["slope"] * power + row["intercept"], row["cap"])
        steps.append(
            f"{row['slope']} × {power} kW + {row['intercept']} (cap {row['cap']}) = {credit:.4f}"
        )
        return round(credit, 4), steps
    return 0.0, steps


def _bev(ctx: _Ctx, model: Model, steps: list[str]) -> float:
    reach = model.electric_range_km or 0.0
    if ctx.rules.has("nev.credits.bev.min_range"):
        floor = ctx.optional("nev.credits.bev.min_range", 0.0)
        if reach < floor:
            steps.append(f"range {reach} km below the minimum {floor} km: no credit")
            return 0.0
    row = _piece(ctx.pieces("nev.credits.bev.standard_pieces"), "r_ge", "r_lt", reach)
    if row is None:
        steps.append(f"range {reach} km: no standard-credit piece")
        return 0.0
    credit = min(row["slope"] * reach + row["intercept"], row["cap"])
    steps.append(
        f"standard {row['slope']} × {reach} km + {row['intercept']} "
        f"(cap {row['cap']}) = {credit:.4f}"
    )
    if ctx.rules.has("nev.credits.bev.range_factor_pieces"):
        try:
            rows = ctx.pieces("nev.credits.bev.range_factor_pieces")
            factor_row = _piece(rows, "r_ge", "r_lt", reach)
            if factor_row is not None:
                credit *= factor_row["factor"]
                steps.append(f"range factor {factor_row['factor']}")
        except NotCaptured:
            ctx.trace.caveat(f"the BEV range factor is not captured in {ctx.rules.id}: taken as 1")
    if ctx.rules.has("nev.credits.bev.energy_factor_rules"):
        try:
            credit *= _energy_factor(ctx, model, steps)
        except NotCaptured:
            ctx.trace.caveat(
                f"the BEV electricity-consumption factor is not captured in {ctx.rules.id}: "
                "taken as 1"
            )
    density = ctx.optional("nev.credits.bev.energy_density_factor", 1.0)
    if density != 1.0:
        credit *= density
        steps.append(f"energy-density factor {density}")
    if ctx.rules.has("nev.credits.bev.per_vehicle_max"):
        top = float(ctx.value("nev.credits.bev.per_vehicle_max"))
        credit = min(credit, top)
    return round(float(credit), 4)


def _energy_target(ctx: _Ctx, mass: float) -> float:
    for row in ctx.pieces("nev.credits.bev.energy_target_pieces"):
        if row["m_gt"] < mass <= row["m_le"]:
            return float(row["slope"] * mass + row["intercept"])
    raise InvalidInput.at("curb_mass_kg", f"{mass} kg is outside the energy-consumption table")


def _energy_factor(ctx: _Ctx, model: Model, steps: list[str]) -> float:
    """The electricity-consumption adjustment: the first rule whose condition holds."""
    rules = ctx.pieces("nev.credits.bev.energy_factor_rules")
    if model.energy_consumption_kwh100 is None:
        ctx.trace.caveat(
            f"{model.model_id}: no energy_consumption_kwh100, "
            "electricity-consumption factor taken as 1"
        )
        return 1.0
    names = {
        "Y": model.energy_consumption_kwh100,
        "energy_target": _energy_target(ctx, model.curb_mass_kg),
    }
    for rule in rules:
        if evaluate(str(rule["condition"]), names):
            factor = rule["factor"]
            value = float(evaluate(factor, names) if isinstance(factor, str) else factor)
            steps.append(
                f"electricity {names['Y']} kWh/100km vs target {names['energy_target']:.2f}: "
                f"factor {value:.4f} ({rule['condition']})"
            )
            return value
    return 1.0


def _phev(ctx: _Ctx, model: Model, steps: list[str]) -> float:
    reach = model.electric_range_km or 0.0
    floor = ctx.optional("nev.credits.phev.min_range", 0.0)
    if reach < floor:
        steps.append(f"electric range {reach} km below the minimum {floor} km: no credit")
        return 0.0
    standard = float(ctx.value("nev.credits.phev.standard"))
    steps.append(f"standard {standard}")
    if ctx.rules.has("nev.credits.phev.factor_rules"):
        ctx.trace.caveat(
            "PHEV adjustment factors need the GB 19578 limit and the charge-depleting electricity "
            "consumption, which the fleet does not carry: not applied (factor 1)"
        )
    return round(standard, 4)


def cafc_credit(compliance_value: float, actual: float, volume: int) -> int:
    """CAFC credits (Measures Art. 8): (compliance value − actual CAFC) × the plain production
    or import volume (no NEV multiplier), rounded to a whole credit; negative is a deficit.
    Both values are in L/100km to the two decimals MIIT publishes; the inner rounding keeps
    binary fractions (6.65 − 2.43 = 4.2200000000000006) from moving the result.

    >>> cafc_credit(6.65, 2.43, 147_570)  # JAC, MIIT's 2018 table: 622,745
    622745
    """
    return round(round((compliance_value - actual) * volume, 6))


def company_account(
    fleet: list[Model], year: int, *, assume: Assumptions | None = None
) -> dict[str, Any]:
    """The company's account for `year` under the rule set in force, with per-model figures
    and the trace of every rule used."""
    rules = rule_set_for(year)
    ctx = _Ctx(rules, year, Trace(), dict(assume or {}))
    y = str(year)
    requirement = float(ctx.value(f"cafc.requirement.{y}"))
    nev_multiplier = float(ctx.value(f"cafc.accounting.nev_multiplier.{y}"))
    low_fc_multiplier = ctx.optional(f"cafc.accounting.low_fc_multiplier.{y}", 1.0)
    low_fc_cafc_threshold = ctx.optional("cafc.accounting.low_fc_threshold", 0.0)
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for model in fleet:
        target = model_target(ctx, model)
        fc = (
            0.0
            if model.powertrain in (Powertrain.BEV, Powertrain.FCV)
            else float(model.fuel_consumption_l100 or 0.0)
        )
        is_conventional = not model.powertrain.nev
        low_fc = is_conventional and fc <= round(target * requirement / 100, 2)
        weight = nev_multiplier if model.powertrain.nev else 1.0
        if is_conventional and low_fc_cafc_threshold and fc <= low_fc_cafc_threshold:
            weight = low_fc_multiplier
        try:
            credit, steps = nev_credit(ctx, model)
        except NotCaptured as missing:
            credit, steps = math.nan, [str(missing)]
            problems.append(f"{model.model_id}: {missing}")
        rows.append(
            {
                "model_id": model.model_id,
                "name": model.name,
                "powertrain": model.powertrain.value,
                "volume": model.volume,
                "curb_mass_kg": model.curb_mass_kg,
                "target_l100": target,
                "fuel_consumption_counted": fc,
                "cafc_weight": weight,
                "low_fuel_consumption": low_fc,
                "nev_credit_per_vehicle": None if math.isnan(credit) else credit,
                "nev_credit_steps": steps,
            }
        )
    volume = sum(m.volume for m in fleet)
    if not volume:
        raise InvalidInput.at("volume", "the fleet's total volume is 0")
    weighted = sum(r["volume"] * r["cafc_weight"] for r in rows)
    actual = round(sum(r["fuel_consumption_counted"] * r["volume"] for r in rows) / weighted, 2)
    target = round(sum(r["target_l100"] * r["volume"] for r in rows) / volume, 2)
    compliance = round(target * requirement / 100, 2)
    conventional = sum(r["volume"] for r in rows if r["powertrain"] in ("ice", "hev"))
    low_volume: int = sum(
        r["volume"] for r in rows if r["powertrain"] in ("ice", "hev") and r["low_fuel_consumption"]
    )
    required, basis = _nev_required(ctx, conventional, low_volume)
    earned = (
        None
        if problems
        else round(sum((r["nev_credit_per_vehicle"] or 0) * r["volume"] for r in rows), 2)
    )
    return {
        "year": year,
        "rule_set": rules.id,
        "rule_set_title": rules.title_zh,
        "volume": volume,
        "conventional_volume": conventional,
        "nev_volume": volume - conventional,
        "low_fc_volume": low_volume,
        "cafc": {
            "actual": actual,
            "target": target,
            "requirement_percent": requirement,
            "compliance_value": compliance,
            "credit": cafc_credit(compliance, actual, volume),
        },
        "nev": {
            "earned": earned,
            "required": required,
            "required_basis": basis,
            "balance": None if earned is None else round(earned - required, 2),
            "not_computable": problems,
        },
        "models": rows,
        "trace": ctx.trace.as_dict(),
    }


def _nev_required(ctx: _Ctx, conventional: int, low_volume: int) -> tuple[float, str]:
    y = str(ctx.year)
    exempt = ctx.optional("small_volume.nev_ratio_exempt_below", 0.0)
    if conventional < exempt:
        return (
            0.0,
            f"{conventional} conventional vehicles, below the {exempt:.0f} threshold: exempt",
        )
    if not ctx.rules.has(f"nev.ratio.{y}"):
        return 0.0, f"no NEV credit ratio for {ctx.year} in {ctx.rules.id}"
    ratio = float(ctx.value(f"nev.ratio.{y}"))
    factor = 1.0
    if ctx.rules.has(f"nev.target.low_fc_counting_factor.{y}"):
        factor = float(ctx.value(f"nev.target.low_fc_counting_factor.{y}"))
    else:
        low_volume = 0
    base = conventional - low_volume + low_volume * factor
    return round(base * ratio / 100, 2), (
        f"({conventional} − {low_volume} + {low_volume} × {factor}) × {ratio} %"
    )
