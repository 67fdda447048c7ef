"""Students get their own certificates (page, API, PDF); staff see only their school or classes."""
from __future__ import annotations

from quiz.certificates import lifecycle

from .helpers import issue_round
from .textlayer import pdf_text

PUBLIC = "http://127.0.0.1:5000"  # QUIZ_PUBLIC_URL's default outside production


def test_the_api_lists_the_students_own_certificates(db_session, client, login_as, world, pupils, clock,
                                                     finished_round):
    rnd = finished_round([(pupils[0], 90), (world.student1, 70), (world.student2, 60)])
    certs = issue_round(db_session, world, rnd, clock.now)
    login_as(pupils[0])
    body = client.get("/api/me/certificates").get_json()
    assert {tuple(sorted(item)) for item in body} == {("award", "contest", "pdf_url", "round", "serial", "verify_url")}
    assert sorted(item["award"] for item in body) == ["Giải Nhất", "Hoàn thành bài thi"]
    mine = next(item for item in body if item["serial"] == certs[pupils[0].id].serial)
    assert mine == {"serial": mine["serial"], "contest": "Cuộc thi tìm hiểu về ASEAN năm 2026", "round": "Tuần 1",
                    "award": "Hoàn thành bài thi", "pdf_url": f"{PUBLIC}/certificates/{mine['serial']}.pdf",
                    "verify_url": f"{PUBLIC}/verify/{mine['serial']}"}
    assert client.get(mine["pdf_url"].removeprefix(PUBLIC)).status_code == 200


def test_the_api_needs_a_login(client, db_session):
    assert client.get("/api/me/certificates").status_code == 401


def test_a_revoked_certificate_disappears_from_the_students_list(db_session, client, login_as, world, pupils, clock,
                                                                finished_round):
    rnd = finished_round([(pupils[0], 90), (world.student1, 70)])
    cert = issue_round(db_session, world, rnd, clock.now)[world.student1.id]
    lifecycle.revoke(db_session, world.admin, cert, "Cấp nhầm", clock.now)
    db_session.commit()
    login_as(world.student1)
    assert client.get("/api/me/certificates").get_json() == []
    assert client.get(f"/certificates/{cert.serial}.pdf").status_code == 404


def test_the_students_page_offers_the_pdf_and_the_pdf_has_their_name(db_session, client, login_as, world, pupils,
                                                                    clock, finished_round, tmp_path):
    rnd = finished_round([(pupils[0], 90)])
    cert = issue_round(db_session, world, rnd, clock.now)[pupils[0].id]
    login_as(pupils[0])
    page = client.get("/certificates/mine").get_data(as_text=True)
    assert cert.serial in page and f"/certificates/{cert.serial}.pdf" in page
    response = client.get(f"/certificates/{cert.serial}.pdf?download=1")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{cert.serial}.pdf"'
    text = " ".join(pdf_text(response.data, tmp_path).split())
    assert "Trần Thị Ánh Nguyệt" in text and cert.serial in text and f"{PUBLIC}/verify/{cert.serial}" in text


def test_another_pupils_or_another_schools_certificate_is_a_404(db_session, client, login_as, world, pupils, clock,
                                                               finished_round):
    rnd = finished_round([(pupils[0], 90), (world.student2, 70)])
    certs = issue_round(db_session, world, rnd, clock.now)
    school1, school2 = certs[pupils[0].id], certs[world.student2.id]
    login_as(world.student1)
    assert client.get(f"/certificates/{school1.serial}.pdf").status_code == 404
    login_as(world.manager1)
    assert client.get(f"/certificates/{school1.serial}.pdf").status_code == 200
    assert client.get(f"/certificates/{school2.serial}.pdf").status_code == 404
    assert client.get(f"/certificates/{school2.serial}").status_code == 404
    assert client.post(f"/certificates/{school2.serial}/revoke", data={"reason": "thử"}).status_code == 404
    login_as(world.teacher2)
    assert client.get(f"/certificates/{school2.serial}.pdf").status_code == 200
    assert client.get(f"/certificates/{school1.serial}.pdf").status_code == 404
    page = client.get(f"/certificates/contests/{rnd.contest_id}").get_data(as_text=True)
    assert school2.serial in page and school1.serial not in page
    login_as(world.admin)
    assert client.get(f"/certificates/{school2.serial}.pdf").status_code == 200
