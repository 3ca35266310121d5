"""Regional clusters (产业集群): how complete each region's chain is, how related each missing
node is to what the region already makes, and whom to attract (招商引资) to fill it.

The "products" are the leaf chain nodes, the "locations" are provinces (or cities), and the
value is the number of firms: industrial-side organisations (`INDUSTRIAL_KINDS`), domestic,
with the region set, active in the node. A firm listed only on a broad (parent) node and on
none of its leaves is not counted: the registry does not say which of the parent's nodes it
makes, and spreading it over all of them would claim e.g. that a car maker builds trucks. The
profile lists such firms under `unplaced`.

Economic-complexity definitions (Balassa 1965; Hidalgo et al., Science 317, 2007), on the
matrix X of regions r × nodes p:

- location quotient (RCA)  LQ_rp = (X_rp / X_r·) / (X_·p / X_··)
- presence                 M_rp  = 1 if LQ_rp >= 1 else 0
- proximity                φ_pq  = Σ_r M_rp M_rq / max(k_p, k_q),  k_p = Σ_r M_rp
                                   (the smaller of the two conditional probabilities)
- density                  ω_rp  = Σ_q M_rq φ_pq / Σ_q φ_pq

Chain completeness of a region is the share of nodes with at least one local firm, over the
nodes some firm in China (with a known region at that level) makes: a node nobody in China
makes is a national gap, not the region's, and is listed under `absent_nationally`.

Investment-attraction suggestions for a missing node p: industrial firms outside the region
(elsewhere in China or abroad) active in p, ranked by

    score = 0.4 capability + 0.3 relatedness + 0.3 t / (t + 1)

with capability = the firm's best TRL in p / 9 (0.5 when no TRL is recorded), relatedness =
the mean density of the region at the firm's other nodes (its density at p if it has none),
t = the number of ties between the firm and the region's firms. Each component is in [0, 1];
the weights are a judgement, not an estimate. With few firms per node the densities are
coarse: a node made in one province only is "close" to whatever that province also makes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from innochain.chain.model import INDUSTRIAL_KINDS, INNOVATION_KINDS, Chain, Org, Tie
from innochain.domain.regions import PROVINCES
from innochain.errors import InvalidInput, NotFound

__all__ = [
    "LEVELS",
    "UNRECORDED_CAPABILITY",
    "WEIGHTS",
    "Relatedness",
    "density",
    "location_quotients",
    "proximity",
    "region_matrix",
    "region_profile",
    "regions_overview",
    "relatedness",
]

LEVELS = ("province", "city")
#: weights of the investment-attraction score; each component is in [0, 1]
WEIGHTS = {"capability": 0.4, "relatedness": 0.3, "ties": 0.3}
#: capability of a firm active in a node without a recorded TRL (about TRL 4.5: below any
#: recorded pilot or production maturity, above nothing)
UNRECORDED_CAPABILITY = 0.5
#: what may follow a province's Chinese name
_ZH_SUFFIXES = ("", "省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区")


# -- the economic-complexity arithmetic ---------------------------------------------------


def location_quotients(x: np.ndarray) -> np.ndarray:
    """LQ_rp = (X_rp / X_r·) / (X_·p / X_··); 0 where a row or column total is 0.

    >>> location_quotients(np.array([[2, 0], [1, 1]])).round(3).tolist()
    [[1.333, 0.0], [0.667, 2.0]]
    """
    x = np.asarray(x, dtype=float)
    rows = x.sum(axis=1, keepdims=True)
    cols = x.sum(axis=0, keepdims=True)
    expected = rows * cols / x.sum() if x.sum() else np.zeros_like(x)
    lq: np.ndarray = np.divide(x, expected, out=np.zeros_like(x), where=expected > 0)
    return lq


def proximity(m: np.ndarray) -> np.ndarray:
    """φ_pq = Σ_r M_rp M_rq / max(k_p, k_q): the minimum of P(q | p) and P(p | q); 0 for a
    node no region has.

    >>> proximity(np.array([[1, 1], [1, 0]])).tolist()
    [[1.0, 0.5], [0.5, 1.0]]
    """
    m = np.asarray(m, dtype=float)
    both = m.T @ m
    ubiquity = m.sum(axis=0)
    larger = np.maximum(ubiquity[:, None], ubiquity[None, :])
    phi: np.ndarray = np.divide(both, larger, out=np.zeros_like(both), where=larger > 0)
    return phi


def density(m: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """ω_rp = Σ_q M_rq φ_pq / Σ_q φ_pq: how much of what is close to p the region has.

    >>> density(np.array([[1, 0]]), np.array([[1.0, 0.5], [0.5, 1.0]])).round(3).tolist()
    [[0.667, 0.333]]
    """
    m = np.asarray(m, dtype=float)
    phi = np.asarray(phi, dtype=float)
    total = phi.sum(axis=1)
    numerator = m @ phi.T
    omega: np.ndarray = np.divide(
        numerator, total[None, :], out=np.zeros_like(numerator), where=total > 0
    )
    return omega


# -- who is where ------------------------------------------------------------------------------


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise InvalidInput.at("level", f"must be one of {', '.join(LEVELS)}, not {level!r}")
    return level


def _place(org: Org, level: str) -> str | None:
    """The org's region at the level; None for foreign organisations and unknown places."""
    if not org.domestic:
        return None
    return org.province if level == "province" else org.city


