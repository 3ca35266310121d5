from __future__ import annotations

import random

import bm25s
import numpy as np
import pytest

from innochain.errors import InvalidInput
from innochain.match import (
    BM25Index,
    CapabilityRow,
    Corpus,
    DomainRow,
    Filters,
    Matcher,
    Need,
    OrgRow,
    RelationRow,
    Weights,
    tokenize,
)
from tests.factories import WIKI_BYD, WIKI_CATL, WIKI_TESLA

pytestmark = pytest.mark.unit


def small_corpus() -> Corpus:
    """Three real firms and what their public pages say they make."""
    corpus = Corpus()
    for org in (
        OrgRow(
            "catl",
            "Contemporary Amperex Technology",
            "宁德时代",
            ("CATL",),
            "supplier",
            "private",
            "CN",
            "Fujian",
        ),
        OrgRow("byd", "BYD", "比亚迪", ("BYD Company",), "automaker", "private", "CN", "Guangdong"),
        OrgRow("tesla", "Tesla", "特斯拉", (), "automaker", "foreign", "US", None),
    ):
        corpus.organizations[org.id] = org
    for domain in (
        DomainRow("battery-technology", None, "Battery technology", "电池技术"),
        DomainRow(
            "lithium-ion-cells",
            "battery-technology",
            "Lithium-ion cells",
            "锂离子电芯",
            ("cell",),
            ("电芯",),
        ),
        DomainRow(
            "sodium-ion",
            "battery-technology",
            "Sodium-ion batteries",
            "钠离子电池",
            ("sodium-ion", "Na-ion"),
            ("钠电",),
        ),
        DomainRow("vehicle-technology", None, "Vehicle engineering", "整车技术"),
        DomainRow("bev-platforms", "vehicle-technology", "Dedicated BEV platforms", "纯电专属平台"),
    ):
        corpus.domains[domain.id] = domain
    corpus.capabilities = [
        CapabilityRow(
            "catl",
            "lithium-ion-cells",
            9,
            "Makes LFP and NCM cells for EVs",
            "",
            "Qilin battery",
            WIKI_CATL,
        ),
        CapabilityRow(
            "catl",
            "sodium-ion",
            8,
            "First-generation sodium-ion cell, 160 Wh/kg",
            "钠离子电池",
            "2021 launch",
            WIKI_CATL,
        ),
        CapabilityRow(
            "byd", "lithium-ion-cells", 9, "Blade LFP cells", "刀片电池", "Blade Battery", WIKI_BYD
        ),
        CapabilityRow("byd", "bev-platforms", 9, "e-Platform 3.0", "", "", WIKI_BYD),
        CapabilityRow("tesla", "bev-platforms", 9, "Model 3 and Model Y", "", "", WIKI_TESLA),
    ]
    corpus.relations = [
        RelationRow("catl", "tesla", "supplies", 2020, "lithium-ion-cells", WIKI_CATL)
    ]
    return corpus


def test_sodium_ion_need_ranks_catl_first_with_reasons() -> None:
    result = Matcher(small_corpus()).match(Need(text="寻找钠离子电池供应商，用于两轮车和储能"))
    assert result.domain_ids == ["sodium-ion"]
    assert result.inferred_domains
    top = result.candidates[0]
    assert top.organization_id == "catl"
    assert top.components["taxonomy"] == 1.0
    assert "钠离子" in top.matched_terms or "钠离子电池" in top.matched_terms
    assert top.capabilities[0]["domain_id"] == "sodium-ion"
    assert top.reasons[0].startswith("Sodium-ion batteries 钠离子电池 at TRL 8")


def test_required_trl_lowers_maturity_of_immature_capability() -> None:
    matcher = Matcher(small_corpus())
    need = Need(domain_ids=("sodium-ion",), required_trl=9)
    catl = matcher.match(need).candidates[0]
    assert catl.organization_id == "catl"
    assert catl.components["maturity"] == pytest.approx(1 - 1 / 3, abs=1e-4)
    assert "below the required TRL 9" in catl.reasons


def test_taxonomy_gives_partial_credit_to_siblings() -> None:
    result = Matcher(small_corpus()).match(Need(domain_ids=("sodium-ion",)), limit=5)
    by_id = {c.organization_id: c for c in result.candidates}
    assert by_id["catl"].components["taxonomy"] == 1.0
    assert by_id["byd"].components["taxonomy"] == 0.3  # lithium-ion-cells is a sibling
    assert "tesla" not in by_id


