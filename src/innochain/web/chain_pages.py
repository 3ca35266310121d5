"""Chain pages: the map with per-node figures, a node with its firms and synergy, the network
(leaders, brokers, communities), chokepoints and dependencies, resilience what-ifs, regional
clusters with their downloadable report, and the synergy view."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from innochain import registry
from innochain.api.auth import require_csrf
from innochain.api.chain import ChainDep
from innochain.api.deps import get_session
from innochain.api.middleware import REPORT_CSP
from innochain.chain.chokepoints import chokepoints, node_stats, oem_dependencies
from innochain.chain.map import chain_map
from innochain.chain.network import brokers, chain_leaders, metrics
from innochain.chain.regions import region_profile, regions_overview
from innochain.chain.report import region_report
from innochain.chain.resilience import resilience
from innochain.chain.synergy import synergy, synergy_gaps
from innochain.errors import InnochainError
from innochain.web.charts import bar_chart
from innochain.web.pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
SessionDep = Annotated[Session, Depends(get_session)]


@router.get("/chain")
def map_page(request: Request, chain: ChainDep) -> Response:
    """The taxonomy as a collapsible tree by stage, every node with its figures."""
    roots = chain_map(chain)
    stages = [
        {"stage": s, "roots": [r for r in roots if r["stage"] == s]}
        for s in ("upstream", "midstream", "downstream")
    ]
    return render(request, "chain.html", {"roots": roots, "_stages": stages})


@router.get("/chain/network")
def network_page(request: Request, chain: ChainDep) -> Response:
    found = metrics(chain)
    top = sorted(found.ids, key=lambda o: (-found.pagerank[o], o))[:30]
    context = {
        "leaders": chain_leaders(chain, found, top=15),
        "brokers": brokers(chain, found, top=15),
        "top": [
            {
                "organization_id": o,
                "name": chain.orgs[o].name,
                "kind": chain.orgs[o].kind,
                "degree": found.degree[o],
                "pagerank": found.pagerank[o],
                "betweenness": found.betweenness[o],
                "community": found.community.get(o),
            }
            for o in top
        ],
        "communities": [
            {"id": k, "size": len(g), "members": [chain.orgs[m].name for m in g[:12]]}
            for k, g in enumerate(found.communities[:12])
        ],
        "modularity": found.modularity,
    }
    return render(request, "chain_network.html", context)


@router.get("/chain/chokepoints")
def chokepoints_page(request: Request, chain: ChainDep) -> Response:
    rows = chokepoints(chain)
    context = {
        "chokepoints": [r for r in rows if r["kind"] == "foreign_dependence"],
        "thin": [r for r in rows if r["kind"] == "thin_domestic_base"],
        "gaps": [r for r in rows if r["kind"] == "gap"],
        "dependencies": oem_dependencies(chain),
    }
    return render(request, "chain_chokepoints.html", context)


@router.get("/chain/resilience")
def resilience_page(
    request: Request,
    chain: ChainDep,
    remove: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads the default
    node: Annotated[list[str], Query()] = [],  # noqa: B006
    country: Annotated[list[str], Query()] = [],  # noqa: B006
    cascade: bool = True,
) -> Response:
    """The what-if form; with something to remove, the scenario's result."""
    remove = [r.strip() for item in remove for r in item.split(",") if r.strip()]
    node = [n for n in node if n]
    country = [c.strip() for item in country for c in item.split(",") if c.strip()]
    result, error = None, None
    if remove or node or country:
        try:
            result = resilience(
                chain, remove=remove, nodes=node, countries=country, cascade=cascade
            )
        except InnochainError as problem:
            error = str(problem)
    context = {
        "form": {
            "remove": ", ".join(remove),
            "node": node,
            "country": ", ".join(country),
            "cascade": cascade,
        },
        "result": result,
        "error": error,
        "_nodes": sorted(chain.nodes.values(), key=lambda n: n.id),
    }
    return render(request, "chain_resilience.html", context, status_code=400 if error else 200)


@router.get("/chain/regions")
def regions_page(
    request: Request,
    chain: ChainDep,
    level: Annotated[str, Query(pattern="^(province|city)$")] = "province",
) -> Response:
    rows = regions_overview(chain, level=level)
    chart = bar_chart(
        [(r["region_zh"] or r["region"], round(100 * r["share"], 1)) for r in rows[:20]],
        unit="% of chain nodes",
        height=260,
    )
    return render(request, "chain_regions.html", {"level": level, "regions": rows, "_chart": chart})


@router.get("/chain/regions/{region}")
def region_page(
    request: Request,
    chain: ChainDep,
    region: str,
    level: Annotated[str, Query(pattern="^(province|city)$")] = "province",
) -> Response:
    profile = region_profile(chain, region, level=level)
    report = f"/chain/regions/{quote(profile['region'])}/report.html?level={level}"
    return render(request, "chain_region.html", {"profile": profile, "report_url": report})


@router.get("/chain/regions/{region}/report.html")
def region_report_page(
    chain: ChainDep,
    region: str,
    level: Annotated[str, Query(pattern="^(province|city)$")] = "province",
) -> Response:
    """The region's report as one self-contained HTML file, to download."""
    profile = region_profile(chain, region, level=level)
    name = f"innochain-{profile['region'].lower().replace(' ', '-')}-{level}.html"
    return HTMLResponse(
        region_report(profile),
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "content-security-policy": REPORT_CSP,
        },
    )


@router.get("/chain/synergy")
def synergy_page(request: Request, chain: ChainDep) -> Response:
    return render(
        request, "chain_synergy.html", {"nodes": synergy(chain), "gaps": synergy_gaps(chain)}
    )


@router.get("/chain/{node_id}")
def node_page(request: Request, session: SessionDep, chain: ChainDep, node_id: str) -> Response:
    """A node: the registry's facts and firms, its figures and its synergy row."""
    node = registry.get_chain_node(session, node_id)
    stats = node_stats(chain, node_id)
    row: dict[str, Any] | None = next((r for r in synergy(chain) if r["node"] == node_id), None)
    return render(request, "chain_node.html", {"node": node, "stats": stats, "synergy": row})
