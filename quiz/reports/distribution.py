"""The score distribution of a round: histogram, mean and median, in SQL.

Bins: when the maximum score is at most 20 points, one bin per whole score (0, 1, …, max; a
fractional score from partial credit falls in the bin of its whole part); otherwise ten bins of
equal width. Each bin is [from, to) except the last, which is [from, to] so the maximum counts.

Everything comes from one grouped query: how many students got each distinct score (a handful of
rows). The median is read off those counts: the middle score, or the mean of the two middle ones
(what ``percentile_cont(0.5)`` gives), the same on SQLite and PostgreSQL.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import CTE, func, select
from sqlalchemy.orm import Session

from quiz.reports.population import counted_attempts
from quiz.reports.scope import Scope

FINE_MAXIMUM = 20
COARSE_BINS = 10


@dataclass(frozen=True)
class Bin:
    start: float
    end: float
    count: int

    def as_json(self) -> dict:
        return {"from": self.start, "to": self.end, "count": self.count}


@dataclass
class Distribution:
    max_score: float
    participants: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    bins: list[Bin]


def round_max_score(scope: Scope) -> float:
    rnd = scope.rnd
    return float(rnd.question_count * rnd.contest.points_per_question)


def bin_edges(max_score: float) -> list[tuple[float, float]]:
    if max_score <= 0:
        return [(0.0, 0.0)]
    if max_score <= FINE_MAXIMUM and float(max_score).is_integer():
        top = int(max_score)
        return [(float(k), float(k + 1)) for k in range(top)] + [(float(top), float(top))]
    width = max_score / COARSE_BINS
    return [(round(width * k, 4), round(width * (k + 1), 4)) for k in range(COARSE_BINS)]


def score_counts(session: Session, counted: CTE) -> list[tuple[float, int]]:
    """(score, how many) per distinct score, lowest first: one grouped pass over the counted attempts.
    Scores are few distinct values (whole points, a few fractions from partial credit), so this is a
    handful of rows however many attempts there are."""
    return [(float(s), int(n)) for s, n in session.execute(
        select(counted.c.score, func.count()).group_by(counted.c.score).order_by(counted.c.score))]


def distribution(session: Session, scope: Scope, counted: CTE | None = None) -> Distribution:
    """Histogram, mean, median, minimum and maximum from one query (``score_counts``): the bins, the sums
    and the middle rows are read off the per-score counts."""
    counted = counted if counted is not None else counted_attempts(scope, units=False)
    max_score = round_max_score(scope)
    edges = bin_edges(max_score)
    last = len(edges) - 1
    width = (edges[0][1] - edges[0][0]) or 1.0
    counts = score_counts(session, counted)
    bins_n = [0] * len(edges)
    n, total = 0, 0.0
    for score, count in counts:
        # scores above the declared maximum (a paper changed after the start) land in the last bin
        index = last if score >= edges[last][0] else min(math.floor(score / width), last)
        if index >= 0:
            bins_n[index] += count
        n, total = n + count, total + score * count
    bins = [Bin(a, b, bins_n[i]) for i, (a, b) in enumerate(edges)]
    mean = total / n if n else None
    low, high = (counts[0][0], counts[-1][0]) if counts else (None, None)
    return Distribution(max_score, n, _f(mean), _f(median_of(counts, n)) if n else None, _f(low), _f(high), bins)


def median_of(counts: list[tuple[float, int]], n: int) -> float | None:
    """The median of the scores given as (score, how many), lowest first: the middle score, or the mean of
    the two middle ones for an even count (what ``percentile_cont(0.5)`` gives)."""
    if not n:
        return None
    wanted = ((n - 1) // 2, n // 2)  # 0-based positions of the middle row(s)
    found, seen = [], 0
    for score, count in counts:
        while len(found) < 2 and wanted[len(found)] < seen + count:
            found.append(score)
        seen += count
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


def _f(value) -> float | None:
    if value is None:
        return None
    return round(float(value) if not isinstance(value, Decimal) else float(value), 4)
