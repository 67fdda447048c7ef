"""Creating questions, revising them and moving them through the review workflow."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import question_bank as qb
from quiz import clock
from quiz.banks.convert import copy_to_question, new_revision
from quiz.errors import Conflict, ValidationFailed
from quiz.models import AttemptQuestion, Bank, Question, QuestionRevision, QuestionStatus, User

# Which status may follow which.
TRANSITIONS: dict[QuestionStatus, set[QuestionStatus]] = {
    QuestionStatus.DRAFT: {QuestionStatus.REVIEW, QuestionStatus.APPROVED, QuestionStatus.RETIRED},
    QuestionStatus.REVIEW: {QuestionStatus.DRAFT, QuestionStatus.APPROVED, QuestionStatus.RETIRED},
    QuestionStatus.APPROVED: {QuestionStatus.RETIRED, QuestionStatus.REVIEW},
    QuestionStatus.RETIRED: {QuestionStatus.DRAFT, QuestionStatus.APPROVED},
}


def check(domain: qb.Question, lang: str = "vi") -> None:
    """Raise ``ValidationFailed`` with every problem of ``domain`` by field."""
    problems = qb.validate(domain)
    if problems:
        errors: dict[str, list[str]] = {}
        for p in problems:
            errors.setdefault(p.field or "question", []).append(p.message(lang))
        raise ValidationFailed(str(_l("The question was not saved: correct the marked fields.")), errors)


def add_question(session: Session, bank: Bank, domain: qb.Question, actor: User | None,
                 status: QuestionStatus = QuestionStatus.DRAFT, *, validate: bool = True) -> Question:
    """Add one question with its first revision (flushes; the caller commits)."""
    if validate:
        check(domain)
    now = clock.now()
    question = Question(bank=bank, key=domain.key, status=status, created_by_id=actor.id if actor else None,
                        created_at=now, updated_at=now, type=domain.type.value, difficulty=domain.difficulty.value,
                        languages="", search_text="")
    session.add(question)
    rev = new_revision(domain, 1, actor.id if actor else None, now)
    rev.question = question
    session.add(rev)
    session.flush()
    copy_to_question(question, rev, domain)
    return question


def revision_in_use(session: Session, rev: QuestionRevision) -> bool:
    return session.scalar(select(func.count()).select_from(AttemptQuestion)
                          .where(AttemptQuestion.revision_id == rev.id)) > 0


def revise(session: Session, question: Question, domain: qb.Question, actor: User | None) -> QuestionRevision:
    """Save new content. An approved or already used revision is never changed: a new one is created."""
    check(domain)
    now = clock.now()
    current = question.current_revision
    if current is not None and question.status is not QuestionStatus.APPROVED and not revision_in_use(session, current):
        fresh = new_revision(domain, current.number, actor.id if actor else None, now)
        current.type, current.stem, current.explanation = fresh.type, fresh.stem, fresh.explanation
        current.pillar, current.difficulty, current.tags = fresh.pillar, fresh.difficulty, fresh.tags
        current.source, current.name = fresh.source, fresh.name
        current.options = fresh.options
        rev = current
    else:
        number = (session.scalar(select(func.max(QuestionRevision.number))
                                 .where(QuestionRevision.question_id == question.id)) or 0) + 1
        rev = new_revision(domain, number, actor.id if actor else None, now)
        rev.question = question
        session.add(rev)
    session.flush()
    question.key = domain.key if domain.key is not None else question.key
    copy_to_question(question, rev, domain)
    question.updated_at = now
    return rev


def set_status(question: Question, status: QuestionStatus) -> None:
    if status is question.status:
        return
    if status not in TRANSITIONS[question.status]:
        raise Conflict(str(_l("A question cannot go from %(a)s to %(b)s.", a=status_label(question.status),
                              b=status_label(status))))
    question.status = status
    question.updated_at = clock.now()


def status_label(status: QuestionStatus) -> str:
    labels = {QuestionStatus.DRAFT: _l("draft"), QuestionStatus.REVIEW: _l("in review"),
              QuestionStatus.APPROVED: _l("approved"), QuestionStatus.RETIRED: _l("retired")}
    return str(labels[status])
