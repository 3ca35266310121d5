"""Record schemas: the flat shape of every entity in imports, exports and the bundled dataset.

A record validates one row (types, enums, ranges, slugs) and knows its stable key and the
records it refers to. Checking that those references exist needs a database and lives in
`innochain.registry.importer`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from innochain.domain.enums import (
    ConsortiumKind,
    ConsortiumRole,
    ConsortiumStatus,
    FundKind,
    Indicator,
    MemberStatus,
    NeedStatus,
    OrgKind,
    Ownership,
    RelationType,
    Stage,
    Visibility,
)

__all__ = [
    "ENTITY_ORDER",
    "RECORDS",
    "CapabilityRecord",
    "ChainNodeRecord",
    "ConsortiumMemberRecord",
    "ConsortiumRecord",
    "FirmIndicatorRecord",
    "FundRecord",
    "InvestmentRecord",
    "NeedRecord",
    "ObservationRecord",
    "OrganizationRecord",
    "Record",
    "RelationRecord",
    "SeriesRecord",
    "SourceRecord",
    "TechnologyDomainRecord",
]

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _split_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split("|") if part.strip()]
    return value


def _text(value: Any) -> Any:
    return "" if value is None else (value.strip() if isinstance(value, str) else value)


Text = Annotated[str, BeforeValidator(_text)]
StrList = Annotated[list[str], BeforeValidator(_split_list)]
OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
Year = Annotated[Annotated[int, Field(ge=1800, le=2100)] | None, BeforeValidator(_blank_to_none)]
OptTrl = Annotated[Annotated[int, Field(ge=1, le=9)] | None, BeforeValidator(_blank_to_none)]
OptAmount = Annotated[Annotated[float, Field(ge=0)] | None, BeforeValidator(_blank_to_none)]
OptPercent = Annotated[
    Annotated[float, Field(ge=0, le=100)] | None, BeforeValidator(_blank_to_none)
]


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError("must be a slug: lowercase ASCII letters, digits and single hyphens")
    return value


class Record(BaseModel):
    """Base of every record: strict about unknown columns, trims text."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    entity: ClassVar[str]
    #: (column, referenced entity) pairs; a column may hold one id or a list of ids
    refs: ClassVar[tuple[tuple[str, str], ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _blank_means_default(cls, data: Any) -> Any:
        """An empty cell of a column that has a default takes the default (e.g. an enum)."""
        if isinstance(data, dict):
            return {
                k: v
                for k, v in data.items()
                if not (
                    isinstance(v, str)
                    and not v.strip()
                    and k in cls.model_fields
                    and not cls.model_fields[k].is_required()
                )
            }
        return data

    def key(self) -> str:
        """The stable identity used for idempotent upserts."""
        raise NotImplementedError

    def row(self) -> dict[str, Any]:
        """Flat row for CSV/XLSX: lists joined with '|', enums and dates as text."""
        out: dict[str, Any] = {}
        for name, value in self.model_dump(mode="json").items():
            out[name] = "|".join(value) if isinstance(value, list) else value
        return out

    @classmethod
    def columns(cls) -> list[str]:
        return list(cls.model_fields)


class SourceRecord(Record):
    entity: ClassVar[str] = "sources"
    url: str
    title: Text = ""
    publisher: Text = ""
    accessed: Annotated[date | None, BeforeValidator(_blank_to_none)] = None
    note: Text = ""

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        value = value.strip()
        if not re.match(r"^https?://\S+$", value):
            raise ValueError("must be an http(s) URL without spaces")
        return value

    def key(self) -> str:
        return self.url


class _Fact(Record):
    """A fact row: it names the source that states it and which of its fields are uncertain."""

    @field_validator("uncertain", check_fields=False)
    @classmethod
    def _known_columns(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in cls.model_fields]
        if unknown:
            raise ValueError(f"names unknown columns: {', '.join(unknown)}")
        return value


class ChainNodeRecord(Record):
    entity: ClassVar[str] = "chain_nodes"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("parent_id", "chain_nodes"),
        ("source_url", "sources"),
    )
    id: str
    parent_id: OptStr = None
    stage: Stage
    name_en: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    description_en: Text = ""
    description_zh: Text = ""
    source_url: str

    _id = field_validator("id")(_slug)

    def key(self) -> str:
        return self.id


class TechnologyDomainRecord(Record):
    entity: ClassVar[str] = "technology_domains"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("parent_id", "technology_domains"),
        ("chain_node_ids", "chain_nodes"),
        ("source_url", "sources"),
    )
    id: str
    parent_id: OptStr = None
    name_en: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    chain_node_ids: StrList = []
    keywords_en: StrList = []
    keywords_zh: StrList = []
    source_url: str

    _id = field_validator("id")(_slug)

    def key(self) -> str:
        return self.id


