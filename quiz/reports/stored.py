"""Item statistics of a whole round, stored once the round has closed (``round_item_sums``).

The item analysis of a whole round needs every saved answer of every counted attempt (20 rows per
attempt: two million for a round of 100,000 students), which takes seconds. What it reduces to is
small: per question, revision and *answer pattern* the number of students, Σscore and Σscore²
(``items._pattern_rows``, a few hundred rows). Once the round has closed (and settled), those rows
are stored here under the round's results *fingerprint* (``summary.fingerprint``: how many finished
attempts, the latest submission, the highest id, the settings that change figures) by whoever needs
them first — normally the contest's publication (``prepare_round``) — and every later item analysis
of the whole round (the Department admin, the organiser, the JSON, the workbook, any cache state) is
judged from them in milliseconds. A new or reopened submission changes the fingerprint, so the stale
rows are replaced. Scopes that cover part of the province (a school, a teacher's classes) are small
and always computed live.

The model is ``quiz.models.RoundItemSums``; the table is created by
``migrations/versions/0006_report_indexes.py``.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from quiz.models import RoundItemSums  # noqa: F401 - the stored rows (quiz/models/reports.py)


Row = tuple  # (question_id, revision_id, points, option_ids | None, n, Σscore, Σscore²)


def load(session: Session, round_id: int, fingerprint: str) -> list[Row] | None:
    """The stored rows of this round for this fingerprint, or None when none are stored."""
    found = session.execute(select(RoundItemSums.question_id, RoundItemSums.revision_id, RoundItemSums.points,
                                   RoundItemSums.pattern, RoundItemSums.students, RoundItemSums.score_sum,
                                   RoundItemSums.score_squares)
                            .where(RoundItemSums.round_id == round_id, RoundItemSums.fingerprint == fingerprint)
                            .order_by(RoundItemSums.id)).all()
    if not found:
        return None
    return [(q, r, p, json.loads(pattern) if pattern else None, n, s, ss) for q, r, p, pattern, n, s, ss in found]


def save(session: Session, round_id: int, fingerprint: str, rows: list[Row], now: datetime) -> None:
    """Replace the round's stored rows by these (in a savepoint: when a concurrent request stored the
    same fingerprint first, its rows stand and these are dropped)."""
    if not rows:
        return
    try:
        with session.begin_nested():
            session.execute(delete(RoundItemSums).where(RoundItemSums.round_id == round_id))
            session.add_all(RoundItemSums(round_id=round_id, fingerprint=fingerprint, question_id=q, revision_id=r,
                                          points=int(p), pattern=json.dumps([int(o) for o in ids]) if ids else "",
                                          students=int(n), score_sum=float(s), score_squares=float(ss),
                                          computed_at=now)
                            for q, r, p, ids, n, s, ss in rows)
    except IntegrityError:
        pass
