"""Read side of the registry: lists with filters, bilingual text search and pages; details.

Results are frozen dataclasses of plain types, ready for JSON. Text search matches every
whitespace-separated term (AND), case-insensitively, in Chinese or English, anywhere in the
searched fields. Needs and consortia are filtered by `innochain.store.visibility`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from innochain.domain import ANONYMOUS, OrgKind, Ownership, RelationType, Stage, Viewer, province_zh
from innochain.errors import InvalidInput, NotFound
from innochain.store.tables import (
    TABLES,
    Capability,
    ChainNode,
    FirmIndicator,
    Investment,
    Observation,
    Organization,
    Relation,
    Series,
    Source,
    TechnologyDomain,
)
from innochain.store.visibility import restrict

__all__ = [
    "OrganizationDetail",
    "OrganizationSummary",
    "Page",
    "chain_tree",
    "choices",
    "count_entities",
    "count_organizations_by",
    "get_chain_node",
    "get_organization",
    "list_capabilities",
    "list_chain_nodes",
    "list_organizations",
    "list_relations",
    "list_series",
    "list_technologies",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True)
class OrganizationSummary:
    id: str
    name_en: str
    name_zh: str
    kind: str
    kind_zh: str
    ownership: str
    ownership_zh: str
    country: str
    province: str | None
    province_zh: str
    city: str | None
    founded: int | None
    chain_node_ids: list[str]


@dataclass(frozen=True)
class OrganizationDetail:
    organization: OrganizationSummary
    aliases: list[str]
    website: str | None
    description_en: str
    description_zh: str
    source: dict[str, Any]
    uncertain: list[str]
    note: str
    chain_nodes: list[dict[str, Any]]
    capabilities: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    investments: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)


def _terms(q: str | None) -> list[str]:
    return [t for t in (q or "").split() if t]


def _like(term: str) -> str:
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text_filter(columns: Sequence[Any], q: str | None) -> ColumnElement[bool] | None:
    terms = _terms(q)
    if not terms:
        return None
    return and_(
        *(or_(*(func.lower(c).like(_like(t), escape="\\") for c in columns)) for t in terms)
    )


def _check_page(page: int, size: int) -> None:
    if page < 1:
        raise InvalidInput("page must be >= 1")
    if size < 1:
        raise InvalidInput("size must be >= 1")


def _paginate(
    session: Session,
    query: Select[*tuple[Any, ...]],
    page: int,
    size: int,
    *,
    plain: bool = False,
) -> tuple[list[Any], int]:
    """One page of `query` (ORM objects, or rows when `plain`) and the total count."""
    _check_page(page, size)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    window = query.limit(size).offset((page - 1) * size)
    rows = list(session.execute(window).all() if plain else session.scalars(window))
    return rows, total


def _enum_value(enum: type[Any], value: str | None, name: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return str(enum(value).value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise InvalidInput(f"{name} {value!r} is not one of: {allowed}") from None


def _descendants(session: Session, model: Any, root: str) -> list[str]:
    children: dict[str | None, list[str]] = defaultdict(list)
    ids = set()
    for node_id, parent_id in session.execute(select(model.id, model.parent_id)):
        children[parent_id].append(node_id)
        ids.add(node_id)
    if root not in ids:
        raise NotFound(f"no {model.__tablename__} id {root!r}")
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(children[node])
    return out


def summary(org: Any, chain_node_ids: list[str] | None = None) -> OrganizationSummary:
    """The summary of an organisation or of a row with its columns (then with its chain
    nodes given, by id)."""
    return OrganizationSummary(
        id=org.id,
        name_en=org.name_en,
        name_zh=org.name_zh,
        kind=org.kind,
        kind_zh=OrgKind(org.kind).label_zh,
        ownership=org.ownership,
        ownership_zh=Ownership(org.ownership).label_zh,
        country=org.country,
        province=org.province,
        province_zh=province_zh(org.province),
        city=org.city,
        founded=org.founded,
        chain_node_ids=(
            [n.id for n in org.chain_nodes] if chain_node_ids is None else chain_node_ids
        ),
    )


#: the columns an organisation's summary reads
_SUMMARY_COLUMNS = (
    Organization.id,
    Organization.name_en,
    Organization.name_zh,
    Organization.kind,
    Organization.ownership,
    Organization.country,
    Organization.province,
    Organization.city,
    Organization.founded,
)


def list_organizations(
    session: Session,
    *,
    q: str | None = None,
    kind: str | None = None,
    ownership: str | None = None,
    country: str | None = None,
    province: str | None = None,
    chain_node: str | None = None,
    page: int = 1,
    size: int = 50,
) -> Page[OrganizationSummary]:
    """Organisations matching every given filter, by English name.

    `chain_node` includes the organisations of the node's descendants; `province` accepts the
    English or Chinese name.
    """
    query = select(*_SUMMARY_COLUMNS)  # plain rows: a page of ORM objects cost 5x as much
    if (text := _text_filter([Organization.search_text], q)) is not None:
        query = query.where(text)
    if kind_value := _enum_value(OrgKind, kind, "kind"):
        query = query.where(Organization.kind == kind_value)
    if owner_value := _enum_value(Ownership, ownership, "ownership"):
        query = query.where(Organization.ownership == owner_value)
    if country:
        query = query.where(Organization.country == country.upper())
    if province:
        from innochain.domain import PROVINCES

        english = next((en for en, (zh, _) in PROVINCES.items() if zh == province), province)
        query = query.where(func.lower(Organization.province) == english.lower())
    if chain_node:
        nodes = _descendants(session, ChainNode, chain_node)
        query = query.where(Organization.chain_nodes.any(ChainNode.id.in_(nodes)))
    query = query.order_by(func.lower(Organization.name_en), Organization.id)
    rows, total = _paginate(session, query, page, size, plain=True)
    positions: dict[str, list[str]] = defaultdict(list)
    link = Organization.chain_nodes.property.secondary
    assert link is not None
    linked = select(link.c.organization_id, link.c.chain_node_id).where(
        link.c.organization_id.in_([r.id for r in rows])
    )
    for org_id, node_id in session.execute(linked.order_by(link.c.chain_node_id)):
        positions[org_id].append(node_id)
    return Page([summary(r, positions[r.id]) for r in rows], total, page, size)


def _source(session: Session, url: str | None) -> dict[str, Any]:
    src = session.get(Source, url) if url else None
    if src is None:
        return {"url": url, "title": "", "publisher": "", "accessed": None}
    return {
        "url": src.url,
        "title": src.title,
        "publisher": src.publisher,
        "accessed": src.accessed.isoformat() if src.accessed else None,
    }


def get_organization(session: Session, org_id: str) -> OrganizationDetail:
    """One organisation with its chain position, capabilities, relations and indicators."""
    org = session.get(Organization, org_id)
    if org is None:
        raise NotFound(f"no organization with id {org_id!r}")
    names = select(TechnologyDomain.id, TechnologyDomain.name_en, TechnologyDomain.name_zh)
    domains = {row.id: row for row in session.execute(names)}
    capabilities = [
        {
            "domain_id": c.domain_id,
            "domain_en": domains[c.domain_id].name_en,
            "domain_zh": domains[c.domain_id].name_zh,
            "trl": c.trl,
            "description_en": c.description_en,
            "description_zh": c.description_zh,
            "evidence": c.evidence,
            "source_url": c.source_url,
            "uncertain": c.uncertain,
        }
        for c in session.scalars(
            select(Capability)
            .where(Capability.organization_id == org_id)
            .order_by(Capability.trl.desc(), Capability.domain_id)
        )
    ]
    rels = list(
        session.scalars(
            select(Relation)
            .where(or_(Relation.source_id == org_id, Relation.target_id == org_id))
            .order_by(Relation.year.desc(), Relation.id)
        )
    )
    others = {
        o.id: o
        for o in session.scalars(
            select(Organization).where(
                Organization.id.in_({r.source_id for r in rels} | {r.target_id for r in rels})
            )
        )
    }
    relations = []
    for r in rels:
        outgoing = r.source_id == org_id
        other = others[r.target_id if outgoing else r.source_id]
        relations.append(
            {
                "type": r.type,
                "type_zh": RelationType(r.type).label_zh,
                "direction": "out" if outgoing else "in",
                "other_id": other.id,
                "other_name_en": other.name_en,
                "other_name_zh": other.name_zh,
                "year": r.year,
                "domain_id": r.domain_id,
                "description_en": r.description_en,
                "evidence": r.evidence,
                "source_url": r.source_url,
                "uncertain": r.uncertain,
            }
        )
    investments = [
        {
            "investor_id": i.investor_id,
            "investee_id": i.investee_id,
            "fund_id": i.fund_id,
            "year": i.year,
            "round": i.round,
            "amount_cny_m": i.amount_cny_m,
            "stake_pct": i.stake_pct,
            "source_url": i.source_url,
        }
        for i in session.scalars(
            select(Investment)
            .where(or_(Investment.investor_id == org_id, Investment.investee_id == org_id))
            .order_by(Investment.year, Investment.id)
        )
    ]
    indicators = [
        {
            "year": f.year,
            "indicator": f.indicator,
            "value": f.value,
            "unit": f.unit,
            "source_url": f.source_url,
        }
        for f in session.scalars(
            select(FirmIndicator)
            .where(FirmIndicator.organization_id == org_id)
            .order_by(FirmIndicator.indicator, FirmIndicator.year)
        )
    ]
    return OrganizationDetail(
        organization=summary(org),
        aliases=list(org.aliases),
        website=org.website,
        description_en=org.description_en,
        description_zh=org.description_zh,
        source=_source(session, org.source_url),
        uncertain=list(org.uncertain),
        note=org.note,
        chain_nodes=[
            {"id": n.id, "name_en": n.name_en, "name_zh": n.name_zh, "stage": n.stage}
            for n in org.chain_nodes
        ],
        capabilities=capabilities,
        relations=relations,
        investments=investments,
        indicators=indicators,
    )


def _node_dict(n: ChainNode) -> dict[str, Any]:
    return {
        "id": n.id,
        "parent_id": n.parent_id,
        "stage": n.stage,
        "stage_zh": Stage(n.stage).label_zh,
        "name_en": n.name_en,
        "name_zh": n.name_zh,
        "description_en": n.description_en,
        "description_zh": n.description_zh,
        "source_url": n.source_url,
    }


def choices(
    session: Session, entity: Literal["chain_nodes", "technology_domains"]
) -> list[dict[str, Any]]:
    """Id, parent and names of every chain node or technology domain, by id: the options of a
    filter list, read as plain rows (no ORM objects, no counts)."""
    model = ChainNode if entity == "chain_nodes" else TechnologyDomain
    query = select(model.id, model.parent_id, model.name_en, model.name_zh).order_by(model.id)
    return [dict(row._mapping) for row in session.execute(query)]


def list_chain_nodes(
    session: Session, *, q: str | None = None, stage: str | None = None
) -> list[dict[str, Any]]:
    """Chain nodes, flat, by id."""
    query = select(ChainNode).order_by(ChainNode.id)
    if (
        text := _text_filter([ChainNode.name_en, ChainNode.name_zh, ChainNode.description_en], q)
    ) is not None:
        query = query.where(text)
    if stage_value := _enum_value(Stage, stage, "stage"):
        query = query.where(ChainNode.stage == stage_value)
    return [_node_dict(n) for n in session.scalars(query)]


def chain_tree(session: Session) -> list[dict[str, Any]]:
    """The chain taxonomy as a tree, upstream to downstream, with organisation counts.

    `organizations` counts the node itself; `organizations_total` its whole subtree (each
    organisation once).
    """
    nodes = {n.id: _node_dict(n) | {"children": []} for n in session.scalars(select(ChainNode))}
    members: dict[str, set[str]] = defaultdict(set)
    table = Organization.chain_nodes.property.secondary
    assert table is not None
    for org_id, node_id in session.execute(select(table.c.organization_id, table.c.chain_node_id)):
        members[node_id].add(org_id)
    roots: list[dict[str, Any]] = []
    for node in nodes.values():
        parent = node["parent_id"]
        (nodes[parent]["children"] if parent in nodes else roots).append(node)
    order = {s.value: i for i, s in enumerate(Stage)}

    def finish(node: dict[str, Any]) -> set[str]:
        node["children"].sort(key=lambda c: c["id"])
        below = set(members[node["id"]])
        for child in node["children"]:
            below |= finish(child)
        node["organizations"] = len(members[node["id"]])
        node["organizations_total"] = len(below)
        return below

    for root in roots:
        finish(root)
    roots.sort(key=lambda r: (order[r["stage"]], r["id"]))
    return roots


def get_chain_node(session: Session, node_id: str) -> dict[str, Any]:
    """A chain node with its ancestors, children and the organisations in its subtree."""
    node = session.get(ChainNode, node_id)
    if node is None:
        raise NotFound(f"no chain node with id {node_id!r}")
    ancestors: list[dict[str, Any]] = []
    parent = node.parent_id
    while parent:
        p = session.get(ChainNode, parent)
        assert p is not None
        ancestors.insert(0, {"id": p.id, "name_en": p.name_en, "name_zh": p.name_zh})
        parent = p.parent_id
    children = [
        _node_dict(c)
        for c in session.scalars(
            select(ChainNode).where(ChainNode.parent_id == node_id).order_by(ChainNode.id)
        )
    ]
    orgs = list_organizations(session, chain_node=node_id, size=10_000).items
    domains = [
        {"id": d.id, "name_en": d.name_en, "name_zh": d.name_zh}
        for d in session.scalars(
            select(TechnologyDomain)
            .where(TechnologyDomain.chain_nodes.any(ChainNode.id == node_id))
            .order_by(TechnologyDomain.id)
        )
    ]
    return _node_dict(node) | {
        "ancestors": ancestors,
        "children": children,
        "technologies": domains,
        "organizations": [o.__dict__ for o in orgs],
    }


def list_technologies(session: Session, *, q: str | None = None) -> list[dict[str, Any]]:
    """Technology domains with their chain nodes and number of capable organisations."""
    counts = dict(
        session.execute(
            select(Capability.domain_id, func.count()).group_by(Capability.domain_id)
        ).all()
    )
    query = select(TechnologyDomain).options(selectinload(TechnologyDomain.chain_nodes))
    cols = [TechnologyDomain.name_en, TechnologyDomain.name_zh, TechnologyDomain.id]
    if (text := _text_filter(cols, q)) is not None:
        query = query.where(text)
    return [
        {
            "id": d.id,
            "parent_id": d.parent_id,
            "name_en": d.name_en,
            "name_zh": d.name_zh,
            "chain_node_ids": [n.id for n in d.chain_nodes],
            "keywords_en": d.keywords_en,
            "keywords_zh": d.keywords_zh,
            "capabilities": counts.get(d.id, 0),
            "source_url": d.source_url,
        }
        for d in session.scalars(query.order_by(TechnologyDomain.id))
    ]


def list_capabilities(
    session: Session,
    *,
    organization_id: str | None = None,
    domain: str | None = None,
    min_trl: int | None = None,
    q: str | None = None,
    page: int = 1,
    size: int = 50,
) -> Page[dict[str, Any]]:
    """Capabilities, highest TRL first; `domain` includes its sub-domains."""
    query = select(Capability)
    if organization_id:
        query = query.where(Capability.organization_id == organization_id)
    if domain:
        query = query.where(
            Capability.domain_id.in_(_descendants(session, TechnologyDomain, domain))
        )
    if min_trl is not None:
        if not 1 <= min_trl <= 9:
            raise InvalidInput("min_trl must be between 1 and 9")
        query = query.where(Capability.trl >= min_trl)
    cols = [Capability.description_en, Capability.description_zh, Capability.evidence]
    if (text := _text_filter(cols, q)) is not None:
        query = query.where(text)
    query = query.order_by(Capability.trl.desc(), Capability.id)
    rows, total = _paginate(session, query, page, size)
    names = _names(session, {c.organization_id for c in rows})
    items = [
        {
            "id": c.id,
            "organization_id": c.organization_id,
            "organization_name_en": names[c.organization_id][0],
            "organization_name_zh": names[c.organization_id][1],
            "domain_id": c.domain_id,
            "trl": c.trl,
            "description_en": c.description_en,
            "description_zh": c.description_zh,
            "evidence": c.evidence,
            "source_url": c.source_url,
        }
        for c in rows
    ]
    return Page(items, total, page, size)


def _names(session: Session, ids: set[str]) -> dict[str, tuple[str, str]]:
    if not ids:
        return {}
    rows = session.execute(
        select(Organization.id, Organization.name_en, Organization.name_zh).where(
            Organization.id.in_(ids)
        )
    )
    return {i: (en, zh) for i, en, zh in rows}


def list_relations(
    session: Session,
    *,
    organization_id: str | None = None,
    type: str | None = None,
    q: str | None = None,
    page: int = 1,
    size: int = 50,
) -> Page[dict[str, Any]]:
    """Relations, newest first."""
    query = select(Relation)
    if organization_id:
        query = query.where(
            or_(Relation.source_id == organization_id, Relation.target_id == organization_id)
        )
    if type_value := _enum_value(RelationType, type, "type"):
        query = query.where(Relation.type == type_value)
    if (text := _text_filter([Relation.description_en, Relation.evidence], q)) is not None:
        query = query.where(text)
    query = query.order_by(Relation.year.desc(), Relation.id)
    rows, total = _paginate(session, query, page, size)
    names = _names(session, {r.source_id for r in rows} | {r.target_id for r in rows})
    items = [
        {
            "id": r.id,
            "source_id": r.source_id,
            "source_name_en": names[r.source_id][0],
            "source_name_zh": names[r.source_id][1],
            "target_id": r.target_id,
            "target_name_en": names[r.target_id][0],
            "target_name_zh": names[r.target_id][1],
            "type": r.type,
            "type_zh": RelationType(r.type).label_zh,
            "year": r.year,
            "domain_id": r.domain_id,
            "description_en": r.description_en,
            "evidence": r.evidence,
            "source_url": r.source_url,
        }
        for r in rows
    ]
    return Page(items, total, page, size)


def list_series(
    session: Session,
    *,
    metric: str | None = None,
    region: str | None = None,
    series_id: str | None = None,
) -> list[dict[str, Any]]:
    """Statistics series with their observations in period order."""
    query = select(Series).order_by(Series.id)
    if metric:
        query = query.where(Series.metric == metric)
    if region:
        query = query.where(Series.region == region)
    if series_id:
        query = query.where(Series.id == series_id)
    series = list(session.scalars(query))
    if series_id and not series:
        raise NotFound(f"no series with id {series_id!r}")
    points: dict[str, list[dict[str, Any]]] = defaultdict(list)
    obs_query = select(Observation).where(Observation.series_id.in_([s.id for s in series]))
    for o in session.scalars(obs_query.order_by(Observation.period)):
        points[o.series_id].append(
            {"period": o.period, "value": o.value, "source_url": o.source_url}
        )
    return [
        {
            "id": s.id,
            "metric": s.metric,
            "name_en": s.name_en,
            "name_zh": s.name_zh,
            "region": s.region,
            "organization_id": s.organization_id,
            "unit": s.unit,
            "frequency": s.frequency,
            "source_url": s.source_url,
            "observations": points[s.id],
        }
        for s in series
    ]


def count_organizations_by(session: Session, column: str) -> dict[str, int]:
    """Organisations per value of `kind`, `ownership`, `country` or `province`."""
    if column not in ("kind", "ownership", "country", "province"):
        raise InvalidInput(f"cannot count organisations by {column!r}")
    col = getattr(Organization, column)
    return {
        str(value): count
        for value, count in session.execute(select(col, func.count()).group_by(col))
        if value is not None
    }


def count_entities(
    session: Session, entities: Sequence[str] | None = None, *, viewer: Viewer = ANONYMOUS
) -> dict[str, int]:
    """Row count of every entity (or of the named ones) the viewer may see, in load order.

    Counts come from one query per table, so the dashboard stays cheap.
    """
    return {
        entity: session.scalar(restrict(select(func.count()).select_from(model), model, viewer))
        or 0
        for entity, model in TABLES.items()
        if entities is None or entity in entities
    }
