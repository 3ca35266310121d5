"""A company's fleet for one year: one row per model, from a CSV/XLSX file or JSON, checked
like an import (file, row, field, reason) before anything is computed."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from innochain.errors import InvalidInput, Problem, pydantic_problem
from innochain.registry.formats import _decode

__all__ = ["COLUMNS", "Model", "Powertrain", "read_fleet", "validate_fleet"]


class Powertrain(StrEnum):
    ICE = "ice"  # petrol, diesel, gas (conventional)
    HEV = "hev"  # non-plug-in hybrid (conventional)
    PHEV = "phev"  # plug-in hybrid and extended-range (NEV)
    BEV = "bev"  # battery electric (NEV)
    FCV = "fcv"  # fuel cell (NEV)

    @property
    def nev(self) -> bool:
        return self in (Powertrain.PHEV, Powertrain.BEV, Powertrain.FCV)


class Model(BaseModel):
    """One model (车型) of the fleet."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    model_id: str = Field(min_length=1, max_length=200)
    name: str = ""
    powertrain: Powertrain
    curb_mass_kg: float = Field(gt=300, lt=10_000)
    seat_rows: int = Field(2, ge=1, le=5)
    volume: int = Field(ge=0, description="Produced or imported in the year.")
    fuel_consumption_l100: float | None = Field(
        None,
        ge=0,
        lt=50,
        description="Combined (WLTC from 2021), L/100km; PHEV: charge-sustaining.",
    )
    electric_range_km: float | None = Field(None, ge=0, lt=2000)
    energy_consumption_kwh100: float | None = Field(None, gt=0, lt=100)
    fuel_cell_kw: float | None = Field(None, gt=0, lt=1000)

    @model_validator(mode="after")
    def _needs(self) -> Model:
        if self.powertrain in (Powertrain.ICE, Powertrain.HEV, Powertrain.PHEV) and (
            self.fuel_consumption_l100 is None
        ):
            raise ValueError(f"fuel_consumption_l100: a {self.powertrain.value} model needs it")
        if self.powertrain in (Powertrain.BEV, Powertrain.PHEV) and self.electric_range_km is None:
            raise ValueError(f"electric_range_km: a {self.powertrain.value} model needs it")
        if self.powertrain is Powertrain.FCV and self.fuel_cell_kw is None:
            raise ValueError("fuel_cell_kw: a fuel-cell model needs its rated power")
        return self


COLUMNS = list(Model.model_fields)


def validate_fleet(rows: list[dict[str, Any]], *, file: str = "") -> list[Model]:
    """Models from raw rows (strings or values); every problem at once, by row and field."""
    problems: list[Problem] = []
    models: list[Model] = []
    seen: dict[str, int] = {}
    for k, raw in enumerate(rows, start=2 if file else 1):
        clean = {key: value for key, value in raw.items() if value not in ("", None)}
        try:
            model = Model.model_validate(clean)
        except ValidationError as error:
            for e in error.errors():
                p = pydantic_problem(e)
                problems.append(Problem(p.reason, file=file, row=k, column=p.column))
            continue
        if model.model_id in seen:
            problems.append(
                Problem(
                    f"model_id {model.model_id!r} also on row {seen[model.model_id]}",
                    file=file,
                    row=k,
                    column="model_id",
                )
            )
        seen[model.model_id] = k
        models.append(model)
    if not rows:
        problems.append(Problem("the fleet has no models", file=file))
    if problems:
        raise InvalidInput(problems)
    return models


def read_fleet(path: Path | str) -> list[Model]:
    """A fleet file: CSV (UTF-8 or GB18030) or XLSX with a header row of `COLUMNS` names."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput([Problem("no such file", file=str(path))])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        table = [
            ["" if c is None else str(c).strip() for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        text, _ = _decode(path, path.read_bytes())
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    table = [r for r in table if any(r)]
    if not table:
        raise InvalidInput([Problem("the file is empty", file=str(path))])
    header = table[0]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise InvalidInput(
            [
                Problem(
                    f"unknown column {h!r}; columns are {', '.join(COLUMNS)}",
                    file=str(path),
                    row=1,
                    column=h,
                )
                for h in unknown
            ]
        )
    rows = [
        dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in table[1:]
    ]
    return validate_fleet(rows, file=str(path))
