"""Revoke and reissue: a reason is required, both are in the audit log, a reissue gets a new serial."""
from __future__ import annotations

from sqlalchemy import select

from quiz.models import AuditEntry, Certificate, CertificateStatus

from .helpers import issue_round


def test_revoke_needs_a_reason_and_is_audited(db_session, client, login_as, world, pupils, clock, finished_round):
    rnd = finished_round([(pupils[0], 90)])
    cert = issue_round(db_session, world, rnd, clock.now)[pupils[0].id]
    login_as(world.admin)
    refused = client.post(f"/certificates/{cert.serial}/revoke", data={"reason": " "}, follow_redirects=True)
    assert "Hãy nhập lý do" in refused.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Certificate, cert.id).status is CertificateStatus.VALID
    done = client.post(f"/certificates/{cert.serial}/revoke", data={"reason": "Cấp nhầm người"}, follow_redirects=True)
    assert f"Đã thu hồi giấy số {cert.serial}." in done.get_data(as_text=True)
    db_session.expire_all()
    revoked = db_session.get(Certificate, cert.id)
    assert (revoked.status, revoked.reason, revoked.status_changed_at) == (CertificateStatus.REVOKED, "Cấp nhầm người",
                                                                           clock.now)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "certificates.revoke"))
    assert entry.actor_name == "admin" and entry.details == {"serial": cert.serial, "reason": "Cấp nhầm người"}
    again = client.post(f"/certificates/{cert.serial}/revoke", data={"reason": "lần hai"}, follow_redirects=True)
    assert "không còn hiệu lực" in again.get_data(as_text=True)


def test_reissue_gives_a_new_serial_with_the_corrected_name_and_the_old_one_is_replaced(
        db_session, client, login_as, world, pupils, clock, finished_round):
    rnd = finished_round([(pupils[0], 90)])
    cert = issue_round(db_session, world, rnd, clock.now)[pupils[0].id]
    pupils[0].full_name = "Trần Thị Ánh Nguyệt Minh"
    db_session.commit()
    clock.advance(days=2)
    login_as(world.admin)
    response = client.post(f"/certificates/{cert.serial}/reissue", data={"reason": "Sửa họ tên theo giấy khai sinh"})
    assert response.status_code == 302
    db_session.expire_all()
    old = db_session.get(Certificate, cert.id)
    fresh = old.replaced_by
    assert old.status is CertificateStatus.REPLACED and old.reason == "Sửa họ tên theo giấy khai sinh"
    assert fresh.serial != old.serial and fresh.status is CertificateStatus.VALID
    assert (fresh.full_name, fresh.award, fresh.issued_at) == ("Trần Thị Ánh Nguyệt Minh", old.award, clock.now)
    assert response.headers["Location"].endswith(f"/certificates/{fresh.serial}")
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "certificates.reissue"))
    assert entry.details == {"old": old.serial, "new": fresh.serial, "reason": "Sửa họ tên theo giấy khai sinh"}
    login_as(pupils[0])
    serials = {item["serial"] for item in client.get("/api/me/certificates").get_json()}
    assert fresh.serial in serials and old.serial not in serials
    # issuing the round again does not bring back a second certificate for the same award
    login_as(world.admin)
    client.post(f"/certificates/contests/{rnd.contest_id}/issue", data={"round": rnd.id})
    assert len(db_session.scalars(select(Certificate).where(Certificate.recipient_id == pupils[0].id,
                                                            Certificate.status == CertificateStatus.VALID)).all()) == 2


def test_a_replaced_certificate_cannot_be_reissued_twice(db_session, client, login_as, world, pupils, clock,
                                                         finished_round):
    rnd = finished_round([(pupils[0], 90)])
    cert = issue_round(db_session, world, rnd, clock.now)[pupils[0].id]
    login_as(world.admin)
    client.post(f"/certificates/{cert.serial}/reissue", data={"reason": "Sai ngày sinh"})
    client.post(f"/certificates/{cert.serial}/reissue", data={"reason": "Sai ngày sinh"})
    assert len(db_session.scalars(select(Certificate).where(Certificate.recipient_id == pupils[0].id,
                                                            Certificate.award == "Hoàn thành bài thi")).all()) == 2


def test_only_the_organiser_may_revoke(db_session, client, login_as, world, pupils, clock, finished_round):
    rnd = finished_round([(pupils[0], 90)])
    cert = issue_round(db_session, world, rnd, clock.now)[pupils[0].id]
    login_as(world.manager1)  # sees the certificate of their school, but the Department organised the contest
    assert client.get(f"/certificates/{cert.serial}").status_code == 200
    assert client.post(f"/certificates/{cert.serial}/revoke", data={"reason": "không được"}).status_code == 404
    db_session.expire_all()
    assert db_session.get(Certificate, cert.id).status is CertificateStatus.VALID
