"""The registry engine: organisations, taxonomy, capabilities, relations, funds, statistics;
import and export with validation; listing, search and counts."""

from innochain.registry.consortia import get_consortium, list_consortia
from innochain.registry.exporter import export_records, to_record
from innochain.registry.formats import FORMATS, read_path, write_path
from innochain.registry.importer import (
    ImportReport,
    import_tables,
    resolve_organization,
    search_text,
    validate_tables,
)
from innochain.registry.needs import (
    create_need,
    delete_need,
    get_need,
    list_needs,
    update_need,
    view_need,
)
from innochain.registry.queries import (
    OrganizationDetail,
    Page,
    chain_tree,
    choices,
    count_entities,
    count_organizations_by,
    get_chain_node,
    get_organization,
    list_capabilities,
    list_chain_nodes,
    list_organizations,
    list_relations,
    list_series,
    list_technologies,
)

__all__ = [
    "FORMATS",
    "ImportReport",
    "OrganizationDetail",
    "Page",
    "chain_tree",
    "choices",
    "count_entities",
    "count_organizations_by",
    "create_need",
    "delete_need",
    "export_records",
    "get_chain_node",
    "get_consortium",
    "get_need",
    "get_organization",
    "import_tables",
    "list_capabilities",
    "list_chain_nodes",
    "list_consortia",
    "list_needs",
    "list_organizations",
    "list_relations",
    "list_series",
    "list_technologies",
    "read_path",
    "resolve_organization",
    "search_text",
    "to_record",
    "update_need",
    "validate_tables",
    "view_need",
    "write_path",
]
