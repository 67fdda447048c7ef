"""Geometry of the server-rendered SVG charts (``templates/reports/_charts.html`` draws them).

No JavaScript and no chart library: bars and a polyline in a fixed 640 × 240 view box, scaled to the
data. Every chart is drawn next to a table with the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    points: str = ""  # polyline "x,y x,y …"
    ticks: list[tuple[float, str]] = field(default_factory=list)  # y position, label
    labels: list[tuple[float, str]] = field(default_factory=list)  # x position, label
    baseline: float = HEIGHT - BOTTOM
    left: float = LEFT
    right: float = WIDTH - RIGHT


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000, 100_000):
        if value <= step:
            return step
    return int(value)


def _ticks(top: int, plot_h: float) -> list[tuple[float, str]]:
    return [(round(TOP + plot_h - plot_h * k / 4, 1), f"{top * k / 4:g}") for k in range(5)]


def histogram(bins: list[dict]) -> Chart:
    """Bars for the score bins ({"from", "to", "count"})."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_max(max((b["count"] for b in bins), default=0))
    slot = plot_w / max(len(bins), 1)
    chart = Chart(ticks=_ticks(top, plot_h))
    every = max(1, len(bins) // 12)
    for i, b in enumerate(bins):
        h = plot_h * b["count"] / top if top else 0
        x = LEFT + i * slot
        label = f"{b['from']:g}" if b["from"] == b["to"] or len(bins) > 10 else f"{b['from']:g}–{b['to']:g}"
        chart.bars.append(Bar(round(x + slot * 0.1, 1), round(TOP + plot_h - h, 1), round(slot * 0.8, 1),
                              round(h, 1), label, b["count"]))
        if i % every == 0:
            chart.labels.append((round(x + slot / 2, 1), label))
    return chart


def cumulative_line(points: list[dict], labels: list[str], total: int) -> Chart:
    """A line of the cumulative count (``points[i]["cumulative"]``), with bars for each interval."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_max(max([total] + [p["cumulative"] for p in points]))
    slot = plot_w / max(len(points), 1)
    chart = Chart(ticks=_ticks(top, plot_h))
    coords = []
    every = max(1, len(points) // 8)
    for i, p in enumerate(points):
        x = LEFT + (i + 1) * slot
        coords.append(f"{round(x, 1)},{round(TOP + plot_h - plot_h * p['cumulative'] / top, 1)}")
        h = plot_h * p["completed"] / top
        chart.bars.append(Bar(round(LEFT + i * slot + slot * 0.15, 1), round(TOP + plot_h - h, 1),
                              round(slot * 0.7, 1), round(h, 1), labels[i], p["completed"]))
        if i % every == 0:
            chart.labels.append((round(LEFT + i * slot, 1), labels[i]))
    chart.points = f"{LEFT},{TOP + plot_h} " + " ".join(coords)
    return chart
