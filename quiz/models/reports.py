"""Stored item statistics of whole rounds, kept up to date incrementally (see ``quiz/reports/stored.py``).

* ``RoundItemSums``: per round, question, revision and answer pattern, how many counted attempts chose it,
  Σscore and Σscore² — the sums the item analysis is judged from.
* ``RoundItemAttempt``: the attempts already folded into those sums, with the submission time and the score
  they were folded with (so a reopened, rescored or no longer counted attempt is noticed). ``attempt_id`` has
  no foreign key on purpose: a deleted attempt must stay listed until the sums are recomputed without it.
* ``RoundItemState``: one row per round, locked while the sums are brought up to date.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base


class RoundItemSums(Base):
    __tablename__ = "round_item_sums"
    __table_args__ = (UniqueConstraint("round_id", "question_id", "revision_id", "pattern",
                                       name="uq_round_item_sums_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(Integer)
    revision_id: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    pattern: Mapped[str] = mapped_column(String(400))  # JSON list of the chosen option ids; "" = blank
    students: Mapped[int] = mapped_column(Integer)
    score_sum: Mapped[float] = mapped_column(Float)
    score_squares: Mapped[float] = mapped_column(Float)
    computed_at: Mapped[datetime]


class RoundItemAttempt(Base):
    __tablename__ = "round_item_attempts"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    attempt_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    submitted_at: Mapped[datetime]
    score: Mapped[Decimal] = mapped_column(Numeric(10, 4))


class RoundItemState(Base):
    __tablename__ = "round_item_state"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True,
                                          autoincrement=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # how many attempts the sums hold
    refreshed_at: Mapped[datetime | None]  # last time new submissions were folded in
    rebuilt_at: Mapped[datetime | None]  # last time the sums were recomputed from scratch
