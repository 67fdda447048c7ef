"""Stored item statistics of a whole round (see ``quiz/reports/stored.py`` for how they are used)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base


class RoundItemSums(Base):
    __tablename__ = "round_item_sums"
    __table_args__ = (UniqueConstraint("round_id", "fingerprint", "question_id", "revision_id", "pattern",
                                       name="uq_round_item_sums_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(120))
    question_id: Mapped[int] = mapped_column(Integer)
    revision_id: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    pattern: Mapped[str] = mapped_column(String(400))  # JSON list of the chosen option ids; "" = blank
    students: Mapped[int] = mapped_column(Integer)
    score_sum: Mapped[float] = mapped_column(Float)
    score_squares: Mapped[float] = mapped_column(Float)
    computed_at: Mapped[datetime]
