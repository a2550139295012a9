"""Simple charts drawn on the server as SVG: this module computes the coordinates, the
templates/mentorship/manage/_chart_*.html partials draw them.

Why SVG from the template rather than a JavaScript charting library: the site's
Content-Security-Policy allows scripts only from our own origin with a nonce and no inline
styles, and we load nothing from a CDN. An SVG's shapes are plain elements with attributes
(x, y, width, fill), which that policy allows; the charts need no script, print, work with
JavaScript off, and scale to a phone through the viewBox. The figures a chart draws are
always in a table beside it, which is the accessible version (the SVG is role="img" with a
title and a description).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 210  # room for the longest label ("Advising and counselling")
BAR_HEIGHT = 22
BAR_GAP = 10
VALUE_ROOM = 70  # room after the longest bar for its value


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str
    y: float
    width: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]

    @property
    def label_x(self) -> int:
        return self.label_width - 8


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(
    items: Sequence[tuple[str, float | None]],
    *,
    title: str,
    description: str,
    max_value: float | None = None,
    unit: str = "",
    width: int = 640,
) -> BarChart:
    """Horizontal bars, one per (label, value); a missing value draws no bar and says "none".
    Bars are scaled to `max_value`, or to the largest value."""
    values = [v for _, v in items if v is not None]
    top = max_value if max_value is not None else max(values, default=0)
    room = width - LABEL_WIDTH - VALUE_ROOM
    bars = []
    for i, (label, value) in enumerate(items):
        y = i * (BAR_HEIGHT + BAR_GAP)
        bar_width = 0.0 if not value or not top else round(room * min(value, top) / top, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                text="none" if value is None else f"{_number(value)}{unit}",
                y=y,
                width=bar_width,
                text_x=LABEL_WIDTH + bar_width + 6,
                text_y=y + BAR_HEIGHT * 0.7,
            )
        )
    height = max(len(items) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)
    return BarChart(title, description, width, height, LABEL_WIDTH, BAR_HEIGHT, bars)


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    label: str
    y: float

    @property
    def text_y(self) -> float:
        return self.y + 5


@dataclass(frozen=True)
class LineChart:
    title: str
    description: str
    width: int
    height: int
    left: int
    bottom: float
    right: float
    points: list[Point]
    path: str  # the polyline's points attribute
    ticks: list[Tick]

    @property
    def tick_x(self) -> int:
        return self.left - 8

    @property
    def label_y(self) -> float:
        return self.bottom + 20


def line_chart(
    items: Sequence[tuple[str, float | None]],
    *,
    title: str,
    description: str,
    low: float,
    high: float,
    width: int = 640,
    height: int = 220,
) -> LineChart:
    """A line through (label, value) points on a fixed scale from `low` to `high` (a value
    missing for a label leaves a gap in the points, not a zero)."""
    left, top, bottom_room = 40, 10, 30
    plot_height = height - top - bottom_room
    bottom = top + plot_height
    right = width - 10
    step = (right - left) / max(len(items) - 1, 1)

    def y_of(value: float) -> float:
        return round(bottom - plot_height * (value - low) / (high - low), 1)

    points = [
        Point(
            label,
            value,
            round(left + i * step if len(items) > 1 else (left + right) / 2, 1),
            y_of(value),
        )
        for i, (label, value) in enumerate(items)
        if value is not None
    ]
    ticks = [Tick(_number(v), y_of(v)) for v in range(int(low), int(high) + 1)]
    path = " ".join(f"{p.x},{p.y}" for p in points)
    return LineChart(title, description, width, height, left, bottom, right, points, path, ticks)
