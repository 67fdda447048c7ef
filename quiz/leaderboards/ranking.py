"""The ranking rule, applied identically everywhere (boards, unit rankings, prizes).

Per round: score (desc) → distance of the prediction from the true value (asc; only when
the round has a prediction question, a missing prediction counts as the farthest) →
duration in ms (asc) → submission time (asc). Students whose whole key is identical
share a rank ("đồng hạng") and the next rank is skipped: 1, 2, 2, 4.

Per contest: the counted attempt of each round (best or last, by the contest's rule) is
summed: total score (desc) → total prediction distance (asc) → total duration (asc) →
time of the last counted submission (asc).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Iterable, TypeVar

NO_PREDICTION = 2**31 - 1  # a missing prediction is farther than any real one


@dataclass(frozen=True)
class Result:
    user_id: int
    score: Decimal
    duration_ms: int
    submitted_at: datetime
    distance: int = 0  # |prediction - true value|; 0 when the round has no prediction question


def prediction_distance(prediction: int | None, truth: int | None, has_question: bool) -> int:
    if not has_question or truth is None:
        return 0
    if prediction is None:
        return NO_PREDICTION
    return min(abs(prediction - truth), NO_PREDICTION - 1)


def sort_key(r: Result) -> tuple:
    return (-r.score, r.distance, r.duration_ms, r.submitted_at)


R = TypeVar("R", bound=Result)


def ranked(results: Iterable[R]) -> list[tuple[int, R]]:
    """Standard competition ranking (1, 2, 2, 4) over the full key."""
    ordered = sorted(results, key=lambda r: (sort_key(r), r.user_id))
    out: list[tuple[int, R]] = []
    previous = None
    rank = 0
    for position, r in enumerate(ordered, start=1):
        key = sort_key(r)
        if key != previous:
            rank = position
            previous = key
        out.append((rank, r))
    return out