class OrganizationRecord(_Fact):
    entity: ClassVar[str] = "organizations"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("chain_node_ids", "chain_nodes"),
        ("source_url", "sources"),
    )
    id: str
    name_en: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    aliases: StrList = []
    kind: OrgKind
    ownership: Ownership
    country: str = Field(pattern=r"^[A-Z]{2}$")
    province: OptStr = None
    city: OptStr = None
    founded: Year = None
    website: OptStr = None
    chain_node_ids: StrList = []
    description_en: Text = ""
    description_zh: Text = ""
    source_url: str
    uncertain: StrList = []
    note: Text = ""

    _id = field_validator("id")(_slug)

    def key(self) -> str:
        return self.id


class CapabilityRecord(_Fact):
    entity: ClassVar[str] = "capabilities"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("organization_id", "organizations"),
        ("domain_id", "technology_domains"),
        ("source_url", "sources"),
    )
    organization_id: str
    domain_id: str
    trl: int = Field(ge=1, le=9)
    description_en: Text = ""
    description_zh: Text = ""
    evidence: Text = ""
    source_url: str
    uncertain: StrList = []
    note: Text = ""

    def key(self) -> str:
        return f"{self.organization_id}:{self.domain_id}"


class RelationRecord(_Fact):
    entity: ClassVar[str] = "relations"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("source_id", "organizations"),
        ("target_id", "organizations"),
        ("domain_id", "technology_domains"),
        ("source_url", "sources"),
    )
    source_id: str
    target_id: str
    type: RelationType
    year: Year = None
    domain_id: OptStr = None
    description_en: Text = ""
    evidence: Text = ""
    source_url: str
    uncertain: StrList = []
    note: Text = ""

    def key(self) -> str:
        return f"{self.source_id}:{self.type.value}:{self.target_id}:{self.domain_id or ''}"


class FundRecord(_Fact):
    entity: ClassVar[str] = "funds"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("manager_id", "organizations"),
        ("source_url", "sources"),
    )
    id: str
    name_en: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    manager_id: OptStr = None
    kind: FundKind
    size_cny_m: OptAmount = None
    vintage: Year = None
    source_url: str
    uncertain: StrList = []
    note: Text = ""

    _id = field_validator("id")(_slug)

    def key(self) -> str:
        return self.id


class InvestmentRecord(_Fact):
    entity: ClassVar[str] = "investments"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("investor_id", "organizations"),
        ("investee_id", "organizations"),
        ("fund_id", "funds"),
        ("source_url", "sources"),
    )
    investor_id: str
    investee_id: str
    fund_id: OptStr = None
    year: Year = None
    round: Text = ""
    amount_cny_m: OptAmount = None
    stake_pct: OptPercent = None
    source_url: str
    uncertain: StrList = []
    note: Text = ""

    def key(self) -> str:
        return f"{self.investor_id}:{self.investee_id}:{self.year or ''}:{self.round}"


class SeriesRecord(Record):
    entity: ClassVar[str] = "series"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("organization_id", "organizations"),
        ("source_url", "sources"),
    )
    id: str
    metric: str = Field(pattern=r"^[a-z0-9_]+$")
    name_en: str = Field(min_length=1)
    name_zh: Text = ""
    region: str = Field(pattern=r"^(WORLD|[A-Z]{2}(-[A-Z0-9]{1,3})?)$")
    organization_id: OptStr = None
    unit: str = Field(min_length=1)
    frequency: str = Field(pattern=r"^(annual|monthly)$")
    source_url: str
    note: Text = ""

    _id = field_validator("id")(_slug)

    def key(self) -> str:
        return self.id


class ObservationRecord(_Fact):
    entity: ClassVar[str] = "observations"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("series_id", "series"),
        ("source_url", "sources"),
    )
    series_id: str
    period: str = Field(pattern=r"^(19|20)\d\d(-(0[1-9]|1[0-2]))?$")
    value: float
    source_url: str
    uncertain: StrList = []
    note: Text = ""

    def key(self) -> str:
        return f"{self.series_id}:{self.period}"


