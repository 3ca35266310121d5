from __future__ import annotations

import pytest
from pydantic import ValidationError

from innochain.domain import (
    ENTITY_ORDER,
    RECORDS,
    CapabilityRecord,
    OrganizationRecord,
    RelationRecord,
    RelationType,
)

pytestmark = pytest.mark.unit

CATL = {
    "id": "catl",
    "name_en": "Contemporary Amperex Technology",
    "name_zh": "宁德时代",
    "kind": "supplier",
    "ownership": "private",
    "country": "CN",
    "source_url": "https://en.wikipedia.org/wiki/Contemporary_Amperex_Technology",
}


def test_organization_record_splits_pipe_lists_and_blanks() -> None:
    record = OrganizationRecord.model_validate(
        CATL | {"aliases": "CATL| 宁德 |", "founded": "2011", "province": " ", "uncertain": "city"}
    )
    assert record.aliases == ["CATL", "宁德"]
    assert record.founded == 2011
    assert record.province is None
    assert record.uncertain == ["city"]


def test_organization_record_rejects_each_bad_field() -> None:
    with pytest.raises(ValidationError) as caught:
        OrganizationRecord.model_validate(
            CATL | {"id": "CATL Ltd", "kind": "oem", "country": "cn", "founded": "1700"}
        )
    assert sorted(e["loc"][0] for e in caught.value.errors()) == [
        "country",
        "founded",
        "id",
        "kind",
    ]


def test_uncertain_must_name_real_columns() -> None:
    with pytest.raises(ValidationError, match="names unknown columns: colour"):
        OrganizationRecord.model_validate(CATL | {"uncertain": "colour"})


def test_trl_outside_1_to_9_rejected() -> None:
    row = {"organization_id": "catl", "domain_id": "sodium-ion", "source_url": "https://x.org"}
    for bad in (0, 10):
        with pytest.raises(ValidationError):
            CapabilityRecord.model_validate(row | {"trl": bad})
    assert CapabilityRecord.model_validate(row | {"trl": "9"}).trl == 9


def test_relation_key_is_stable_and_typed() -> None:
    relation = RelationRecord.model_validate(
        {
            "source_id": "catl",
            "target_id": "tesla",
            "type": "supplies",
            "source_url": "https://x.org",
        }
    )
    assert relation.type is RelationType.SUPPLIES
    assert relation.key() == "catl:supplies:tesla:"


def test_row_joins_lists_back_with_pipes() -> None:
    record = OrganizationRecord.model_validate(CATL | {"aliases": ["CATL", "宁德"]})
    assert record.row()["aliases"] == "CATL|宁德"
    assert list(record.row()) == OrganizationRecord.columns()


def test_every_entity_has_a_record_in_load_order() -> None:
    assert list(RECORDS) == list(ENTITY_ORDER)
