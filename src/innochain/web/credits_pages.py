"""Dual-credit pages: upload a fleet and see its account and plan; the rule sets with the
status of every parameter; the ministry's published results."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from innochain.api.auth import require_csrf
from innochain.credits import (
    company_account,
    covered_years,
    parse_assumptions,
    plan,
    published_summary,
    read_fleet,
    rule_sets,
    settle,
)
from innochain.credits.fleet import COLUMNS
from innochain.errors import InvalidInput
from innochain.web.pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])

#: largest fleet file accepted from the page
MAX_FILE_BYTES = 2_000_000


@router.get("/credits")
def credits_page(request: Request) -> Response:
    context = {"result": None, "_columns": COLUMNS, "_years": covered_years()}
    return render(request, "credits.html", context)


@router.get("/credits/fleet-template.csv")
def fleet_template() -> Response:
    """The fleet file's header row: the columns `read_fleet` accepts, in order."""
    return Response(
        ",".join(COLUMNS) + "\r\n",
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="fleet-template.csv"'},
    )


@router.post("/credits")
async def credits_upload(
    request: Request,
    fleet: Annotated[UploadFile, File()],
    year: Annotated[int, Form(ge=2000, le=2100)],
    nev_model: Annotated[str, Form(max_length=200)] = "",
    assume: Annotated[str, Form(max_length=5000)] = "",
    bought_nev: Annotated[float, Form(ge=0)] = 0.0,
) -> Response:
    """Read the uploaded fleet (CSV or XLSX), then its account, plan and settlement."""
    name = Path(fleet.filename or "fleet.csv").name
    if Path(name).suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise InvalidInput.at("fleet", f"{name}: upload a .csv or .xlsx file")
    raw = await fleet.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput.at("fleet", f"{name}: larger than {MAX_FILE_BYTES:,} bytes")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        models = read_fleet(path)
    assumptions = parse_assumptions(assume.splitlines())
    account = company_account(models, year, assume=assumptions)
    result: dict[str, Any] = {"file": name, "account": account}
    if account["nev"]["balance"] is not None:
        result["plan"] = plan(models, year, nev_model=nev_model or None, assume=assumptions)
        result["settled"] = settle(account, bought_nev=bought_nev)
    context = {
        "result": result,
        "year": year,
        "form": {"nev_model": nev_model, "bought_nev": bought_nev, "assume": assume},
        "_columns": COLUMNS,
        "_years": covered_years(),
    }
    return render(request, "credits.html", context)


@router.get("/credits/rules")
def rules_page(request: Request) -> Response:
    return render(request, "credits_rules.html", {"rule_sets": [r.summary() for r in rule_sets()]})


@router.get("/credits/published")
def published_page(request: Request) -> Response:
    return render(request, "credits_published.html", {"s": published_summary()})
