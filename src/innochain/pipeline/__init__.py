"""The pipeline engine: joint projects from research through lab and pilot to mass
production, with stage-gate reviews, milestones, funding rounds and portfolio views."""

from innochain.pipeline.model import (
    FundingIn,
    GateIn,
    MilestoneIn,
    ProjectChange,
    ProjectIn,
    decide_gate,
)
from innochain.pipeline.portfolio import (
    at_risk,
    funding_by_source_and_stage,
    funnel,
    stage_periods,
    time_in_stage,
)
from innochain.pipeline.projects import (
    TABLE_COLUMNS,
    add_funding,
    add_milestone,
    create_project,
    delete_project,
    export_projects,
    get_project,
    list_projects,
    portfolio,
    project_id_for,
    record_gate,
    update_milestone,
    update_project,
    view_project,
)

__all__ = [
    "TABLE_COLUMNS",
    "FundingIn",
    "GateIn",
    "MilestoneIn",
    "ProjectChange",
    "ProjectIn",
    "add_funding",
    "add_milestone",
    "at_risk",
    "create_project",
    "decide_gate",
    "delete_project",
    "export_projects",
    "funding_by_source_and_stage",
    "funnel",
    "get_project",
    "list_projects",
    "portfolio",
    "project_id_for",
    "record_gate",
    "stage_periods",
    "time_in_stage",
    "update_milestone",
    "update_project",
    "view_project",
]
