"""The score distribution of a round: histogram, mean and median, in SQL.

Bins: when the maximum score is at most 20 points, one bin per whole score (0, 1, …, max; a
fractional score from partial credit falls in the bin of its whole part); otherwise ten bins of
equal width. Each bin is [from, to) except the last, which is [from, to] so the maximum counts.

The median is ``percentile_cont(0.5)`` on PostgreSQL and, on SQLite (no percentile function), the
mean of the one or two middle rows found with ``ROW_NUMBER()``/``COUNT() OVER ()``.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import CTE, Float, case, cast, func, select
from sqlalchemy.orm import Session

from quiz.reports.population import counted_attempts
from quiz.reports.scope import Scope
from quiz.reports.sql import floor_int

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


def distribution(session: Session, scope: Scope, counted: CTE | None = None) -> Distribution:
    counted = counted if counted is not None else counted_attempts(scope)
    dialect = session.get_bind().dialect.name
    max_score = round_max_score(scope)
    edges = bin_edges(max_score)
    last = len(edges) - 1
    width = (edges[0][1] - edges[0][0]) or 1.0
    score = cast(counted.c.score, Float)
    index = case((score >= edges[last][0], last), else_=floor_int(score / width, dialect))
    bins_q = select(index.label("bin"), func.count(), func.sum(score), func.min(score), func.max(score)).group_by(index)
    counts: dict[int, int] = {}
    n, total, low, high = 0, 0.0, None, None
    for b, count, summed, lo, hi in session.execute(bins_q):  # one row per bin
        counts[int(b)] = int(count)
        n, total = n + int(count), total + float(summed or 0)
        low = float(lo) if low is None else min(low, float(lo))
        high = float(hi) if high is None else max(high, float(hi))
    # scores above the declared maximum (a paper changed after the start) land in the last bin
    bins = [Bin(a, b, counts.get(i, 0) + (sum(c for k, c in counts.items() if k > last) if i == last else 0))
            for i, (a, b) in enumerate(edges)]
    mean = total / n if n else None
    return Distribution(max_score, n, _f(mean), _f(median(session, counted)) if n else None, _f(low), _f(high), bins)


def median(session: Session, counted: CTE):
    if session.get_bind().dialect.name == "postgresql":
        return session.scalar(select(func.percentile_cont(0.5).within_group(counted.c.score)))
    ordered = select(counted.c.score, func.row_number().over(order_by=counted.c.score).label("rn"),
                     func.count().over().label("n")).subquery("ordered")
    middle = (ordered.c.n + 1) // 2, (ordered.c.n + 2) // 2
    return session.scalar(select(func.avg(ordered.c.score)).where(ordered.c.rn.in_(middle)))


def _f(value) -> float | None:
    if value is None:
        return None
    return round(float(value) if not isinstance(value, Decimal) else float(value), 4)
