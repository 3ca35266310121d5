"""Closed vocabularies of the domain (English code names; Chinese labels for display)."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "TRL_RANGES",
    "ConsortiumKind",
    "ConsortiumRole",
    "ConsortiumStatus",
    "ForegroundIP",
    "FundKind",
    "FundingSource",
    "GateDecision",
    "Indicator",
    "Licensing",
    "MemberStatus",
    "NeedStatus",
    "OrgKind",
    "OutcomeKind",
    "Ownership",
    "PipelineStage",
    "ProjectStatus",
    "RelationType",
    "ResourceKind",
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


class ResourceKind(Labelled):
    """A facility or asset a consortium member shares with the others."""

    LAB = "lab"
    PILOT_LINE = "pilot_line"
    TEST_TRACK = "test_track"
    DATASET = "dataset"
    EQUIPMENT = "equipment"
    OTHER = "other"


class ForegroundIP(Labelled):
    """Who owns what the consortium creates (foreground IP)."""

    GENERATING_MEMBER = "generating_member"
    JOINT = "joint"
    BY_SHARE = "by_share"
    LEAD = "lead"


class Licensing(Labelled):
    """How members may use each other's foreground IP."""

    ROYALTY_FREE_MEMBERS = "royalty_free_members"
    FRAND = "frand"
    EXCLUSIVE_TO_LEAD = "exclusive_to_lead"
    CASE_BY_CASE = "case_by_case"


class OutcomeKind(Labelled):
    PATENT = "patent"
    PRODUCT = "product"
    STANDARD = "standard"
    PAPER = "paper"
    SOFTWARE = "software"


class PipelineStage(Labelled):
    """A joint project's stage; `TRL_RANGES` gives the readiness each stage spans."""

    RESEARCH = "research"
    LAB = "lab"
    PILOT = "pilot"
    MASS_PRODUCTION = "mass_production"

    @property
    def trl_range(self) -> tuple[int, int]:
        return TRL_RANGES[self]

    @property
    def next(self) -> PipelineStage | None:
        order = list(PipelineStage)
        k = order.index(self)
        return order[k + 1] if k + 1 < len(order) else None

    @property
    def previous(self) -> PipelineStage | None:
        order = list(PipelineStage)
        k = order.index(self)
        return order[k - 1] if k > 0 else None


#: readiness per stage (EU Horizon / NASA TRL scale): principles and concept 1-3, validation
#: in the lab 4-5, prototype on a pilot line in a relevant environment 6-7, qualified and
#: proven in series production 8-9
TRL_RANGES: dict[PipelineStage, tuple[int, int]] = {
    PipelineStage.RESEARCH: (1, 3),
    PipelineStage.LAB: (4, 5),
    PipelineStage.PILOT: (6, 7),
    PipelineStage.MASS_PRODUCTION: (8, 9),
}


class ProjectStatus(Labelled):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    STOPPED = "stopped"


class GateDecision(Labelled):
    GO = "go"
    HOLD = "hold"
    STOP = "stop"
    RECYCLE = "recycle"


class FundingSource(Labelled):
    """Who finances a project round: the relay of capital across its lifecycle."""

    GUIDED_FUND = "guided_fund"
    VC_PE = "vc_pe"
    CORPORATE = "corporate"
    BANK_LOAN = "bank_loan"
    SUBSIDY = "subsidy"


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
    "ResourceKind.lab": "实验室",
    "ResourceKind.pilot_line": "中试线",
    "ResourceKind.test_track": "试验场",
    "ResourceKind.dataset": "数据集",
    "ResourceKind.equipment": "设备",
    "ResourceKind.other": "其他",
    "ForegroundIP.generating_member": "谁研发谁所有",
    "ForegroundIP.joint": "共同所有",
    "ForegroundIP.by_share": "按份额共有",
    "ForegroundIP.lead": "牵头单位所有",
    "Licensing.royalty_free_members": "成员免费许可",
    "Licensing.frand": "公平合理无歧视许可",
    "Licensing.exclusive_to_lead": "独占许可牵头单位",
    "Licensing.case_by_case": "逐项协商",
    "OutcomeKind.patent": "专利",
    "OutcomeKind.product": "产品",
    "OutcomeKind.standard": "标准",
    "OutcomeKind.paper": "论文",
    "OutcomeKind.software": "软件",
    "PipelineStage.research": "研究",
    "PipelineStage.lab": "实验室验证",
    "PipelineStage.pilot": "中试",
    "PipelineStage.mass_production": "量产",
    "ProjectStatus.active": "进行中",
    "ProjectStatus.on_hold": "暂停",
    "ProjectStatus.stopped": "已终止",
    "GateDecision.go": "通过",
    "GateDecision.hold": "暂缓",
    "GateDecision.stop": "终止",
    "GateDecision.recycle": "返工",
    "FundingSource.guided_fund": "政府引导基金",
    "FundingSource.vc_pe": "风险投资/私募股权",
    "FundingSource.corporate": "企业投资",
    "FundingSource.bank_loan": "银行贷款",
    "FundingSource.subsidy": "财政补助",
}