def _located(chain: Chain, level: str, kinds: frozenset[str]) -> dict[str, list[str]]:
    """Region -> sorted ids of the organisations of these kinds located there."""
    out: dict[str, list[str]] = defaultdict(list)
    for org in sorted(chain.orgs.values(), key=lambda o: o.id):
        place = _place(org, level)
        if place and org.kind in kinds:
            out[place].append(org.id)
    return out


def _org_leaves(chain: Chain) -> dict[str, set[str]]:
    """Organisation -> the leaf nodes it is active in (registry or capability)."""
    out: dict[str, set[str]] = defaultdict(set)
    for leaf in chain.leaves:
        for org in chain.members.get(leaf, set()):
            out[org].add(leaf)
    return out


def _zh(region: str, level: str) -> str:
    return PROVINCES[region][0] if level == "province" and region in PROVINCES else ""


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _resolve(chain: Chain, region: str, level: str) -> str:
    """The canonical name of a region given in English, Chinese or as an ISO code, any case."""
    text = region.strip() if isinstance(region, str) else ""
    if not text:
        raise InvalidInput.at("region", "is empty: give a province or city name")
    names = {p for o in chain.orgs.values() if (p := _place(o, level))}
    if level == "province":
        names |= set(PROVINCES)
    aliases: dict[str, str] = {}
    for name in sorted(names):
        aliases[_key(name)] = name
        if level == "province" and name in PROVINCES:
            zh, iso = PROVINCES[name]
            aliases[_key(iso)] = name
            for suffix in _ZH_SUFFIXES:
                aliases[zh + suffix] = name
    key = _key(text)
    for suffix in ("province", "city", "shi", "sheng"):
        if key not in aliases and key.endswith(suffix) and key[: -len(suffix)] in aliases:
            key = key[: -len(suffix)]
    found = aliases.get(key) or aliases.get(text)
    if found is None:
        with_firms = sorted(_located(chain, level, INDUSTRIAL_KINDS))
        how = (
            "give a province's English or Chinese name (e.g. 'Sichuan' or '四川')"
            if level == "province"
            else "give a city's English name as the registry spells it (e.g. 'Shenzhen')"
        )
        raise NotFound(
            f"no {level} named {region!r}: {how}; the regions overview lists every {level} "
            f"with firms ({len(with_firms)}): {', '.join(with_firms)}"
        )
    return found


# -- the matrix and its relatedness -------------------------------------------------------


def region_matrix(
    chain: Chain, *, level: str = "province"
) -> tuple[list[str], list[str], np.ndarray]:
    """(regions, leaf nodes, X) with X[r, p] the number of firms in region r active in leaf p.

    Rows are the regions with at least one counted firm, columns the leaves at least one of
    them makes (so every row and column total is positive), both sorted by id.
    """
    level = _check_level(level)
    leaves_of = _org_leaves(chain)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for region, firms in _located(chain, level, INDUSTRIAL_KINDS).items():
        for firm in firms:
            for leaf in leaves_of.get(firm, ()):
                counts[(region, leaf)] += 1
    regions = sorted({r for r, _ in counts})
    nodes = sorted({p for _, p in counts})
    x = np.zeros((len(regions), len(nodes)))
    row = {r: i for i, r in enumerate(regions)}
    col = {p: j for j, p in enumerate(nodes)}
    for (region, leaf), n in counts.items():
        x[row[region], col[leaf]] = n
    return regions, nodes, x


