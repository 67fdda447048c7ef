"""Contests, their rounds and the rounds' papers."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.models.base import Base, JSONType
from quiz.models.units import Unit
from quiz.models.users import User


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class ContestScope(str, enum.Enum):
    PROVINCE = "province"  # organised by the Department for all or selected schools/grades
    SCHOOL = "school"  # organised by a school for its classes
    CLASS = "class"  # organised by a teacher for their class(es)


class ContestStatus(str, enum.Enum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"  # results published


class ReviewPolicy(str, enum.Enum):
    NEVER = "never"
    AFTER_SUBMIT = "after_submit"
    AFTER_CLOSE = "after_close"


class ScoringRule(str, enum.Enum):
    BEST = "best"
    LAST = "last"


class PaperMode(str, enum.Enum):
    FIXED = "fixed"  # a fixed list of approved questions
    DRAW = "draw"  # N questions per pillar × difficulty drawn per student from chosen banks


class Contest(Base):
    __tablename__ = "contests"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[ContestScope] = mapped_column(_enum(ContestScope))
    organiser_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[ContestStatus] = mapped_column(_enum(ContestStatus), index=True)
    join_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    # Grades (6–12) a province or school contest is for; empty means every grade.
    grades: Mapped[list[int]] = mapped_column(JSONType, default=list)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=1)
    scoring_rule: Mapped[ScoringRule] = mapped_column(_enum(ScoringRule), default=ScoringRule.BEST)
    points_per_question: Mapped[int] = mapped_column(Integer, default=1)
    review_policy: Mapped[ReviewPolicy] = mapped_column(_enum(ReviewPolicy), default=ReviewPolicy.AFTER_CLOSE)
    results_public: Mapped[bool] = mapped_column(Boolean, default=False)
    leaderboard_public: Mapped[bool] = mapped_column(Boolean, default=False)
    leaderboard_initials: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]

    organiser_unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship()
    rounds: Mapped[list[Round]] = relationship(back_populates="contest", order_by="Round.number",
                                               cascade="all, delete-orphan")
    units: Mapped[list[ContestUnit]] = relationship(cascade="all, delete-orphan")


class ContestUnit(Base):
    """The schools (province contests) or classes (school/class contests) a contest is for.

    A province contest with no rows here is for every school of the Department."""

    __tablename__ = "contest_units"

    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True)

    unit: Mapped[Unit] = relationship()


class Round(Base):
    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("contest_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255))
    opens_at: Mapped[datetime] = mapped_column(index=True)
    closes_at: Mapped[datetime] = mapped_column(index=True)
    time_limit_minutes: Mapped[int] = mapped_column(Integer)
    paper_mode: Mapped[PaperMode] = mapped_column(_enum(PaperMode))
    # Seed from which every student's draw and shuffles are derived (with the student's id).
    seed: Mapped[int] = mapped_column(Integer)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=True)
    shuffle_options: Mapped[bool] = mapped_column(Boolean, default=True)
    # Optional prediction question (câu hỏi dự đoán), used only as a tie-break.
    prediction_question: Mapped[str | None] = mapped_column(Text)
    prediction_answer: Mapped[int | None] = mapped_column(Integer)
    # Public leaderboard frozen for the last N minutes of the round, until results are published.
    freeze_minutes: Mapped[int | None] = mapped_column(Integer)
    # Weekly rounds publish their results (and prizes) one by one; publishing the contest publishes all.
    results_published_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # Live leaderboard updates of this round that a process could not write to Redis (only ever grows). It is
    # part of the live boards' signature, so a board Redis holds from before a miss is rebuilt from the
    # database by the next read in any process (docs/leaderboards.md, "Rebuilds").
    leaderboard_misses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    contest: Mapped[Contest] = relationship(back_populates="rounds")
    fixed_questions: Mapped[list[RoundQuestion]] = relationship(order_by="RoundQuestion.position",
                                                                cascade="all, delete-orphan")
    blueprint: Mapped[list[BlueprintCell]] = relationship(cascade="all, delete-orphan")
    banks: Mapped[list[RoundBank]] = relationship(cascade="all, delete-orphan")

    @property
    def question_count(self) -> int:
        if self.paper_mode is PaperMode.FIXED:
            return len(self.fixed_questions)
        return sum(cell.count for cell in self.blueprint)

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


class RoundQuestion(Base):
    __tablename__ = "round_questions"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="RESTRICT"), index=True)


class BlueprintCell(Base):
    __tablename__ = "round_blueprint"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    pillar: Mapped[str] = mapped_column(String(30), primary_key=True)
    difficulty: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class RoundBank(Base):
    __tablename__ = "round_banks"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="RESTRICT"), primary_key=True)


class ContestEntrant(Base):
    """A student who joined a class contest with its join code."""

    __tablename__ = "contest_entrants"

    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    joined_at: Mapped[datetime]
