"""The data card (docs/DATA.md) against the loaded dataset: its table of rows per entity and its
coverage by chain root are recounted here, so the card cannot drift from the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from innochain.chain import load_chain
from innochain.domain import SYSTEM
from innochain.registry import count_entities

pytestmark = pytest.mark.integration

CARD = Path(__file__).parents[2] / "docs" / "DATA.md"

#: the card's first column -> the entities it counts
ENTITIES = {
    "chain nodes": ["chain_nodes"],
    "technology domains": ["technology_domains"],
    "organisations": ["organizations"],
    "capabilities": ["capabilities"],
    "relations": ["relations"],
    "funds / investments": ["funds", "investments"],
    "consortia / members": ["consortia", "consortium_members"],
    "statistics series / observations": ["series", "observations"],
    "firm indicators": ["firm_indicators"],
    "needs": ["needs"],
    "sources": ["sources"],
}


def _table(header: str) -> list[list[str]]:
    """The rows of the Markdown table whose header line starts with `header`."""
    lines = CARD.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_card_counts_every_entity_as_loaded(loaded_session: Session) -> None:
    counts = count_entities(loaded_session, viewer=SYSTEM)
    card = {row[0]: row[1] for row in _table("| entity | rows |")}
    assert set(card) == set(ENTITIES)
    for label, entities in ENTITIES.items():
        expected = " / ".join(f"{counts[e]:,}" for e in entities)
        assert card[label] == expected, f"docs/DATA.md says {label}: {card[label]}, data {expected}"


def test_the_card_coverage_by_chain_root_is_the_chain_engines(loaded_session: Session) -> None:
    chain = load_chain(loaded_session)
    roots = [n for n in chain.nodes.values() if n.parent_id is None]
    expected = {f"{n.name_en} {n.name_zh}": (n.stage, len(chain.actors(n.id))) for n in roots}
    card = {row[0]: (row[1], int(row[2])) for row in _table("| chain root | stage |")}
    assert card == expected
