"""Preview shows who gets what and issues nothing; issuing needs published results and is idempotent."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from quiz.certificates import issuing, rules
from quiz.errors import Conflict
from quiz.models import AuditEntry, AwardKind, Certificate, CertificateStatus, DocumentKind


def _rules(db_session, world, rnd, now):
    contest = rnd.contest
    rules.add_rule(db_session, world.admin, contest, rules.RuleInput(AwardKind.RANK, "Giải Nhất",
                                                                     DocumentKind.COMMENDATION, rnd.id, count=1,
                                                                     min_score=Decimal(1)), now)
    rules.add_rule(db_session, world.admin, contest, rules.RuleInput(AwardKind.RANK, "Giải Nhì",
                                                                     DocumentKind.COMMENDATION, rnd.id, count=2,
                                                                     min_score=Decimal(1)), now)
    rules.add_rule(db_session, world.admin, contest, rules.RuleInput(AwardKind.COMPLETION, "Hoàn thành bài thi",
                                                                     DocumentKind.CERTIFICATE, rnd.id,
                                                                     min_score=Decimal(50)), now)
    rules.add_rule(db_session, world.admin, contest, rules.RuleInput(AwardKind.UNIT, "Trường tham gia tích cực nhất",
                                                                     DocumentKind.COMMENDATION, rnd.id, count=1), now)
    db_session.commit()


def _count(db_session) -> int:
    return db_session.scalar(select(func.count(Certificate.id)))


def test_preview_page_lists_who_gets_what_and_issues_nothing(db_session, client, login_as, world, pupils, clock,
                                                            finished_round):
    rnd = finished_round([(pupils[0], 95), (pupils[1], 80), (world.student1, 80), (world.student2, 40)])
    _rules(db_session, world, rnd, clock.now)
    login_as(world.admin)
    page = client.get(f"/certificates/contests/{rnd.contest_id}/preview?round={rnd.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Trần Thị Ánh Nguyệt" in html and "Giải Nhất" in html and "Giải Nhì" in html
    assert "Trường THCS Thử Nghiệm 1" in html  # the school award (3 of 80 pupils vs 1 of 80)
    assert html.count(">Sẽ cấp</span>") == 1 + 2 + 3 + 1
    assert _count(db_session) == 0


def test_issue_creates_the_certificates_once_and_rerunning_changes_nothing(db_session, client, login_as, world,
                                                                            pupils, clock, finished_round):
    rnd = finished_round([(pupils[0], 95), (pupils[1], 80), (world.student1, 80), (world.student2, 40)])
    _rules(db_session, world, rnd, clock.now)
    login_as(world.admin)
    url = f"/certificates/contests/{rnd.contest_id}/preview?round={rnd.id}"
    seen = re.search(r'name="fingerprint" value="([0-9a-f]+)"', client.get(url).get_data(as_text=True)).group(1)
    first = client.post(f"/certificates/contests/{rnd.contest_id}/issue", data={"round": rnd.id, "fingerprint": seen})
    assert first.status_code == 302
    assert _count(db_session) == 7
    awards = dict(db_session.execute(select(Certificate.full_name, Certificate.award)
                                     .where(Certificate.award.like("Giải%"))).all())
    assert awards == {"Trần Thị Ánh Nguyệt": "Giải Nhất", "Lê Hoàng Đức": "Giải Nhì", world.student1.full_name: "Giải Nhì"}
    serials = set(db_session.scalars(select(Certificate.serial)))
    again = client.post(f"/certificates/contests/{rnd.contest_id}/issue", data={"round": rnd.id, "fingerprint": seen},
                        follow_redirects=True)  # a second click on the same page (nothing left to issue)
    assert "Đã cấp 0 giấy; 7 giấy đã được cấp từ trước." in again.get_data(as_text=True)
    assert set(db_session.scalars(select(Certificate.serial))) == serials
    assert db_session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "certificates.issue")) == 1
    preview = client.get(f"/certificates/contests/{rnd.contest_id}/preview?round={rnd.id}").get_data(as_text=True)
    assert ">Sẽ cấp</span>" not in preview and "Mọi giấy trong danh sách này đã được cấp." in preview


def test_certificates_record_the_recipient_as_they_were_at_issue(db_session, world, pupils, clock, finished_round):
    rnd = finished_round([(pupils[0], 95)])
    _rules(db_session, world, rnd, clock.now)
    issuing.issue(db_session, world.admin, rnd.contest, rnd, clock.now)
    cert = db_session.scalar(select(Certificate).where(Certificate.award == "Giải Nhất"))
    assert (cert.full_name, cert.class_name, cert.school_name, cert.round_title, cert.rank, cert.score) == (
        "Trần Thị Ánh Nguyệt", "9A1", "Trường THCS Thử Nghiệm 1", "Tuần 1", 1, Decimal(95))
    assert cert.date_of_birth == pupils[0].date_of_birth and cert.status is CertificateStatus.VALID
    pupils[0].full_name = "Trần Thị Ánh Nguyệt Đổi"
    db_session.flush()
    assert db_session.get(Certificate, cert.id).full_name == "Trần Thị Ánh Nguyệt"


def test_nothing_is_issued_before_the_results_are_published(db_session, client, login_as, world, pupils, clock,
                                                           finished_round):
    rnd = finished_round([(pupils[0], 95)], published=False)
    _rules(db_session, world, rnd, clock.now)
    with pytest.raises(Conflict):
        issuing.issue(db_session, world.admin, rnd.contest, rnd, clock.now)
    db_session.rollback()
    login_as(world.admin)
    page = client.get(f"/certificates/contests/{rnd.contest_id}/preview?round={rnd.id}").get_data(as_text=True)
    assert "Kết quả chưa được công bố" in page and "Trần Thị Ánh Nguyệt" in page
    response = client.post(f"/certificates/contests/{rnd.contest_id}/issue", data={"round": rnd.id},
                           follow_redirects=True)
    assert "Chỉ có thể cấp giấy sau khi đã công bố kết quả." in response.get_data(as_text=True)
    assert _count(db_session) == 0


def test_school_staff_cannot_issue_a_province_contest(db_session, client, login_as, world, pupils, clock,
                                                     finished_round):
    rnd = finished_round([(pupils[0], 95)])
    _rules(db_session, world, rnd, clock.now)
    login_as(world.manager1)
    assert client.get(f"/certificates/contests/{rnd.contest_id}/preview?round={rnd.id}").status_code == 404
    assert client.post(f"/certificates/contests/{rnd.contest_id}/issue", data={"round": rnd.id}).status_code == 404
    assert _count(db_session) == 0
