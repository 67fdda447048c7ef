"""Scoring an attempt on the server from its frozen paper and saved answers."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import question_bank as qb
from quiz.banks.convert import revision_to_domain
from quiz.models import Answer, Attempt, QuestionRevision


def paper_revisions(session: Session, attempt: Attempt) -> dict[int, QuestionRevision]:
    ids = [aq.revision_id for aq in attempt.paper]
    revs = session.scalars(select(QuestionRevision).where(QuestionRevision.id.in_(ids))
                           .options(selectinload(QuestionRevision.options)))
    return {r.id: r for r in revs}


def answers_of(session: Session, attempt: Attempt) -> dict[int, list[int]]:
    rows = session.execute(select(Answer.question_id, Answer.option_ids).where(Answer.attempt_id == attempt.id))
    return {qid: list(opts or []) for qid, opts in rows}


def question_score(rev: QuestionRevision, option_ids: list[int], points: int) -> Fraction:
    index_of = {o.id: i for i, o in enumerate(rev.options)}
    selected = {index_of[o] for o in option_ids if o in index_of}
    return qb.grade(revision_to_domain(rev), selected) * points


def score(session: Session, attempt: Attempt) -> tuple[Decimal, Decimal]:
    revisions = paper_revisions(session, attempt)
    answers = answers_of(session, attempt)
    total = Fraction(0)
    maximum = 0
    for aq in attempt.paper:
        maximum += aq.points
        total += question_score(revisions[aq.revision_id], answers.get(aq.question_id, []), aq.points)
    return _decimal(total), Decimal(maximum)


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"))


