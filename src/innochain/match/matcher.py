"""Rank capable partners for a technology need, each with its reasons.

Components, each in [0, 1]:
- lexical: BM25 over capability and profile texts (Chinese and English tokens), the
  organisation's best document, divided by the best organisation's score for this need;
- taxonomy: for each need domain, the best of the organisation's capability domains
  (same domain 1, parent or child 0.6, sibling 0.3), averaged over the need domains;
- maturity: the fit of the TRL of the organisation's capability most relevant to the need
  (closest domain, then best text match) to the required TRL: 1 at or above it, minus 1/3 per
  level short; 1 when no TRL is required;
- semantic (with the optional `semantic` extra): cosine similarity of sentence embeddings of
  the need's English text and each document's English text, the organisation's best among
  the 1,000 closest documents, divided by the best organisation's;
- network: ties to the seeker (1 for a direct relation, else 0.5 x shared partners / 2, at
  most 0.5).
The total is the weighted sum. Filters remove candidates before ranking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from innochain.errors import InvalidInput
from innochain.match.bm25 import BM25Index
from innochain.match.corpus import CapabilityRow, Corpus, OrgRow
from innochain.match.semantic import Embedder, VectorIndex, english_part
from innochain.match.tokens import tokenize

__all__ = [
    "DEFAULT_SEMANTIC_WEIGHTS",
    "DEFAULT_WEIGHTS",
    "MAX_NEED_CHARS",
    "Candidate",
    "Filters",
    "MatchResult",
    "Matcher",
    "Need",
    "Weights",
]

MAX_NEED_CHARS = 4000
SAME, KIN, SIBLING = 1.0, 0.6, 0.3


@dataclass(frozen=True)
class Need:
    """What a seeker wants: text (any mix of Chinese and English) and/or technology domains."""

    text: str = ""
    domain_ids: tuple[str, ...] = ()
    required_trl: int | None = None
    seeker_id: str | None = None


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    ownerships: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Weights:
    lexical: float = 0.55
    taxonomy: float = 0.1
    maturity: float = 0.2
    network: float = 0.15
    semantic: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


#: default weights: grid search (step 0.05) maximising MRR on the `fit` split of
#: benchmarks/data/match_needs.csv; results in benchmarks/README.md
DEFAULT_WEIGHTS = Weights()
#: default weights when the semantic component is on: the same search (step 0.1) with it
DEFAULT_SEMANTIC_WEIGHTS = Weights(
    lexical=0.4, taxonomy=0.2, maturity=0.1, network=0.1, semantic=0.2
)


@dataclass(frozen=True)
class Candidate:
    organization_id: str
    name_en: str
    name_zh: str
    kind: str
    country: str
    province: str | None
    score: float
    components: dict[str, float]
    matched_terms: list[str]
    capabilities: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    reasons: list[str]


@dataclass(frozen=True)
class MatchResult:
    need: dict[str, Any]
    domain_ids: list[str]
    inferred_domains: bool
    tokens: list[str]
    weights: dict[str, float]
    candidates: list[Candidate] = field(default_factory=list)
    message: str = ""
    semantic_available: bool = False


class _Grow:
    """A numpy array that grows by doubling, so appends stay cheap."""

    def __init__(self, dtype: Any) -> None:
        self.data = np.zeros(1024, dtype=dtype)
        self.size = 0

    def append(self, value: Any) -> None:
        if self.size == len(self.data):
            self.data = np.concatenate([self.data, np.zeros_like(self.data)])
        self.data[self.size] = value
        self.size += 1

    def extend(self, values: list[int]) -> None:
        needed = self.size + len(values)
        if needed > len(self.data):
            grown = np.zeros(max(needed, 2 * len(self.data)), dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : needed] = values
        self.size = needed

    def view(self) -> NDArray[Any]:
        return self.data[: self.size]


def _script_split(terms: Iterable[str]) -> list[str]:
    return sorted(set(terms), key=lambda t: (not any("\u3400" <= ch <= "\u9fff" for ch in t), t))


class Matcher:
    """An in-memory index of the registry for matching; edits update it incrementally."""

    #: most need domains whose taxonomy views are cached between edits (about 2 MB each at
    #: 1M capabilities; the bundled taxonomy has 106 domains)
    CACHE_DOMAINS = 256

    #: documents the semantic component looks at per query (exact top by cosine)
    SEMANTIC_CANDIDATES = 1000

    def __init__(self, corpus: Corpus, *, embedder: Embedder | None = None) -> None:
        self.embedder = embedder
        self.orgs: dict[str, OrgRow] = dict(corpus.organizations)
        self.domains = dict(corpus.domains)
        self._org_ids: list[str] = []
        self._org_index: dict[str, int] = {}
        self._domain_ids = list(self.domains)
        self._domain_index = {d: i for i, d in enumerate(self._domain_ids)}
        self._similarity = self._domain_similarity()
        self._index = BM25Index()
        self._doc_org = _Grow(np.int64)
        self._doc_domain = _Grow(np.int64)
        self._doc_trl = _Grow(np.int64)
        self._capabilities: dict[str, CapabilityRow] = {}
        self._org_capabilities: dict[str, set[str]] = defaultdict(set)
        self._domain_arrays: dict[int, NDArray[np.int64]] = {}
        self._attributes: dict[str, NDArray[np.str_]] = {}
        self._views: dict[str, tuple[NDArray[np.float32], NDArray[np.int32]]] = {}
        self._domain_index_text = BM25Index()
        for d in self.domains.values():
            self._domain_index_text.add(d.id, tokenize(self._domain_text(d.id)))
        self._neighbours: dict[str, set[str]] = defaultdict(set)
        self._ties: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for relation in corpus.relations:
            self._neighbours[relation.source_id].add(relation.target_id)
            self._neighbours[relation.target_id].add(relation.source_id)
            tie = {
                "source_id": relation.source_id,
                "target_id": relation.target_id,
                "type": relation.type,
                "year": relation.year,
                "source_url": relation.source_url,
            }
            self._ties[tuple(sorted((relation.source_id, relation.target_id)))].append(tie)  # type: ignore[index]
        self._domain_docs: dict[int, list[int]] = defaultdict(list)
        keys: list[str] = []
        texts: list[str] = []
        doc_org: list[int] = []
        doc_domain: list[int] = []
        doc_trl: list[int] = []
        for org in self.orgs.values():
            keys.append(f"org:{org.id}")
            texts.append(self._org_text(org))
            doc_org.append(self._org_number(org.id))
            doc_domain.append(-1)
            doc_trl.append(0)
        for capability in corpus.capabilities:
            self._check_capability(capability)
            if capability.key in self._capabilities:
                raise InvalidInput(f"duplicate capability {capability.key!r}")
            self._capabilities[capability.key] = capability
            self._org_capabilities[capability.organization_id].add(capability.key)
            domain = self._domain_index[capability.domain_id]
            self._domain_docs[domain].append(len(keys))
            keys.append(f"cap:{capability.key}")
            texts.append(self._capability_text(capability))
            doc_org.append(self._org_number(capability.organization_id))
            doc_domain.append(domain)
            doc_trl.append(capability.trl)
        self._doc_org.extend(doc_org)
        self._doc_domain.extend(doc_domain)
        self._doc_trl.extend(doc_trl)
        self._index.add_many(keys, (tokenize(text) for text in texts))
        self._vectors: VectorIndex | None = None
        if embedder is not None:
            self._vectors = VectorIndex(embedder.dimension)
            english = [self._english_text(key) for key in keys]
            self._vectors.extend(self._embed(english))

    # -- index maintenance -------------------------------------------------------------

    def _org_number(self, org_id: str) -> int:
        if org_id not in self._org_index:
            self._org_index[org_id] = len(self._org_ids)
            self._org_ids.append(org_id)
        return self._org_index[org_id]

    def _domain_text(self, domain_id: str) -> str:
        d = self.domains[domain_id]
        return " ".join([d.name_en, d.name_zh, *d.keywords_en, *d.keywords_zh])

    def _english_text(self, key: str) -> str:
        """What the embedding model reads for a document: its English fields."""
        if key.startswith("org:"):
            org = self.orgs[key.removeprefix("org:")]
            return f"{org.name_en}. {org.description_en}".strip()
        capability = self._capabilities[key.removeprefix("cap:")]
        domain = self.domains[capability.domain_id]
        return f"{domain.name_en}. {capability.description_en} {capability.evidence}".strip()

    def _embed(self, texts: list[str]) -> NDArray[np.float32]:
        assert self.embedder is not None
        out = np.zeros((len(texts), self.embedder.dimension), dtype=np.float32)
        present = [i for i, text in enumerate(texts) if text.strip(" .")]
        if present:
            out[present] = self.embedder.encode([texts[i] for i in present])
        return out

    def _forget_vector(self, key: str) -> None:
        """Drop the vector of a key's current document before it is replaced or removed."""
        doc = self._index.number(key)
        if self._vectors is not None and doc is not None:
            self._vectors.discard(doc)

    def _embed_doc(self, key: str) -> None:
        if self._vectors is not None:
            doc = self._index.number(key)
            assert doc is not None
            self._vectors.set(doc, self._embed([self._english_text(key)])[0])

    def _record_doc(self, org_id: str, domain: int, trl: int) -> None:
        doc = self._doc_org.size
        self._doc_org.append(self._org_number(org_id))
        self._doc_domain.append(domain)
        self._doc_trl.append(trl)
        if domain >= 0:
            self._domain_docs[domain].append(doc)
            self._domain_arrays.pop(domain, None)

    def _org_text(self, org: OrgRow) -> str:
        return " ".join(
            [org.name_en, org.name_zh, *org.aliases, org.description_en, org.description_zh]
        )

    def _capability_text(self, capability: CapabilityRow) -> str:
        org = self.orgs[capability.organization_id]
        return " ".join(
            [
                org.name_en,
                org.name_zh,
                *org.aliases,
                self._domain_text(capability.domain_id),
                capability.description_en,
                capability.description_zh,
                capability.evidence,
            ]
        )

    def _check_capability(self, capability: CapabilityRow) -> None:
        if capability.organization_id not in self.orgs:
            raise InvalidInput(f"unknown organization {capability.organization_id!r}")
        if capability.domain_id not in self.domains:
            raise InvalidInput(f"unknown technology domain {capability.domain_id!r}")

    def upsert_organization(self, org: OrgRow) -> None:
        """Add or replace an organisation's profile (its capabilities keep their documents)."""
        self._forget_vector(f"org:{org.id}")
        self.orgs[org.id] = org
        self._attributes.clear()
        self._views.clear()
        self._index.add(f"org:{org.id}", tokenize(self._org_text(org)))
        self._record_doc(org.id, -1, 0)
        self._embed_doc(f"org:{org.id}")

    def upsert_capability(self, capability: CapabilityRow) -> None:
        """Add or replace one capability (an edit), without rebuilding the index."""
        self._check_capability(capability)
        self._views.clear()
        self._forget_vector(f"cap:{capability.key}")
        self._capabilities[capability.key] = capability
        self._org_capabilities[capability.organization_id].add(capability.key)
        self._index.add(f"cap:{capability.key}", tokenize(self._capability_text(capability)))
        self._record_doc(
            capability.organization_id, self._domain_index[capability.domain_id], capability.trl
        )
        self._embed_doc(f"cap:{capability.key}")

    def remove_capability(self, organization_id: str, domain_id: str) -> None:
        key = f"{organization_id}:{domain_id}"
        if key not in self._capabilities:
            raise InvalidInput(f"no capability {key!r} in the index")
        self._forget_vector(f"cap:{key}")
        del self._capabilities[key]
        self._views.clear()
        self._org_capabilities[organization_id].discard(key)
        self._index.remove(f"cap:{key}")

    def __len__(self) -> int:
        return len(self._capabilities)

    # -- taxonomy ----------------------------------------------------------------------

    def _domain_similarity(self) -> NDArray[np.float32]:
        n = len(self._domain_ids)
        sim = np.zeros((n, n), dtype=np.float32)
        parent = {d.id: d.parent_id for d in self.domains.values()}
        for i, a in enumerate(self._domain_ids):
            for j, b in enumerate(self._domain_ids):
                if a == b:
                    sim[i, j] = SAME
                elif parent[a] == b or parent[b] == a:
                    sim[i, j] = KIN
                elif parent[a] is not None and parent[a] == parent[b]:
                    sim[i, j] = SIBLING
        return sim

    def infer_domains(self, tokens: list[str], *, limit: int = 3) -> list[str]:
        """Technology domains whose names and keywords the need's words hit most.

        Domains within half the best score are kept, except parents of kept children.
        """
        ranked = self._domain_index_text.top(tokens, k=limit)
        if not ranked:
            return []
        best = ranked[0][1]
        chosen = [d for d, score in ranked if score >= 0.5 * best]
        parents = {self.domains[d].parent_id for d in chosen}
        return [d for d in chosen if d not in parents]  # a child says more than its parent

    # -- matching ----------------------------------------------------------------------

    def _validate(self, need: Need) -> None:
        if not need.text.strip() and not need.domain_ids:
            raise InvalidInput("a need needs a text or at least one technology domain")
        if len(need.text) > MAX_NEED_CHARS:
            raise InvalidInput(
                f"the need text has {len(need.text)} characters; "
                f"at most {MAX_NEED_CHARS} are matched"
            )
        unknown = [d for d in need.domain_ids if d not in self.domains]
        if unknown:
            raise InvalidInput(f"unknown technology domain(s): {', '.join(unknown)}")
        if need.required_trl is not None and not 1 <= need.required_trl <= 9:
            raise InvalidInput("required TRL must be between 1 and 9")
        if need.seeker_id and need.seeker_id not in self.orgs:
            raise InvalidInput(f"unknown seeker organization {need.seeker_id!r}")

    def match(
        self,
        need: Need,
        *,
        limit: int = 10,
        weights: Weights | None = None,
        filters: Filters = Filters(),
    ) -> MatchResult:
        """The best `limit` candidates for the need, each with components and reasons.

        Without `weights`, `DEFAULT_SEMANTIC_WEIGHTS` apply when the matcher has an embedder,
        else `DEFAULT_WEIGHTS`.
        """
        if weights is None:
            weights = DEFAULT_SEMANTIC_WEIGHTS if self._vectors is not None else DEFAULT_WEIGHTS
        self._validate(need)
        if not 1 <= limit <= 200:
            raise InvalidInput("limit must be between 1 and 200")
        tokens = tokenize(need.text)
        domains = list(need.domain_ids) or self.infer_domains(tokens)
        result = MatchResult(
            need=asdict(need),
            domain_ids=domains,
            inferred_domains=not need.domain_ids,
            tokens=tokens,
            weights=weights.as_dict(),
        )
        if not domains and not tokens:
            return replace(
                result,
                message="the need has no word the index knows and no technology domain; "
                "describe it in Chinese or English, or name its domains",
            )
        n_orgs = len(self._org_ids)
        doc_scores, hits = self._index.scores(tokens)
        doc_org = self._doc_org.view()
        doc_domain = self._doc_domain.view()
        doc_trl = self._doc_trl.view()
        lexical = np.zeros(n_orgs, dtype=np.float32)
        lex_docs = np.flatnonzero(doc_scores)
        np.maximum.at(lexical, doc_org[lex_docs], doc_scores[lex_docs])
        if lexical.max(initial=0) > 0:
            lexical /= lexical.max()
        views = [self._domain_view(d) for d in domains]
        taxonomy = np.zeros(n_orgs, dtype=np.float32)
        for best, _ in views:
            taxonomy += best / len(domains)
        lex_caps = lex_docs[doc_domain[lex_docs] >= 0]
        semantic, semantic_raw = self._semantic(need.text, n_orgs, doc_org)
        network = self._network(need.seeker_id, n_orgs)
        candidate = (lexical > 0) | (taxonomy > 0) | (semantic > 0)
        for org_id in {x for x in (need.seeker_id, *filters.exclude) if x}:
            if org_id in self._org_index:
                candidate[self._org_index[org_id]] = False
        for attribute, allowed in (
            ("kind", filters.kinds),
            ("province", filters.provinces),
            ("country", filters.countries),
            ("ownership", filters.ownerships),
        ):
            if allowed:
                candidate &= np.isin(self._org_attribute(attribute), list(allowed))
        partial = (
            weights.lexical * lexical
            + weights.taxonomy * taxonomy
            + weights.network * network
            + weights.semantic * semantic
        )
        # Maturity only where it can still lift an organisation into the top `limit`: the
        # limit-th best partial score is a floor for the limit-th best total.
        ids = np.flatnonzero(candidate)
        floor = -np.inf
        if len(ids) > limit:
            floor = float(np.partition(partial[ids], len(ids) - limit)[len(ids) - limit])
        reachable = candidate & (partial + weights.maturity >= floor - 1e-6)
        # Relevance (closeness of a document's domain to the need) only for documents of
        # organisations that can still reach the top; the top `limit` are among them.
        doc_relevance = np.zeros(len(doc_scores), dtype=np.float32)
        parts = [lex_caps[reachable[doc_org[lex_caps]]]]
        for d, (_, docs) in zip(domains, views, strict=True):
            docs = docs[reachable[doc_org[docs]]]
            levels = self._similarity[self._domain_index[d]][doc_domain[docs]]
            doc_relevance[docs] = np.maximum(doc_relevance[docs], levels)
            parts.append(docs)
        relevant = np.concatenate(parts)  # duplicates are harmless in _maturity
        maturity = self._maturity(
            relevant, doc_relevance, doc_scores, doc_org, doc_trl, need, n_orgs
        )
        total = partial + weights.maturity * maturity
        ids = np.flatnonzero(candidate)
        if len(ids) == 0:
            return replace(
                result,
                message="no organisation in the registry matches this need and these filters",
            )
        if len(ids) > limit:
            part = np.argpartition(-total[ids], limit - 1)[:limit]
            cutoff = total[ids[part]].min()
            ids = ids[total[ids] >= cutoff]
        ranked = sorted(ids, key=lambda i: (-float(total[i]), self._org_ids[i]))[:limit]
        docs_of = {self._org_ids[i]: self._org_docs(self._org_ids[i]) for i in ranked}
        doc_terms = self._terms_by_doc(docs_of, hits, len(doc_scores))
        candidates = [
            self._explain(
                int(i),
                docs_of[self._org_ids[i]],
                doc_terms,
                need,
                domains,
                hits,
                doc_scores,
                doc_relevance,
                {
                    "lexical": float(lexical[i]),
                    "taxonomy": float(taxonomy[i]),
                    "maturity": float(maturity[i]),
                    "network": float(network[i]),
                    "semantic": float(semantic[i]),
                },
                float(total[i]),
                float(semantic_raw[i]),
            )
            for i in ranked
        ]
        return replace(result, candidates=candidates, semantic_available=self._vectors is not None)

    def _semantic(
        self, text: str, n_orgs: int, doc_org: NDArray[np.int64]
    ) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """Per organisation: best cosine among the closest documents, normalised and raw."""
        raw = np.zeros(n_orgs, dtype=np.float32)
        english = english_part(text)
        if self._vectors is None or self.embedder is None or not english:
            return raw, raw
        query = self.embedder.encode([english])[0]
        docs, scores = self._vectors.top(
            query, candidates=self.SEMANTIC_CANDIDATES, alive=self._index.alive()
        )
        np.maximum.at(raw, doc_org[docs], scores)
        top = float(raw.max(initial=0))
        return (raw / top if top > 0 else raw), raw

    def _network(self, seeker_id: str | None, n_orgs: int) -> NDArray[np.float32]:
        """1 for the seeker's partners, 0.5 x shared partners / 2 (at most 0.5) for others."""
        network = np.zeros(n_orgs, dtype=np.float32)
        if not seeker_id:
            return network
        mine = self._neighbours.get(seeker_id, set())
        shared: dict[str, int] = defaultdict(int)
        for partner in mine:
            for other in self._neighbours.get(partner, ()):
                if other != seeker_id and other not in mine:
                    shared[other] += 1
        for org_id, count in shared.items():
            if org_id in self._org_index:
                network[self._org_index[org_id]] = 0.5 * min(1.0, count / 2)
        for org_id in mine:
            if org_id in self._org_index:
                network[self._org_index[org_id]] = 1.0
        return network

    def _org_attribute(self, name: str) -> NDArray[np.str_]:
        """One attribute of every organisation, by organisation number (cached)."""
        if name not in self._attributes:
            values = [getattr(self.orgs[o], name) or "" for o in self._org_ids]
            self._attributes[name] = np.asarray(values, dtype=np.str_)
        return self._attributes[name]

    def _domain_view(self, domain_id: str) -> tuple[NDArray[np.float32], NDArray[np.int32]]:
        """For one need domain: each organisation's best similarity, and the live documents
        in related domains. The same for every query, so cached until the next edit.

        Similarity has three levels, so each organisation's best is a constant scatter,
        lowest level first, instead of a grouped maximum.
        """
        cached = self._views.get(domain_id)
        if cached is not None:
            return cached
        alive = self._index.alive()
        doc_org = self._doc_org.view()
        row = self._similarity[self._domain_index[domain_id]]
        best = np.zeros(len(self._org_ids), dtype=np.float32)
        parts: list[NDArray[np.int32]] = []
        for level in (SIBLING, KIN, SAME):
            found = self._docs_in(np.flatnonzero(row == np.float32(level)), alive)
            if len(found):
                best[doc_org[found]] = level
                parts.append(found.astype(np.int32))
        related: NDArray[np.int32] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        if len(self._views) >= self.CACHE_DOMAINS:
            self._views.clear()
        self._views[domain_id] = (best, related)
        return best, related

    def _docs_in(self, domains: NDArray[np.int64], alive: NDArray[np.bool_]) -> NDArray[np.int64]:
        """Live capability documents in the given domains."""
        parts = []
        for domain in domains.tolist():
            if domain not in self._domain_arrays:
                self._domain_arrays[domain] = np.asarray(
                    self._domain_docs.get(domain, []), dtype=np.int64
                )
            parts.append(self._domain_arrays[domain])
        docs = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return docs[alive[docs]]

    @staticmethod
    def _maturity(
        docs: NDArray[np.int64],
        doc_relevance: NDArray[np.float32],
        doc_scores: NDArray[np.float32],
        doc_org: NDArray[np.int64],
        doc_trl: NDArray[np.int64],
        need: Need,
        n_orgs: int,
    ) -> NDArray[np.float32]:
        """TRL fit of each organisation's capability most relevant to the need.

        Most relevant: highest taxonomy similarity, then highest BM25 score, then best fit.
        """
        maturity = np.zeros(n_orgs, dtype=np.float32)
        if len(docs) == 0:
            return maturity
        if need.required_trl is None:
            fit = np.ones(len(docs), dtype=np.float32)
        else:
            short = np.maximum(need.required_trl - doc_trl[docs], 0)
            fit = np.maximum(0.0, 1.0 - short / 3.0).astype(np.float32)
        top = float(doc_scores[docs].max()) or 1.0
        key = doc_relevance[docs] + 1e-3 * doc_scores[docs] / top + 1e-6 * fit
        orgs = doc_org[docs]
        best = np.full(n_orgs, -1.0, dtype=np.float64)
        np.maximum.at(best, orgs, key)
        winners = key >= best[orgs]
        maturity[orgs[winners]] = fit[winners]
        return maturity

    def _org_docs(self, org_id: str) -> list[tuple[str, int]]:
        """(key, document number) of an organisation's live profile and capability documents."""
        out = []
        for key in self._org_doc_keys(org_id):
            doc = self._index.number(key)
            if doc is not None:
                out.append((key, doc))
        return out

    def _terms_by_doc(
        self,
        docs_of: dict[str, list[tuple[str, int]]],
        hits: dict[str, NDArray[np.int64]],
        n_docs: int,
    ) -> dict[int, list[str]]:
        """For the given documents, the query terms each contains."""
        wanted = np.zeros(n_docs, dtype=np.bool_)
        wanted[[doc for docs in docs_of.values() for _, doc in docs]] = True
        out: dict[int, list[str]] = defaultdict(list)
        for term, hit in hits.items():
            for doc in hit[wanted[hit]].tolist():
                out[doc].append(term)
        return out

    def _explain(
        self,
        org_number: int,
        own: list[tuple[str, int]],
        doc_terms: dict[int, list[str]],
        need: Need,
        domains: list[str],
        hits: dict[str, NDArray[np.int64]],
        doc_scores: NDArray[np.float32],
        doc_relevance: NDArray[np.float32],
        components: dict[str, float],
        total: float,
        cosine: float = 0.0,
    ) -> Candidate:
        org_id = self._org_ids[org_number]
        org = self.orgs[org_id]
        matched = sorted({term for _, doc in own for term in doc_terms.get(doc, ())})
        caps: list[dict[str, Any]] = []
        for key, doc in own:
            if not key.startswith("cap:"):
                continue
            capability = self._capabilities[key.removeprefix("cap:")]
            if doc_relevance[doc] > 0 or doc_scores[doc] > 0:
                domain = self.domains[capability.domain_id]
                caps.append(
                    {
                        "domain_id": capability.domain_id,
                        "domain_en": domain.name_en,
                        "domain_zh": domain.name_zh,
                        "trl": capability.trl,
                        "taxonomy": round(float(doc_relevance[doc]), 3),
                        "lexical": round(float(doc_scores[doc]), 3),
                        "description_en": capability.description_en,
                        "description_zh": capability.description_zh,
                        "evidence": capability.evidence,
                        "source_url": capability.source_url,
                    }
                )
        caps.sort(key=lambda c: (-c["taxonomy"], -c["lexical"], -c["trl"], c["domain_id"]))
        caps = caps[:3]
        relations: list[dict[str, Any]] = []
        reasons: list[str] = []
        for c in caps:
            kind = {SAME: "in", KIN: "next to", SIBLING: "near"}.get(c["taxonomy"], "")
            where = f" — {kind} the need's domain" if kind else ""
            reasons.append(f"{c['domain_en']} {c['domain_zh']} at TRL {c['trl']}{where}")
        if matched:
            reasons.append("matched terms: " + ", ".join(_script_split(matched)))
        if need.seeker_id:
            relations = self._ties.get(tuple(sorted((need.seeker_id, org_id))), [])  # type: ignore[arg-type]
            for tie in relations:
                year = f" ({tie['year']})" if tie["year"] else ""
                reasons.append(
                    f"already tied to the seeker: "
                    f"{tie['source_id']} {tie['type']} {tie['target_id']}{year}"
                )
            if not relations and components["network"] > 0:
                shared = sorted(self._neighbours[need.seeker_id] & self._neighbours[org_id])
                names = ", ".join(self.orgs[s].name_en for s in shared if s in self.orgs)
                reasons.append(f"shares partners with the seeker: {names}")
        if cosine > 0:
            reasons.append(f"semantic similarity {cosine:.2f} of the English descriptions")
        if need.required_trl is not None and components["maturity"] < 1:
            reasons.append(f"below the required TRL {need.required_trl}")
        return Candidate(
            organization_id=org_id,
            name_en=org.name_en,
            name_zh=org.name_zh,
            kind=org.kind,
            country=org.country,
            province=org.province,
            score=round(total, 4),
            components={k: round(v, 4) for k, v in components.items()},
            matched_terms=_script_split(matched),
            capabilities=caps,
            relations=list(relations),
            reasons=reasons,
        )

    def _org_doc_keys(self, org_id: str) -> list[str]:
        keys = [f"org:{org_id}"]
        keys.extend(f"cap:{k}" for k in sorted(self._org_capabilities.get(org_id, ())))
        return keys
