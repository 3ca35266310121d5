"""Quality of partner matching on real, sourced collaborations, with ablations.

Run by hand (not in `make test`):

    .venv/bin/python benchmarks/match_quality.py            # report with the default weights
    .venv/bin/python benchmarks/match_quality.py --fit      # also grid-search weights on `fit`

The labelled set is `benchmarks/data/match_needs.csv` (see `match_needs.md`): needs written
from the seeker's side of a real relation in the bundled dataset, with the organisations that
actually delivered as answers. Held out: every relation the set is made from is removed from
the matcher's graph, so the network component cannot read the answer off the tie it is
asked to predict. Each need is asked in English and in Chinese, as text only (domains are
inferred, as a user would type it), with its seeker and required TRL.

Reports recall@5, recall@10, MRR and nDCG@10 on the `fit` and `test` splits for each
component alone, the combination without each component, and the combination; weights are
fitted on `fit` only and judged on `test`.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

from innochain.data import load_bundled
from innochain.match import DEFAULT_WEIGHTS, Matcher, Need, Weights, load_corpus, load_embedder
from innochain.store import make_engine, upgrade
from innochain.store.db import make_sessionmaker, session_scope

CASES = Path(__file__).parent / "data" / "match_needs.csv"
COMPONENTS = ("lexical", "taxonomy", "maturity", "network", "semantic")


@dataclass(frozen=True)
class Case:
    id: str
    split: str
    need_en: Need
    need_zh: Need
    answers: frozenset[str]


def load_cases() -> tuple[list[Case], set[str]]:
    cases, held_out = [], set()
    with CASES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            trl = int(row["required_trl"]) if row["required_trl"] else None
            common = {"required_trl": trl, "seeker_id": row["seeker_id"]}
            cases.append(
                Case(
                    row["id"],
                    row["split"],
                    Need(text=row["text_en"], **common),
                    Need(text=row["text_zh"], **common),
                    frozenset(row["answer_ids"].split("|")),
                )
            )
            held_out.update(row["relation_keys"].split("|"))
    return cases, held_out


def build_matcher(held_out: set[str], *, semantic: bool = False) -> Matcher:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'quality.sqlite3'}")
        upgrade(engine)
        with session_scope(make_sessionmaker(engine)) as session:
            load_bundled(session)
        with make_sessionmaker(engine)() as session:
            corpus = load_corpus(session)
        engine.dispose()
    key = lambda r: f"{r.source_id}:{r.type}:{r.target_id}:{r.domain_id or ''}"  # noqa: E731
    before = len(corpus.relations)
    corpus.relations = [r for r in corpus.relations if key(r) not in held_out]
    print(f"held out {before - len(corpus.relations)} of {before} relations (the labelled ties)")
    embedder = load_embedder() if semantic else None
    if semantic and embedder is None:
        raise SystemExit("--semantic needs the semantic extra: pip install -e '.[semantic]'")
    return Matcher(corpus, embedder=embedder)


def metrics(ranked: list[list[str]], answers: list[frozenset[str]]) -> dict[str, float]:
    r5 = r10 = mrr = ndcg = 0.0
    for ids, gold in zip(ranked, answers, strict=True):
        hits = [i for i, org in enumerate(ids[:10]) if org in gold]
        r5 += len([h for h in hits if h < 5]) / len(gold)
        r10 += len(hits) / len(gold)
        first = next((i for i, org in enumerate(ids) if org in gold), None)
        mrr += 0 if first is None else 1 / (first + 1)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(gold), 10)))
        ndcg += sum(1 / math.log2(h + 2) for h in hits) / ideal
    n = len(ranked)
    return {"recall@5": r5 / n, "recall@10": r10 / n, "MRR": mrr / n, "nDCG@10": ndcg / n}


def evaluate(matcher: Matcher, cases: list[Case], weights: Weights) -> dict[str, float]:
    ranked, gold = [], []
    for case in cases:
        for need in (case.need_en, case.need_zh):
            result = matcher.match(need, limit=50, weights=weights)
            ranked.append([c.organization_id for c in result.candidates])
            gold.append(case.answers)
    return metrics(ranked, gold)


def table(rows: list[tuple[str, dict[str, float], dict[str, float]]]) -> str:
    head = (
        "| weights | fit R@5 | fit R@10 | fit MRR | fit nDCG@10 "
        "| test R@5 | test R@10 | test MRR | test nDCG@10 |"
    )
    lines = [head, "|" + " --- |" * 9]
    for name, fit, test in rows:
        cells = [f"{fit[k]:.3f}" for k in ("recall@5", "recall@10", "MRR", "nDCG@10")]
        cells += [f"{test[k]:.3f}" for k in ("recall@5", "recall@10", "MRR", "nDCG@10")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fit_weights(
    matcher: Matcher, cases: list[Case], components: tuple[str, ...], step: float
) -> Weights:
    """Grid search over the simplex of `components`, maximising MRR on the fit split.

    Each query's candidates (the best 200 under equal weights) and their components are
    computed once; each weight vector then only re-ranks them.
    """
    equal = Weights(**{c: (1.0 if c in components else 0.0) for c in COMPONENTS})
    cached = []
    for case in cases:
        for need in (case.need_en, case.need_zh):
            result = matcher.match(need, limit=200, weights=equal)
            cached.append(
                ([(c.organization_id, c.components) for c in result.candidates], case.answers)
            )
    best, best_score = DEFAULT_WEIGHTS, -1.0
    n = round(1 / step)
    for head in itertools.product(range(n + 1), repeat=len(components) - 1):
        if sum(head) > n:
            continue
        values = [h / n for h in head] + [(n - sum(head)) / n]
        w = dict(zip(components, values, strict=True))
        ranked = [
            [
                org
                for org, comp in sorted(
                    cands, key=lambda x: (-sum(w[k] * x[1][k] for k in w), x[0])
                )
            ]
            for cands, _ in cached
        ]
        score = metrics(ranked, [gold for _, gold in cached])["MRR"]
        if score > best_score + 1e-9:
            best = Weights(**{c: w.get(c, 0.0) for c in COMPONENTS})
            best_score = score
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fit", action="store_true", help="grid-search weights on the fit split")
    parser.add_argument("--semantic", action="store_true", help="add the semantic component")
    args = parser.parse_args()
    cases, held_out = load_cases()
    fit = [c for c in cases if c.split == "fit"]
    test = [c for c in cases if c.split == "test"]
    print(
        f"{len(cases)} needs ({len(fit)} fit, {len(test)} test), each asked in English and Chinese"
    )
    matcher = build_matcher(held_out, semantic=args.semantic)
    shown = COMPONENTS if args.semantic else COMPONENTS[:-1]
    rows = []
    for name in shown:
        alone = Weights(**{c: float(c == name) for c in COMPONENTS})
        rows.append(
            (f"{name} alone", evaluate(matcher, fit, alone), evaluate(matcher, test, alone))
        )
    for name in shown[:4]:
        without = Weights(
            **{c: (0.0 if c == name else getattr(DEFAULT_WEIGHTS, c)) for c in COMPONENTS}
        )
        rows.append(
            (
                f"default without {name}",
                evaluate(matcher, fit, without),
                evaluate(matcher, test, without),
            )
        )
    rows.append(
        (
            f"default {DEFAULT_WEIGHTS.as_dict()}",
            evaluate(matcher, fit, DEFAULT_WEIGHTS),
            evaluate(matcher, test, DEFAULT_WEIGHTS),
        )
    )
    if args.fit:
        fitted = fit_weights(matcher, fit, COMPONENTS[:4], 0.05)
        rows.append(
            (
                f"fitted on fit {fitted.as_dict()}",
                evaluate(matcher, fit, fitted),
                evaluate(matcher, test, fitted),
            )
        )
    if args.fit and args.semantic:
        fitted = fit_weights(matcher, fit, COMPONENTS, 0.1)
        rows.append(
            (
                f"fitted with semantic {fitted.as_dict()}",
                evaluate(matcher, fit, fitted),
                evaluate(matcher, test, fitted),
            )
        )
    print(table(rows))


if __name__ == "__main__":
    main()
