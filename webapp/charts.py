"""Geometry for the overview's SVG charts; templates/overview/_charts.html draws them.

Hand-drawn rather than a charting library: two small charts (grouped bars, one line)
need a few dozen lines of arithmetic, no JavaScript, nothing from the internet and no
dependency, and render the same on a Raspberry Pi. Colours come from CSS classes in
app.css (the content security policy allows no inline styles). Coordinates are floats
for drawing only; every number a user reads comes from the Decimal figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 72, 8, 12, 36  # room for the axis labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    value: Decimal
    month_index: int


@dataclass(frozen=True)
class Tick:
    y: float
    value: Decimal


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    points: list[tuple[float, float, Decimal]]  # line charts: x, y, value
    ticks: list[Tick]
    zero_y: float
    labels: list[tuple[float, int]]  # x of each month's label, month index


def _nice_step(span: Decimal) -> Decimal:
    """A round tick distance giving about four ticks (1, 2 or 5 times a power of ten)."""
    if span <= 0:
        return Decimal(1)
    raw = span / 4
    power = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal("0.1")
    for factor in (1, 2, 5, 10):
        if raw <= power * factor:
            return power * factor
    return power * 10


def _scale(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    low, high = min(low, Decimal(0)), max(high, Decimal(0))
    step = _nice_step(high - low)
    bottom = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    top = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if top == bottom:
        top = bottom + step
    return bottom, top, step


def _y(value: Decimal, bottom: Decimal, top: Decimal) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + plot * float((top - value) / (top - bottom))


def _ticks(bottom: Decimal, top: Decimal, step: Decimal) -> list[Tick]:
    ticks, value = [], bottom
    while value <= top:
        ticks.append(Tick(_y(value, bottom, top), value))
        value += step
    return ticks


def bar_chart(series: list[tuple[str, list[Decimal]]]) -> Chart:
    """Grouped bars: one group per month, one bar per series; negative bars hang below zero."""
    months = max((len(values) for _, values in series), default=0)
    values = [v for _, vs in series for v in vs] or [Decimal(0)]
    bottom, top, step = _scale(min(values), max(values))
    slot = (WIDTH - LEFT - RIGHT) / max(months, 1)
    bar_width = slot * 0.8 / max(len(series), 1)
    zero = _y(Decimal(0), bottom, top)
    bars = []
    for s, (name, vs) in enumerate(series):
        for i, value in enumerate(vs):
            y = _y(value, bottom, top)
            bars.append(Bar(LEFT + i * slot + slot * 0.1 + s * bar_width, min(y, zero), bar_width,
                            max(abs(zero - y), 0.5 if value else 0), name, value, i))
    labels = [(LEFT + i * slot + slot / 2, i) for i in range(months)]
    return Chart(WIDTH, HEIGHT, bars, [], _ticks(bottom, top, step), zero, labels)


def line_chart(values: list[Decimal | None]) -> Chart:
    """One line through the known values (a month without a value leaves a gap in the points)."""
    known = [v for v in values if v is not None] or [Decimal(0)]
    bottom, top, step = _scale(min(known), max(known))
    slot = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    points = [(LEFT + i * slot + slot / 2, _y(v, bottom, top), v)
              for i, v in enumerate(values) if v is not None]
    labels = [(LEFT + i * slot + slot / 2, i) for i in range(len(values))]
    return Chart(WIDTH, HEIGHT, [], points, _ticks(bottom, top, step), _y(Decimal(0), bottom, top), labels)
