"""From numbers to advice: a firm's growth stage, the innovation mode that fits its ability
and stage, and its innovation archetype. Rules are tables with their reasons and sources, so
that every recommendation can be checked.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ARCHETYPE_BANDS",
    "MODE_TABLE",
    "STAGES",
    "TIERS",
    "ability_tier",
    "archetype",
    "growth_stage",
    "recommend_mode",
]

STAGES = ("introduction", "growth", "maturity", "shake_out_decline")
TIERS = ("leading", "strong", "developing", "catching_up")

#: Dickinson (2011), "Cash Flow Patterns as a Proxy for Firm Life Cycle", The Accounting Review
#: 86(6): 1969–1994, Table 1: signs of (operating, investing, financing) net cash flows. Her
#: shake-out (three patterns) and decline (two) are one stage here, as in the glossary.
CASH_FLOW_STAGES: dict[tuple[str, str, str], str] = {
    ("-", "-", "+"): "introduction",
    ("+", "-", "+"): "growth",
    ("+", "-", "-"): "maturity",
    ("-", "-", "-"): "shake_out_decline",
    ("+", "+", "+"): "shake_out_decline",
    ("+", "+", "-"): "shake_out_decline",
    ("-", "+", "+"): "shake_out_decline",
    ("-", "+", "-"): "shake_out_decline",
}
#: fallback when cash flows are incomplete: revenue growth bands (year on year)
GROWTH_BANDS = {"growth": 0.15, "maturity": 0.0}
#: a firm younger than this (years since founding) with growing revenue is in introduction
YOUNG = 5


def _sign(value: float) -> str:
    return "+" if value >= 0 else "-"


def growth_stage(
    *,
    year: int,
    cash: tuple[float | None, float | None, float | None],
    revenue_growth: float | None,
    founded: int | None = None,
) -> dict[str, Any]:
    """The stage from the signs of operating, investing and financing cash flows (Dickinson
    2011); with any of them missing, from revenue growth: ≥ 15 % growth (introduction if
    founded fewer than 5 years before), 0–15 % maturity, negative shake-out/decline.

    >>> growth_stage(year=2024, cash=(120.0, -80.0, 10.0), revenue_growth=None)["stage"]
    'growth'
    """
    if all(v is not None for v in cash):
        signs = tuple(_sign(v) for v in cash if v is not None)
        stage = CASH_FLOW_STAGES[signs]  # type: ignore[index]
        return {
            "stage": stage,
            "basis": "cash_flow",
            "why": f"net cash flows operating/investing/financing {''.join(signs)} "
            f"({', '.join(f'{v:,.0f}' for v in cash if v is not None)} CNY m) is Dickinson's "
            f"{stage.replace('_', '-')} pattern",
        }
    if revenue_growth is None:
        return {"stage": None, "basis": None, "why": "no cash flows and no revenue growth"}
    young = founded is not None and year - founded < YOUNG
    if revenue_growth >= GROWTH_BANDS["growth"]:
        stage = "introduction" if young else "growth"
    elif revenue_growth >= GROWTH_BANDS["maturity"]:
        stage = "maturity"
    else:
        stage = "shake_out_decline"
    return {
        "stage": stage,
        "basis": "revenue_growth",
        "why": f"revenue growth {revenue_growth:+.1%} (cash flows incomplete)"
        + (f"; founded {founded}" if young else ""),
    }


def ability_tier(rank: int, n: int) -> str:
    """Tier from the rank among n peers: top 20 % leading, to 50 % strong, to 80 %
    developing, the rest catching up (at least the best firm is leading).

    >>> [ability_tier(r, 10) for r in (1, 3, 6, 10)]
    ['leading', 'strong', 'developing', 'catching_up']
    """
    share = rank / n
    if share <= 0.2 or rank == 1:
        return "leading"
    if share <= 0.5:
        return "strong"
    return "developing" if share <= 0.8 else "catching_up"


_MLP = (
    "State Council (2006), 国家中长期科学和技术发展规划纲要(2006—2020年): independent "
    "innovation as original innovation, integrated innovation, and re-innovation on the basis "
    "of introduction, digestion and absorption"
)
_KIM = "Kim (1997), Imitation to Innovation: The Dynamics of Korea's Technological Learning"
_CHESBROUGH = "Chesbrough (2003), Open Innovation"
_UTTERBACK = "Abernathy & Utterback (1978), Patterns of industrial innovation"
_LEE = "Lee & Lim (2001), Technological regimes, catching-up and leapfrogging, Research Policy 30"

#: (tier, stage) -> (mode, rationale, source)
MODE_TABLE: dict[tuple[str, str], tuple[str, str, str]] = {}
_ROWS = {
    "leading": {
        "introduction": (
            "original",
            "a young firm already at the frontier can set the "
            "technology; its risk is focus, not ability",
            _MLP,
        ),
        "growth": (
            "original",
            "frontier ability and growing cash: lead with original "
            "technology before rivals catch up",
            _MLP,
        ),
        "maturity": (
            "collaborative_open",
            "a mature leader renews its base through partners "
            "and outside ideas rather than only in-house research",
            _CHESBROUGH,
        ),
        "shake_out_decline": (
            "integrated",
            "with shrinking cash, combine proven technologies "
            "into new systems rather than fund new science",
            _MLP,
        ),
    },
    "strong": {
        "introduction": (
            "integrated",
            "enough ability to integrate existing technologies "
            "into new products; too early for basic research",
            _MLP,
        ),
        "growth": (
            "integrated",
            "integrate and systematise while scaling up; catch-up by system integration",
            _LEE,
        ),
        "maturity": (
            "collaborative_open",
            "partner with universities and suppliers to move to the frontier",
            _CHESBROUGH,
        ),
        "shake_out_decline": (
            "collaborative_open",
            "share the cost and risk of renewal in consortia",
            _CHESBROUGH,
        ),
    },
    "developing": {
        "introduction": (
            "re_innovation",
            "learn by introducing, digesting and absorbing technology, then improve on it",
            _MLP,
        ),
        "growth": (
            "re_innovation",
            "absorb licensed or acquired technology and re-innovate it for the market",
            _MLP,
        ),
        "maturity": (
            "integrated",
            "product innovation slows as the industry matures; gains "
            "come from integrating and improving processes",
            _UTTERBACK,
        ),
        "shake_out_decline": (
            "collaborative_open",
            "join consortia led by chain leaders to share risk",
            _CHESBROUGH,
        ),
    },
    "catching_up": {
        "introduction": (
            "imitation",
            "build basic capabilities by duplicative imitation first",
            _KIM,
        ),
        "growth": (
            "imitation",
            "creative imitation while scaling: learn production and engineering before design",
            _KIM,
        ),
        "maturity": (
            "re_innovation",
            "absorb and adapt proven technology to stay competitive",
            _MLP,
        ),
        "shake_out_decline": (
            "collaborative_open",
            "too weak to renew alone: join a consortium or a chain leader's network",
            _CHESBROUGH,
        ),
    },
}
for _tier, _stages in _ROWS.items():
    for _stage, _cell in _stages.items():
        MODE_TABLE[(_tier, _stage)] = _cell

MODE_NAMES = {
    "imitation": ("imitation", "模仿创新"),
    "re_innovation": ("introduction-digestion-absorption-re-innovation", "引进消化吸收再创新"),
    "integrated": ("integrated innovation", "集成创新"),
    "collaborative_open": ("collaborative / open innovation", "协同/开放创新"),
    "original": ("original innovation", "原始创新"),
}


def recommend_mode(tier: str, stage: str | None) -> dict[str, Any]:
    """The mode for (ability tier, growth stage) from `MODE_TABLE`, with its rationale."""
    if stage is None:
        return {"mode": None, "why": "the growth stage is unknown", "source": ""}
    mode, why, source = MODE_TABLE[(tier, stage)]
    en, zh = MODE_NAMES[mode]
    return {"mode": mode, "name_en": en, "name_zh": zh, "why": why, "source": source}


#: McKinsey Global Institute (2015), The China Effect on Global Innovation: four innovation
#: archetypes. Bands on R&D intensity (share of revenue); marketing intensity (selling
#: expense share) is used when the data has it.
ARCHETYPE_BANDS = {"science": 0.08, "engineering": 0.03, "marketing": 0.05}


def archetype(
    rd_intensity: float | None, marketing_intensity: float | None = None
) -> dict[str, Any]:
    """science-based (R&D ≥ 8 % of revenue), engineering-based (3–8 %), customer-focused
    (R&D < 3 % and marketing ≥ 5 %), efficiency-driven (both low).

    >>> archetype(0.05)["archetype"]
    'engineering_based'
    """
    if rd_intensity is None:
        return {"archetype": None, "why": "no R&D intensity"}
    bands = ARCHETYPE_BANDS
    if rd_intensity >= bands["science"]:
        name = "science_based"
    elif rd_intensity >= bands["engineering"]:
        name = "engineering_based"
    elif marketing_intensity is not None and marketing_intensity >= bands["marketing"]:
        name = "customer_focused"
    else:
        name = "efficiency_driven"
    why = f"R&D intensity {rd_intensity:.1%}"
    if marketing_intensity is None and name == "efficiency_driven":
        why += " (no marketing intensity in the data: customer-focused cannot be told apart)"
    return {
        "archetype": name,
        "why": why,
        "source": "McKinsey Global Institute (2015), The China Effect on Global Innovation",
    }
