"""Innovation-ability assessment over HTTP: the indicator system, a peer group's ranking, a
firm's report, and any decision matrix a user sends. Thin: parse, call `innochain.assess`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from innochain.api.auth import require_csrf
from innochain.api.deps import PlainJSONRoute, get_firms, get_session
from innochain.assess import METHODS
from innochain.assess.ability import assess_matrix, firm_report, rank_peers
from innochain.assess.firms import PEER_GROUPS
from innochain.assess.indicators import load_system

router = APIRouter(
    prefix="/assess",
    tags=["assess"],
    dependencies=[Depends(require_csrf)],
    route_class=PlainJSONRoute,
)
SessionDep = Annotated[Session, Depends(get_session)]
Method = Annotated[str, Query(description=f"One of {', '.join(sorted(METHODS))}.")]


class Variants(BaseModel):
    """The method variants, all optional (see docs/assess.md)."""

    entropy_on: str | None = Field(None, description="shares, minmax or shifted")
    zero: str | None = Field(None, description="entropy zero handling: skip, epsilon, error")
    critic_normalization: str | None = None
    normalization: str | None = Field(None, description="vector, minmax, sum or max")
    cost: str | None = Field(None, description="reverse, inverse or none")
    topsis_weighting: str | None = Field(None, description="matrix or distance")
    rho: float | None = Field(None, gt=0, le=1, description="GRA distinguishing coefficient")

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


def _variants(variants: Annotated[Variants, Query()]) -> dict[str, Any]:
    return variants.given()


VariantsDep = Annotated[dict[str, Any], Depends(_variants)]


@router.get("/indicators")
def indicators() -> dict[str, Any]:
    """The default indicator system: dimension, direction, formula, source and citation."""
    system = load_system()
    return {
        "max_missing": system.max_missing,
        "items": [
            ind.__dict__ | {"direction": "benefit" if ind.direction > 0 else "cost"}
            for ind in system.indicators
        ],
        "methods": sorted(METHODS),
        "peer_groups": {k: list(v) for k, v in PEER_GROUPS.items()},
    }


@router.get("/peers")
def peers(
    request: Request,
    session: SessionDep,
    variants: VariantsDep,
    peers: Annotated[str, Query(description="oem, supplier or all")] = "oem",
    year: Annotated[int, Query(ge=2000, le=2100)] = 2024,
    method: Method = "entropy-topsis",
) -> dict[str, Any]:
    """A peer group ranked in a year: weights, scores, ranks, tiers, what was left out."""
    data = get_firms(request, session)
    return rank_peers(data, load_system(), peers=peers, year=year, method=method, **variants)


@router.get("/firms/{organization_id}")
def firm(
    request: Request,
    session: SessionDep,
    variants: VariantsDep,
    organization_id: str,
    peers: Annotated[str | None, Query(description="default: by the firm's kind")] = None,
    method: Method = "entropy-topsis",
) -> dict[str, Any]:
    """A firm's report: rank over the years, radar values, drivers, rank stability, growth
    stage, recommended innovation mode and archetype, each with why."""
    return firm_report(
        get_firms(request, session),
        load_system(),
        organization_id,
        peers=peers,
        method=method,
        **variants,
    )


class MatrixIn(BaseModel):
    alternatives: list[str] = Field(min_length=2, max_length=5000)
    criteria: list[str] = Field(min_length=1, max_length=200)
    matrix: list[list[Any]] = Field(description="One row per alternative, numbers.")
    directions: list[int] = Field(description="+1 benefit, -1 cost, one per criterion.")
    method: str = Field("entropy-topsis", description=f"One of {', '.join(sorted(METHODS))}.")
    pairwise: list[list[float]] | None = Field(None, description="AHP pairwise comparisons.")
    variants: Variants = Field(default_factory=Variants)
    trials: int = Field(0, ge=0, le=10_000, description="Monte Carlo weight perturbations.")


@router.post("/matrix")
def matrix(body: MatrixIn) -> dict[str, Any]:
    """Assess your own decision matrix with any method and variant."""
    options = body.variants.given()
    if body.pairwise is not None:
        options["pairwise"] = body.pairwise
    return assess_matrix(
        body.alternatives,
        body.criteria,
        body.matrix,
        body.directions,
        method=body.method,
        trials=body.trials,
        **options,
    )