def test_network_rewards_ties_with_the_seeker_and_says_so() -> None:
    result = Matcher(small_corpus()).match(Need(text="LFP cells", seeker_id="tesla"), limit=5)
    by_id = {c.organization_id: c for c in result.candidates}
    assert by_id["catl"].components["network"] == 1.0
    assert by_id["byd"].components["network"] == 0.0
    assert "already tied to the seeker: catl supplies tesla (2020)" in by_id["catl"].reasons
    assert "tesla" not in by_id  # the seeker is never its own partner


def test_filters_and_exclusions() -> None:
    matcher = Matcher(small_corpus())
    need = Need(text="LFP cells 电芯")
    assert [
        c.organization_id
        for c in matcher.match(need, filters=Filters(kinds=("automaker",))).candidates
    ] == ["byd"]
    assert "byd" not in [
        c.organization_id for c in matcher.match(need, filters=Filters(exclude=("byd",))).candidates
    ]


def test_weights_change_the_order() -> None:
    matcher = Matcher(small_corpus())
    need = Need(text="blade LFP cells", seeker_id="tesla")
    lexical_only = matcher.match(
        need, weights=Weights(lexical=1, taxonomy=0, maturity=0, network=0)
    )
    network_only = matcher.match(
        need, weights=Weights(lexical=0, taxonomy=0, maturity=0, network=1)
    )
    assert lexical_only.candidates[0].organization_id == "byd"
    assert network_only.candidates[0].organization_id == "catl"


@pytest.mark.parametrize(
    "need,message",
    [
        (Need(), "a need needs a text or at least one technology domain"),
        (Need(text="x" * 5000), "the need text has 5000 characters; at most 4000 are matched"),
        (Need(domain_ids=("warp-drive",)), "unknown technology domain(s): warp-drive"),
        (Need(text="cells", required_trl=10), "required TRL must be between 1 and 9"),
        (Need(text="cells", seeker_id="nobody"), "unknown seeker organization 'nobody'"),
    ],
)
def test_bad_needs_are_refused_clearly(need: Need, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Matcher(small_corpus()).match(need)
    assert str(caught.value) == message


def test_need_without_known_words_gets_an_empty_result_saying_why() -> None:
    result = Matcher(small_corpus()).match(Need(text="ℵℶℷ !!! ？？"))
    assert result.candidates == []
    assert result.message.startswith("the need has no word the index knows")


def test_editing_a_capability_equals_a_rebuild() -> None:
    corpus = small_corpus()
    edited = Matcher(corpus)
    new = CapabilityRow(
        "byd", "sodium-ion", 7, "Sodium-ion cells for the Seagull", "钠离子", "", WIKI_BYD
    )
    edited.upsert_capability(new)
    edited.remove_capability("catl", "lithium-ion-cells")
    corpus.capabilities = [c for c in corpus.capabilities if c.key != "catl:lithium-ion-cells"] + [
        new
    ]
    rebuilt = Matcher(corpus)
    for need in (
        Need(text="钠离子电池"),
        Need(text="LFP cells", required_trl=9),
        Need(domain_ids=("battery-technology",)),
    ):
        a = [(c.organization_id, c.score) for c in edited.match(need).candidates]
        b = [(c.organization_id, c.score) for c in rebuilt.match(need).candidates]
        assert a == b


def test_tokens_cover_both_scripts() -> None:
    assert tokenize("车规级SiC功率模块 for 800V inverters") == [
        "车规级",
        "sic",
        "功率",
        "模块",
        "800v",
        "inverter",
    ]


def test_bm25_scores_equal_bm25s_on_the_same_tokens() -> None:
    rng = random.Random(7)
    vocab = [f"t{i}" for i in range(200)]
    docs = [
        [rng.choice(vocab[: rng.randint(5, 200)]) for _ in range(rng.randint(2, 25))]
        for _ in range(2000)
    ]
    index = BM25Index()
    for i, doc in enumerate(docs):
        index.add(str(i), doc)
    ids = {t: i for i, t in enumerate(sorted({t for d in docs for t in d}))}
    reference = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    reference.index(
        bm25s.tokenization.Tokenized(ids=[[ids[t] for t in d] for d in docs], vocab=ids),
        show_progress=False,
    )
    for _ in range(50):
        query = [t for t in dict.fromkeys(rng.sample(vocab, 3)) if t in ids]
        mine, _ = index.scores(query)
        np.testing.assert_allclose(mine, reference.get_scores(query), rtol=1e-5, atol=1e-5)
