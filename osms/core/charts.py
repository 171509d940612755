"""Bar charts drawn on the server as SVG (docs/adr/0015): the geometry here, the markup in
templates/components/bar_chart.html. A chart is an image with a title and a text alternative that
says every value; the page shows the same numbers in a table beside it, so the chart is never the
only way to read them. Missing values (nothing to measure in a period) are marked, not drawn as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Drawn at about the size it is shown (a third of a wide screen, the whole of a phone's), so that its
# 11-unit text reads as 11 px or larger.
WIDTH = 320
HEIGHT = 170
LEFT = 32  # room for the scale's labels
RIGHT = 16  # half a period's label, under the last bar
TOP = 10
BOTTOM = 26  # room for the periods' labels
GAP = 0.25  # of each slot, between bars


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the period
    text: str  # the value as written, "—" when missing
    missing: bool
    show_label: bool  # every period's label would not fit under many bars

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    left: int
    right: float
    bars: list[Bar]
    ticks: list[Tick]

    @property
    def description(self) -> str:
        return "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars)


def nice_maximum(value: float) -> float:
    """The top of the scale: 1, 2, 2.5 or 5 times a power of ten, at least the largest value."""
    if value <= 1:
        return 1  # a scale under one (a few seconds of waiting, an empty queue) says nothing
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def bar_chart(
    values: list[float | None], labels: list[str], *, texts: list[str], maximum: float | None = None
) -> BarChart:
    """Bars for `values` (None: missing) over `labels`, written as `texts`; the scale runs from 0 to
    `maximum` (or a round number above the largest value)."""
    top = maximum if maximum is not None else nice_maximum(max((v for v in values if v is not None), default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = plot_width / max(len(values), 1)
    every = max(1, math.ceil(len(values) / 7))
    bars = []
    for i, (value, label, text) in enumerate(zip(values, labels, texts, strict=True)):
        height = 0.0 if value is None else plot_height * min(max(value, 0), top) / top
        bars.append(
            Bar(
                x=round(LEFT + slot * i + slot * GAP / 2, 2),
                y=round(baseline - height, 2),
                width=round(slot * (1 - GAP), 2),
                height=round(height, 2),
                label=label,
                text=text,
                missing=value is None,
                show_label=(len(values) - 1 - i) % every == 0,
            )
        )
    ticks = [Tick(y=round(baseline - plot_height * share, 2), text=_number(top * share)) for share in (0, 0.5, 1)]
    return BarChart(
        width=WIDTH, height=HEIGHT, baseline=baseline, left=LEFT, right=WIDTH - RIGHT, bars=bars, ticks=ticks
    )


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
