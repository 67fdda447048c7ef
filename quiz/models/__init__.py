"""SQLAlchemy 2.0 typed models. Import every model module here so Alembic sees them."""
from quiz.models.base import Base, UTCDateTime
from quiz.models.units import ALLOWED_PARENTS, Unit, UnitKind
from quiz.models.users import ROLE_UNIT_KIND, Role, User, new_session_token, teacher_classes
from quiz.models.audit import AuditEntry
from quiz.models.roster import OneTimePassword, RosterImport
from quiz.models.banks import Bank, BankImage, BankVisibility, Question, QuestionOption, QuestionRevision, QuestionStatus, QuestionTag
from quiz.models.contests import (BlueprintCell, Contest, ContestEntrant, ContestScope, ContestStatus, ContestUnit, PaperMode,
                                  ReviewPolicy, Round, RoundBank, RoundQuestion, ScoringRule)
from quiz.models.attempts import Answer, Attempt, AttemptEvent, AttemptQuestion
from quiz.models.reports import RoundItemAttempt, RoundItemState, RoundItemSums
from quiz.models.certificates import AwardKind, AwardRule, Certificate, CertificateJob, CertificateSettings, CertificateStatus, DocumentKind, JobStatus  # noqa: E501

__all__ = [
    "Answer", "Attempt", "AttemptEvent", "AttemptQuestion", "Bank", "BankImage", "BankVisibility", "BlueprintCell",
    "Contest", "ContestEntrant", "ContestScope", "ContestStatus", "ContestUnit", "PaperMode", "Question", "QuestionOption",
    "QuestionRevision", "QuestionStatus", "QuestionTag", "ReviewPolicy", "Round", "RoundBank", "RoundItemAttempt",
    "RoundItemState", "RoundItemSums",
    "RoundQuestion",
    "ScoringRule",
    "ALLOWED_PARENTS", "AuditEntry", "Base", "OneTimePassword", "ROLE_UNIT_KIND", "Role", "RosterImport",
    "UTCDateTime", "Unit", "UnitKind", "User", "new_session_token", "teacher_classes",
]
__all__ += ["AwardKind", "AwardRule", "Certificate", "CertificateJob", "CertificateSettings", "CertificateStatus", "DocumentKind", "JobStatus"]
