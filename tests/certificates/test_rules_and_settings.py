"""The award rules page and the Department's certificate settings."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

from PIL import Image
from sqlalchemy import select

from quiz.models import AuditEntry, AwardKind, AwardRule, CertificateSettings

from .helpers import issue_round
from .textlayer import pdf_text


def test_the_usual_awards_and_a_custom_one_are_added(db_session, client, login_as, world, finished_round):
    rnd = finished_round([])
    login_as(world.admin)
    url = f"/certificates/contests/{rnd.contest_id}/rules"
    assert client.post(url, data={"round": rnd.id, "action": "usual"}).status_code == 302
    added = client.post(url, data={"round": "contest", "action": "add", "kind": "rank", "document": "commendation",
                                   "name": "Giải Đặc biệt", "percent": "5", "min_score": "4"})
    assert added.status_code == 302
    rows = db_session.scalars(select(AwardRule).order_by(AwardRule.position)).all()
    assert [(r.name, r.round_id, r.count, r.percent) for r in rows][:4] == [
        ("Giải Nhất", rnd.id, 1, None), ("Giải Nhì", rnd.id, 2, None), ("Giải Ba", rnd.id, 3, None),
        ("Giải Khuyến khích", rnd.id, None, 10)]
    assert rows[4].kind is AwardKind.COMPLETION and rows[4].min_score == 2.5  # half of 5 questions × 1 point
    assert (rows[5].name, rows[5].round_id, rows[5].percent) == ("Giải Đặc biệt", None, 5)
    page = client.get(f"{url}?round={rnd.id}").get_data(as_text=True)
    assert "Giải Khuyến khích" in page and "10% số thí sinh" in page
    assert db_session.scalar(select(AuditEntry.id).where(AuditEntry.action == "certificates.rule_add")) is not None


def test_the_usual_prizes_never_go_to_a_pupil_who_answered_nothing(db_session, client, login_as, world, pupils,
                                                                   finished_round):
    # the probe: 10/10, 0/10, 0/10 — the usual set gave the two 0/10 pupils Giải Nhì (ranks 2, 2)
    rnd = finished_round([(pupils[0], 5), (pupils[1], 0), (pupils[2], 0)])  # 5 questions × 1 point
    login_as(world.admin)
    url = f"/certificates/contests/{rnd.contest_id}/rules"
    assert client.post(url, data={"round": rnd.id, "action": "usual"}).status_code == 302
    minimums = {r.name: r.min_score for r in db_session.scalars(select(AwardRule))}
    assert minimums == {"Giải Nhất": Decimal("4.5"), "Giải Nhì": 4, "Giải Ba": Decimal("3.5"),
                        "Giải Khuyến khích": Decimal("2.5"), "Hoàn thành cuộc thi": Decimal("2.5")}
    page = client.get(f"{url}?round={rnd.id}").get_data(as_text=True)
    assert "điểm từ 4.5 trở lên" in page
    preview = client.get(f"/certificates/contests/{rnd.contest_id}/preview?round={rnd.id}").get_data(as_text=True)
    assert "Trần Thị Ánh Nguyệt" in preview
    assert "Lê Hoàng Đức" not in preview and "Phạm Ngọc Ý" not in preview


@pytest.mark.parametrize("kind,minimum", [("rank", ""), ("rank", "0"), ("completion", ""), ("completion", "0")])
def test_a_prize_or_certificate_without_a_minimum_score_above_zero_is_refused(db_session, client, login_as, world,
                                                                             finished_round, kind, minimum):
    rnd = finished_round([])
    login_as(world.admin)
    response = client.post(f"/certificates/contests/{rnd.contest_id}/rules",
                           data={"round": rnd.id, "action": "add", "kind": kind, "document": "commendation",
                                 "name": "Giải Nhì", "count": "2", "min_score": minimum})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="min_score-error"' in html
    assert "Nhập điểm tối thiểu lớn hơn 0: điểm 0 không bao giờ được trao giải." in html
    assert db_session.scalar(select(AwardRule.id)) is None


def test_a_prize_needs_either_a_count_or_a_percentage(db_session, client, login_as, world, finished_round):
    rnd = finished_round([])
    login_as(world.admin)
    response = client.post(f"/certificates/contests/{rnd.contest_id}/rules",
                           data={"round": rnd.id, "action": "add", "kind": "rank", "document": "commendation",
                                 "name": "Giải Nhất", "count": "1", "percent": "10", "min_score": "4"})
    assert response.status_code == 400
    assert "Nhập số lượng giải hoặc tỉ lệ phần trăm thí sinh, không nhập cả hai." in response.get_data(as_text=True)
    assert db_session.scalar(select(AwardRule.id)) is None


def test_an_award_with_issued_certificates_cannot_be_removed(db_session, client, login_as, world, pupils, clock,
                                                             finished_round):
    rnd = finished_round([(pupils[0], 90)])
    issue_round(db_session, world, rnd, clock.now)
    rule = db_session.scalar(select(AwardRule).where(AwardRule.name == "Giải Nhất"))
    login_as(world.admin)
    response = client.post(f"/certificates/contests/{rnd.contest_id}/rules",
                           data={"round": rnd.id, "action": "delete", "rule_id": rule.id}, follow_redirects=True)
    assert "Không thể xóa giải này" in response.get_data(as_text=True)
    assert db_session.get(AwardRule, rule.id) is not None


def test_settings_with_a_logo_are_printed_on_the_certificates(db_session, client, login_as, world, tmp_path):
    login_as(world.admin)
    logo = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 20, 20)).save(logo, "PNG")
    data = {"authority_name": "UBND TỈNH TÂY NINH", "department_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO TÂY NINH",
            "signer_title": "KT. GIÁM ĐỐC", "signer_name": "Lê Thị Mỹ Hạnh", "place": "Tây Ninh",
            "logo": (io.BytesIO(logo.getvalue()), "logo.png")}
    assert client.post("/certificates/settings", data=data, content_type="multipart/form-data").status_code == 302
    saved = db_session.scalar(select(CertificateSettings))
    assert saved.signer_name == "Lê Thị Mỹ Hạnh" and saved.logo_type == "image/png"
    sample = client.get("/certificates/settings/sample.pdf")
    text = " ".join(pdf_text(sample.data, tmp_path).split())
    assert "KT. GIÁM ĐỐC" in text and "Lê Thị Mỹ Hạnh" in text and "UBND TỈNH TÂY NINH" in text
    assert b"/Subtype /Image" in sample.data


def test_a_logo_that_is_not_an_image_is_refused(db_session, client, login_as, world):
    login_as(world.admin)
    data = {"department_name": "SỞ GD&ĐT", "signer_title": "GIÁM ĐỐC", "signer_name": "A", "place": "Tây Ninh",
            "logo": (io.BytesIO(b"%PDF-1.4 not an image"), "logo.png")}
    response = client.post("/certificates/settings", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "Biểu trưng phải là ảnh PNG hoặc JPEG." in response.get_data(as_text=True)
    assert db_session.scalar(select(CertificateSettings.id)) is None


def test_only_the_department_changes_the_settings(client, login_as, world):
    login_as(world.manager1)
    assert client.get("/certificates/settings").status_code == 403