@dataclass(frozen=True, eq=False)
class Relatedness:
    """The matrices of the module docstring, rows `regions`, columns `nodes`."""

    level: str
    regions: list[str]
    nodes: list[str]
    counts: np.ndarray
    lq: np.ndarray
    m: np.ndarray
    proximity: np.ndarray
    density: np.ndarray

    def region_row(self, region: str) -> dict[str, np.ndarray]:
        """counts, lq, m and density of one region; zeros for a region with no counted firm
        (its density is then 0 everywhere, since it has no node)."""
        if region in self.regions:
            i = self.regions.index(region)
            return {k: getattr(self, k)[i] for k in ("counts", "lq", "m", "density")}
        zero = np.zeros(len(self.nodes))
        return {"counts": zero, "lq": zero, "m": zero, "density": zero}

    def as_dict(self) -> dict[str, Any]:
        """JSON-able: the labels and every matrix as nested lists."""
        return {
            "level": self.level,
            "regions": list(self.regions),
            "nodes": list(self.nodes),
            "counts": self.counts.astype(int).tolist(),
            "lq": self.lq.tolist(),
            "m": self.m.astype(int).tolist(),
            "proximity": self.proximity.tolist(),
            "density": self.density.tolist(),
        }


def relatedness(chain: Chain, *, level: str = "province") -> Relatedness:
    """Location quotients, presence, proximity and density of `region_matrix`."""
    regions, nodes, x = region_matrix(chain, level=level)
    lq = location_quotients(x)
    m = (lq >= 1).astype(float)
    phi = proximity(m)
    return Relatedness(level, regions, nodes, x, lq, m, phi, density(m, phi))


# -- profiles and suggestions --------------------------------------------------------------


def _completeness(covered: int, total: int) -> dict[str, Any]:
    return {
        "covered": covered,
        "total": total,
        "share": round(covered / total, 4) if total else 0.0,
    }


def _where(org: Org) -> str:
    if not org.domestic:
        return f"abroad ({org.country})"
    place = ", ".join(dict.fromkeys(p for p in (org.city, org.province) if p))
    return f"based in {place or 'China (place unknown)'}"


def _suggest(
    chain: Chain,
    node: str,
    *,
    region: str,
    level: str,
    region_density: dict[str, float],
    ties_with: dict[str, list[Tie]],
    leaves_of: dict[str, set[str]],
    limit: int,
) -> tuple[int, list[dict[str, Any]]]:
    """(number of candidates, the best `limit` of them) for a node the region lacks.

    score = 0.4 capability + 0.3 relatedness + 0.3 ties, with
    capability = best TRL in the node / 9 (UNRECORDED_CAPABILITY without a recorded TRL),
    relatedness = mean density of the region at the candidate's other leaf nodes (at this
    node when it has no other), ties = t / (t + 1) for t ties with the region's firms.
    """
    label = chain.nodes[node].name_en
    out: list[dict[str, Any]] = []
    for org_id in sorted(chain.members.get(node, set())):
        org = chain.orgs.get(org_id)
        if org is None or org.kind not in INDUSTRIAL_KINDS or _place(org, level) == region:
            continue
        trl = chain.best_trl.get((org_id, node))
        capability = trl / 9 if trl else UNRECORDED_CAPABILITY
        others = sorted(
            q for q in leaves_of.get(org_id, set()) if q != node and q in region_density
        )
        related = (
            float(np.mean([region_density[q] for q in others]))
            if others
            else region_density.get(node, 0.0)
        )
        ties = ties_with.get(org_id, [])
        score = (
            WEIGHTS["capability"] * capability
            + WEIGHTS["relatedness"] * related
            + WEIGHTS["ties"] * len(ties) / (len(ties) + 1)
        )
        why = [
            f"best TRL {trl} in {label}"
            if trl
            else f"active in {label}, no TRL recorded (capability {UNRECORDED_CAPABILITY})",
            f"relatedness {related:.3f}: mean density of {region} at its {len(others)} other "
            f"node(s) ({', '.join(others[:5])}{', …' if len(others) > 5 else ''})"
            if others
            else f"relatedness {related:.3f}: density of {region} at {label} (no other node)",
            f"{len(ties)} tie(s) with {region} firms"
            + (
                ": "
                + "; ".join(
                    f"{t.type} {t.source}→{t.target} ({t.year or 'n.d.'})" for t in ties[:3]
                )
                if ties
                else ""
            ),
            _where(org),
        ]
        out.append(
            {
                "org": org_id,
                "name_en": org.name_en,
                "name_zh": org.name_zh,
                "kind": org.kind,
                "country": org.country,
                "province": org.province,
                "city": org.city,
                "score": round(score, 4),
                "capability": round(capability, 4),
                "trl": trl,
                "relatedness": round(related, 4),
                "ties": len(ties),
                "why": why,
            }
        )
    out.sort(key=lambda s: (-s["score"], -s["ties"], -s["capability"], s["org"]))
    return len(out), out[:limit]


