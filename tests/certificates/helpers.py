"""Issuing a small set of certificates for the tests."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from quiz.certificates import issuing, rules
from quiz.models import AwardKind, Certificate, DocumentKind


def issue_round(db_session, world, rnd, now) -> dict[int, Certificate]:
    """A completion certificate for every participant (score ≥ 1) and a Giải Nhất; returns
    each pupil's completion certificate by user id."""
    contest = rnd.contest
    rules.add_rule(db_session, world.admin, contest, rules.RuleInput(AwardKind.RANK, "Giải Nhất",
                                                                     DocumentKind.COMMENDATION, rnd.id, count=1,
                                                                     min_score=Decimal(1)), now)
    rules.add_rule(db_session, world.admin, contest, rules.RuleInput(AwardKind.COMPLETION, "Hoàn thành bài thi",
                                                                     DocumentKind.CERTIFICATE, rnd.id,
                                                                     min_score=Decimal(1)), now)
    issuing.issue(db_session, world.admin, contest, rnd, now)
    db_session.commit()
    certs = db_session.scalars(select(Certificate).where(Certificate.award == "Hoàn thành bài thi"))
    return {c.recipient_id: c for c in certs}
