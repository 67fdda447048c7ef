"""What the public verification page may show of a certificate, and the check of a typed date of birth.

Anyone holding a certificate (or a photo of it) can open ``/verify/<serial>``, so the page shows only what
proves the certificate: the recipient's name, school, the award, contest and round, the date of issue and
whether it is still valid. Recipients are minors: their date of birth, class and account never reach the
page (the template receives a ``PublicCertificate``, not the ``Certificate`` row). A visitor who was given the
date of birth (an employer, a school admitting the pupil) may type it and learns only whether it matches.
Each certificate answers ``BIRTH_DATE_CHECK_LIMIT`` such checks, from any address together, so the date
cannot be found by trying the days of a few years (the checks also count against the address's verification
limit). The PDF, which is not public (login and scope), keeps the date of birth the Department prints.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.certificates.serials import normalise
from quiz.errors import ValidationFailed
from quiz.models import Certificate, CertificateStatus, DocumentKind

BIRTH_DATE_CHECKS_PER_CERTIFICATE = 10
BIRTH_DATE_CHECK_LIMIT = f"{BIRTH_DATE_CHECKS_PER_CERTIFICATE}/day"
_TYPED_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")  # the date input sends the first


@dataclass(frozen=True)
class PublicCertificate:
    """The facts of a certificate that anyone with its serial may see."""

    serial: str
    document: DocumentKind
    full_name: str
    school_name: str
    contest_title: str
    round_title: str
    award: str
    issued_at: datetime
    issuer: str
    status: CertificateStatus
    status_changed_at: datetime | None
    reason: str | None
    replaced_by_serial: str | None
    has_birth_date: bool


def find(session: Session, serial: str) -> Certificate | None:
    """The certificate with this serial as typed (lower case and spaces accepted), or None."""
    return session.scalar(select(Certificate).where(Certificate.serial == normalise(serial)))


def public_view(cert: Certificate) -> PublicCertificate:
    return PublicCertificate(
        serial=cert.serial, document=cert.document, full_name=cert.full_name, school_name=cert.school_name,
        contest_title=cert.contest_title, round_title=cert.round_title, award=cert.award, issued_at=cert.issued_at,
        issuer=cert.contest.organiser_unit.name, status=cert.status, status_changed_at=cert.status_changed_at,
        reason=cert.reason, replaced_by_serial=cert.replaced_by.serial if cert.replaced_by else None,
        has_birth_date=cert.date_of_birth is not None)


def parse_birth_date(typed: str | None) -> date:
    """A date typed as 2011-03-25 (what a date input sends) or 25/03/2011; ``ValidationFailed`` otherwise."""
    text = (typed or "").strip()[:20]
    for fmt in _TYPED_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationFailed(str(_l("Date of birth: “%(value)s” is not a date like 25/03/2011.", value=text)),
                           {"date_of_birth": [str(_l("Type a date like 25/03/2011."))]})


def birth_date_matches(cert: Certificate, typed: date) -> bool:
    """Whether the typed date is the one on the certificate; the answer says nothing more."""
    return cert.date_of_birth is not None and cert.date_of_birth == typed
