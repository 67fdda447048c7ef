"""The report's charts read as a person expects: whole pupils on the y axis, x labels that do not collide,
no line into the future, and the round's scale not mistaken for the best score."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from quiz.reports import charts

TICK = re.compile(r'<text class="tick[^"]*" x="([\d.]+)" y="[\d.]+" text-anchor="(end|middle)"[^>]*>([^<]*)</text>')


def completion_svg(html: str) -> str:
    return html.split('<svg class="chart" id="completion"')[1].split("</svg>")[0]


def test_the_completion_chart_counts_whole_pupils_and_stops_at_now(small, client, login_as, clock):
    clock.set(small.round.opens_at + timedelta(minutes=40))  # 40 minutes into a three-hour round
    login_as(small.admin)
    svg = completion_svg(client.get(f"/rounds/{small.round.id}/report").get_data(as_text=True))
    y_labels = [text for _x, anchor, text in TICK.findall(svg) if anchor == "end"]
    assert y_labels and all(re.fullmatch(r"\d+", t) for t in y_labels), y_labels  # 5 pupils: 0 1 2 3 4 5, not 1.25
    points = re.search(r'<polyline class="line" points="([^"]+)"', svg).group(1).split()
    last_x = float(points[-1].split(",")[0])
    plot = charts.WIDTH - charts.LEFT - charts.RIGHT
    assert last_x <= charts.LEFT + plot * 40 / 180 + 0.5  # the line ends at "now", not at the close
    assert float(points[-1].split(",")[1]) < charts.HEIGHT - charts.BOTTOM  # and it has risen: 5 finished


def test_the_x_labels_of_a_long_round_are_thinned_so_they_do_not_collide():
    opens = datetime(2026, 11, 20, 1, 0, tzinfo=timezone.utc)
    points = [{"start": opens + timedelta(hours=3 * i), "end": opens + timedelta(hours=3 * i + 3),
               "completed": i % 4, "cumulative": i * 2} for i in range(56)]  # a week in 3-hour steps
    chart = charts.cumulative_line(points, total=120, until=opens + timedelta(days=7))
    xs = [x for x, _label, _wide in chart.labels]
    widest = max(len(label) for _x, label, _wide in chart.labels) * charts.CHAR_WIDTH
    assert 3 <= len(xs) <= 8
    assert all(b - a >= widest + 8 for a, b in zip(xs, xs[1:]))  # never touching
    assert xs[-1] + widest / 2 <= charts.WIDTH and xs[0] - widest / 2 >= 0
    phone = [x for x, _label, wide_only in chart.labels if not wide_only]  # what a 360 px screen shows
    large = widest * charts.PHONE_FONT_SCALE
    assert len(phone) >= 2 and all(b - a >= large + 8 for a, b in zip(phone, phone[1:]))
    assert phone[0] - large / 2 >= 0 and phone[-1] + large / 2 <= charts.WIDTH
    ticks = [label for _y, label in chart.ticks]
    assert ticks == [str(v) for v in range(0, 121, 20)] or all(t.isdigit() for t in ticks)


def test_a_one_day_round_labels_its_axis_with_hours_only():
    opens = datetime(2026, 11, 20, 1, 0, tzinfo=timezone.utc)
    points = [{"start": opens + timedelta(minutes=15 * i), "end": opens + timedelta(minutes=15 * i + 15),
               "completed": 1, "cumulative": i + 1} for i in range(12)]
    chart = charts.cumulative_line(points, total=12, until=opens + timedelta(hours=3))
    assert chart.labels[0][1] == "08:00" and all(re.fullmatch(r"\d\d:\d\d", label) for _x, label, _wide in chart.labels)


def test_the_round_scale_is_not_shown_as_the_best_score(small, client, login_as):
    login_as(small.admin)
    html = client.get(f"/rounds/{small.round.id}/report").get_data(as_text=True)
    summary = html.split('id="summary"')[1].split("<h2>")[0]
    assert "Thang điểm" in summary and "Điểm cao nhất đạt được" in summary
    assert "Điểm tối đa" not in summary
    best = re.search(r'<span class="num">([^<]+)</span><span>Điểm cao nhất đạt được', summary).group(1)
    scale = re.search(r'<span class="num">([^<]+)</span><span>Thang điểm', summary).group(1)
    assert (best, scale) == ("3", "4")  # four questions of one point; the best pupil got three


def test_the_y_axis_ends_just_above_the_largest_count_in_whole_steps():
    assert [charts.nice_axis(v) for v in (5, 20, 38, 69, 234)] == [(5, 1), (20, 5), (40, 10), (80, 20), (250, 50)]
    chart = charts.histogram([{"from": 0, "to": 10, "count": 3}, {"from": 10, "to": 20, "count": 20}])
    assert [label for _y, label in chart.ticks] == ["0", "5", "10", "15", "20"]
