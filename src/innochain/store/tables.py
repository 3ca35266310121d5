"""SQLAlchemy 2 table models. Column names equal the record field names of `innochain.domain`.

Every table has one string primary key (`id`, or `url` for sources) that is the record's stable
key, so imports are idempotent upserts. Lists of references are association tables; other lists
(aliases, keywords, uncertain columns) are JSON.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import JSON, Column, Date, Float, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "TABLES",
    "Base",
    "Capability",
    "ChainNode",
    "Consortium",
    "ConsortiumMember",
    "FirmIndicator",
    "Fund",
    "Investment",
    "Need",
    "Observation",
    "Organization",
    "Relation",
    "Series",
    "Source",
    "TechnologyDomain",
]

ID = String(200)


class Base(DeclarativeBase):
    #: column holding the stable key
    __key__: ClassVar[str] = "id"
    #: record field (list of ids) -> relationship attribute holding the linked rows
    __links__: ClassVar[dict[str, str]] = {}


def _source() -> Mapped[str]:
    return mapped_column(String(1000), ForeignKey("sources.url"), index=True)


def _nullable_source() -> Mapped[str | None]:
    return mapped_column(String(1000), ForeignKey("sources.url"), nullable=True)


class Source(Base):
    __tablename__ = "sources"
    __key__ = "url"
    url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(Text, default="")
    accessed: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


domain_chain_nodes = Table(
    "technology_domain_chain_nodes",
    Base.metadata,
    Column(
        "domain_id", ID, ForeignKey("technology_domains.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("chain_node_id", ID, ForeignKey("chain_nodes.id"), primary_key=True),
)

organization_chain_nodes = Table(
    "organization_chain_nodes",
    Base.metadata,
    Column(
        "organization_id", ID, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("chain_node_id", ID, ForeignKey("chain_nodes.id"), primary_key=True),
)

need_domains = Table(
    "need_domains",
    Base.metadata,
    Column("need_id", ID, ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True),
    Column("domain_id", ID, ForeignKey("technology_domains.id"), primary_key=True),
)


class ChainNode(Base):
    __tablename__ = "chain_nodes"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ID, ForeignKey("chain_nodes.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    name_en: Mapped[str] = mapped_column(Text)
    name_zh: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = _source()


class TechnologyDomain(Base):
    __tablename__ = "technology_domains"
    __links__: ClassVar[dict[str, str]] = {"chain_node_ids": "chain_nodes"}
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("technology_domains.id"), index=True
    )
    name_en: Mapped[str] = mapped_column(Text)
    name_zh: Mapped[str] = mapped_column(Text)
    keywords_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords_zh: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_url: Mapped[str] = _source()
    chain_nodes: Mapped[list[ChainNode]] = relationship(
        secondary=domain_chain_nodes, order_by=ChainNode.id
    )


class Organization(Base):
    __tablename__ = "organizations"
    __links__: ClassVar[dict[str, str]] = {"chain_node_ids": "chain_nodes"}
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name_en: Mapped[str] = mapped_column(Text)
    name_zh: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    ownership: Mapped[str] = mapped_column(String(40), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    province: Mapped[str | None] = mapped_column(String(100), index=True)
    city: Mapped[str | None] = mapped_column(String(100))
    founded: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String(500))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = _source()
    uncertain: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    #: lower-cased names, aliases, places and descriptions in both scripts, for text search
    search_text: Mapped[str] = mapped_column(Text, default="")
    chain_nodes: Mapped[list[ChainNode]] = relationship(
        secondary=organization_chain_nodes, order_by=ChainNode.id
    )


class Capability(Base):
    __tablename__ = "capabilities"
    id: Mapped[str] = mapped_column(String(400), primary_key=True)
    organization_id: Mapped[str] = mapped_column(
        ID, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    domain_id: Mapped[str] = mapped_column(ID, ForeignKey("technology_domains.id"), index=True)
    trl: Mapped[int] = mapped_column(Integer)
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = _source()
    uncertain: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class Relation(Base):
    __tablename__ = "relations"
    id: Mapped[str] = mapped_column(String(700), primary_key=True)
    source_id: Mapped[str] = mapped_column(
        ID, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[str] = mapped_column(
        ID, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(40), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    domain_id: Mapped[str | None] = mapped_column(ID, ForeignKey("technology_domains.id"))
    description_en: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = _source()
    uncertain: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class Fund(Base):
    __tablename__ = "funds"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name_en: Mapped[str] = mapped_column(Text)
    name_zh: Mapped[str] = mapped_column(Text)
    manager_id: Mapped[str | None] = mapped_column(ID, ForeignKey("organizations.id"))
    kind: Mapped[str] = mapped_column(String(40))
    size_cny_m: Mapped[float | None] = mapped_column(Float)
    vintage: Mapped[int | None] = mapped_column(Integer)
    source_url: Mapped[str] = _source()
    uncertain: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class Investment(Base):
    __tablename__ = "investments"
    id: Mapped[str] = mapped_column(String(700), primary_key=True)
    investor_id: Mapped[str] = mapped_column(ID, ForeignKey("organizations.id"), index=True)
    investee_id: Mapped[str] = mapped_column(ID, ForeignKey("organizations.id"), index=True)
    fund_id: Mapped[str | None] = mapped_column(ID, ForeignKey("funds.id"))
    year: Mapped[int | None] = mapped_column(Integer)
    round: Mapped[str] = mapped_column(String(100), default="")
    amount_cny_m: Mapped[float | None] = mapped_column(Float)
    stake_pct: Mapped[float | None] = mapped_column(Float)
    source_url: Mapped[str] = _source()
    uncertain: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class Series(Base):
    __tablename__ = "series"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    metric: Mapped[str] = mapped_column(String(100), index=True)
    name_en: Mapped[str] = mapped_column(Text)
    name_zh: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(String(10))
    organization_id: Mapped[str | None] = mapped_column(ID, ForeignKey("organizations.id"))
    unit: Mapped[str] = mapped_column(String(40))
    frequency: Mapped[str] = mapped_column(String(10))
    source_url: Mapped[str] = _source()
    note: Mapped[str] = mapped_column(Text, default="")


class Observation(Base):
    __tablename__ = "observations"
    id: Mapped[str] = mapped_column(String(300), primary_key=True)
    series_id: Mapped[str] = mapped_column(
        ID, ForeignKey("series.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(7))
    value: Mapped[float] = mapped_column(Float)
    source_url: Mapped[str] = _source()
    uncertain: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class FirmIndicator(Base):
    __tablename__ = "firm_indicators"
    id: Mapped[str] = mapped_column(String(300), primary_key=True)
    organization_id: Mapped[str] = mapped_column(
        ID, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    source_url: Mapped[str] = _source()
    uncertain: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


consortium_domains = Table(
    "consortium_domains",
    Base.metadata,
    Column("consortium_id", ID, ForeignKey("consortia.id", ondelete="CASCADE"), primary_key=True),
    Column("domain_id", ID, ForeignKey("technology_domains.id"), primary_key=True),
)


class Consortium(Base):
    __tablename__ = "consortia"
    __links__: ClassVar[dict[str, str]] = {"domain_ids": "domains"}
    #: the organisation that owns the row for visibility (see `innochain.store.visibility`)
    __owner__: ClassVar[str] = "lead_id"
    #: the column naming the consortium whose members see a "consortium" row (here: itself)
    __consortium__: ClassVar[str] = "id"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name_en: Mapped[str] = mapped_column(Text, default="")
    name_zh: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(40))
    lead_id: Mapped[str] = mapped_column(ID, ForeignKey("organizations.id"), index=True)
    founded: Mapped[int | None] = mapped_column(Integer)
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20))
    source_url: Mapped[str | None] = _nullable_source()
    uncertain: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    domains: Mapped[list[TechnologyDomain]] = relationship(
        secondary=consortium_domains, order_by=TechnologyDomain.id
    )


class ConsortiumMember(Base):
    __tablename__ = "consortium_members"
    #: (column, table): a membership is visible exactly when its consortium is
    __visible_through__: ClassVar[tuple[str, type[Any]]] = ("consortium_id", Consortium)
    id: Mapped[str] = mapped_column(String(420), primary_key=True)
    consortium_id: Mapped[str] = mapped_column(
        ID, ForeignKey("consortia.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[str] = mapped_column(
        ID, ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    joined: Mapped[int | None] = mapped_column(Integer)
    source_url: Mapped[str | None] = _nullable_source()
    uncertain: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class Need(Base):
    __tablename__ = "needs"
    __links__: ClassVar[dict[str, str]] = {"domain_ids": "domains"}
    __owner__: ClassVar[str] = "seeker_id"
    __consortium__: ClassVar[str] = "consortium_id"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    seeker_id: Mapped[str] = mapped_column(ID, ForeignKey("organizations.id"), index=True)
    title_en: Mapped[str] = mapped_column(Text, default="")
    title_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    required_trl: Mapped[int | None] = mapped_column(Integer)
    budget_cny_m: Mapped[float | None] = mapped_column(Float)
    deadline: Mapped[date | None] = mapped_column(Date)
    visibility: Mapped[str] = mapped_column(String(20), index=True)
    consortium_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("consortia.id"), nullable=True, index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    source_url: Mapped[str | None] = _nullable_source()
    uncertain: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    domains: Mapped[list[TechnologyDomain]] = relationship(
        secondary=need_domains, order_by=TechnologyDomain.id
    )


Index("ix_relations_pair", Relation.source_id, Relation.target_id)

#: entity name (as in `innochain.domain.ENTITY_ORDER`) -> table model
TABLES: dict[str, type[Any]] = {
    "sources": Source,
    "chain_nodes": ChainNode,
    "technology_domains": TechnologyDomain,
    "organizations": Organization,
    "capabilities": Capability,
    "relations": Relation,
    "funds": Fund,
    "investments": Investment,
    "series": Series,
    "observations": Observation,
    "firm_indicators": FirmIndicator,
    "consortia": Consortium,
    "consortium_members": ConsortiumMember,
    "needs": Need,
}
