"""One class's results: every student (also those who did not take part) and, once the contest's review
policy allows it (``quiz.attempts.review.policy_reached``), each student's answers against the key.

A class holds a few dozen students, so the papers of its counted attempts are read as objects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from quiz.attempts.review import policy_reached
from quiz.attempts.scoring import question_score
from quiz.models import Answer, Attempt, AttemptQuestion, QuestionRevision, Role, Unit, User
from quiz.reports.participation import results_query
from quiz.reports.population import counted_attempts
from quiz.reports.scope import Scope, visible_class


@dataclass
class AnswerLine:
    position: int
    question_id: int
    stem: dict
    chosen: str  # letters, "" for a blank
    key: str
    correct: bool
    earned: float
    points: int


@dataclass
class StudentLine:
    user_id: int
    name: str
    username: str
    rank: int | None = None  # rank within the viewer's scope
    score: float | None = None
    max_score: float | None = None
    duration_ms: int | None = None
    submitted_at: datetime | None = None
    answers: list[AnswerLine] = field(default_factory=list)


@dataclass
class ClassReport:
    klass: Unit
    students: list[StudentLine]
    review: bool  # answers against the key may be shown

    @property
    def participants(self) -> int:
        return sum(1 for s in self.students if s.score is not None)


def class_report(session: Session, scope: Scope, class_id: int, now: datetime) -> ClassReport:
    klass = visible_class(session, scope, class_id)
    counted = counted_attempts(scope)
    ranked = results_query(scope, counted).subquery("ranked")
    rows = session.execute(select(ranked).join(User, User.id == ranked.c.user_id)
                           .where(User.unit_id == klass.id)).all()
    lines: dict[int, StudentLine] = {}
    attempt_of: dict[int, int] = {}
    for r in rows:
        lines[r.user_id] = StudentLine(r.user_id, r.full_name, r.username, r.rank, float(r.score),
                                       float(r.max_score), int(r.duration_ms), r.submitted_at)
        attempt_of[r.attempt_id] = r.user_id
    for u in session.scalars(select(User).where(User.unit_id == klass.id, User.role == Role.STUDENT,
                                                User.is_active.is_(True))):
        lines.setdefault(u.id, StudentLine(u.id, u.full_name, u.username))
    attempts = session.scalars(select(Attempt).where(Attempt.id.in_(list(attempt_of)))
                               .options(selectinload(Attempt.paper))).all()
    review = bool(attempts) and all(policy_reached(a, now) for a in attempts)
    if review:
        _fill_answers(session, attempts, attempt_of, lines)
    students = sorted(lines.values(), key=lambda s: (s.rank is None, s.rank or 0, s.name))
    return ClassReport(klass, students, review)


def _fill_answers(session: Session, attempts: list[Attempt], attempt_of: dict[int, int],
                  lines: dict[int, StudentLine]) -> None:
    revision_ids = {aq.revision_id for a in attempts for aq in a.paper}
    revisions = {r.id: r for r in session.scalars(select(QuestionRevision).where(QuestionRevision.id.in_(revision_ids))
                                                  .options(selectinload(QuestionRevision.options)))}
    saved = {(a, q): list(opts or []) for a, q, opts in session.execute(
        select(Answer.attempt_id, Answer.question_id, Answer.option_ids)
        .where(Answer.attempt_id.in_([a.id for a in attempts])))}
    for attempt in attempts:
        paper: list[AttemptQuestion] = attempt.paper
        for aq in paper:
            rev = revisions[aq.revision_id]
            letter = {o.id: chr(65 + i) for i, o in enumerate(rev.options)}
            chosen = saved.get((attempt.id, aq.question_id), [])
            key = [o.id for o in rev.options if o.correct]
            lines[attempt_of[attempt.id]].answers.append(AnswerLine(
                aq.position + 1, aq.question_id, rev.stem,
                ", ".join(sorted(letter.get(o, "?") for o in chosen)), ", ".join(letter[o] for o in key),
                bool(key) and set(chosen) == set(key), float(question_score(rev, chosen, aq.points)), aq.points))
