"""What a consortium's lifecycle accepts as input: the new consortium with the members to
invite, shared resources, the agreement's terms (with the check that shares sum to 100 %)
and outcomes. Validated pydantic models, shared by the library, the API and the CLI."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from innochain.domain import (
    ConsortiumKind,
    ConsortiumRole,
    ConsortiumStatus,
    ForegroundIP,
    Licensing,
    OutcomeKind,
    ResourceKind,
    Visibility,
)

__all__ = [
    "AgreementIn",
    "ConsortiumChange",
    "ConsortiumIn",
    "MemberIn",
    "OutcomeIn",
    "ResourceIn",
    "ShareIn",
]

#: shares are per cent and must sum to 100 within this tolerance
SHARE_TOLERANCE = 0.01


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MemberIn(_In):
    organization_id: str = Field(min_length=1, description="Id, name or alias.")
    role: ConsortiumRole = ConsortiumRole.SUPPORTING


class ConsortiumIn(_In):
    """A new consortium, typically from a builder proposal: the lead, then the members to
    invite with their roles (one core partner and N supporting members)."""

    id: str | None = Field(None, max_length=200)
    name_en: str = Field("", max_length=500)
    name_zh: str = Field("", max_length=500)
    kind: ConsortiumKind = ConsortiumKind.INNOVATION_CONSORTIUM
    lead_id: str | None = Field(None, description="Default: your organisation.")
    domain_ids: list[str] = Field(default_factory=list, max_length=60)
    description_en: str = Field("", max_length=20_000)
    description_zh: str = Field("", max_length=20_000)
    visibility: Visibility = Visibility.CONSORTIUM
    members: list[MemberIn] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _check(self) -> ConsortiumIn:
        if not self.name_en and not self.name_zh:
            raise ValueError("name_en: a consortium needs a name in English or Chinese")
        for k, m in enumerate(self.members):
            if m.role is ConsortiumRole.LEAD:
                raise ValueError(
                    f"members.{k}.role: the lead is `lead_id`; invite members as core or supporting"
                )
        return self


class ResourceIn(_In):
    kind: ResourceKind
    name: str = Field(min_length=1, max_length=500)
    owner_id: str | None = Field(None, description="A member; default: your organisation.")
    access_terms: str = Field(
        "", max_length=5000, description="Who may use it, when, at what cost."
    )


class ShareIn(_In):
    organization_id: str = Field(min_length=1)
    cost_pct: float = Field(ge=0, le=100)
    benefit_pct: float = Field(ge=0, le=100)


class AgreementIn(_In):
    """The agreement's structured terms; `shares` of cost and benefit each sum to 100 %."""

    background_ip: str = Field("", max_length=5000, description="What each brings and keeps.")
    foreground_ip: ForegroundIP
    licensing: Licensing
    shares: list[ShareIn] = Field(min_length=1, max_length=50)
    signed: date | None = None

    @model_validator(mode="after")
    def _sums(self) -> AgreementIn:
        for kind in ("cost", "benefit"):
            total = sum(getattr(s, f"{kind}_pct") for s in self.shares)
            if abs(total - 100) > SHARE_TOLERANCE:
                raise ValueError(f"shares: {kind} shares sum to {total:g} %, not 100 %")
        return self


class OutcomeIn(_In):
    kind: OutcomeKind
    title: str = Field(min_length=1, max_length=1000)
    reference: str = Field("", max_length=500, description="Patent or standard number, DOI.")
    owner_ids: list[str] = Field(default_factory=list, max_length=50)
    achieved: date | None = None
    url: str = Field("", max_length=1000)


class ConsortiumChange(_In):
    """What the lead may change after creating a consortium. Status moves proposed → active →
    closed (a closed consortium takes no new members)."""

    name_en: str | None = Field(None, max_length=500)
    name_zh: str | None = Field(None, max_length=500)
    description_en: str | None = Field(None, max_length=20_000)
    description_zh: str | None = Field(None, max_length=20_000)
    domain_ids: list[str] | None = Field(None, max_length=60)
    visibility: Visibility | None = None
    status: ConsortiumStatus | None = None