def region_profile(
    chain: Chain, region: str, *, level: str = "province", suggestions: int = 5
) -> dict[str, Any]:
    """One region's cluster: its firms and research actors, completeness, LQ and density per
    node, and the missing nodes (most related first) with investment-attraction suggestions:
    industrial firms elsewhere in China or abroad active in the node, ranked by the score of
    `_suggest` (capability, relatedness, ties with the region's firms).

    Raises NotFound for an unknown region, InvalidInput (field `region`) for a region without
    firms.
    """
    level = _check_level(level)
    if isinstance(suggestions, bool) or not isinstance(suggestions, int) or suggestions < 0:
        raise InvalidInput.at("suggestions", f"must be a whole number >= 0, not {suggestions!r}")
    name = _resolve(chain, region, level)
    firms = _located(chain, level, INDUSTRIAL_KINDS).get(name, [])
    research = _located(chain, level, INNOVATION_KINDS).get(name, [])
    label = f"{name} ({_zh(name, level)})" if _zh(name, level) else name
    if not firms:
        raise InvalidInput.at(
            "region",
            f"{label} has no industrial firms in the registry ({len(research)} research "
            f"actor(s)), so it has no cluster to profile; choose a {level} with firms",
        )
    rel = relatedness(chain, level=level)
    row = rel.region_row(name)
    region_density = dict(zip(rel.nodes, row["density"].tolist(), strict=True))
    leaves_of = _org_leaves(chain)
    firm_set = set(firms)
    ties_with: dict[str, list[Tie]] = defaultdict(list)
    for tie in chain.ties:
        if (tie.source in firm_set) != (tie.target in firm_set):
            ties_with[tie.target if tie.source in firm_set else tie.source].append(tie)

    nodes: list[dict[str, Any]] = []
    for j, node_id in enumerate(rel.nodes):
        node = chain.nodes[node_id]
        nodes.append(
            {
                "node": node_id,
                "name_en": node.name_en,
                "name_zh": node.name_zh,
                "stage": node.stage,
                "local": int(row["counts"][j]),
                "lq": round(float(row["lq"][j]), 4),
                "density": round(float(row["density"][j]), 4),
                "present": bool(row["counts"][j] > 0),
            }
        )
    missing: list[dict[str, Any]] = []
    for entry in sorted(
        (n for n in nodes if not n["present"]), key=lambda n: (-n["density"], n["node"])
    ):
        count, best = _suggest(
            chain,
            entry["node"],
            region=name,
            level=level,
            region_density=region_density,
            ties_with=ties_with,
            leaves_of=leaves_of,
            limit=suggestions,
        )
        missing.append(
            {
                **{k: entry[k] for k in ("node", "name_en", "name_zh", "stage", "density")},
                "candidates": count,
                "suggestions": best,
            }
        )
    leaves = set(chain.leaves)
    unplaced = [
        {"org": f, "nodes": sorted(chain.orgs[f].nodes)}
        for f in firms
        if not leaves_of.get(f) and chain.orgs[f].nodes
    ]
    covered = sum(1 for n in nodes if n["present"])
    return {
        "region": name,
        "region_zh": _zh(name, level),
        "level": level,
        "firms": {"count": len(firms), "ids": firms},
        "research": {"count": len(research), "ids": research},
        "completeness": _completeness(covered, len(nodes)),
        "nodes": nodes,
        "missing": missing,
        "absent_nationally": sorted(leaves - set(rel.nodes)),
        "unplaced": unplaced,
    }


def regions_overview(chain: Chain, *, level: str = "province") -> list[dict[str, Any]]:
    """Every region with a firm or a research actor: counts and completeness, most complete
    first (then most firms, then name)."""
    level = _check_level(level)
    regions, nodes, x = region_matrix(chain, level=level)
    covered = {r: int((x[i] > 0).sum()) for i, r in enumerate(regions)}
    firms = _located(chain, level, INDUSTRIAL_KINDS)
    research = _located(chain, level, INNOVATION_KINDS)
    out: list[dict[str, Any]] = []
    for name in sorted(set(firms) | set(research)):
        done = _completeness(covered.get(name, 0), len(nodes))
        out.append(
            {
                "region": name,
                "region_zh": _zh(name, level),
                "firms": len(firms.get(name, [])),
                "research": len(research.get(name, [])),
                **done,
            }
        )
    out.sort(key=lambda r: (-r["share"], -r["firms"], r["region"]))
    return out
