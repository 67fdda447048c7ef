"""The counted result of each student: per round (best or last attempt) and per contest (summed).

This is the database truth every board, unit ranking, prize and report starts from.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.leaderboards.ranking import Result, prediction_distance, sort_key
from quiz.models import Attempt, Contest, Round, ScoringRule


@dataclass(frozen=True)
class RoundResult(Result):
    attempt_id: int = 0


def round_results(session: Session, rnd: Round, *, submitted_before: datetime | None = None,
                  user_ids: Iterable[int] | None = None) -> list[RoundResult]:
    """One result per student who finished an attempt of this round (the counted one).

    ``submitted_before`` gives the board as it stood at that time (a frozen board);
    ``user_ids`` limits the work to these students (the live update of one student)."""
    stmt = select(Attempt.id, Attempt.user_id, Attempt.number, Attempt.score, Attempt.duration_ms,
                  Attempt.submitted_at, Attempt.prediction).where(Attempt.round_id == rnd.id,
                                                                  Attempt.submitted_at.is_not(None))
    if submitted_before is not None:
        stmt = stmt.where(Attempt.submitted_at < submitted_before)
    if user_ids is not None:
        stmt = stmt.where(Attempt.user_id.in_(list(user_ids)))
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


def contest_results(session: Session, contest: Contest, *, cutoffs: Mapping[int, datetime] | None = None,
                    user_ids: Iterable[int] | None = None) -> list[Result]:
    """Per student, the sum over the contest's rounds of the counted results.

    ``cutoffs`` maps a round id to the time its frozen board stands at."""
    totals: dict[int, list] = defaultdict(lambda: [Decimal(0), 0, 0, None])
    ids = list(user_ids) if user_ids is not None else None
    for rnd in contest.rounds:
        cutoff = (cutoffs or {}).get(rnd.id)
        for r in round_results(session, rnd, submitted_before=cutoff, user_ids=ids):
            t = totals[r.user_id]
            t[0] += r.score
            t[1] += r.distance
            t[2] += r.duration_ms
            t[3] = r.submitted_at if t[3] is None or r.submitted_at > t[3] else t[3]
    return [Result(user_id=uid, score=s, distance=d, duration_ms=ms, submitted_at=last)
            for uid, (s, d, ms, last) in totals.items()]
