"""Demo certificates: the closed, published round «Tuần 1» has its prizes and participation certificates
(signed by the Department's Director), and school 1's own contest has certificates signed by its principal."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz import clock
from quiz.certificates import issuing
from quiz.certificates.rules import USUAL_PRIZES, RuleInput, add_rule, add_usual_rules, maximum_score
from quiz.demo.contests import CONTEST_TITLE, _round, _simulate
from quiz.models import (AwardKind, Bank, CertificateSettings, Contest, ContestScope, ContestStatus, DocumentKind,
                         ReviewPolicy, Unit, UnitKind, User)

SCHOOL_CONTEST_TITLE = "Rung chuông vàng ASEAN cấp trường"


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
    return issuing.issue(session, admin, contest, week1, issued_at).issued + _school_contest(session, contest)


def _school_contest(session: Session, province: Contest) -> int:
    """School 1's own quiz (one closed round), its certificate settings and its principal-signed certificates."""
    manager = session.scalar(select(User).where(User.username == "manager1"))
    if manager is None:
        return 0
    school = manager.unit
    now = clock.now()
    session.add(CertificateSettings(unit_id=school.id, authority_name="SỞ GD&ĐT TÂY NINH",
                                    department_name=school.name.upper(), signer_title="HIỆU TRƯỞNG",
                                    signer_name=manager.full_name, place="Tây Ninh", updated_at=now))
    contest = Contest(title=SCHOOL_CONTEST_TITLE, scope=ContestScope.SCHOOL, organiser_unit=school,
                      created_by_id=manager.id, status=ContestStatus.PUBLISHED, grades=[], attempts_allowed=1,
                      points_per_question=5, review_policy=ReviewPolicy.AFTER_CLOSE, results_public=True,
                      leaderboard_public=True, leaderboard_initials=False, created_at=now - timedelta(days=15),
                      description="Vòng thi cấp trường tìm hiểu về ASEAN dành cho học sinh của trường.")
    bank_id = province.rounds[0].banks[0].bank_id
    rnd = _round(contest, 1, "Vòng trường", now - timedelta(days=12), now - timedelta(days=10),
                 session.get(Bank, bank_id), "Theo em, có bao nhiêu bạn trả lời đúng cả 20 câu?")
    session.add(contest)
    session.flush()
    _simulate(session, rnd, prefix="s1")
    add_usual_rules(session, manager, contest, rnd, now)
    return issuing.issue(session, manager, contest, rnd, min(now, rnd.results_published_at + timedelta(hours=2))).issued
