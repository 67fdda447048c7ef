"""Award rules, the Department's certificate settings, issued certificates and bulk export jobs."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Enum, ForeignKey, Integer, LargeBinary, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.models.base import Base
from quiz.models.contests import Contest, Round
from quiz.models.users import User


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class AwardKind(str, enum.Enum):
    RANK = "rank"  # a prize by rank: the next N (or N %) places
    COMPLETION = "completion"  # everyone at or above a score
    UNIT = "unit"  # the school(s) with the highest participation rate


class DocumentKind(str, enum.Enum):
    CERTIFICATE = "certificate"  # GIẤY CHỨNG NHẬN
    COMMENDATION = "commendation"  # GIẤY KHEN


class CertificateStatus(str, enum.Enum):
    VALID = "valid"
    REVOKED = "revoked"
    REPLACED = "replaced"


class JobStatus(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class AwardRule(Base):
    """One award of a round (``round_id`` set) or of the whole contest (``round_id`` empty)."""

    __tablename__ = "award_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AwardKind] = mapped_column(_enum(AwardKind))
    name: Mapped[str] = mapped_column(String(120))  # "Giải Nhất", "Hoàn thành cuộc thi", …
    document: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind))
    position: Mapped[int] = mapped_column(Integer, default=0)  # rank prizes are handed out in this order
    count: Mapped[int | None] = mapped_column(Integer)  # rank: places; unit: how many schools
    percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))  # rank: % of participants (rounded down)
    min_score: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # completion threshold
    created_at: Mapped[datetime]

    contest: Mapped[Contest] = relationship()
    round: Mapped[Round | None] = relationship()


class CertificateSettings(Base):
    """What the Department prints on its certificates (one row per Department unit)."""

    __tablename__ = "certificate_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), unique=True)
    authority_name: Mapped[str] = mapped_column(String(200), default="")  # "UBND TỈNH TÂY NINH"
    department_name: Mapped[str] = mapped_column(String(200))  # "SỞ GIÁO DỤC VÀ ĐÀO TẠO TÂY NINH"
    signer_title: Mapped[str] = mapped_column(String(120))  # "GIÁM ĐỐC"
    signer_name: Mapped[str] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(80))  # "Tây Ninh"
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime]


class Certificate(Base):
    """An issued certificate. The recipient's facts are copied at issue time and never change."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    # "<rule>:u<user>" or "<rule>:s<school>" for the first issue; empty on reissues. Unique: issuing twice
    # (even concurrently) never makes a second certificate for the same award.
    issue_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("award_rules.id", ondelete="SET NULL"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recipient_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    class_name: Mapped[str] = mapped_column(String(100), default="")
    school_name: Mapped[str] = mapped_column(String(200), default="")
    contest_title: Mapped[str] = mapped_column(String(255))
    round_title: Mapped[str] = mapped_column(String(255), default="")
    award: Mapped[str] = mapped_column(String(120))
    document: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind))
    rank: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    issued_at: Mapped[datetime] = mapped_column(index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[CertificateStatus] = mapped_column(_enum(CertificateStatus), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="SET NULL"))

    contest: Mapped[Contest] = relationship()
    round: Mapped[Round | None] = relationship()
    rule: Mapped[AwardRule | None] = relationship()
    recipient: Mapped[User | None] = relationship(foreign_keys=[recipient_id])
    replaced_by: Mapped[Certificate | None] = relationship(remote_side=[id])


class CertificateJob(Base):
    """A bulk ZIP export, run in the background; ``done``/``total`` drive the progress bar."""

    __tablename__ = "certificate_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[JobStatus] = mapped_column(_enum(JobStatus))
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    base_url: Mapped[str] = mapped_column(String(255))  # QUIZ_PUBLIC_URL when asked (a record; links use the config)
    file_path: Mapped[str | None] = mapped_column(String(500))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]

    contest: Mapped[Contest] = relationship()
    round: Mapped[Round | None] = relationship()
    requested_by: Mapped[User] = relationship()


__all__ = ["AwardKind", "AwardRule", "Certificate", "CertificateJob", "CertificateSettings", "CertificateStatus",
           "DocumentKind", "JobStatus"]