class FirmIndicatorRecord(_Fact):
    entity: ClassVar[str] = "firm_indicators"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("organization_id", "organizations"),
        ("source_url", "sources"),
    )
    organization_id: str
    year: int = Field(ge=1990, le=2100)
    indicator: Indicator
    value: float
    unit: str = Field(pattern=r"^(CNY_m|persons|count|percent)$")
    source_url: str
    uncertain: StrList = []
    note: Text = ""

    def key(self) -> str:
        return f"{self.organization_id}:{self.year}:{self.indicator.value}"


class ConsortiumRecord(_Fact):
    """An innovation consortium or alliance: a lead and its members (see `consortium_members`)."""

    entity: ClassVar[str] = "consortia"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("lead_id", "organizations"),
        ("domain_ids", "technology_domains"),
        ("source_url", "sources"),
    )
    id: str
    name_en: Text = ""
    name_zh: Text = ""
    kind: ConsortiumKind = ConsortiumKind.INNOVATION_CONSORTIUM
    lead_id: str
    founded: Year = None
    domain_ids: StrList = []
    description_en: Text = ""
    description_zh: Text = ""
    visibility: Visibility = Visibility.PUBLIC
    status: ConsortiumStatus = ConsortiumStatus.ACTIVE
    source_url: OptStr = None
    uncertain: StrList = []
    note: Text = ""

    _id = field_validator("id")(_slug)

    @field_validator("name_zh")
    @classmethod
    def _some_name(cls, value: str, info: Any) -> str:
        if not value and not info.data.get("name_en"):
            raise ValueError("a consortium needs a name in English or Chinese")
        return value

    def key(self) -> str:
        return self.id


class ConsortiumMemberRecord(_Fact):
    """One organisation's place in a consortium; an organisation holds one role per consortium."""

    entity: ClassVar[str] = "consortium_members"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("consortium_id", "consortia"),
        ("organization_id", "organizations"),
        ("source_url", "sources"),
    )
    consortium_id: str
    organization_id: str
    role: ConsortiumRole = ConsortiumRole.SUPPORTING
    status: MemberStatus = MemberStatus.ACCEPTED
    joined: Year = None
    source_url: OptStr = None
    uncertain: StrList = []
    note: Text = ""

    def key(self) -> str:
        return f"{self.consortium_id}:{self.organization_id}"


class NeedRecord(_Fact):
    entity: ClassVar[str] = "needs"
    refs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("seeker_id", "organizations"),
        ("domain_ids", "technology_domains"),
        ("consortium_id", "consortia"),
        ("source_url", "sources"),
    )
    id: str
    seeker_id: str
    title_en: Text = ""
    title_zh: Text = ""
    description_en: Text = ""
    description_zh: Text = ""
    domain_ids: StrList = []
    required_trl: OptTrl = None
    budget_cny_m: OptAmount = None
    deadline: Annotated[date | None, BeforeValidator(_blank_to_none)] = None
    visibility: Visibility = Visibility.PUBLIC
    consortium_id: OptStr = None
    status: NeedStatus = NeedStatus.OPEN
    source_url: OptStr = None
    uncertain: StrList = []
    note: Text = ""

    _id = field_validator("id")(_slug)

    @field_validator("title_zh")
    @classmethod
    def _some_title(cls, value: str, info: Any) -> str:
        if not value and not info.data.get("title_en"):
            raise ValueError("a need needs a title in English or Chinese")
        return value

    @model_validator(mode="after")
    def _consortium_when_shared(self) -> NeedRecord:
        if self.visibility == Visibility.CONSORTIUM and not self.consortium_id:
            raise ValueError("consortium_id: a need shared with a consortium names the consortium")
        return self

    def key(self) -> str:
        return self.id


#: Every entity in the order it must be loaded (referenced entities first).
ENTITY_ORDER: tuple[str, ...] = (
    "sources",
    "chain_nodes",
    "technology_domains",
    "organizations",
    "capabilities",
    "relations",
    "funds",
    "investments",
    "series",
    "observations",
    "firm_indicators",
    "consortia",
    "consortium_members",
    "needs",
)

RECORDS: dict[str, type[Record]] = {
    cls.entity: cls
    for cls in (
        SourceRecord,
        ChainNodeRecord,
        TechnologyDomainRecord,
        OrganizationRecord,
        CapabilityRecord,
        RelationRecord,
        FundRecord,
        InvestmentRecord,
        SeriesRecord,
        ObservationRecord,
        FirmIndicatorRecord,
        ConsortiumRecord,
        ConsortiumMemberRecord,
        NeedRecord,
    )
}
