"""POST /api/v1/match: a need (text, domains or a stored need id) -> ranked partners."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from innochain.api.auth import ViewerDep, require_csrf
from innochain.api.deps import get_matcher, get_session
from innochain.match import (
    DEFAULT_WEIGHTS,
    MAX_NEED_CHARS,
    Filters,
    Need,
    Weights,
    need_from_registry,
)

router = APIRouter(tags=["match"], dependencies=[Depends(require_csrf)])


class WeightsIn(BaseModel):
    lexical: float = Field(DEFAULT_WEIGHTS.lexical, ge=0, le=100)
    taxonomy: float = Field(DEFAULT_WEIGHTS.taxonomy, ge=0, le=100)
    maturity: float = Field(DEFAULT_WEIGHTS.maturity, ge=0, le=100)
    network: float = Field(DEFAULT_WEIGHTS.network, ge=0, le=100)
    semantic: float = Field(DEFAULT_WEIGHTS.semantic, ge=0, le=100)


class MatchIn(BaseModel):
    text: str = Field("", max_length=MAX_NEED_CHARS, description="The need, Chinese or English.")
    need_id: str | None = Field(None, description="A stored need you may see, instead of text.")
    domain_ids: list[str] = Field(default_factory=list, description="Technology domain ids.")
    required_trl: int | None = Field(None, ge=1, le=9)
    seeker_id: str | None = Field(None, description="The seeking organisation (network proximity).")
    limit: int = Field(10, ge=1, le=200)
    kinds: list[str] = Field(default_factory=list)
    provinces: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    ownerships: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list, description="Organisation ids to leave out.")
    weights: WeightsIn | None = None


@router.post(
    "/match",
    response_class=Response,
    responses={
        200: {
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "Candidates, best first, each with its components and reasons.",
        }
    },
)
def match(
    body: MatchIn,
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    viewer: ViewerDep,
) -> Response:
    """Rank capable partners for a need; every candidate carries its components and reasons."""
    matcher = get_matcher(request, session)
    if body.need_id:
        need = need_from_registry(session, body.need_id, viewer=viewer)
    else:
        need = Need(
            text=body.text,
            domain_ids=tuple(body.domain_ids),
            required_trl=body.required_trl,
            seeker_id=body.seeker_id,
        )
    result = matcher.match(
        need,
        limit=body.limit,
        weights=Weights(**body.weights.model_dump()) if body.weights else None,
        filters=Filters(
            kinds=tuple(body.kinds),
            provinces=tuple(body.provinces),
            countries=tuple(body.countries),
            ownerships=tuple(body.ownerships),
            exclude=tuple(body.exclude),
        ),
    )
    # orjson writes the nested frozen dataclasses directly, without copying them into dicts
    return Response(orjson.dumps(result), media_type="application/json")
