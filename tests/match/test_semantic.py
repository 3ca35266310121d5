"""The semantic component: exact vector search, and the packaged MiniLM model end to end.

The model tests need the `semantic` extra, which `make test` installs; set
INNOCHAIN_TEST_SKIP_SEMANTIC=1 to run without it on a laptop (CI never sets it).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from innochain.match import CapabilityRow, Matcher, Need, Weights
from innochain.match.semantic import Embedder, VectorIndex, load_embedder
from tests.factories import WIKI_BYD
from tests.match.test_matcher import small_corpus

pytestmark = pytest.mark.unit


def require_extra(module: str) -> None:
    """Skip only where INNOCHAIN_TEST_SKIP_SEMANTIC=1; otherwise a missing extra fails."""
    if os.environ.get("INNOCHAIN_TEST_SKIP_SEMANTIC") == "1":
        pytest.importorskip(module)
    else:
        __import__(module)


def test_vector_index_top_equals_brute_force() -> None:
    rng = np.random.default_rng(3)
    rows = rng.normal(size=(5000, 32)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    index = VectorIndex(32)
    index.extend(rows[:4000])
    for doc in range(4000, 5000):  # the incremental path
        index.set(doc, rows[doc])
    alive = np.ones(5000, dtype=bool)
    alive[::7] = False
    for _ in range(20):
        query = rows[rng.integers(5000)] + 0.1 * rng.normal(size=32).astype(np.float32)
        docs, scores = index.top(query, candidates=50, alive=alive)
        brute = rows @ query
        brute[~alive] = 0
        expected = set(np.argsort(-brute)[:50][brute[np.argsort(-brute)[:50]] > 0].tolist())
        assert set(docs.tolist()) == expected
        np.testing.assert_allclose(scores, brute[docs], rtol=1e-5)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    found = load_embedder()
    if found is None:
        if os.environ.get("INNOCHAIN_TEST_SKIP_SEMANTIC") == "1":
            pytest.skip("INNOCHAIN_TEST_SKIP_SEMANTIC=1")
        pytest.fail("the semantic extra is not installed: pip install -e '.[semantic]'")
    return found


SEMANTIC_ONLY = Weights(lexical=0, taxonomy=0, maturity=0, network=0, semantic=1)


def test_model_embeds_normalised_384_vectors(embedder: Embedder) -> None:
    vectors = embedder.encode(["sodium-ion battery cells", "silicon carbide inverter"])
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    near = embedder.encode(["Na-ion cells for scooters"])[0]
    assert float(vectors[0] @ near) > float(vectors[1] @ near)


def test_semantic_ranks_by_meaning_and_says_so(embedder: Embedder) -> None:
    matcher = Matcher(small_corpus(), embedder=embedder)
    need = Need(text="battery chemistry based on sodium instead of lithium")
    result = matcher.match(need, weights=SEMANTIC_ONLY)
    assert result.semantic_available
    top = result.candidates[0]
    assert top.organization_id == "catl"  # the only sodium-ion maker
    assert top.components["semantic"] == 1.0
    assert any(r.startswith("semantic similarity") for r in top.reasons)
    cars = matcher.match(Need(text="electric sedan and SUV platform"), weights=SEMANTIC_ONLY)
    assert cars.candidates[0].organization_id == "tesla"  # Model 3 and Model Y


def test_chinese_only_need_gets_no_semantic_score(embedder: Embedder) -> None:
    matcher = Matcher(small_corpus(), embedder=embedder)
    result = matcher.match(Need(text="钠离子电池"))
    assert result.candidates
    assert all(c.components["semantic"] == 0 for c in result.candidates)


def test_semantic_edit_equals_rebuild(embedder: Embedder) -> None:
    corpus = small_corpus()
    edited = Matcher(corpus, embedder=embedder)
    new = CapabilityRow(
        "byd", "sodium-ion", 7, "Sodium-ion cells for small city cars", "", "", WIKI_BYD
    )
    edited.upsert_capability(new)
    corpus.capabilities = [*corpus.capabilities, new]
    rebuilt = Matcher(corpus, embedder=embedder)
    need = Need(text="sodium-ion cells for a small car")
    a = [
        (c.organization_id, c.components["semantic"])
        for c in edited.match(need, weights=SEMANTIC_ONLY).candidates
    ]
    b = [
        (c.organization_id, c.components["semantic"])
        for c in rebuilt.match(need, weights=SEMANTIC_ONLY).candidates
    ]
    assert [x[0] for x in a] == [x[0] for x in b]
    np.testing.assert_allclose([x[1] for x in a], [x[1] for x in b], rtol=1e-5)


def clustered(n: int, seed: int) -> np.ndarray:
    """Unit vectors around 50 centres, shaped like sentence embeddings of a few topics."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, 64), dtype=np.float32)
    rows = centres[rng.integers(50, size=n)] + 0.6 * rng.standard_normal((n, 64), dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_hnsw_above_the_threshold_recalls_the_exact_top_ten() -> None:
    require_extra("usearch")
    rows = clustered(6000, 5)
    approximate = VectorIndex(64, approximate_above=1000)
    approximate.extend(rows)
    assert approximate.approximate
    alive = np.ones(6000, dtype=bool)
    rng = np.random.default_rng(9)
    recall = 0.0
    for doc in rng.integers(6000, size=50):
        query = rows[doc] + rng.standard_normal(64, dtype=np.float32) * np.float32(0.3 / 8)
        exact = set(np.argsort(-(rows @ query))[:10].tolist())
        docs, _ = approximate.top(query, candidates=10, alive=alive)
        recall += len(exact & set(docs.tolist())) / 10
    assert recall / 50 >= 0.95


def test_hnsw_follows_edits() -> None:
    require_extra("usearch")
    rows = clustered(3000, 6)
    index = VectorIndex(64, approximate_above=1000)
    index.extend(rows)
    alive = np.ones(4000, dtype=bool)
    query = rows[42]
    assert 42 in index.top(query, candidates=5, alive=alive)[0].tolist()
    index.discard(42)  # removed: never returned again
    assert 42 not in index.top(query, candidates=5, alive=alive)[0].tolist()
    index.set(3000, rows[42])  # the same text under a new document number
    assert 3000 in index.top(query, candidates=5, alive=alive)[0].tolist()
