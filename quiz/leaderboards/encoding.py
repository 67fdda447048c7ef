"""The exact Redis encoding of a ranking key: a fixed-width decimal string.

Sorted-set scores are doubles (exact only up to 2^53), too small for score, prediction
distance, duration and submission time together. So every member of a board's sorted set
has score 0 and the order is carried by the member itself: Redis orders equal-score
members by their bytes, and fixed-width decimal digits compare as bytes exactly as the
numbers compare. A member is 64 digits of key and 12 digits of user id::

    SSSSSSSSSSSSSSSS DDDDDDDDDDDDDDDD MMMMMMMMMMMMMMMM TTTTTTTTTTTTTTTT UUUUUUUUUUUU
    10^15 - score×10^4  distance        duration ms       µs since 1970    user id

(no spaces). The score is inverted so that a higher score sorts first. Limits: scores in
(−9×10^11, 10^11] points with at most 4 decimals (the column is NUMERIC(10,4)), distances
and durations below 10^16, submission times before the year 2286, user ids below 10^12;
anything outside raises ``ValueError`` instead of ranking wrongly. Students with the same
first 64 characters are tied: the rank of a member is 1 + the number of members that sort
strictly before its 64-character prefix (``ZLEXCOUNT key - (prefix``), which gives 1, 2, 2, 4.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from quiz.leaderboards.ranking import Result

WIDTH = 16
KEY_LENGTH = 4 * WIDTH
USER_WIDTH = 12
SCORE_OFFSET = 10**15
SCORE_SCALE = 10_000
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_LIMIT = 10**WIDTH


def _field(value: int, what: str) -> str:
    if not 0 <= value < _LIMIT:
        raise ValueError(f"{what} {value} does not fit the leaderboard encoding")
    return f"{value:0{WIDTH}d}"


def micros(when: datetime) -> int:
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return (when - EPOCH) // timedelta(microseconds=1)


def scaled_score(score: Decimal) -> int:
    scaled = Decimal(score) * SCORE_SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"score {score} has more than 4 decimals")
    return int(scaled)


def tie_key(result: Result) -> str:
    """The 64-character key: equal exactly when the ranking rule cannot separate two results."""
    return (_field(SCORE_OFFSET - scaled_score(result.score), "score")
            + _field(result.distance, "distance")
            + _field(result.duration_ms, "duration")
            + _field(micros(result.submitted_at), "submission time"))


def member(result: Result) -> str:
    if not 0 <= result.user_id < 10**USER_WIDTH:
        raise ValueError(f"user id {result.user_id} does not fit the leaderboard encoding")
    return tie_key(result) + f"{result.user_id:0{USER_WIDTH}d}"


def decode(value: str) -> Result:
    """The result a member encodes (used to show score and duration without the database)."""
    if len(value) != KEY_LENGTH + USER_WIDTH or not value.isdigit():
        raise ValueError(f"not a leaderboard member: {value!r}")
    parts = [int(value[i:i + WIDTH]) for i in range(0, KEY_LENGTH, WIDTH)]
    score = (Decimal(SCORE_OFFSET - parts[0]) / SCORE_SCALE).quantize(Decimal("0.0001"))
    return Result(user_id=int(value[KEY_LENGTH:]), score=score, distance=parts[1], duration_ms=parts[2],
                  submitted_at=EPOCH + timedelta(microseconds=parts[3]))


def rank_bound(value: str) -> str:
    """The ZLEXCOUNT upper bound that counts the members ranked strictly before ``value``."""
    return "(" + value[:KEY_LENGTH]
