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
        assert certs and all(c.status is CertificateStatus.VALID and c.round_title == "Tuần 1" for c in certs)
        client = app.test_client()
        assert client.post("/login", data={"username": username, "password": "mat-khau-demo"}).status_code == 302
        listed = client.get("/api/me/certificates").get_json()
        assert {item["serial"] for item in listed} == {c.serial for c in certs}
        assert client.get(urlsplit(listed[0]["pdf_url"]).path).status_code == 200
        assert app.test_client().get(urlsplit(listed[0]["verify_url"]).path).status_code == 200
    awards = set(db_session.scalars(select(Certificate.award)))
    assert {"Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích", "Hoàn thành bài thi"} <= awards
