"""REST API v1: thin handlers that parse, call `innochain.registry` and serialise."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from innochain import registry
from innochain.api.auth import ViewerDep, client_ip, require_csrf
from innochain.api.deps import PlainJSONRoute, get_session, get_settings
from innochain.domain import RECORDS, Visibility
from innochain.errors import InvalidInput
from innochain.registry import Page
from innochain.settings import Settings
from innochain.store import audit

#: every API route: who is asking (rate-limited), and the CSRF check for cookie sessions
router = APIRouter(dependencies=[Depends(require_csrf)], route_class=PlainJSONRoute)

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
    viewer: ViewerDep,
    q: Q = None,
    status: str | None = None,
    domain: str | None = None,
    page: PageNo = 1,
    size: Size = None,
) -> dict[str, Any]:
    """Technology needs you may see: public ones, and if signed in members-only ones, your
    consortia's and your own organisation's."""
    return _page(
        registry.list_needs(
            session,
            viewer=viewer,
            q=q,
            status=status,
            domain=domain,
            page=page,
            size=size or settings.page_size,
        )
    )


class NeedIn(BaseModel):
    seeker_id: str | None = Field(
        None, description="The seeking organisation (id, name or alias); default: yours."
    )
    title_en: str = Field("", max_length=500)
    title_zh: str = Field("", max_length=500)
    description_en: str = Field("", max_length=20_000)
    description_zh: str = Field("", max_length=20_000)
    domain_ids: list[str] = Field(default_factory=list, max_length=50)
    required_trl: int | None = Field(None, ge=1, le=9)
    budget_cny_m: float | None = Field(None, ge=0, le=1e9)
    deadline: str | None = Field(None, description="YYYY-MM-DD")
    visibility: Visibility = Field(Visibility.PUBLIC, description="Who may see the need.")
    consortium_id: str | None = Field(
        None, description="With visibility `consortium`: the consortium that may see it."
    )


class NeedChange(BaseModel):
    title_en: str | None = Field(None, max_length=500)
    title_zh: str | None = Field(None, max_length=500)
    description_en: str | None = Field(None, max_length=20_000)
    description_zh: str | None = Field(None, max_length=20_000)
    domain_ids: list[str] | None = Field(None, max_length=50)
    required_trl: int | None = Field(None, ge=1, le=9)
    budget_cny_m: float | None = Field(None, ge=0, le=1e9)
    deadline: str | None = Field(None, description="YYYY-MM-DD")
    visibility: Visibility | None = None
    consortium_id: str | None = None
    status: str | None = Field(None, description="open, matched or closed")


@router.post("/needs", tags=["needs"], status_code=201)
def create_need(
    body: NeedIn, request: Request, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Save a technology need for your organisation (signed in, write scope); returns it."""
    fields = body.model_dump(exclude_none=True, mode="json")
    fields["domain_ids"] = "|".join(body.domain_ids)
    need_id = registry.create_need(
        session, fields, viewer=viewer, source="request", ip=client_ip(request)
    )
    session.commit()
    return registry.get_need(session, need_id, viewer=viewer)


@router.get("/needs/{need_id}", tags=["needs"])
def need(request: Request, session: SessionDep, viewer: ViewerDep, need_id: str) -> dict[str, Any]:
    """One need, if you may see it (otherwise 404, whether or not it exists)."""
    found = registry.view_need(session, need_id, viewer=viewer, ip=client_ip(request))
    session.commit()
    return found


@router.patch("/needs/{need_id}", tags=["needs"])
def change_need(
    need_id: str, body: NeedChange, request: Request, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Change your organisation's need; the audit log keeps the before and after."""
    changes = body.model_dump(exclude_unset=True, mode="json")
    if not changes:
        raise InvalidInput("name at least one field to change")
    if "domain_ids" in changes:
        changes["domain_ids"] = "|".join(changes["domain_ids"] or [])
    found = registry.update_need(session, need_id, changes, viewer=viewer, ip=client_ip(request))
    session.commit()
    return found


@router.delete("/needs/{need_id}", tags=["needs"], status_code=204)
def delete_need(need_id: str, request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Delete your organisation's need."""
    registry.delete_need(session, need_id, viewer=viewer, ip=client_ip(request))
    session.commit()
    return Response(status_code=204)


@router.get("/consortia", tags=["consortia"])
def consortia(
    session: SessionDep, viewer: ViewerDep, q: Q = None, kind: str | None = None
) -> dict[str, Any]:
    """Consortia and alliances you may see, with member counts."""
    items = registry.list_consortia(session, viewer=viewer, q=q, kind=kind)
    return {"items": items, "total": len(items)}


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
def stats(session: SessionDep, viewer: ViewerDep) -> dict[str, int]:
    """Row counts of every entity (of needs and consortia: the ones you may see)."""
    return registry.count_entities(session, viewer=viewer)


@router.get("/export", tags=["registry"])
def export(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    kind: Annotated[list[str], Query(description="Entities to export; default all.")] = [],  # noqa: B006
) -> dict[str, list[dict[str, Any]]]:
    """Every row you may see, as the records `innochain import` reads (JSON); audited."""
    unknown = [k for k in kind if k not in RECORDS]
    if unknown:
        raise InvalidInput(f"kind: unknown entity {', '.join(unknown)}")
    records = registry.export_records(session, kind or None, viewer=viewer)
    rows = sum(len(r) for r in records.values())
    audit.record(
        session,
        viewer,
        "export",
        entity=",".join(kind),
        detail={"rows": rows},
        ip=client_ip(request),
    )
    session.commit()
    return {entity: [r.model_dump(mode="json") for r in rows] for entity, rows in records.items()}
