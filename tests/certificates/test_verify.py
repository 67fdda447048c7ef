"""The public verification page: valid, unknown (404), revoked with its reason, replaced with the new serial."""
from __future__ import annotations

from quiz.certificates import lifecycle

from .helpers import issue_round


def test_a_valid_certificate_shows_what_proves_it_without_login(db_session, client, world, pupils, clock, finished_round):
    rnd = finished_round([(pupils[0], 90), (world.student2, 70)])
    cert = issue_round(db_session, world, rnd, clock.now)[pupils[0].id]
    page = client.get(f"/verify/{cert.serial}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for fact in ("Giấy này còn hiệu lực.", cert.serial, "Trần Thị Ánh Nguyệt", "Trường THCS Thử Nghiệm 1",
                 "Cuộc thi tìm hiểu về ASEAN năm 2026", "Tuần 1", "Hoàn thành bài thi", "GIẤY CHỨNG NHẬN"):
        assert fact in html, fact
    # the pupil's date of birth and class are not public (test_verify_privacy.py)
    assert pupils[0].date_of_birth.strftime("%d/%m/%Y") not in html


def test_a_serial_typed_in_lower_case_with_spaces_is_found(db_session, client, world, pupils, clock, finished_round):
    rnd = finished_round([(pupils[0], 90)])
    cert = issue_round(db_session, world, rnd, clock.now)[pupils[0].id]
    assert client.get(f"/verify/{cert.serial.lower()}").status_code == 200
    found = client.get("/verify", query_string={"serial": f" {cert.serial.lower()} "})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/verify/{cert.serial}")


def test_an_unknown_serial_gets_a_clear_404_page(client, db_session):
    page = client.get("/verify/ASEAN-2026-ZZZZZZZZ")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "Không tìm thấy giấy chứng nhận" in html and "ASEAN-2026-ZZZZZZZZ" in html


def test_a_revoked_certificate_says_so_and_why(db_session, client, world, pupils, clock, finished_round):
    rnd = finished_round([(pupils[0], 90)])
    cert = issue_round(db_session, world, rnd, clock.now)[pupils[0].id]
    lifecycle.revoke(db_session, world.admin, cert, "Phát hiện gian lận khi làm bài", clock.now)
    db_session.commit()
    html = client.get(f"/verify/{cert.serial}").get_data(as_text=True)
    assert "Giấy này đã bị thu hồi ngày" in html and "Phát hiện gian lận khi làm bài" in html
    assert "Giấy này còn hiệu lực." not in html


def test_a_replaced_certificate_links_the_new_serial(db_session, client, world, pupils, clock, finished_round):
    rnd = finished_round([(pupils[0], 90)])
    cert = issue_round(db_session, world, rnd, clock.now)[pupils[0].id]
    fresh = lifecycle.reissue(db_session, world.admin, cert, "Sai họ tên", clock.now)
    db_session.commit()
    html = client.get(f"/verify/{cert.serial}").get_data(as_text=True)
    assert "đã được thay thế" in html and "Sai họ tên" in html
    assert f'href="/verify/{fresh.serial}"' in html
    assert "Giấy này còn hiệu lực." in client.get(f"/verify/{fresh.serial}").get_data(as_text=True)
