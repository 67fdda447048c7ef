"""Geometry of the server-rendered SVG charts (``templates/reports/_charts.html`` draws them).

No JavaScript and no chart library: bars and a polyline in a fixed 640 × 240 view box, scaled to the
data. Every chart is drawn next to a table with the same numbers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from quiz.contests.localtime import to_local
from quiz.i18n import format_points

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 12, 44
CHAR_WIDTH = 7.5  # width of a digit of the tick labels (font-size 13 in reports.css), in view-box units
LABEL_GAP = 18  # free space between two x labels
# On a phone the chart is drawn at half its size, so reports.css draws its labels this much larger there and hides
# the labels marked "wide only": the ones left are every k-th of the desktop's, spaced for the larger font.
PHONE_FONT_SCALE = 1.8
NICE_STEPS = sorted({b * 10**e for e in range(8) for b in (1, 2, 5)} | {25 * 10**e for e in range(7)})


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
    labels: list[tuple[float, str, bool]] = field(default_factory=list)  # x position, label, wide screens only
    baseline: float = HEIGHT - BOTTOM
    left: float = LEFT
    right: float = WIDTH - RIGHT


def nice_axis(value: float, max_ticks: int = 6) -> tuple[int, int]:
    """The top of a count axis and its step, both whole numbers (pupils): 5 → (5, 1), 38 → (40, 10)."""
    value = max(0, math.ceil(value))
    for step in NICE_STEPS:
        if value <= step * (max_ticks - 1):
            return max(step, step * math.ceil(value / step)), step
    step = NICE_STEPS[-1]
    return step * math.ceil(value / step), step


def _ticks(value: float, plot_h: float) -> tuple[int, list[tuple[float, str]]]:
    top, step = nice_axis(value)
    return top, [(round(TOP + plot_h - plot_h * k / top, 1), str(k)) for k in range(0, top + 1, step)]


def _thinned(count: int, widest: int, plot_w: float) -> tuple[int, int]:
    """Every how many slots a label can stand without touching its neighbours: on a wide screen, and on a
    phone (a multiple of the first, so that the phone's labels are some of the wide screen's)."""
    slot = plot_w / max(count, 1)
    wide = max(1, math.ceil((widest * CHAR_WIDTH + LABEL_GAP) / slot))
    phone = max(1, math.ceil((widest * CHAR_WIDTH * PHONE_FONT_SCALE + LABEL_GAP) / slot))
    return wide, wide * math.ceil(phone / wide)


def _place(candidates: list[tuple[float, str, bool]]) -> list[tuple[float, str, bool]]:
    """The x labels as drawn: each centre moved inwards so the label stays inside the chart (at its phone size
    when it shows on phones); a label that would then come too close to the previous one is left out (or, on
    phones only, hidden)."""
    out: list[tuple[float, str, bool]] = []
    last_wide = last_phone = -math.inf
    for x, label, on_phone in candidates:
        width = len(label) * CHAR_WIDTH
        large = width * (PHONE_FONT_SCALE if on_phone else 1)
        x = round(min(max(x, large / 2 + 2), WIDTH - large / 2 - 2), 1)
        if x - last_wide < width + LABEL_GAP / 2:
            continue
        on_phone = on_phone and x - last_phone >= width * PHONE_FONT_SCALE + LABEL_GAP / 2
        out.append((x, label, not on_phone))
        last_wide = x
        last_phone = x if on_phone else last_phone
    return out


def histogram(bins: list[dict]) -> Chart:
    """Bars for the score bins ({"from", "to", "count"})."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top, ticks = _ticks(max((b["count"] for b in bins), default=0), plot_h)
    slot = plot_w / max(len(bins), 1)
    chart = Chart(ticks=ticks)
    names = [format_points(b["from"]) if b["from"] == b["to"] or len(bins) > 10
             else f"{format_points(b['from'])}–{format_points(b['to'])}" for b in bins]
    every, phone = _thinned(len(bins), max((len(n) for n in names), default=1), plot_w)
    for i, b in enumerate(bins):
        h = plot_h * b["count"] / top if top else 0
        x = LEFT + i * slot
        label = names[i]
        chart.bars.append(Bar(round(x + slot * 0.1, 1), round(TOP + plot_h - h, 1), round(slot * 0.8, 1),
                              round(h, 1), label, b["count"]))
        if i % every == 0:
            chart.labels.append((x + slot / 2, label, i % phone == 0))
    chart.labels = _place(chart.labels)
    return chart


def axis_format(points: list[dict]) -> str:
    """The shortest label that tells the intervals apart: hours in a one-day round, days in steps of a day."""
    if not points:
        return "%H:%M"
    first, last = to_local(points[0]["start"]), to_local(points[-1]["start"])
    if points[0]["end"] - points[0]["start"] >= timedelta(days=1):
        return "%d/%m"
    return "%H:%M" if first.date() == last.date() else "%d/%m %Hh"


def cumulative_line(points: list[dict], total: int, until: datetime) -> Chart:
    """Bars of the pupils finishing in each interval (``points[i]["completed"]``) and a line of the total so far
    (``"cumulative"``) that stops at ``until`` (now, while the round is open): no line into the future.
    Every k-th interval start is labelled, k chosen so that the labels fit the width."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top, ticks = _ticks(max([total] + [p["cumulative"] for p in points]), plot_h)
    slot = plot_w / max(len(points), 1)
    chart = Chart(ticks=ticks)
    fmt = axis_format(points)
    labels = [to_local(p["start"]).strftime(fmt) for p in points]
    every, phone = _thinned(len(points), max((len(label) for label in labels), default=1), plot_w)
    coords = [f"{LEFT},{TOP + plot_h}"]
    for i, p in enumerate(points):
        h = plot_h * p["completed"] / top
        chart.bars.append(Bar(round(LEFT + i * slot + slot * 0.15, 1), round(TOP + plot_h - h, 1),
                              round(slot * 0.7, 1), round(h, 1), labels[i], p["completed"]))
        if i % every == 0:
            chart.labels.append((LEFT + i * slot, labels[i], i % phone == 0))
        if p["start"] < until:
            span = (p["end"] - p["start"]).total_seconds()
            share = min(1.0, (until - p["start"]).total_seconds() / span) if span else 1.0
            y = round(TOP + plot_h - plot_h * p["cumulative"] / top, 1)
            coords.append(f"{round(LEFT + (i + share) * slot, 1)},{y}")
    chart.points = " ".join(coords)
    chart.labels = _place(chart.labels)
    return chart
