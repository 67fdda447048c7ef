"""Revoking and reissuing certificates, each with a reason, recorded in the audit log.

A reissue makes a copy with a new serial (the recipient's facts taken afresh from their account,
so a corrected name or date of birth is printed); the old serial then verifies as replaced and
points to the new one.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from quiz import audit
from quiz.certificates.serials import new_serials
from quiz.errors import Conflict, ValidationFailed
from quiz.models import Certificate, CertificateStatus, User


def _reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if len(text) < 3:
        raise ValidationFailed("a reason is required", {"reason": ["required"]})
    return text[:1000]


def revoke(session: Session, actor: User, cert: Certificate, reason: str, now: datetime,
           ip: str | None = None) -> Certificate:
    text = _reason(reason)
    if cert.status is not CertificateStatus.VALID:
        raise Conflict("certificate is not valid")
    cert.status, cert.reason, cert.status_changed_at = CertificateStatus.REVOKED, text, now
    session.flush()
    audit.record(session, actor, "certificates.revoke", f"Certificate {cert.serial} ({cert.full_name}) revoked: {text}",
                 target=cert, ip=ip, details={"serial": cert.serial, "reason": text})
    return cert


def reissue(session: Session, actor: User, cert: Certificate, reason: str, now: datetime,
            ip: str | None = None) -> Certificate:
    """A new certificate replacing ``cert`` (valid or revoked); the old one becomes *replaced*."""
    text = _reason(reason)
    if cert.status is CertificateStatus.REPLACED:
        raise Conflict("certificate was already replaced")
    fresh = Certificate(
        serial=new_serials(session, 1, now.year)[0], issue_key=None, contest_id=cert.contest_id,
        round_id=cert.round_id, rule_id=cert.rule_id, recipient_id=cert.recipient_id,
        recipient_unit_id=cert.recipient_unit_id, school_id=cert.school_id, class_id=cert.class_id,
        full_name=cert.full_name, date_of_birth=cert.date_of_birth, class_name=cert.class_name,
        school_name=cert.school_name, contest_title=cert.contest_title, round_title=cert.round_title,
        award=cert.award, document=cert.document, rank=cert.rank, score=cert.score, issued_at=now,
        issued_by_id=actor.id, status=CertificateStatus.VALID)
    person = cert.recipient
    if person is not None:  # print the account's current (corrected) facts
        fresh.full_name, fresh.date_of_birth = person.full_name, person.date_of_birth
        fresh.class_name, fresh.class_id = person.unit.name, person.unit_id
        if person.unit.parent is not None:
            fresh.school_name, fresh.school_id = person.unit.parent.name, person.unit.parent_id
    session.add(fresh)
    session.flush()
    cert.status, cert.reason, cert.status_changed_at, cert.replaced_by_id = (CertificateStatus.REPLACED, text, now,
                                                                              fresh.id)
    session.flush()
    audit.record(session, actor, "certificates.reissue",
                 f"Certificate {cert.serial} ({cert.full_name}) replaced by {fresh.serial}: {text}", target=fresh,
                 ip=ip, details={"old": cert.serial, "new": fresh.serial, "reason": text})
    return fresh
