"""Speed of the match engine against bare baselines on the same synthetic corpus.

Run by hand (not in `make test`):

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/match_speed.py --sizes 100000 1000000

Each size runs in its own process (clean peak memory). The corpus is generated from the real
taxonomy vocabulary of the bundled dataset (domain names and keywords in English and
Chinese): one capability row per document, one tenth as many organisations, two random
relations per organisation. The same token lists feed innochain's BM25, bm25s (numba
backend) and tantivy (whitespace tokenizer), so the lexical rankings are comparable.

Reported per size: segmentation speed (rjieba), build times, p50/p95 query latency of the
full matcher (lexical + taxonomy + maturity + network, with explanations) and of innochain's
lexical component, cold (each query the first time: term weights and domain views not yet
cached) and warm (the same queries again, as a long-running server answers them); of bm25s
and of tantivy; top-10 agreement of innochain's lexical ranking with bm25s; peak resident
memory.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from innochain.data import BUNDLED
from innochain.match import (
    BM25Index,
    CapabilityRow,
    Corpus,
    DomainRow,
    Matcher,
    Need,
    OrgRow,
    RelationRow,
    VectorIndex,
    tokenize,
)
from innochain.match.semantic import APPROXIMATE_ABOVE

QUERIES = 200
HNSW_SIZE = 300_000  # the approximate path is measured just above its threshold


def vocabulary() -> tuple[list[dict[str, str]], list[str]]:
    domains = []
    for path in sorted((BUNDLED / "technology_domains").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            domains.extend(csv.DictReader(handle))
    words: list[str] = []
    for d in domains:
        for column in ("name_en", "name_zh", "keywords_en", "keywords_zh"):
            words.extend(w for w in d[column].replace("|", " ").split() if w)
    return domains, sorted(set(words))


def synthetic(size: int, seed: int) -> tuple[Corpus, list[Need]]:
    rng = random.Random(seed)
    domains, words = vocabulary()
    leaves = [d for d in domains if d["parent_id"]]
    corpus = Corpus()
    for d in domains:
        corpus.domains[d["id"]] = DomainRow(
            d["id"],
            d["parent_id"] or None,
            d["name_en"],
            d["name_zh"],
            tuple(filter(None, d["keywords_en"].split("|"))),
            tuple(filter(None, d["keywords_zh"].split("|"))),
        )
    n_orgs = max(10, size // 10)
    for i in range(n_orgs):
        name = " ".join(rng.sample(words, 2))
        corpus.organizations[f"o{i}"] = OrgRow(
            f"o{i}", f"{name} Co {i}", f"{name}公司{i}", (), "supplier", "private", "CN", None
        )
    seen: set[tuple[int, str]] = set()
    while len(corpus.capabilities) < size:
        org = rng.randrange(n_orgs)
        domain = rng.choice(leaves)
        if (org, domain["id"]) in seen:
            continue
        seen.add((org, domain["id"]))
        own = (domain["keywords_en"] + "|" + domain["keywords_zh"]).split("|")
        text = " ".join(
            rng.sample([w for w in own if w], k=min(3, len([w for w in own if w])))
            + rng.sample(words, 4)
        )
        corpus.capabilities.append(
            CapabilityRow(f"o{org}", domain["id"], rng.randint(3, 9), text, "", "", "")
        )
    for i in range(n_orgs):
        for _ in range(2):
            corpus.relations.append(RelationRow(f"o{i}", f"o{rng.randrange(n_orgs)}", "supplies"))
    needs = []
    for _ in range(QUERIES):
        domain = rng.choice(leaves)
        own = [
            w
            for w in (
                domain["name_en"]
                + " "
                + domain["name_zh"]
                + " "
                + domain["keywords_zh"].replace("|", " ")
            ).split()
            if w
        ]
        text = " ".join(rng.sample(own, k=min(4, len(own))) + rng.sample(words, 2))
        needs.append(
            Need(
                text=text,
                required_trl=rng.choice([None, 7, 9]),
                seeker_id=f"o{rng.randrange(n_orgs)}",
            )
        )
    return corpus, needs


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 3),
    }


def run_size(size: int, seed: int) -> dict[str, object]:
    import bm25s
    import tantivy

    out: dict[str, object] = {"size": size}
    t = time.perf_counter()
    corpus, needs = synthetic(size, seed)
    out["generate_s"] = round(time.perf_counter() - t, 2)

    texts = [c.description_en for c in corpus.capabilities]
    chars = sum(len(x) for x in texts)
    t = time.perf_counter()
    token_lists = [tokenize(x) for x in texts]
    seconds = time.perf_counter() - t
    out["segmentation_mchars_per_s"] = round(chars / seconds / 1e6, 2)

    t = time.perf_counter()
    matcher = Matcher(corpus)
    out["matcher_build_s"] = round(time.perf_counter() - t, 2)
    # cold: each query the first time (term weights and domain views not cached yet);
    # warm: the same queries again, as a long-running server answers them
    queries_run = [lambda n=n: matcher.match(n, limit=10) for n in needs]
    out["matcher_query_cold"] = percentiles([_timed(q) for q in queries_run])
    out["matcher_query"] = percentiles([_timed(q) for q in queries_run])

    # lexical component alone and the baselines, all on the same token lists
    lexical = BM25Index()
    t = time.perf_counter()
    lexical.add_many([str(i) for i in range(len(token_lists))], token_lists)
    out["lexical_build_s"] = round(time.perf_counter() - t, 2)
    queries = [list(dict.fromkeys(tokenize(n.text))) for n in needs]
    lexical_run = [lambda q=q: lexical.top(q, k=10) for q in queries]
    out["lexical_query_cold"] = percentiles([_timed(q) for q in lexical_run])
    out["lexical_query"] = percentiles([_timed(q) for q in lexical_run])

    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(tok, len(vocab)) for tok in toks] for toks in token_lists]
    t = time.perf_counter()
    reference = bm25s.BM25(method="lucene", k1=1.5, b=0.75, backend="numba")
    reference.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    out["bm25s_build_s"] = round(time.perf_counter() - t, 2)
    query_ids = [[vocab[t] for t in q if t in vocab] for q in queries]
    reference.retrieve([query_ids[0]], k=10, show_progress=False, n_threads=1)  # numba warm-up
    out["bm25s_query"] = percentiles(
        [
            _timed(lambda q=q: reference.retrieve([q], k=10, show_progress=False, n_threads=1))
            for q in query_ids
            if q
        ]
    )
    agree = 0
    for q, qi in zip(queries, query_ids, strict=True):
        if not qi:
            continue
        mine = {int(k) for k, _ in lexical.top(q, k=10)}
        docs, scores = reference.retrieve([qi], k=10, show_progress=False, n_threads=1)
        theirs = {int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0}
        # equal sets, or differing only among documents tied at the tenth score
        if mine == theirs or _tie_only(lexical, q, mine ^ theirs):
            agree += 1
    out["lexical_top10_agreement_with_bm25s"] = round(agree / sum(1 for q in query_ids if q), 4)

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace")
    builder.add_integer_field("doc", stored=True)
    index = tantivy.Index(builder.build())
    t = time.perf_counter()
    writer = index.writer(heap_size=500_000_000, num_threads=1)
    for i, toks in enumerate(token_lists):
        writer.add_document(tantivy.Document(body=" ".join(toks), doc=i))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    out["tantivy_build_s"] = round(time.perf_counter() - t, 2)
    searcher = index.searcher()
    parsed = []
    for q in queries:
        terms = [t for t in q if t in vocab]
        if terms:
            parsed.append(
                tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Should, tantivy.Query.term_query(index.schema, "body", t))
                        for t in terms
                    ]
                )
            )
    out["tantivy_query"] = percentiles([_timed(lambda p=p: searcher.search(p, 10)) for p in parsed])

    out.update(vector_speed(size, seed))
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    p95 = out["matcher_query"]["p95_ms"]  # type: ignore[index]
    out["matcher_p95_over_bm25s_p95"] = round(p95 / out["bm25s_query"]["p95_ms"], 2)  # type: ignore[index]
    return out


def vector_speed(size: int, seed: int) -> dict[str, object]:
    """Exact semantic search (VectorIndex, as the matcher uses it) against bare numpy brute
    force on the same random unit vectors of MiniLM's dimension (384)."""
    rng = np.random.default_rng(seed)
    rows = rng.standard_normal((size, 384), dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    noise = rng.standard_normal((QUERIES, 384), dtype=np.float32) * np.float32(0.3 / np.sqrt(384))
    queries = rows[rng.integers(size, size=QUERIES)] + noise  # noise of norm about 0.3
    index = VectorIndex(384)
    index.extend(rows)
    alive = np.ones(size, dtype=np.bool_)

    def bare(q: np.ndarray) -> np.ndarray:
        scores = rows @ q
        return np.argpartition(-scores, 999)[:1000]

    same = 0
    for q in queries[:20]:
        expected = {int(d) for d in bare(q) if rows[d] @ q > 0}
        same += set(index.top(q, candidates=1000, alive=alive)[0].tolist()) == expected
    ours = percentiles(
        [_timed(lambda q=q: index.top(q, candidates=1000, alive=alive)) for q in queries]
    )
    theirs = percentiles([_timed(lambda q=q: bare(q)) for q in queries])
    result: dict[str, object] = {
        "semantic_exact_query": ours,
        "numpy_bruteforce_query": theirs,
        "semantic_p95_over_bruteforce_p95": round(ours["p95_ms"] / theirs["p95_ms"], 2),
        "semantic_same_top1000_of_20": same,
    }
    if size > APPROXIMATE_ABOVE:
        result.update(hnsw_speed(min(size, HNSW_SIZE), seed))
    return result


def hnsw_speed(size: int, seed: int) -> dict[str, object]:
    """The approximate path: build time, latency and recall@10 against exact search, on unit
    vectors around 1,000 centres (random vectors have no neighbourhoods; sentence embeddings
    of a few hundred topics do)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((1000, 384), dtype=np.float32)
    rows = centres[rng.integers(1000, size=size)] + 0.6 * rng.standard_normal(
        (size, 384), dtype=np.float32
    )
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    index = VectorIndex(384)
    index.extend(rows)
    alive = np.ones(size, dtype=np.bool_)
    # queries near, not on, stored vectors (a stored vector would find itself trivially)
    noise = rng.standard_normal((QUERIES, 384), dtype=np.float32) * np.float32(0.3 / np.sqrt(384))
    queries = rows[rng.integers(size, size=QUERIES)] + noise  # noise of norm about 0.3
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    t = time.perf_counter()
    index.top(queries[0], candidates=10, alive=alive)  # builds the graph
    build = time.perf_counter() - t
    recall = 0.0
    for q in queries:
        exact = set(np.argpartition(-(rows @ q), 9)[:10].tolist())
        recall += len(exact & set(index.top(q, candidates=10, alive=alive)[0].tolist())) / 10
    return {
        "hnsw_size": size,
        "hnsw_build_s": round(build, 1),
        "hnsw_query_top10": percentiles(
            [_timed(lambda q=q: index.top(q, candidates=10, alive=alive)) for q in queries]
        ),
        "hnsw_query_top1000": percentiles(
            [_timed(lambda q=q: index.top(q, candidates=1000, alive=alive)) for q in queries]
        ),
        "hnsw_recall_at_10": round(recall / len(queries), 4),
    }


def _tie_only(index: BM25Index, query: list[str], differing: set[int]) -> bool:
    scores, _ = index.scores(query)
    top = sorted(scores, reverse=True)[:10]
    tenth = top[-1] if top else 0.0
    return all(abs(float(scores[d]) - float(tenth)) < 1e-4 for d in differing)


def _timed(call: object) -> float:
    t = time.perf_counter()
    call()  # type: ignore[operator]
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--hnsw-only", type=int, metavar="N", help="only the HNSW measurement on N vectors"
    )
    args = parser.parse_args()
    if args.hnsw_only:
        print(json.dumps(hnsw_speed(args.hnsw_only, args.seed), indent=1))
        return
    if args.one:
        np.random.seed(args.seed)
        print(json.dumps(run_size(args.one, args.seed)))
        return
    for size in args.sizes:
        done = subprocess.run(
            [sys.executable, str(Path(__file__)), "--one", str(size), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        print(json.dumps(json.loads(done.stdout.strip().splitlines()[-1]), indent=1), flush=True)


if __name__ == "__main__":
    main()
