"""The result screen of a finished attempt: what the pupil may see of it now, each part by its own rule.

- The total score and the duration: always (the pupil's own).
- Right / wrong / unanswered counts: only when ``review.key_decision`` allows the key. With two to four options,
  "question 3 was wrong" is the key of a single-choice question, so while the pupil can still answer the round
  the screen shows the number answered and unanswered only (answering is the pupil's own knowledge).
- The review button: only when ``key_decision`` allows it; otherwise its reason (when it will be).
- The rank: only when the leaderboard visibility rules (``leaderboards.visibility``) let this pupil see the
  round's board, read from that board.
- The certificate: the pupil's own valid certificate of this round, or of the contest (``certificates.scoping``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from quiz.attempts import review, scoring
from quiz.certificates.scoping import visible_query
from quiz.errors import NotFound
from quiz.models import Attempt, Certificate, User


@dataclass
class Outcome:
    attempt: Attempt
    questions: int
    answered: int
    right: int | None  # None: not shown (the key is not allowed yet)
    wrong: int | None
    key: review.KeyDecision
    rank: int | None
    ranked: int | None  # how many on the board
    certificate: Certificate | None

    @property
    def unanswered(self) -> int:
        return self.questions - self.answered

    @property
    def minutes(self) -> int:
        return (self.attempt.duration_ms or 0) // 60000

    @property
    def seconds(self) -> int:
        return ((self.attempt.duration_ms or 0) // 1000) % 60


def _rank(session: Session, student: User, attempt: Attempt, now: datetime) -> tuple[int | None, int | None]:
    from quiz.leaderboards import board as board_reader
    from quiz.leaderboards.visibility import round_view

    try:
        view = round_view(session, student, attempt.round_id, now)
    except NotFound:
        return None, None
    page = board_reader.read(session, view.board, limit=1, me_id=student.id)
    return (page.me.rank if page.me is not None else None), page.total


def outcome_of(session: Session, student: User, attempt: Attempt, now: datetime, *, grace: int) -> Outcome:
    """The result screen of ``attempt`` (the pupil's own, finished)."""
    answers = scoring.answers_of(session, attempt)
    answered = sum(1 for aq in attempt.paper if answers.get(aq.question_id))
    key = review.key_decision(session, attempt, now, grace=grace)
    right = wrong = None
    if key.allowed:
        revisions = scoring.paper_revisions(session, attempt)
        right = sum(1 for aq in attempt.paper if answers.get(aq.question_id) and scoring.question_score(
            revisions[aq.revision_id], answers[aq.question_id], aq.points) == aq.points)
        wrong = answered - right
    rank, ranked = _rank(session, student, attempt, now)
    certificate = session.scalars(
        visible_query(student).where(Certificate.contest_id == attempt.round.contest_id)
        .where((Certificate.round_id == attempt.round_id) | Certificate.round_id.is_(None))
        .order_by(Certificate.round_id.is_(None), Certificate.issued_at.desc())).first()
    return Outcome(attempt, len(attempt.paper), answered, right, wrong, key, rank, ranked, certificate)
