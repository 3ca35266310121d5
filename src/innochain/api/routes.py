"""REST API v1: thin handlers that parse, call `innochain.registry` and serialise."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from innochain import registry
from innochain.api.deps import get_session, get_settings
from innochain.registry import Page
from innochain.settings import Settings

router = APIRouter()

SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Q = Annotated[
    str | None, Query(description="Text search, Chinese or English; all terms must match.")
]
PageNo = Annotated[int, Query(ge=1, description="1-based page number.")]
Size = Annotated[int | None, Query(ge=1, le=500, description="Items per page.")]


def _page(result: Page[Any]) -> dict[str, Any]:
    return {
        "items": [
            dataclasses.asdict(i) if dataclasses.is_dataclass(i) and not isinstance(i, type) else i
            for i in result.items
        ],
        "total": result.total,
        "page": result.page,
        "size": result.size,
        "pages": result.pages,
    }


@router.get("/organizations", tags=["organizations"])
def organizations(
    session: SessionDep,
    settings: SettingsDep,
    q: Q = None,
    kind: str | None = None,
    ownership: str | None = None,
    country: str | None = None,
    province: str | None = None,
    chain_node: str | None = None,
    page: PageNo = 1,
    size: Size = None,
) -> dict[str, Any]:
    """Organisations with filters; `chain_node` includes sub-nodes."""
    return _page(
        registry.list_organizations(
            session,
            q=q,
            kind=kind,
            ownership=ownership,
            country=country,
            province=province,
            chain_node=chain_node,
            page=page,
            size=size or settings.page_size,
        )
    )


@router.get("/organizations/{org_id}", tags=["organizations"])
def organization(session: SessionDep, org_id: str) -> dict[str, Any]:
    """One organisation with chain position, capabilities, relations, investments, indicators."""
    return dataclasses.asdict(registry.get_organization(session, org_id))


@router.get("/chain-nodes", tags=["chain"])
def chain_nodes(session: SessionDep, q: Q = None, stage: str | None = None) -> dict[str, Any]:
    """Chain taxonomy nodes, flat."""
    items = registry.list_chain_nodes(session, q=q, stage=stage)
    return {"items": items, "total": len(items)}


@router.get("/chain-nodes/tree", tags=["chain"])
def chain_nodes_tree(session: SessionDep) -> dict[str, Any]:
    """The chain taxonomy as a tree with organisation counts."""
    return {"roots": registry.chain_tree(session)}


@router.get("/chain-nodes/{node_id}", tags=["chain"])
def chain_node(session: SessionDep, node_id: str) -> dict[str, Any]:
    """A chain node with ancestors, children, technologies and organisations."""
    return registry.get_chain_node(session, node_id)


@router.get("/technologies", tags=["technologies"])
def technologies(session: SessionDep, q: Q = None) -> dict[str, Any]:
    """Technology domains with their chain nodes and number of capabilities."""
    items = registry.list_technologies(session, q=q)
    return {"items": items, "total": len(items)}


@router.get("/capabilities", tags=["capabilities"])
def capabilities(
    session: SessionDep,
    settings: SettingsDep,
    organization_id: str | None = None,
    domain: str | None = None,
    min_trl: Annotated[int | None, Query(ge=1, le=9)] = None,
    q: Q = None,
    page: PageNo = 1,
    size: Size = None,
) -> dict[str, Any]:
    """Who can do what: capabilities, highest TRL first; `domain` includes sub-domains."""
    return _page(
        registry.list_capabilities(
            session,
            organization_id=organization_id,
            domain=domain,
            min_trl=min_trl,
            q=q,
            page=page,
            size=size or settings.page_size,
        )
    )


@router.get("/relations", tags=["relations"])
def relations(
    session: SessionDep,
    settings: SettingsDep,
    organization_id: str | None = None,
    type: str | None = None,
    q: Q = None,
    page: PageNo = 1,
    size: Size = None,
) -> dict[str, Any]:
    """Typed, directed relations, newest first."""
    return _page(
        registry.list_relations(
            session,
            organization_id=organization_id,
            type=type,
            q=q,
            page=page,
            size=size or settings.page_size,
        )
    )


@router.get("/needs", tags=["needs"])
def needs(
    session: SessionDep,
    settings: SettingsDep,
    q: Q = None,
    status: str | None = None,
    domain: str | None = None,
    page: PageNo = 1,
    size: Size = None,
) -> dict[str, Any]:
    """Public technology needs."""
    return _page(
        registry.list_needs(
            session, q=q, status=status, domain=domain, page=page, size=size or settings.page_size
        )
    )


class NeedIn(BaseModel):
    seeker_id: str = Field(description="The seeking organisation (id, name or alias).")
    title_en: str = ""
    title_zh: str = ""
    description_en: str = ""
    description_zh: str = ""
    domain_ids: list[str] = Field(default_factory=list)
    required_trl: int | None = Field(None, ge=1, le=9)
    budget_cny_m: float | None = Field(None, ge=0)
    deadline: str | None = Field(None, description="YYYY-MM-DD")
    visibility: str = Field("public", description="Only public until accounts exist (issue 5).")


@router.post("/needs", tags=["needs"], status_code=201)
def create_need(body: NeedIn, session: SessionDep) -> dict[str, Any]:
    """Save a technology need (public only for now); returns it as listed."""
    fields = body.model_dump(exclude_none=True)
    fields["domain_ids"] = "|".join(body.domain_ids)
    need_id = registry.create_need(session, fields, source="request")
    session.commit()
    return registry.get_need(session, need_id)


@router.get("/needs/{need_id}", tags=["needs"])
def need(session: SessionDep, need_id: str) -> dict[str, Any]:
    """One public need."""
    return registry.get_need(session, need_id)


@router.get("/series", tags=["statistics"])
def series(
    session: SessionDep, metric: str | None = None, region: str | None = None
) -> dict[str, Any]:
    """Statistics series with their observations."""
    items = registry.list_series(session, metric=metric, region=region)
    return {"items": items, "total": len(items)}


@router.get("/series/{series_id}", tags=["statistics"])
def one_series(session: SessionDep, series_id: str) -> dict[str, Any]:
    """One statistics series with its observations."""
    return registry.list_series(session, series_id=series_id)[0]


@router.get("/stats", tags=["statistics"])
def stats(session: SessionDep) -> dict[str, int]:
    """Row counts of every entity."""
    return registry.count_entities(session)
