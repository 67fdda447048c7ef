"""Question banks, questions and their immutable revisions."""
from __future__ import annotations

import enum
from datetime import datetime


from sqlalchemy import Boolean, Enum, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.models.base import Base, JSONType
from quiz.models.units import Unit
from quiz.models.users import User


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class BankVisibility(str, enum.Enum):
    PRIVATE = "private"  # only the owning teacher (and the school's manager)
    SCHOOL = "school"  # everyone on the staff of the owning school
    PROVINCE = "province"  # the Department's shared banks: every school


class QuestionStatus(str, enum.Enum):
    DRAFT = "draft"
    REVIEW = "review"
    APPROVED = "approved"
    RETIRED = "retired"


class Bank(Base):
    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    visibility: Mapped[BankVisibility] = mapped_column(_enum(BankVisibility))
    created_at: Mapped[datetime]

    owner_unit: Mapped[Unit] = relationship()
    owner_user: Mapped[User | None] = relationship()


class Question(Base):
    """A question as a bank item; its content lives in revisions, the current one being ``current_revision``."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("bank_id", "key"),
        Index("ix_questions_bank_status", "bank_id", "status"),
        # Keyset paging of a bank's list: newest change first (see quiz/banks/listing.py).
        Index("ix_questions_bank_updated", "bank_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"))
    key: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[QuestionStatus] = mapped_column(_enum(QuestionStatus), index=True)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_revisions.id", use_alter=True, ondelete="SET NULL"))
    # Copies of the current revision's fields, for filtering and searching large banks quickly.
    type: Mapped[str] = mapped_column(String(20))
    pillar: Mapped[str | None] = mapped_column(String(30), index=True)
    difficulty: Mapped[str] = mapped_column(String(10), index=True)
    languages: Mapped[str] = mapped_column(String(20))  # "vi,en"
    search_text: Mapped[str] = mapped_column(Text)  # folded (accent-free, lower-case) stems
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)

    bank: Mapped[Bank] = relationship()
    current_revision: Mapped[QuestionRevision | None] = relationship(foreign_keys=[current_revision_id],
                                                                     post_update=True)
    tags: Mapped[list[QuestionTag]] = relationship(cascade="all, delete-orphan", order_by="QuestionTag.tag")


class QuestionTag(Base):
    __tablename__ = "question_tags"

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class QuestionRevision(Base):
    """Immutable once used by a paper: contests and attempts keep the revision they used."""

    __tablename__ = "question_revisions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))
    stem: Mapped[dict[str, str]] = mapped_column(JSONType)  # {"vi": html, "en": html}
    explanation: Mapped[dict[str, str]] = mapped_column(JSONType)
    pillar: Mapped[str | None] = mapped_column(String(30))
    difficulty: Mapped[str] = mapped_column(String(10))
    tags: Mapped[list[str]] = mapped_column(JSONType)
    source: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(String(255), default="")
    # Measured by item analysis after rounds (share of correct answers) and how many answers it is based on.
    facility: Mapped[float | None] = mapped_column(Float)
    facility_answers: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]

    question: Mapped[Question] = relationship(foreign_keys=[question_id])
    options: Mapped[list[QuestionOption]] = relationship(cascade="all, delete-orphan",
                                                         order_by="QuestionOption.position")


class QuestionOption(Base):
    """An option of one revision; ids are global so an option of another question is recognisable."""

    __tablename__ = "question_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("question_revisions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[dict[str, str]] = mapped_column(JSONType)
    correct: Mapped[bool] = mapped_column(Boolean, default=False)


class BankImage(Base):
    """An image uploaded to a bank and referenced from question text by its file name."""

    __tablename__ = "bank_images"
    __table_args__ = (UniqueConstraint("bank_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


