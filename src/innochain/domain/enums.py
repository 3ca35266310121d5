"""Closed vocabularies of the domain (English code names; Chinese labels for display)."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ConsortiumKind",
    "ConsortiumRole",
    "ConsortiumStatus",
    "FundKind",
    "Indicator",
    "MemberStatus",
    "NeedStatus",
    "OrgKind",
    "Ownership",
    "RelationType",
    "Role",
    "Stage",
    "Visibility",
]


class Labelled(StrEnum):
    """A StrEnum whose members carry a Chinese label in `ZH`."""

    @property
    def label_zh(self) -> str:
        return _ZH.get(f"{type(self).__name__}.{self.value}", self.value)

    @property
    def label_en(self) -> str:
        return self.value.replace("_", " ")


class Stage(Labelled):
    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"


class OrgKind(Labelled):
    AUTOMAKER = "automaker"
    SUPPLIER = "supplier"
    TECH_COMPANY = "tech_company"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    INDUSTRY_ASSOCIATION = "industry_association"
    TESTING_BODY = "testing_body"
    INVESTOR = "investor"
    GOVERNMENT_AGENCY = "government_agency"
    SERVICE_PROVIDER = "service_provider"


class Ownership(Labelled):
    STATE_OWNED = "state_owned"
    PRIVATE = "private"
    FOREIGN = "foreign"
    JOINT_VENTURE = "joint_venture"
    PUBLIC_INSTITUTION = "public_institution"


class RelationType(Labelled):
    SUPPLIES = "supplies"
    CUSTOMER_OF = "customer_of"
    JOINT_VENTURE = "joint_venture"
    STRATEGIC_ALLIANCE = "strategic_alliance"
    JOINT_LAB = "joint_lab"
    INVESTS_IN = "invests_in"
    LICENSES_TECHNOLOGY = "licenses_technology"
    CONSORTIUM_MEMBER = "consortium_member"


class Visibility(Labelled):
    PUBLIC = "public"
    MEMBERS = "members"
    CONSORTIUM = "consortium"
    PRIVATE = "private"


class NeedStatus(Labelled):
    OPEN = "open"
    MATCHED = "matched"
    CLOSED = "closed"


class FundKind(Labelled):
    GUIDED_FUND = "guided_fund"
    VC_PE = "vc_pe"
    CORPORATE = "corporate"
    BANK = "bank"


class Indicator(Labelled):
    REVENUE = "revenue"
    RD_EXPENSE = "rd_expense"
    RD_STAFF = "rd_staff"
    EMPLOYEES = "employees"
    PATENTS_GRANTED = "patents_granted"
    INVENTION_PATENTS_GRANTED = "invention_patents_granted"
    PATENTS_FILED = "patents_filed"
    NET_PROFIT = "net_profit"
    EXPORT_REVENUE = "export_revenue"
    NET_CASH_OPERATING = "net_cash_operating"
    NET_CASH_INVESTING = "net_cash_investing"
    NET_CASH_FINANCING = "net_cash_financing"


class Role(Labelled):
    """What a user may do; a user acts for one organisation."""

    OPERATOR = "operator"
    MEMBER_ADMIN = "member_admin"
    MEMBER = "member"
    VIEWER = "viewer"


class ConsortiumKind(Labelled):
    INNOVATION_CONSORTIUM = "innovation_consortium"
    SUPPLIER_NETWORK = "supplier_network"
    INDUSTRY_UNIVERSITY_RESEARCH = "industry_university_research"
    CROSS_INDUSTRY_ALLIANCE = "cross_industry_alliance"
    GOVERNMENT_PROJECT = "government_project"


class ConsortiumStatus(Labelled):
    PROPOSED = "proposed"
    ACTIVE = "active"
    CLOSED = "closed"


class ConsortiumRole(Labelled):
    LEAD = "lead"
    CORE = "core"
    SUPPORTING = "supporting"


class MemberStatus(Labelled):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXITED = "exited"


_ZH = {
    "Stage.upstream": "上游",
    "Stage.midstream": "中游",
    "Stage.downstream": "下游",
    "OrgKind.automaker": "整车企业",
    "OrgKind.supplier": "零部件与材料供应商",
    "OrgKind.tech_company": "科技企业",
    "OrgKind.university": "高校",
    "OrgKind.research_institute": "科研院所",
    "OrgKind.industry_association": "行业协会与联盟",
    "OrgKind.testing_body": "检测认证机构",
    "OrgKind.investor": "投资机构",
    "OrgKind.government_agency": "政府部门",
    "OrgKind.service_provider": "服务商",
    "Ownership.state_owned": "国有",
    "Ownership.private": "民营",
    "Ownership.foreign": "外资",
    "Ownership.joint_venture": "合资",
    "Ownership.public_institution": "公共机构",
    "RelationType.supplies": "供货",
    "RelationType.customer_of": "采购自",
    "RelationType.joint_venture": "合资",
    "RelationType.strategic_alliance": "战略合作",
    "RelationType.joint_lab": "联合实验室",
    "RelationType.invests_in": "投资",
    "RelationType.licenses_technology": "技术许可",
    "RelationType.consortium_member": "联合体/联盟成员",
    "Visibility.public": "公开",
    "Visibility.members": "会员可见",
    "Visibility.consortium": "联合体可见",
    "Visibility.private": "仅本单位",
    "NeedStatus.open": "征集中",
    "NeedStatus.matched": "已对接",
    "NeedStatus.closed": "已关闭",
    "FundKind.guided_fund": "政府引导基金",
    "FundKind.vc_pe": "风险投资/私募股权",
    "FundKind.corporate": "产业资本",
    "FundKind.bank": "银行",
    "Role.operator": "平台运营方",
    "Role.member_admin": "会员管理员",
    "Role.member": "会员",
    "Role.viewer": "只读用户",
    "ConsortiumKind.innovation_consortium": "创新联合体",
    "ConsortiumKind.supplier_network": "链主供应商网络",
    "ConsortiumKind.industry_university_research": "产学研联合体",
    "ConsortiumKind.cross_industry_alliance": "跨行业联盟",
    "ConsortiumKind.government_project": "政府支持项目",
    "ConsortiumStatus.proposed": "筹建中",
    "ConsortiumStatus.active": "运行中",
    "ConsortiumStatus.closed": "已结束",
    "ConsortiumRole.lead": "牵头单位",
    "ConsortiumRole.core": "核心单位",
    "ConsortiumRole.supporting": "参与单位",
    "MemberStatus.invited": "已邀请",
    "MemberStatus.accepted": "已加入",
    "MemberStatus.declined": "已拒绝",
    "MemberStatus.exited": "已退出",
}
