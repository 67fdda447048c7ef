"""The demo: the closed round «Tuần 1» has certificates, among them s101's and s201's."""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from quiz.demo import seed_demo
from quiz.models import Certificate, CertificateStatus, User


def test_demo_students_have_certificates_to_download_and_verify(app, db_session):
    seed_demo(db_session, "mat-khau-demo")
    db_session.commit()
    for username in ("s101", "s201"):
        student = db_session.scalar(select(User).where(User.username == username))
        certs = db_session.scalars(select(Certificate).where(Certificate.recipient_id == student.id)).all()
        assert certs and all(c.status is CertificateStatus.VALID and c.round_title in ("Tuần 1", "Vòng trường")
                             for c in certs)
        client = app.test_client()
        assert client.post("/login", data={"username": username, "password": "mat-khau-demo"}).status_code == 302
        listed = client.get("/api/me/certificates").get_json()
        assert {item["serial"] for item in listed} == {c.serial for c in certs}
        assert client.get(urlsplit(listed[0]["pdf_url"]).path).status_code == 200
        assert app.test_client().get(urlsplit(listed[0]["verify_url"]).path).status_code == 200
    awards = set(db_session.scalars(select(Certificate.award)))
    assert {"Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích", "Hoàn thành bài thi"} <= awards


def test_the_demo_has_a_certificate_signed_by_a_school_principal(app, db_session, tmp_path):
    from .textlayer import pdf_text

    seed_demo(db_session, "mat-khau-demo")
    db_session.commit()
    s101 = db_session.scalar(select(User).where(User.username == "s101"))
    cert = db_session.scalar(select(Certificate).where(Certificate.recipient_id == s101.id,
                                                       Certificate.round_title == "Vòng trường"))
    client = app.test_client()
    assert client.post("/login", data={"username": "s101", "password": "mat-khau-demo"}).status_code == 302
    text = " ".join(pdf_text(client.get(f"/certificates/{cert.serial}.pdf").data, tmp_path).split())
    assert "SỞ GD&ĐT TÂY NINH" in text and "HIỆU TRƯỞNG" in text and "Nguyễn Văn Hòa" in text
    assert "GIÁM ĐỐC" not in text
