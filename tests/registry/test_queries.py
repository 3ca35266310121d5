from __future__ import annotations

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from innochain.errors import InvalidInput, NotFound
from innochain.registry import (
    chain_tree,
    count_entities,
    get_chain_node,
    get_organization,
    list_capabilities,
    list_organizations,
    list_relations,
)
from innochain.store.tables import ChainNode, Organization

pytestmark = pytest.mark.integration


def test_chinese_search_finds_catl(loaded_session: Session) -> None:
    result = list_organizations(loaded_session, q="宁德时代")
    assert "catl" in [o.id for o in result.items]
    # every hit really contains the term
    for org in result.items:
        text = loaded_session.get(Organization, org.id).search_text  # type: ignore[union-attr]
        assert "宁德时代" in text


def test_search_terms_are_anded_and_case_insensitive(loaded_session: Session) -> None:
    both = {o.id for o in list_organizations(loaded_session, q="BYD 比亚迪", size=500).items}
    only_en = {o.id for o in list_organizations(loaded_session, q="byd", size=500).items}
    assert "byd" in both
    assert both <= only_en


def test_search_wildcards_are_literal(loaded_session: Session) -> None:
    texts = loaded_session.scalars(select(Organization.search_text)).all()
    for term in ("%", "_", "51%"):
        expected = sum(term in text for text in texts)
        assert list_organizations(loaded_session, q=term, size=500).total == expected


def test_kind_filter_matches_a_direct_count(loaded_session: Session) -> None:
    direct = loaded_session.scalar(
        select(func.count()).select_from(Organization).where(Organization.kind == "university")
    )
    result = list_organizations(loaded_session, kind="university", size=500)
    assert result.total == direct
    assert {o.kind for o in result.items} == {"university"}


def test_bad_enum_filter_says_what_is_allowed(loaded_session: Session) -> None:
    with pytest.raises(InvalidInput, match="kind 'oem' is not one of: automaker, supplier"):
        list_organizations(loaded_session, kind="oem")


def test_chain_node_filter_includes_sub_nodes(loaded_session: Session) -> None:
    parent = {
        o.id for o in list_organizations(loaded_session, chain_node="power-battery", size=500).items
    }
    child = {
        o.id for o in list_organizations(loaded_session, chain_node="battery-cells", size=500).items
    }
    assert child and child <= parent
    assert "catl" in child


def test_province_filter_accepts_chinese_name(loaded_session: Session) -> None:
    english = list_organizations(loaded_session, province="Guangdong", size=500)
    chinese = list_organizations(loaded_session, province="广东", size=500)
    assert english.total > 0
    assert [o.id for o in english.items] == [o.id for o in chinese.items]


def test_pages_partition_the_result(loaded_session: Session) -> None:
    everything = list_organizations(loaded_session, size=500)
    pages = [
        list_organizations(loaded_session, page=p, size=40)
        for p in range(1, everything.total // 40 + 2)
    ]
    ids = [o.id for page in pages for o in page.items]
    assert ids == [o.id for o in everything.items]
    assert len(set(ids)) == everything.total == count_entities(loaded_session)["organizations"]


def test_list_query_count_does_not_grow_with_page_size(loaded_session: Session) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = loaded_session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        list_organizations(loaded_session, size=1)
        one = len(statements)
        statements.clear()
        list_organizations(loaded_session, size=3)
        three = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert one == three


def test_organization_detail_has_capabilities_and_relations(loaded_session: Session) -> None:
    detail = get_organization(loaded_session, "catl")
    assert detail.organization.name_zh == "宁德时代"
    assert detail.capabilities and all(1 <= c["trl"] <= 9 for c in detail.capabilities)
    assert detail.relations
    for relation in detail.relations:
        assert relation["source_url"].startswith("http")
    assert detail.source["url"].startswith("http")


def test_missing_records_raise_not_found(loaded_session: Session) -> None:
    with pytest.raises(NotFound, match="no organization with id 'no-such-firm'"):
        get_organization(loaded_session, "no-such-firm")
    with pytest.raises(NotFound):
        get_chain_node(loaded_session, "no-such-node")
    with pytest.raises(NotFound):
        list_organizations(loaded_session, chain_node="no-such-node")


def test_chain_tree_counts_are_consistent(loaded_session: Session) -> None:
    roots = chain_tree(loaded_session)
    nodes = loaded_session.scalar(select(func.count()).select_from(ChainNode))

    def walk(node: dict) -> int:  # type: ignore[type-arg]
        assert node["organizations_total"] >= node["organizations"]
        for child in node["children"]:
            assert node["organizations_total"] >= child["organizations_total"]
        return 1 + sum(walk(c) for c in node["children"])

    assert sum(walk(r) for r in roots) == nodes
    assert [r["stage"] for r in roots] == sorted(
        (r["stage"] for r in roots), key=["upstream", "midstream", "downstream"].index
    )


def test_capabilities_by_domain_include_sub_domains(loaded_session: Session) -> None:
    parent = list_capabilities(loaded_session, domain="battery-technology", size=500)
    child = list_capabilities(loaded_session, domain="lithium-ion-cells", size=500)
    assert {c["id"] for c in child.items} <= {c["id"] for c in parent.items}
    assert all(c["trl"] >= 9 for c in list_capabilities(loaded_session, min_trl=9, size=500).items)


def test_relations_filter_by_type(loaded_session: Session) -> None:
    result = list_relations(loaded_session, type="joint_venture", size=500)
    assert result.total > 0
    assert {r["type"] for r in result.items} == {"joint_venture"}
