"""Geometry of the server-drawn SVG charts; the templates under ``templates/reports/charts/`` draw them.

Charts are plain SVG inside the page: the page's Thai font, no script, and
they print. Every chart stands next to the table of its numbers, so the
numbers here are for drawing only (floats are fine for pixels, never for money).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 720
LABEL_WIDTH = 230
VALUE_WIDTH = 70
ROW = 24
BAR = 14


def _short(label: str) -> str:
    """Long names are cut on the chart (the full name is in its tooltip and in the table)."""
    return label if len(label) <= 32 else label[:31] + "…"


def _float(value) -> float | None:
    return None if value is None else float(value)


@dataclass
class Bar:
    label: str
    value: Decimal | None
    href: str = ""
    css: str = ""
    second: Decimal | None = None  # a second bar under the first (e.g. disbursement beside performance)
    # Filled in by the layout:
    y: float = 0
    width: float = 0
    text_x: float = 0
    second_y: float = 0
    second_width: float = 0
    second_text_x: float = 0
    text_y: float = 0
    second_text_y: float = 0
    label_y: float = 0
    short_label: str = ""


@dataclass
class HBarChart:
    """Horizontal bars on a 0–``scale`` axis (percentages by default), one row per item."""

    title: str
    bars: list[Bar]
    scale: float = 100.0
    unit: str = "%"
    marks: tuple = (0, 25, 50, 75, 100)
    width: int = WIDTH
    height: int = 0
    plot_x: int = LABEL_WIDTH
    plot_width: int = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    gridlines: list = field(default_factory=list)
    bar_height: int = BAR
    paired: bool = False
    legend: tuple = ()  # (label, css) of the first and second bars when paired
    label_x: int = LABEL_WIDTH - 6

    def __post_init__(self):
        top = 20
        self.paired = any(b.second is not None for b in self.bars)
        row, self.bar_height = (34, 12) if self.paired else (ROW, BAR)
        values = [_float(b.value) or 0 for b in self.bars] + [_float(b.second) or 0 for b in self.bars]
        self.scale = max([*values, self.scale])
        self.height = top + len(self.bars) * row + 8
        for index, bar in enumerate(self.bars):
            row_top = top + index * row
            bar.y = row_top + (row - self.bar_height * (2 if self.paired else 1)) / 2
            bar.width = self._length(bar.value)
            bar.text_x = self.plot_x + bar.width + 4
            bar.second_y = bar.y + self.bar_height
            bar.second_width = self._length(bar.second)
            bar.second_text_x = self.plot_x + bar.second_width + 4
            bar.text_y = bar.y + self.bar_height - 2
            bar.second_text_y = bar.second_y + self.bar_height - 2
            bar.label_y = row_top + row / 2 + 4
            bar.short_label = _short(bar.label)
        self.gridlines = [
            {"x": self.plot_x + mark / self.scale * self.plot_width, "label": mark}
            for mark in self.marks
            if mark <= self.scale
        ]

    def _length(self, value) -> float:
        value = _float(value) or 0
        return max(0.0, value) / self.scale * self.plot_width if self.scale else 0


@dataclass
class Series:
    label: str
    values: list  # twelve values or None (not yet reported)
    css: str
    points: str = ""
    dots: list = field(default_factory=list)


@dataclass
class LineChart:
    """Cumulative percentages over the twelve fiscal months (the S-curve), with target markers."""

    title: str
    months: list[str]
    series: list[Series]
    targets: list = field(default_factory=list)  # (month index 1–12, percentage, label)
    width: int = WIDTH
    height: int = 300
    left: int = 48
    right: int = 16
    top: int = 16
    bottom: int = 40
    top_value: float = 100.0
    gridlines: list = field(default_factory=list)
    ticks: list = field(default_factory=list)
    target_marks: list = field(default_factory=list)
    axis_x: int = 0
    grid_x2: int = 0
    tick_y: int = 0

    def x(self, month: int) -> float:
        span = self.width - self.left - self.right
        return self.left + (month - 0.5) * span / 12

    def y(self, value: float) -> float:
        span = self.height - self.top - self.bottom
        return self.top + span - min(value, self.top_value) / self.top_value * span

    def __post_init__(self):
        highest = max(
            [_float(v) or 0 for s in self.series for v in s.values]
            + [_float(t[1]) or 0 for t in self.targets]
        )
        self.top_value = max(100.0, highest)
        self.axis_x, self.grid_x2, self.tick_y = self.left - 6, self.width - self.right, self.height - 16
        for series in self.series:
            points = [
                (self.x(month), self.y(_float(value)))
                for month, value in enumerate(series.values, start=1)
                if value is not None
            ]
            series.points = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            series.dots = [{"x": x, "y": y} for x, y in points]
        self.gridlines = [{"y": self.y(v), "label": v} for v in (0, 25, 50, 75, 100)]
        self.ticks = [{"x": self.x(i), "label": label} for i, label in enumerate(self.months, start=1)]
        self.target_marks = [
            {"x": self.x(month), "y": self.y(_float(value)), "label": label, "value": value}
            for month, value, label in self.targets
            if value is not None
        ]


@dataclass
class Segment:
    label: str
    value: int
    css: str
    x: float = 0
    width: float = 0


@dataclass
class StackRow:
    label: str
    total: int
    segments: list[Segment]
    href: str = ""
    y: float = 0
    text_y: float = 0
    short_label: str = ""


@dataclass
class StackedChart:
    """Each row a 100 % bar split into parts (district offices confirmed, complete, recorded, not yet)."""

    title: str
    rows: list[StackRow]
    legend: list[Segment]
    width: int = WIDTH
    height: int = 0
    plot_x: int = LABEL_WIDTH
    plot_width: int = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    label_x: int = LABEL_WIDTH - 6
    value_x: int = WIDTH - VALUE_WIDTH + 4

    def __post_init__(self):
        top = 8
        self.height = top + len(self.rows) * ROW + 8
        for index, row in enumerate(self.rows):
            row.y = top + index * ROW + (ROW - BAR) / 2
            row.text_y = row.y + BAR - 3
            row.short_label = _short(row.label)
            x = self.plot_x
            for segment in row.segments:
                segment.width = segment.value / row.total * self.plot_width if row.total else 0
                segment.x = x
                x += segment.width
