"""What a board is (a round or a contest, live or frozen) and the database facts every path shares."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Iterable

from sqlalchemy import Numeric, cast, func, select
from sqlalchemy.orm import Session

from quiz.leaderboards.ranking import Result
from quiz.leaderboards.results import contest_results, round_results
from quiz.models import Attempt, Contest, Round, Unit, User


@dataclass(frozen=True)
class Row:
    """One line of a board: the rank and what the ranking used to show."""

    rank: int
    user_id: int
    score: Decimal
    duration_ms: int
    distance: int = 0  # of the prediction (summed over a contest's rounds); see ``ranking.prediction_distance``


@dataclass(frozen=True)
class Board:
    """A round board or a contest board (the sum over its rounds).

    ``cutoffs`` (round id → time) makes it the board as it stood then: a frozen public board.
    A board with no cutoffs is live."""

    subject: Round | Contest
    cutoffs: tuple[tuple[int, datetime], ...] = field(default=())

    @property
    def kind(self) -> str:
        return "round" if isinstance(self.subject, Round) else "contest"

    @property
    def id(self) -> int:
        return self.subject.id

    @property
    def live(self) -> bool:
        return not self.cutoffs

    @property
    def contest(self) -> Contest:
        return self.subject.contest if isinstance(self.subject, Round) else self.subject

    @property
    def rounds(self) -> list[Round]:
        return [self.subject] if isinstance(self.subject, Round) else list(self.subject.rounds)

    @property
    def prefix(self) -> str:
        return f"lb:1:{self.kind}:{self.id}"

    @property
    def uses_prediction(self) -> bool:
        """The prediction decides ties on this board (a round with a question and its true answer)."""
        return uses_prediction(self.rounds)

    def signature(self) -> str:
        """Everything besides the attempts that decides the order (a change means: rebuild)."""
        return signature_of(self.contest.scoring_rule.value,
                            [(r.id, bool(r.prediction_question), r.prediction_answer, r.leaderboard_misses or 0)
                             for r in self.rounds], self.cutoffs)


def signature_of(scoring_rule: str, rounds: Iterable[tuple[int, bool, int | None, int]],
                 cutoffs: Iterable[tuple[int, datetime]]) -> str:
    """A board's signature from plain values: (round id, has a prediction question, true answer, leaderboard
    misses) per round. A live board's signature includes the misses (``Round.leaderboard_misses``: updates some
    process could not write to Redis), so the Redis copy of a board that missed one no longer matches and the
    next read rebuilds it from the database; a frozen board (cutoffs) is read from the database anyway, and its
    signature (hence its ETag) must not move with results after its cutoff."""
    cutoffs = list(cutoffs)
    parts = [scoring_rule]
    for rid, has_question, answer, misses in rounds:
        parts.append(f"{rid}:{int(has_question)}:{answer}" + ("" if cutoffs else f"~{misses or 0}"))
    parts += [f"{rid}<{at.isoformat()}" for rid, at in cutoffs]
    return "|".join(parts)


def uses_prediction(rounds: Iterable) -> bool:
    """Whether the prediction distance is part of the order (``ranking.prediction_distance`` is 0 otherwise)."""
    return any(r.prediction_question and r.prediction_answer is not None for r in rounds)


def distance_shown(rounds: Iterable, organiser: bool, now: datetime) -> bool:
    """Whether a viewer sees the prediction distances: they give the true answer away, so the organisers see them
    at once, everyone else once every round whose prediction counts has closed."""
    counted = [r for r in rounds if r.prediction_question and r.prediction_answer is not None]
    return bool(counted) and (organiser or all(now >= r.closes_at for r in counted))


def round_board(rnd: Round, cutoff: datetime | None = None) -> Board:
    return Board(rnd, ((rnd.id, cutoff),) if cutoff else ())


def contest_board(contest: Contest, cutoffs: dict[int, datetime] | None = None) -> Board:
    return Board(contest, tuple(sorted((cutoffs or {}).items())))


def results(session: Session, board: Board, user_ids: list[int] | None = None) -> list[Result]:
    """The counted result of each student on this board (the database truth)."""
    cutoffs = dict(board.cutoffs)
    if isinstance(board.subject, Round):
        return list(round_results(session, board.subject, submitted_before=cutoffs.get(board.id), user_ids=user_ids))
    return contest_results(session, board.subject, cutoffs=cutoffs, user_ids=user_ids)


def unit_paths(session: Session, board: Board, user_ids: list[int] | None = None) -> dict[int, str]:
    """The class path (``/dept/area/school/class/``) of every student who has an attempt on the board."""
    round_ids = [r.id for r in board.rounds]
    takers = select(Attempt.user_id).where(Attempt.round_id.in_(round_ids))
    if user_ids is not None:
        takers = takers.where(Attempt.user_id.in_(user_ids))
    stmt = select(User.id, Unit.path).join(Unit, User.unit_id == Unit.id).where(User.id.in_(takers))
    return {uid: path for uid, path in session.execute(stmt)}


def path_units(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def fingerprint(session: Session, board: Board) -> str:
    """Changes whenever an attempt of the board is finished, reopened or rescored."""
    return fingerprint_of(session, board.signature(), [r.id for r in board.rounds], dict(board.cutoffs))


def fingerprint_of(session: Session, signature: str, round_ids: list[int], cutoffs: dict[int, datetime]) -> str:
    """``fingerprint`` from plain values (the poll path has no ORM board): one aggregate query per round."""
    parts = [signature]
    for rid in round_ids:
        weight = cast(Attempt.id, Numeric(30, 4))  # weighted by attempt: two results swapping still change it
        stmt = select(func.count(Attempt.id), func.max(Attempt.submitted_at), func.max(Attempt.id),
                      func.sum(Attempt.score), func.sum(Attempt.duration_ms), func.sum(Attempt.prediction),
                      func.sum(Attempt.number), func.sum(weight * Attempt.score),
                      func.sum(weight * Attempt.duration_ms), func.sum(weight * Attempt.prediction),
                      func.sum(cast(Attempt.user_id, Numeric(30, 4)) * Attempt.number)
                      ).where(Attempt.round_id == rid, Attempt.submitted_at.is_not(None))
        cutoff = cutoffs.get(rid)
        if cutoff is not None:
            stmt = stmt.where(Attempt.submitted_at < cutoff)
        parts.append(repr(tuple(session.execute(stmt).one())))
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:24]
