"""The chain engine over HTTP: map, network metrics, leaders and brokers, chokepoints, OEM
dependencies, resilience scenarios, regional clusters and synergy. Thin: parse, call
`innochain.chain`, serialise. Every answer is computed on the registry's public facts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from innochain.api.auth import require_csrf
from innochain.api.deps import PlainJSONRoute, get_chain, get_session
from innochain.chain import Chain
from innochain.chain.chokepoints import chokepoints, oem_dependencies
from innochain.chain.map import chain_map
from innochain.chain.network import brokers, chain_leaders, metrics
from innochain.chain.regions import region_profile, regions_overview
from innochain.chain.resilience import resilience
from innochain.chain.synergy import synergy, synergy_gaps
from innochain.errors import InvalidInput

router = APIRouter(
    prefix="/chain",
    tags=["chain"],
    dependencies=[Depends(require_csrf)],
    route_class=PlainJSONRoute,
)
SessionDep = Annotated[Session, Depends(get_session)]
Top = Annotated[int, Query(ge=1, le=1000, description="How many rows.")]
Level = Annotated[str, Query(pattern="^(province|city)$", description="province or city")]


def chain_of(request: Request, session: SessionDep) -> Chain:
    return get_chain(request, session)


ChainDep = Annotated[Chain, Depends(chain_of)]


@router.get("/map")
def map_(chain: ChainDep) -> dict[str, Any]:
    """The taxonomy tree; per node: organisations, suppliers, domestic and foreign firms,
    foreign share, HHI with its basis and level, research actors."""
    return {"roots": chain_map(chain)}


@router.get("/network")
def network(chain: ChainDep, top: Top = 50) -> dict[str, Any]:
    """Per organisation: degree, PageRank, betweenness, community (top by PageRank)."""
    found = metrics(chain)
    rows = sorted(found.ids, key=lambda o: (-found.pagerank[o], o))[:top]
    return {
        "organizations": [
            {
                "organization_id": o,
                "name": chain.orgs[o].name,
                "kind": chain.orgs[o].kind,
                "degree": found.degree[o],
                "pagerank": round(found.pagerank[o], 6),
                "betweenness": round(found.betweenness[o], 6),
                "community": found.community.get(o),
            }
            for o in rows
        ],
        "communities": [
            {"id": k, "size": len(group), "members": group}
            for k, group in enumerate(found.communities)
        ],
        "modularity": round(found.modularity, 4),
    }


@router.get("/leaders")
def leaders(chain: ChainDep, top: Top = 20) -> dict[str, Any]:
    """Chain leaders (链主) ranked with the reasons."""
    return {"items": chain_leaders(chain, metrics(chain), top=top)}


@router.get("/brokers")
def brokers_(chain: ChainDep, top: Top = 20) -> dict[str, Any]:
    """Brokers linking universities and institutes with firms."""
    return {"items": brokers(chain, metrics(chain), top=top)}


@router.get("/chokepoints")
def chokepoints_(chain: ChainDep, top: Top | None = None) -> dict[str, Any]:
    """Chain nodes ranked as chokepoints, with the evidence; then thin bases and gaps."""
    return {"items": chokepoints(chain, top=top)}


@router.get("/dependencies")
def dependencies(chain: ChainDep) -> dict[str, Any]:
    """Per vehicle maker: the systems it buys, single-source and foreign-only ones."""
    return {"items": oem_dependencies(chain)}


@router.get("/resilience")
def resilience_(
    chain: ChainDep,
    remove: Annotated[list[str], Query(description="Organisation ids to remove.")] = [],  # noqa: B006
    node: Annotated[list[str], Query(description="Chain nodes whose firms all fail.")] = [],  # noqa: B006
    country: Annotated[list[str], Query(description="ISO country codes: all suppliers fail.")] = [],  # noqa: B006
    cascade: bool = True,
) -> dict[str, Any]:
    """A what-if: who loses every supplier of which system, at which tier, and who could
    step in; before and after."""
    return resilience(chain, remove=remove, nodes=node, countries=country, cascade=cascade)


@router.get("/regions")
def regions(chain: ChainDep, level: Level = "province") -> dict[str, Any]:
    """Every region with its firms, research actors and chain completeness."""
    return {"items": regions_overview(chain, level=level)}


@router.get("/regions/{region}")
def region(
    chain: ChainDep,
    region: str,
    level: Level = "province",
    suggestions: Annotated[int, Query(ge=0, le=50)] = 5,
) -> dict[str, Any]:
    """A region's chain completeness, location quotients and relatedness density per node,
    missing nodes and investment-attraction suggestions."""
    if not region.strip():
        raise InvalidInput.at("region", "name a province or city")
    return region_profile(chain, region, level=level, suggestions=suggestions)


@router.get("/synergy")
def synergy_(chain: ChainDep) -> dict[str, Any]:
    """Per chain node: research actors, firms and the ties between them; the gaps."""
    return {"nodes": synergy(chain), "gaps": synergy_gaps(chain)}
