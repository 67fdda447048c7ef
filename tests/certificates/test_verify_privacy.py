"""The public verification page shows what proves a certificate, never the pupil's date of birth, class or
account; a visitor may type a date of birth and only learns whether it matches (issue 15, #13)."""
from __future__ import annotations

from datetime import date

from .helpers import issue_round


def _birth_date_formats(day: date) -> list[str]:
    return [day.strftime("%d/%m/%Y"), day.isoformat(), f"{day.day}/{day.month}/{day.year}", day.strftime("%d-%m-%Y"),
            day.strftime("%d.%m.%Y"), day.strftime("%Y%m%d"), day.strftime("%d/%m/%y"), f"{day.month}/{day.day}/{day.year}"]


def _certificate(db_session, world, pupils, clock, finished_round, born=date(2011, 3, 25)):
    pupil = pupils[0]
    pupil.date_of_birth = born
    db_session.commit()
    rnd = finished_round([(pupil, 90), (world.student2, 70)])
    return pupil, issue_round(db_session, world, rnd, clock.now)[pupil.id]


def test_the_verification_page_never_shows_the_birth_date_class_or_account(db_session, client, world, pupils, clock,
                                                                           finished_round):
    pupil, cert = _certificate(db_session, world, pupils, clock, finished_round)
    page = client.get(f"/verify/{cert.serial}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for fact in ("Giấy này còn hiệu lực.", cert.serial, "Trần Thị Ánh Nguyệt", "Trường THCS Thử Nghiệm 1",
                 "Cuộc thi tìm hiểu về ASEAN năm 2026", "Tuần 1", "Hoàn thành bài thi", "GIẤY CHỨNG NHẬN"):
        assert fact in html, fact
    for secret in _birth_date_formats(pupil.date_of_birth):
        assert secret not in html, secret
    assert "9A1" not in html  # the class
    assert pupil.username not in html
    assert ".pdf" not in html  # no link to the PDF (it prints the date of birth)


def test_the_unknown_and_revoked_pages_show_no_birth_date_either(db_session, client, world, pupils, clock,
                                                                 finished_round):
    from quiz.certificates import lifecycle

    pupil, cert = _certificate(db_session, world, pupils, clock, finished_round)
    fresh = lifecycle.reissue(db_session, world.admin, cert, "Sai họ tên", clock.now)
    db_session.commit()
    for serial in (cert.serial, fresh.serial):
        html = client.get(f"/verify/{serial}").get_data(as_text=True)
        assert not [s for s in _birth_date_formats(pupil.date_of_birth) if s in html]


def test_a_typed_birth_date_is_answered_only_with_matches_or_does_not_match(db_session, client, world, pupils,
                                                                            clock, finished_round):
    pupil, cert = _certificate(db_session, world, pupils, clock, finished_round)
    right = client.post(f"/verify/{cert.serial}", data={"date_of_birth": "2011-03-25"})
    assert right.status_code == 200
    html = right.get_data(as_text=True)
    assert "Ngày sinh khớp với giấy này." in html
    wrong = client.post(f"/verify/{cert.serial}", data={"date_of_birth": "26/03/2011"})
    assert wrong.status_code == 200
    html = wrong.get_data(as_text=True)
    assert "Ngày sinh không khớp với giấy này." in html and "Ngày sinh khớp với giấy này." not in html
    for secret in _birth_date_formats(pupil.date_of_birth):
        assert secret not in html, secret
    # the typed date in the Vietnamese order is accepted too
    assert "Ngày sinh khớp" in client.post(f"/verify/{cert.serial}",
                                           data={"date_of_birth": "25/03/2011"}).get_data(as_text=True)


def test_a_birth_date_that_is_not_a_date_gets_a_400_saying_so(db_session, client, world, pupils, clock,
                                                              finished_round):
    _pupil, cert = _certificate(db_session, world, pupils, clock, finished_round)
    for typed in ("", "hôm qua", "31/02/2011", "2011-13-01", "9" * 300):
        response = client.post(f"/verify/{cert.serial}", data={"date_of_birth": typed})
        assert response.status_code == 400, typed
        assert "không phải là một ngày" in response.get_data(as_text=True), typed


def test_checking_a_birth_date_of_an_unknown_serial_is_the_same_404(client, db_session):
    response = client.post("/verify/ASEAN-2026-ZZZZZZZZ", data={"date_of_birth": "2011-03-25"})
    assert response.status_code == 404
    assert "Không tìm thấy giấy chứng nhận" in response.get_data(as_text=True)


def test_birth_date_checks_count_against_the_verification_limit_of_the_address(db_session, client, world, pupils,
                                                                               clock, finished_round):
    _pupil, cert = _certificate(db_session, world, pupils, clock, finished_round)
    statuses = [client.get(f"/verify/{cert.serial}").status_code for _ in range(60)]
    assert set(statuses) == {200}
    refused = client.post(f"/verify/{cert.serial}", data={"date_of_birth": "2011-03-25"})
    assert refused.status_code == 429 and refused.headers["Retry-After"]


def test_one_certificate_answers_only_a_few_birth_date_guesses_a_day_from_any_address(app, db_session, world, pupils,
                                                                                      clock, finished_round):
    from quiz.certificates.verification import BIRTH_DATE_CHECKS_PER_CERTIFICATE

    _pupil, cert = _certificate(db_session, world, pupils, clock, finished_round)
    for k in range(BIRTH_DATE_CHECKS_PER_CERTIFICATE):
        guess = app.test_client().post(f"/verify/{cert.serial}", data={"date_of_birth": f"2011-01-{k + 1:02d}"},
                                       environ_base={"REMOTE_ADDR": f"10.0.0.{k + 1}"})
        assert guess.status_code == 200
    refused = app.test_client().post(f"/verify/{cert.serial}", data={"date_of_birth": "2011-03-25"},
                                     environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert refused.status_code == 429
    assert "Ngày sinh khớp" not in refused.get_data(as_text=True)
    # the certificate itself can still be checked
    assert app.test_client().get(f"/verify/{cert.serial}", environ_base={"REMOTE_ADDR": "10.0.1.2"}).status_code == 200


def test_the_staff_page_still_shows_the_birth_date_and_class(db_session, client, login_as, world, pupils, clock,
                                                             finished_round):
    pupil, cert = _certificate(db_session, world, pupils, clock, finished_round)
    login_as(world.admin)
    html = client.get(f"/certificates/{cert.serial}").get_data(as_text=True)
    assert "25/03/2011" in html and "9A1" in html
