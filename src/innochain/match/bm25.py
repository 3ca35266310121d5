"""An incremental BM25 index (Lucene variant, as bm25s computes it).

score(q, d) = Σ_{t ∈ q} idf(t) · tf(t, d) / (tf(t, d) + k1 · (1 − b + b · |d| / avgdl)),
idf(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5)).

Postings are append-only arrays per term; removing a document flips its live flag, so an edit
is a remove plus an add, never a rebuild. Document frequency and N count live documents only,
so scores equal those of an index built from scratch on the live documents.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["BM25Index"]


class _Postings:
    """Documents and term frequencies of one term: a numpy base (bulk-built) plus a tail."""

    __slots__ = ("_base_docs", "_base_tfs", "_docs", "_frozen", "_tfs")

    def __init__(
        self,
        docs: NDArray[np.int64] | None = None,
        tfs: NDArray[np.float32] | None = None,
    ) -> None:
        self._base_docs = docs if docs is not None else np.zeros(0, dtype=np.int64)
        self._base_tfs = tfs if tfs is not None else np.zeros(0, dtype=np.float32)
        self._docs: list[int] = []
        self._tfs: list[int] = []
        self._frozen: tuple[NDArray[np.int64], NDArray[np.float32]] | None = None

    def append(self, doc: int, tf: int) -> None:
        self._docs.append(doc)
        self._tfs.append(tf)
        self._frozen = None

    def arrays(self) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        if not self._docs:
            return self._base_docs, self._base_tfs
        if self._frozen is None:
            self._frozen = (
                np.concatenate([self._base_docs, np.asarray(self._docs, dtype=np.int64)]),
                np.concatenate([self._base_tfs, np.asarray(self._tfs, dtype=np.float32)]),
            )
        return self._frozen


class BM25Index:
    """BM25 over string keys; `add` replaces a key's document, `remove` deletes it.

    >>> index = BM25Index()
    >>> index.add("a", ["lidar", "long", "range"])
    >>> index.add("b", ["battery", "cell"])
    >>> [key for key, _ in index.top(["lidar"], k=5)]
    ['a']
    >>> index.remove("a")
    >>> index.top(["lidar"], k=5)
    []
    """

    #: most terms whose weights are cached between edits
    CACHE_TERMS = 20_000

    def __init__(self, *, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._keys: list[str] = []
        self._index_of: dict[str, int] = {}
        self._lengths: list[int] = []
        self._alive: list[bool] = []
        self._postings: dict[str, _Postings] = {}
        self._live = 0
        self._total_length = 0
        self._arrays: tuple[NDArray[np.float32], NDArray[np.bool_]] | None = None
        # term -> (live documents, idf x tf component); valid until the next edit
        self._weights: dict[str, tuple[NDArray[np.int64], NDArray[np.float32]]] = {}

    def __len__(self) -> int:
        return self._live

    def __contains__(self, key: object) -> bool:
        return key in self._index_of

    def add(self, key: str, tokens: Iterable[str]) -> None:
        if key in self._index_of:
            self.remove(key)
        tokens = list(tokens)
        doc = len(self._keys)
        self._keys.append(key)
        self._index_of[key] = doc
        self._lengths.append(len(tokens))
        self._alive.append(True)
        for term, tf in Counter(tokens).items():
            self._postings.setdefault(term, _Postings()).append(doc, tf)
        self._live += 1
        self._total_length += len(tokens)
        self._arrays = None
        self._weights.clear()

    def add_many(self, keys: Sequence[str], documents: Iterable[Sequence[str]]) -> None:
        """Bulk-add new keys: postings are built as numpy arrays in one pass (fast, compact).

        Only for an empty index; later edits use `add` and `remove`.
        """
        if self._keys:
            raise ValueError("add_many builds an empty index; use add() for edits")
        term_ids: dict[str, int] = {}
        terms, docs, tfs = array("q"), array("q"), array("f")
        lengths = array("q")
        for doc, tokens in enumerate(documents):
            counts = Counter(tokens)
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                terms.append(term_ids.setdefault(term, len(term_ids)))
                docs.append(doc)
                tfs.append(tf)
        if len(lengths) != len(keys):
            raise ValueError("keys and documents differ in number")
        term_array = np.frombuffer(terms, dtype=np.int64)
        order = np.argsort(term_array, kind="stable")
        doc_array = np.frombuffer(docs, dtype=np.int64)[order]
        tf_array = np.frombuffer(tfs, dtype=np.float32)[order]
        bounds = np.searchsorted(term_array[order], np.arange(len(term_ids) + 1))
        for term, tid in term_ids.items():
            lo, hi = bounds[tid], bounds[tid + 1]
            self._postings[term] = _Postings(doc_array[lo:hi], tf_array[lo:hi])
        self._keys = list(keys)
        self._index_of = {key: i for i, key in enumerate(self._keys)}
        if len(self._index_of) != len(self._keys):
            raise ValueError("keys must be unique")
        self._lengths = list(lengths)
        self._alive = [True] * len(self._keys)
        self._live = len(self._keys)
        self._total_length = int(sum(lengths))
        self._arrays = None
        self._weights.clear()

    def remove(self, key: str) -> None:
        doc = self._index_of.pop(key)
        self._alive[doc] = False
        self._live -= 1
        self._total_length -= self._lengths[doc]
        self._arrays = None
        self._weights.clear()

    def number(self, key: str) -> int | None:
        """The internal document number of a live key."""
        return self._index_of.get(key)

    def alive(self) -> NDArray[np.bool_]:
        """Live flags by document number."""
        return self._doc_arrays()[1]

    def _doc_arrays(self) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
        if self._arrays is None:
            self._arrays = (
                np.asarray(self._lengths, dtype=np.float32),
                np.asarray(self._alive, dtype=np.bool_),
            )
        return self._arrays

    def _term_weights(self, term: str) -> tuple[NDArray[np.int64], NDArray[np.float32]] | None:
        """Live documents of a term and their BM25 weights, cached until the next edit.

        Any edit changes N or avgdl, so the cache is cleared on every edit; between edits a
        term's weights are computed once (eager scoring, as bm25s does at index time).
        """
        cached = self._weights.get(term)
        if cached is not None:
            return cached
        postings = self._postings.get(term)
        if postings is None:
            return None
        lengths, alive = self._doc_arrays()
        docs, tfs = postings.arrays()
        live = alive[docs]
        if not live.all():
            docs, tfs = docs[live], tfs[live]
        df = len(docs)
        if df == 0:
            return None
        avgdl = self._total_length / self._live
        idf = np.log1p((self._live - df + 0.5) / (df + 0.5))
        norm = self.k1 * ((1.0 - self.b) + self.b * lengths[docs] / avgdl)
        weights = (idf * tfs / (tfs + norm)).astype(np.float32)
        if len(self._weights) >= self.CACHE_TERMS:
            self._weights.clear()
        self._weights[term] = (docs, weights)
        return docs, weights

    def scores(
        self, query: Iterable[str]
    ) -> tuple[NDArray[np.float32], dict[str, NDArray[np.int64]]]:
        """Dense scores by document number, and for each query term the documents it hit."""
        out = np.zeros(len(self._keys), dtype=np.float32)
        hits: dict[str, NDArray[np.int64]] = {}
        if self._live == 0:
            return out, hits
        for term in dict.fromkeys(query):  # each distinct term once, in query order
            found = self._term_weights(term)
            if found is None:
                continue
            docs, weights = found
            out[docs] += weights
            hits[term] = docs
        return out, hits

    def top(self, query: Iterable[str], *, k: int = 10) -> list[tuple[str, float]]:
        """The k best (key, score) pairs with a positive score, best first, ties by key."""
        scores, _ = self.scores(query)
        positive = np.flatnonzero(scores > 0)
        if len(positive) > k:
            part = np.argpartition(-scores[positive], k - 1)[:k]
            cutoff = scores[positive[part]].min()
            positive = positive[scores[positive] >= cutoff]
        ranked = sorted(
            ((self._keys[d], float(scores[d])) for d in positive), key=lambda x: (-x[1], x[0])
        )
        return ranked[:k]
