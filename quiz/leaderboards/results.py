"""The counted result of each student: per round (best or last attempt) and per contest (summed).

This is the database truth every board, unit ranking, prize and report starts from.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.leaderboards.ranking import Result, prediction_distance, sort_key
from quiz.models import Attempt, Contest, Round, ScoringRule


@dataclass(frozen=True)
class RoundResult(Result):
    attempt_id: int = 0


def round_results(session: Session, rnd: Round, *, submitted_before: datetime | None = None) -> list[RoundResult]:
    """One result per student who finished an attempt of this round (the counted one)."""
    stmt = select(Attempt.id, Attempt.user_id, Attempt.number, Attempt.score, Attempt.duration_ms,
                  Attempt.submitted_at, Attempt.prediction).where(Attempt.round_id == rnd.id,
                                                                  Attempt.submitted_at.is_not(None))
    if submitted_before is not None:
        stmt = stmt.where(Attempt.submitted_at < submitted_before)
    has_question = bool(rnd.prediction_question)
    rule = rnd.contest.scoring_rule
    best: dict[int, tuple[tuple, int, RoundResult]] = {}
    for attempt_id, user_id, number, score, duration, submitted, prediction in session.execute(stmt):
        result = RoundResult(user_id=user_id, score=Decimal(score or 0), duration_ms=duration or 0,
                             submitted_at=submitted,
                             distance=prediction_distance(prediction, rnd.prediction_answer, has_question),
                             attempt_id=attempt_id)
        current = best.get(user_id)
        if rule is ScoringRule.LAST:
            if current is None or number > current[1]:
                best[user_id] = (sort_key(result), number, result)
        elif current is None or sort_key(result) < current[0]:
            best[user_id] = (sort_key(result), number, result)
    return [entry[2] for entry in best.values()]


def contest_results(session: Session, contest: Contest) -> list[Result]:
    """Per student, the sum over the contest's rounds of the counted results."""
    totals: dict[int, list] = defaultdict(lambda: [Decimal(0), 0, 0, None])
    for rnd in contest.rounds:
        for r in round_results(session, rnd):
            t = totals[r.user_id]
            t[0] += r.score
            t[1] += r.distance
            t[2] += r.duration_ms
            t[3] = r.submitted_at if t[3] is None or r.submitted_at > t[3] else t[3]
    return [Result(user_id=uid, score=s, distance=d, duration_ms=ms, submitted_at=last)
            for uid, (s, d, ms, last) in totals.items()]
