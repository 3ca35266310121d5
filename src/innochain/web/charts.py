"""Server-side SVG chart geometry: no JavaScript, no third-party assets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Bar",
    "BarChart",
    "Segment",
    "StackedChart",
    "bar_chart",
    "compact",
    "nice_max",
    "number",
    "series_chart",
    "stacked_chart",
]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, float]]  # (value, y)
    unit: str
    #: every point in order, None where a period has no value (drawn as an empty slot)
    slots: list[tuple[str, float | None]] = field(default_factory=list)
    #: (label, x of the slot's centre) of the empty slots
    gaps: list[tuple[str, float]] = field(default_factory=list)


def nice_max(value: float) -> float:
    """The smallest 1/2/5 x 10^k at or above `value`.

    >>> nice_max(0), nice_max(7), nice_max(31_000_000)
    (1.0, 10.0, 50000000.0)
    """
    if value <= 0:
        return 1.0
    scale = 1.0
    while scale * 10 <= value:
        scale *= 10
    while scale > value:
        scale /= 10
    for step in (1, 2, 5, 10):
        if step * scale >= value:
            return float(step * scale)
    return float(10 * scale)


def number(value: float | None, *, sign: bool = False) -> str:
    """A figure for a table: thousands separators, no ".0" on a whole number, no binary noise;
    with `sign`, a "+" on a positive balance.

    >>> number(34531000.0), number(0.08), number(1234.5), number(-36744), number(0.1 + 0.2)
    ('34,531,000', '0.08', '1,234.5', '-36,744', '0.3')
    >>> number(124160.0, sign=True), number(0, sign=True)
    ('+124,160', '0')
    """
    if value is None:
        return ""
    v = round(float(value), 6)
    text = f"{int(v):,}" if v.is_integer() else f"{v:,}"
    return f"+{text}" if sign and v > 0 else text


def compact(value: float) -> str:
    """A short axis label.

    >>> compact(0), compact(950), compact(12_500), compact(16_000_000), compact(0.25)
    ('0', '950', '12.5k', '16M', '0.25')
    """
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def bar_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    unit: str = "",
    width: int = 640,
    height: int = 240,
) -> BarChart:
    """Bars for (label, value) points scaled into a width x height box with 5 gridlines; a
    point without a value keeps its slot, empty.

    >>> chart = bar_chart([("2013", 1.0), ("2014", None), ("2015", 3.0)])
    >>> [b.label for b in chart.bars], [g[0] for g in chart.gaps]
    (['2013', '2015'], ['2014'])
    """
    left, bottom, top = 56, 24, 8
    top_value = nice_max(max((v for _, v in points if v is not None), default=0))
    plot_h = height - bottom - top
    slot = (width - left) / max(len(points), 1)
    bars, gaps = [], []
    for i, (label, value) in enumerate(points):
        if value is None:
            gaps.append((label, left + i * slot + slot / 2))
            continue
        h = plot_h * max(value, 0) / top_value
        bars.append(
            Bar(label, value, left + i * slot + slot * 0.15, top + plot_h - h, slot * 0.7, h)
        )
    ticks = [(top_value * k / 5, top + plot_h - plot_h * k / 5) for k in range(6)]
    return BarChart(width, height, bars, ticks, unit, list(points), gaps)


def series_chart(series: dict[str, Any], *, height: int = 220) -> BarChart:
    """A statistics series (its `observations` and `unit`) as bars; an annual series keeps an
    empty slot for each missing year, so that a gap in the data is not drawn as a jump.

    >>> obs = [{"period": "2013", "value": 1.0}, {"period": "2015", "value": 3.0}]
    >>> [label for label, _ in series_chart({"observations": obs, "unit": ""}).slots]
    ['2013', '2014', '2015']
    """
    values = {str(o["period"]): float(o["value"]) for o in series["observations"]}
    periods: list[str] = list(values)
    if periods and all(p.isdigit() and len(p) == 4 for p in periods):
        periods = [str(y) for y in range(int(min(periods)), int(max(periods)) + 1)]
    return bar_chart([(p, values.get(p)) for p in periods], unit=series["unit"], height=height)


@dataclass(frozen=True)
class Segment:
    label: str  # the column (e.g. a stage)
    series: str  # the stacked part (e.g. a funding source)
    index: int  # the series' position, for its colour class
    value: float
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    columns: list[tuple[str, float, float]]  # (label, total, x of the column's centre)
    segments: list[Segment]
    series: list[str]
    ticks: list[tuple[float, float]]
    unit: str


def stacked_chart(
    columns: Sequence[tuple[str, dict[str, float]]],
    *,
    unit: str = "",
    width: int = 640,
    height: int = 260,
) -> StackedChart:
    """Stacked bars: per column label, values by series stacked bottom-up in series order.

    >>> chart = stacked_chart([("lab", {"vc": 2.0, "bank": 3.0}), ("pilot", {"vc": 5.0})])
    >>> [(s.label, s.series, s.value) for s in chart.segments]
    [('lab', 'vc', 2.0), ('lab', 'bank', 3.0), ('pilot', 'vc', 5.0)]
    >>> chart.ticks[-1][0]  # the axis tops at 5, the tallest column
    5.0
    """
    left, bottom, top = 56, 24, 8
    series = list(dict.fromkeys(s for _, values in columns for s in values))
    totals = [sum(max(v, 0) for v in values.values()) for _, values in columns]
    top_value = nice_max(max(totals, default=0))
    plot_h = height - bottom - top
    slot = (width - left) / max(len(columns), 1)
    segments, heads = [], []
    for i, (label, values) in enumerate(columns):
        x = left + i * slot + slot * 0.2
        base = float(top + plot_h)
        for name in series:
            value = max(values.get(name, 0.0), 0.0)
            if value:
                h = plot_h * value / top_value
                base -= h
                segments.append(
                    Segment(label, name, series.index(name), value, x, base, slot * 0.6, h)
                )
        heads.append((label, totals[i], left + i * slot + slot / 2))
    ticks = [(top_value * k / 5, top + plot_h - plot_h * k / 5) for k in range(6)]
    return StackedChart(width, height, heads, segments, series, ticks, unit)


@dataclass(frozen=True)
class Radar:
    size: int
    axes: list[tuple[str, float, float, str]]  # (label, x, y, text-anchor) of each axis end
    rings: list[str]  # polygon points of the 0.25 ... 1 rings
    shape: str  # polygon points of the values
    peer: str  # polygon points of the peer means


def radar_chart(points: Sequence[tuple[str, float, float]], *, size: int = 320) -> Radar:
    """A radar of (label, value, peer mean) with values in [0, 1], first axis at the top.

    >>> chart = radar_chart([("a", 1.0, 0.5), ("b", 0.0, 0.5), ("c", 0.5, 0.5)], size=200)
    >>> chart.shape.split()[0]  # the first value, 1, reaches the top of the outer ring
    '100.0,20.0'
    """
    import math

    centre, radius = size / 2, size / 2 - 20
    n = max(len(points), 1)

    def at(k: int, r: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * k / n
        return round(centre + radius * r * math.cos(angle), 1), round(
            centre + radius * r * math.sin(angle), 1
        )

    def polygon(values: Sequence[float]) -> str:
        return " ".join(
            f"{x},{y}" for x, y in (at(k, max(0.0, min(1.0, v))) for k, v in enumerate(values))
        )

    def anchor(x: float) -> str:  # labels grow away from the centre, never over the plot
        return "start" if x > centre + 1 else "end" if x < centre - 1 else "middle"

    axes = [
        (label, x, y, anchor(x)) for k, (label, _, _) in enumerate(points) for x, y in [at(k, 1.08)]
    ]
    rings = [polygon([level] * n) for level in (0.25, 0.5, 0.75, 1.0)]
    return Radar(
        size, axes, rings, polygon([v for _, v, _ in points]), polygon([p for _, _, p in points])
    )
