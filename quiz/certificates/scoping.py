"""Which certificates a user may see: the Department all, a school manager their school's,
a teacher their classes', a student their own. Anything else is a 404 (no existence leak)."""
from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from quiz.contests.eligibility import can_manage
from quiz.errors import NotFound
from quiz.models import Certificate, CertificateStatus, Role, User, teacher_classes


def visible_query(user: User) -> Select[tuple[Certificate]]:
    stmt = select(Certificate)
    if user.role is Role.ADMIN:
        return stmt
    if user.role is Role.MANAGER:
        return stmt.where(Certificate.school_id == user.unit_id)
    if user.role is Role.TEACHER:
        class_ids = select(teacher_classes.c.class_id).where(teacher_classes.c.teacher_id == user.id)
        return stmt.where(Certificate.class_id.in_(class_ids))
    return stmt.where(Certificate.recipient_id == user.id, Certificate.status == CertificateStatus.VALID)


def get_visible(session: Session, user: User, serial: str) -> Certificate:
    cert = session.scalar(visible_query(user).where(Certificate.serial == serial))
    if cert is None:
        raise NotFound("certificate not found")
    return cert


def get_managed(session: Session, user: User, serial: str) -> Certificate:
    """A certificate this user may revoke or reissue: visible to them, of a contest they manage."""
    cert = get_visible(session, user, serial)
    if not can_manage(user, cert.contest):
        raise NotFound("certificate not found")
    return cert


def student_certificates(session: Session, student: User) -> list[Certificate]:
    return list(session.scalars(visible_query(student).order_by(Certificate.issued_at.desc(), Certificate.id.desc())))
