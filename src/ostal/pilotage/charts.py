"""Server-rendered SVG bar charts (no script: the CSP forbids inline scripts and third-party
origins).

Rules (issue 15, item 10): a chart is drawn at its own size, never scaled down, so that its
text is ``FONT`` px on screen (a wide chart scrolls inside its own container); both axes are
drawn and titled, with graduations; values are shown in the units of the table next to the
chart (visits, per cent); the SVG is ``role="img"`` named by its title and description, and
the page shows the same figures in a table right after it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

FONT = 14  # px on screen: the charts are displayed at their intrinsic size
CHAR_W = 8.0  # a generous average width of a character at ``FONT`` px
TICKS = 4  # about this many graduations on the value axis


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as the table shows it (« 12,5 % », « 240 »)
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    text_x: float
    text_y: float
    show_label: bool = True  # a day axis labels one bar in a few, to keep labels apart


@dataclass(frozen=True)
class Tick:
    x1: float
    y1: float
    x2: float  # the grid line runs from (x1, y1) to (x2, y2)
    y2: float
    text_x: float
    text_y: float
    text: str


@dataclass
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    horizontal: bool
    value_title: str  # the value axis title, with its unit
    category_title: str  # the category axis title
    font: int = FONT
    plot: tuple[float, float, float, float] = (0, 0, 0, 0)  # left, top, right, bottom
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)


def nice_step(peak: float, ticks: int = TICKS) -> float:
    """A round graduation step (1, 2, 2.5 or 5 × 10ⁿ) giving about ``ticks`` steps."""
    if peak <= 0:
        return 1
    raw = peak / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def _scale(peak: float, fixed_max: float | None) -> tuple[float, float]:
    """The top of the value axis and its step."""
    if fixed_max is not None:
        return fixed_max, nice_step(fixed_max)
    step = nice_step(peak)
    top = step * max(1, math.ceil(peak / step))
    return top, step


def _number(value: float) -> str:
    text = f"{value:g}" if value != int(value) else str(int(value))
    return text.replace(".", ",")


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, float]],
    horizontal: bool,
    value_title: str,
    category_title: str,
    fmt: Callable[[float], str] = _number,
    unit: str = "",
    fixed_max: float | None = None,
) -> Chart:
    """A bar chart of ``items`` (label, value); ``fmt`` writes a value as the table does,
    ``unit`` follows the graduations (« 25 % »)."""
    peak = max((v for _, v in items), default=0)
    top, step = _scale(peak, fixed_max)
    args = (key, title, description, items, value_title, category_title, fmt, unit, top, step)
    return _horizontal(*args) if horizontal else _vertical(*args)


def _value_ticks(top: float, step: float) -> list[float]:
    count = round(top / step)
    return [step * i for i in range(count + 1)]


def _horizontal(
    key: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, float]],
    value_title: str,
    category_title: str,
    fmt: Callable[[float], str],
    unit: str,
    top: float,
    step: float,
) -> Chart:
    row = FONT + 16
    longest = max((len(label) for label, _ in items), default=4)
    left = min(320.0, max(len(category_title), longest) * CHAR_W + 16)
    plot_w = 360.0
    value_w = max((len(fmt(v)) for _, v in items), default=1) * CHAR_W + 12
    head = FONT + 14  # the category axis title sits above the labels
    plot_top = head
    plot_bottom = plot_top + row * max(1, len(items))
    width = int(left + plot_w + value_w + 8)
    height = int(plot_bottom + FONT * 2 + 20)
    chart = Chart(
        key,
        title,
        description,
        width,
        height,
        True,
        value_title,
        category_title,
        plot=(left, plot_top, left + plot_w, plot_bottom),
    )
    for i, (label, value) in enumerate(items):
        w = plot_w * min(value, top) / top if top else 0
        y = plot_top + i * row + 4
        mid = y + (row - 8) / 2 + FONT / 3
        chart.bars.append(
            Bar(label, value, fmt(value), left, y, w, row - 8, left - 8, mid, left + w + 6, mid)
        )
    for tick in _value_ticks(top, step):
        x = left + plot_w * tick / top
        chart.ticks.append(
            Tick(x, plot_top, x, plot_bottom, x, plot_bottom + FONT + 4, _number(tick) + unit)
        )
    return chart


def _vertical(
    key: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, float]],
    value_title: str,
    category_title: str,
    fmt: Callable[[float], str],
    unit: str,
    top: float,
    step: float,
) -> Chart:
    n = max(1, len(items))
    col_w = min(28.0, max(2.0, 720 / n))
    label_every = max(
        1, math.ceil((max((len(lb) for lb, _ in items), default=5) * CHAR_W + 8) / col_w)
    )
    left = max(len(_number(top) + unit) * CHAR_W + 14, 40)
    plot_top = FONT + 18  # the value axis title sits above the plot
    plot_h = 200.0
    plot_bottom = plot_top + plot_h
    right = left + col_w * n
    width = int(max(right + 16, left + len(category_title) * CHAR_W + 16))
    height = int(plot_bottom + FONT * 2 + 24)
    chart = Chart(
        key,
        title,
        description,
        width,
        height,
        False,
        value_title,
        category_title,
        plot=(left, plot_top, right, plot_bottom),
    )
    gap = 2 if col_w > 6 else 0.5
    for i, (label, value) in enumerate(items):
        h = plot_h * min(value, top) / top if top else 0
        x = left + i * col_w
        chart.bars.append(
            Bar(
                label,
                value,
                fmt(value),
                x + gap / 2,
                plot_bottom - h,
                col_w - gap,
                h,
                x + col_w / 2,
                plot_bottom + FONT + 4,
                x + col_w / 2,
                plot_bottom - h - 4,
                show_label=i % label_every == 0,
            )
        )
    for tick in _value_ticks(top, step):
        y = plot_bottom - plot_h * tick / top
        chart.ticks.append(Tick(left, y, right, y, left - 6, y + FONT / 3, _number(tick) + unit))
    return chart
