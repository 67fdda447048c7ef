"""Attempts: the frozen paper, the saved answers and the anti-cheat signals."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.models.base import Base, JSONType
from quiz.models.contests import Round
from quiz.models.users import User


class Attempt(Base):
    __tablename__ = "attempts"
    # One attempt per student, round and attempt number: two simultaneous "start" clicks get the same one.
    __table_args__ = (
        UniqueConstraint("round_id", "user_id", "number"),
        Index("ix_attempts_round_submitted", "round_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[datetime]
    # min(start + time limit, round close) + extension, computed and stored by the server.
    deadline: Mapped[datetime]
    extension_seconds: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[datetime | None]
    finished_by: Mapped[str | None] = mapped_column(String(20))  # student | deadline | reopened
    score: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    max_score: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    prediction: Mapped[int | None] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    focus_losses: Mapped[int] = mapped_column(Integer, default=0)
    # When the review with the answer key was first served to the student (quiz/attempts/review.py): from then
    # on they may not answer this round again (no new attempt, no reopening or extension).
    key_shown_at: Mapped[datetime | None]

    round: Mapped[Round] = relationship()
    user: Mapped[User] = relationship()
    paper: Mapped[list[AttemptQuestion]] = relationship(order_by="AttemptQuestion.position",
                                                        cascade="all, delete-orphan")


class AttemptQuestion(Base):
    """One question of a student's frozen paper, with its revision and the order of its options."""

    __tablename__ = "attempt_questions"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="RESTRICT"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("question_revisions.id", ondelete="RESTRICT"), index=True)
    option_order: Mapped[list[int]] = mapped_column(JSONType)  # option ids in the order the student sees them
    points: Mapped[int] = mapped_column(Integer, default=1)


class Answer(Base):
    """The latest saved answer to one question; ``seq`` orders saves so an older one never wins."""

    __tablename__ = "answers"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    option_ids: Mapped[list[int]] = mapped_column(JSONType)
    seq: Mapped[int] = mapped_column(Integer)
    saved_at: Mapped[datetime]
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))


class AttemptEvent(Base):
    """Anti-cheat signals (never blocking): focus lost, tab hidden, …"""

    __tablename__ = "attempt_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime]
    detail: Mapped[dict | None] = mapped_column(JSONType)
