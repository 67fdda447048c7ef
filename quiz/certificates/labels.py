"""Translated names of the certificates' enums and of the services' error codes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from quiz.models import AwardKind, CertificateStatus, DocumentKind, JobStatus

KIND = {
    AwardKind.RANK: _l("Prize by rank"),
    AwardKind.COMPLETION: _l("Completion certificate"),
    AwardKind.UNIT: _l("School award (highest participation rate)"),
}
DOCUMENT = {
    DocumentKind.CERTIFICATE: _l("Certificate (GIẤY CHỨNG NHẬN)"),
    DocumentKind.COMMENDATION: _l("Commendation (GIẤY KHEN)"),
}
STATUS = {
    CertificateStatus.VALID: _l("Valid"),
    CertificateStatus.REVOKED: _l("Revoked"),
    CertificateStatus.REPLACED: _l("Replaced"),
}
JOB_STATUS = {
    JobStatus.QUEUED: _l("Waiting to start"),
    JobStatus.RUNNING: _l("Generating"),
    JobStatus.DONE: _l("Ready"),
    JobStatus.FAILED: _l("Failed"),
}
ERRORS = {
    "required": _l("This field is required."),
    "count_or_percent": _l("Give either a number of places or a percentage of participants, not both."),
    "positive": _l("Enter a whole number of at least 1."),
    "percent_range": _l("Enter a percentage above 0 and at most 100."),
    "not_negative": _l("Enter a score of 0 or more."),
    "min_score_positive": _l("Enter a minimum score above 0: a score of 0 never wins an award."),
    "commendation_not_allowed": _l("A teacher's class contest issues certificates (GIẤY CHỨNG NHẬN) only; "
                                   "commendations (GIẤY KHEN) are issued by the school or the Department."),
    "too_large": _l("The logo must be at most 1 MB."),
    "not_an_image": _l("The logo must be a PNG or JPEG image."),
}


def messages(errors: dict[str, list[str]]) -> list[str]:
    return [str(ERRORS.get(code, code)) for codes in errors.values() for code in codes]


def by_field(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The messages of each form field, to show next to it."""
    return {name: [str(ERRORS.get(code, code)) for code in codes] for name, codes in errors.items()}
