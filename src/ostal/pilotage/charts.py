"""Server-rendered SVG bar charts (no script: the CSP forbids inline scripts and third-party
origins). Each chart carries a title and a description for assistive technologies, and
the page shows the same figures in a table next to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    label_x: float = 0


@dataclass
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    horizontal: bool
    bars: list[Bar] = field(default_factory=list)


def bar_chart(
    *, key: str, title: str, description: str, items: Sequence[tuple[str, int]], horizontal: bool
) -> Chart:
    peak = max((v for _, v in items), default=0) or 1
    if horizontal:
        row, label_w, plot_w = 28, 180, 360
        chart = Chart(key, title, description, label_w + plot_w + 70, row * len(items) + 10, True)
        for i, (label, value) in enumerate(items):
            w = plot_w * value / peak
            y = 5 + i * row
            chart.bars.append(
                Bar(
                    label, value, label_w, y, w, row - 8, label_w + w + 6, y + row - 13, label_w - 6
                )
            )
        return chart
    col_w, plot_h = 18, 160
    chart = Chart(key, title, description, max(col_w * len(items) + 40, 200), plot_h + 40, False)
    for i, (label, value) in enumerate(items):
        h = plot_h * value / peak
        x = 20 + i * col_w
        chart.bars.append(Bar(label, value, x, 10 + plot_h - h, col_w - 4, h, x, plot_h + 28))
    return chart
