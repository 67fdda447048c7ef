"""Demo certificates: the closed, published round «Tuần 1» has its prizes and participation certificates."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz import clock
from quiz.certificates import issuing
from quiz.certificates.rules import USUAL_PRIZES, RuleInput, add_rule, maximum_score
from quiz.demo.contests import CONTEST_TITLE
from quiz.models import AwardKind, CertificateSettings, Contest, DocumentKind, Unit, UnitKind, User


def seed_certificates(session: Session) -> int:
    """Settings of the Department, award rules of the closed round, and its certificates; returns how many."""
    admin = session.scalar(select(User).where(User.username == "admin"))
    contest = session.scalar(select(Contest).where(Contest.title == CONTEST_TITLE))
    department = session.scalar(select(Unit).where(Unit.kind == UnitKind.DEPARTMENT))
    if admin is None or contest is None or department is None:
        return 0
    now = clock.now()
    session.add(CertificateSettings(unit_id=department.id, authority_name="UBND TỈNH TÂY NINH",
                                    department_name=department.name.upper(), signer_title="GIÁM ĐỐC",
                                    signer_name="Nguyễn Thành Trung", place="Tây Ninh", updated_at=now))
    week1 = next(r for r in contest.rounds if r.results_published_at is not None)
    top = maximum_score(contest, week1)
    for name, count, percent, least in USUAL_PRIZES:
        add_rule(session, admin, contest, RuleInput(AwardKind.RANK, name, DocumentKind.COMMENDATION, week1.id,
                                                    count, percent, top * least / 100), now)
    # every pupil who scored something gets a participation certificate (a score of 0 never does)
    add_rule(session, admin, contest, RuleInput(AwardKind.COMPLETION, "Hoàn thành bài thi",
                                                DocumentKind.CERTIFICATE, week1.id, min_score=Decimal(1)), now)
    add_rule(session, admin, contest, RuleInput(AwardKind.UNIT, "Đơn vị có tỉ lệ học sinh tham gia cao nhất",
                                                DocumentKind.COMMENDATION, week1.id, count=1), now)
    issued_at = min(now, week1.results_published_at + timedelta(hours=3))
    return issuing.issue(session, admin, contest, week1, issued_at).issued
