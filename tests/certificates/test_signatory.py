"""Who signs a certificate follows the contest's organiser: the Department signs its own contests (the
Director), a school signs its contests and its teachers' class contests (the principal). A class contest
issues GIẤY CHỨNG NHẬN only."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from quiz.certificates import issuing, rules
from quiz.models import AwardKind, AwardRule, Certificate, CertificateSettings, ContestScope, DocumentKind

from .textlayer import pdf_text

DEPARTMENT = {"authority_name": "UBND TỈNH TÂY NINH", "department_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO TÂY NINH",
              "signer_title": "GIÁM ĐỐC", "signer_name": "Nguyễn Thành Trung", "place": "Tây Ninh"}
SCHOOL = {"authority_name": "SỞ GD&ĐT TÂY NINH", "department_name": "TRƯỜNG THCS THỬ NGHIỆM 1",
          "signer_title": "HIỆU TRƯỞNG", "signer_name": "Lê Thị Hoa", "place": "Tây Ninh"}


@pytest.fixture
def class_contest_round(db_session, world, pupils, finished_round):
    """Teacher 1's class contest at school 1, closed and published, Trần Thị Ánh Nguyệt scored 9."""
    rnd = finished_round([(pupils[0], 9)], scope=ContestScope.CLASS, organiser=world.school1,
                         title="Đố vui ASEAN lớp 9A1")
    rnd.contest.created_by_id = world.teacher1.id
    db_session.commit()
    return rnd


def _pdf(client, login_as, db_session, pupil, tmp_path) -> str:
    cert = db_session.scalar(select(Certificate).where(Certificate.recipient_id == pupil.id))
    login_as(pupil)
    response = client.get(f"/certificates/{cert.serial}.pdf")
    assert response.status_code == 200
    return " ".join(pdf_text(response.data, tmp_path).split())


def test_a_teachers_class_contest_is_signed_by_the_school_not_the_director(
        db_session, client, login_as, world, pupils, class_contest_round, clock, tmp_path):
    login_as(world.admin)
    assert client.post("/certificates/settings", data=DEPARTMENT).status_code == 302
    login_as(world.manager1)
    assert client.post(f"/certificates/schools/{world.school1.id}/settings", data=SCHOOL).status_code == 302
    rnd = class_contest_round
    login_as(world.teacher1)
    assert client.post(f"/certificates/contests/{rnd.contest_id}/rules",
                       data={"round": rnd.id, "action": "add", "kind": "completion", "document": "certificate",
                             "name": "Hoàn thành", "min_score": "5"}).status_code == 302
    issuing.issue(db_session, world.teacher1, rnd.contest, rnd, clock.now)
    db_session.commit()

    text = _pdf(client, login_as, db_session, pupils[0], tmp_path)
    assert "SỞ GD&ĐT TÂY NINH" in text and "TRƯỜNG THCS THỬ NGHIỆM 1" in text
    assert "GIẤY CHỨNG NHẬN" in text and "GIẤY KHEN" not in text
    assert "HIỆU TRƯỞNG" in text and "Lê Thị Hoa" in text
    assert "GIÁM ĐỐC" not in text and "Nguyễn Thành Trung" not in text and "UBND" not in text


def test_a_class_contest_offers_only_certificates_and_refuses_a_commendation(
        db_session, client, login_as, world, class_contest_round):
    rnd = class_contest_round
    login_as(world.teacher1)
    url = f"/certificates/contests/{rnd.contest_id}/rules"
    page = client.get(f"{url}?round={rnd.id}").get_data(as_text=True)
    assert 'value="commendation"' not in page and 'value="certificate"' in page
    refused = client.post(url, data={"round": rnd.id, "action": "add", "kind": "rank", "document": "commendation",
                                     "name": "Giải Nhất", "count": "1", "min_score": "8"})
    assert refused.status_code == 400
    assert "Cuộc thi của lớp do giáo viên tổ chức chỉ cấp GIẤY CHỨNG NHẬN" in refused.get_data(as_text=True)
    assert client.post(url, data={"round": rnd.id, "action": "usual"}).status_code == 302
    assert {r.document for r in db_session.scalars(select(AwardRule))} == {DocumentKind.CERTIFICATE}


def test_a_stored_class_contest_commendation_prints_a_certificate(db_session, world, pupils, class_contest_round,
                                                                 clock):
    rnd = class_contest_round
    db_session.add(AwardRule(contest_id=rnd.contest_id, round_id=rnd.id, kind=AwardKind.RANK, name="Giải Nhất",
                             document=DocumentKind.COMMENDATION, position=1, count=1, min_score=Decimal(5),
                             created_at=clock.now))
    db_session.commit()
    issuing.issue(db_session, world.teacher1, rnd.contest, rnd, clock.now)
    assert db_session.scalar(select(Certificate.document)) is DocumentKind.CERTIFICATE


def test_a_school_without_settings_prints_its_name_and_hieu_truong_and_its_page_says_what_is_missing(
        db_session, client, login_as, world, pupils, finished_round, clock, tmp_path):
    rnd = finished_round([(pupils[0], 9)], scope=ContestScope.SCHOOL, organiser=world.school1)
    rules.add_rule(db_session, world.manager1, rnd.contest, rules.RuleInput(
        AwardKind.RANK, "Giải Nhất", DocumentKind.COMMENDATION, rnd.id, count=1, min_score=Decimal(5)), clock.now)
    issuing.issue(db_session, world.manager1, rnd.contest, rnd, clock.now)
    db_session.commit()
    text = _pdf(client, login_as, db_session, pupils[0], tmp_path)
    assert "GIẤY KHEN" in text and "HIỆU TRƯỞNG TRƯỜNG THCS THỬ NGHIỆM 1" in text  # a school may commend
    assert "GIÁM ĐỐC" not in text
    login_as(world.manager1)
    page = client.get(f"/certificates/schools/{world.school1.id}/settings").get_data(as_text=True)
    assert "Chưa nhập tên người ký" in page
    assert client.get(f"/certificates/schools/{world.school1.id}/settings/sample.pdf").status_code == 200


def test_a_manager_cannot_open_another_schools_settings(db_session, client, login_as, world):
    login_as(world.manager2)
    assert client.get(f"/certificates/schools/{world.school1.id}/settings").status_code == 404
    assert client.post(f"/certificates/schools/{world.school1.id}/settings", data=SCHOOL).status_code == 404
    assert db_session.scalar(select(CertificateSettings.id)) is None


def test_the_departments_contest_is_still_signed_by_the_director(db_session, client, login_as, world, pupils,
                                                                finished_round, clock, tmp_path):
    login_as(world.admin)
    assert client.post("/certificates/settings", data=DEPARTMENT).status_code == 302
    login_as(world.manager1)
    assert client.post(f"/certificates/schools/{world.school1.id}/settings", data=SCHOOL).status_code == 302
    rnd = finished_round([(pupils[0], 9)])
    rules.add_rule(db_session, world.admin, rnd.contest, rules.RuleInput(
        AwardKind.RANK, "Giải Nhất", DocumentKind.COMMENDATION, rnd.id, count=1, min_score=Decimal(5)), clock.now)
    issuing.issue(db_session, world.admin, rnd.contest, rnd, clock.now)
    db_session.commit()
    text = _pdf(client, login_as, db_session, pupils[0], tmp_path)
    assert "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO TÂY NINH" in text and "Nguyễn Thành Trung" in text
    assert "Lê Thị Hoa" not in text
