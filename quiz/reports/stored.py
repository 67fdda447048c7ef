"""Item sums of a whole round, stored and kept up to date incrementally.

The item analysis of a whole round needs every saved answer of every counted attempt (20 rows per attempt:
two million for a round of 100,000 students), which takes seconds. What it reduces to is small: per
question, revision and answer pattern the number of students, Σscore and Σscore² (``patterns.pattern_rows``,
a few hundred rows). Those sums are additive over disjoint sets of attempts (each attempt falls in exactly
one pattern row per question of its paper), so they are stored (``round_item_sums``) together with the set
of attempts already folded into them, with the submission time and score they were folded with
(``round_item_attempts``). ``refresh`` brings them up to date with the round's counted attempts C
(``population.counted_attempts``), comparing C with the folded set F in SQL:

* attempts of C not in F (new submissions) are folded in: their pattern rows alone (an index look-up per
  attempt) are added to the stored sums;
* attempts of F no longer in C with the same submission time (no longer the counted one, or rescored: their
  answers cannot have changed) are taken out the same way, with the score they were folded with — then
  folded in again if they are still counted with another score;
* an attempt of F reopened (its submission time changed or cleared) or deleted has answers the sums cannot
  be corrected for: the sums are recomputed from scratch (rare), as they are the first time, or when more
  than ``LARGE`` attempts changed at once (then one pass with hash joins beats the index look-ups).

It runs in a savepoint (all or nothing, and it rolls back with the request), under a lock on the round's
``round_item_state`` row (``SELECT … FOR UPDATE`` on PostgreSQL), so two viewers never fold the same
attempts twice: the second waits for the first and then finds nothing new. It flushes, never commits.

Callers: a whole-round item analysis (``items.item_analysis(…, use_stored=True)``: the Department admin, the
organiser, the JSON, the workbook — open or closed round), the publication (``summary.prepare_round``) and
``flask --app wsgi reports refresh`` (cron, every minute: open and recently closed rounds), so viewers
rarely pay more than the last minute's submissions. Scopes covering part of the province are computed live.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, insert, literal, or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from quiz.models import Attempt, Contest, ContestStatus, Round, RoundItemAttempt, RoundItemState, RoundItemSums
from quiz.reports.patterns import Row, pattern_rows
from quiz.reports.population import counted_attempts
from quiz.reports.scope import Scope

LARGE = 20_000  # more changed attempts than this: recompute in one pass (measured: bench/reports.py)
CHUNK = 2_000  # attempts per look-up query when folding in or taking out
VIEWER_FOLD = 2_000  # a viewer of an open round folds in at most this many new submissions (~0.1 ms each)
RECENT = timedelta(days=1)  # ``refresh_due``: rounds closed this recently, or with a submission this recent


@dataclass
class Refresh:
    rows: list[Row]
    added: int = 0  # attempts folded in
    pending: int = 0  # new submissions left for later (``viewer`` of an open round)
    removed: int = 0  # attempts taken out (no longer counted, or rescored)
    rebuilt: bool = False  # recomputed from scratch


def refresh(session: Session, scope: Scope, now: datetime, viewer: bool = False) -> Refresh:
    """Bring the round's stored item sums up to date with its counted attempts and return them.
    ``scope`` must cover the whole round (``Scope.covers_everyone``). For a ``viewer`` of a round still open,
    at most ``VIEWER_FOLD`` new submissions are folded in (the oldest first); the rest are left to the next
    viewer or ``flask reports refresh`` (every minute), so a page never waits for a burst of submissions."""
    assert scope.covers_everyone
    round_id = scope.rnd.id
    _ensure_state(session, round_id)  # first, outside the savepoint: SQLite then nests it in a transaction
    with session.begin_nested():
        state = session.scalars(select(RoundItemState).where(RoundItemState.round_id == round_id)
                                .with_for_update().execution_options(populate_existing=True)).one()
        counted = counted_attempts(scope, units=False)
        new, gone = _diff(session, round_id, counted) if state.rebuilt_at is not None else ([], [])
        pending = 0
        if viewer and now < scope.rnd.closes_at and len(new) > VIEWER_FOLD:
            new, pending = sorted(new)[:VIEWER_FOLD], len(new) - VIEWER_FOLD
        rebuild = state.rebuilt_at is None or len(new) + len(gone) > LARGE
        out = Refresh([], pending=pending)
        sums = {} if rebuild else _load(session, round_id)
        if not rebuild and gone:
            if _take_out(session, round_id, gone, sums, now):
                state.attempts -= len(gone)
                out.removed = len(gone)
            else:
                rebuild = True  # a reopened or deleted attempt: its answers as folded are gone
        if rebuild:
            session.flush()
            session.execute(delete(RoundItemSums).where(RoundItemSums.round_id == round_id)
                            .execution_options(synchronize_session="fetch"))
            session.execute(delete(RoundItemAttempt).where(RoundItemAttempt.round_id == round_id))
            sums, out.removed, out.pending, out.rebuilt = {}, 0, 0, True
            state.attempts, state.rebuilt_at = 0, now
            out.added = _fold_in_all(session, round_id, counted, sums, now)
        else:
            out.added = _fold_in(session, round_id, new, sums, now)
        state.attempts += out.added
        state.refreshed_at = now
        for key, t in list(sums.items()):  # rows nobody is left in
            if t.students <= 0:
                del sums[key]
                session.delete(t) if t.id is not None else session.expunge(t)
        session.flush()
    out.rows = [(q, r, t.points, json.loads(pattern) if pattern else None, t.students, t.score_sum, t.score_squares)
                for (q, r, pattern), t in sums.items()]
    return out


def _diff(session: Session, round_id: int, counted) -> tuple[list[tuple], list[tuple]]:
    """C against F in one query (a hash full join on the attempt id): the counted attempts not folded in
    (attempt_id, submitted_at, score as they are now) and the folded ones no longer counted as they were
    (attempt_id, submitted_at as folded). A rescored attempt is in both."""
    f = (select(RoundItemAttempt.attempt_id, RoundItemAttempt.submitted_at, RoundItemAttempt.score)
         .where(RoundItemAttempt.round_id == round_id).subquery("f"))
    c = counted.c
    rows = session.execute(
        select(c.attempt_id, c.submitted_at, c.score, f.c.attempt_id, f.c.submitted_at)
        .select_from(counted.join(f, f.c.attempt_id == c.attempt_id, full=True))
        .where(or_(c.attempt_id.is_(None), f.c.attempt_id.is_(None), c.submitted_at != f.c.submitted_at,
                   c.score != f.c.score))).all()
    new = [(a, at, score) for a, at, score, _f, _fat in rows if a is not None]
    gone = [(f_id, f_at) for _a, _at, _score, f_id, f_at in rows if f_id is not None]
    return new, gone


def _ensure_state(session: Session, round_id: int) -> None:
    """The round's state row (the one ``refresh`` locks), created when missing. Being a write, it also makes
    pysqlite open the transaction (otherwise the savepoint would be the transaction and its release a commit)."""
    make = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(make(RoundItemState).values(round_id=round_id, attempts=0)
                    .on_conflict_do_nothing(index_elements=["round_id"]))


def _load(session: Session, round_id: int) -> dict[tuple, RoundItemSums]:
    return {(t.question_id, t.revision_id, t.pattern): t
            for t in session.scalars(select(RoundItemSums).where(RoundItemSums.round_id == round_id))}


def _add(session: Session, round_id: int, sums: dict[tuple, RoundItemSums], rows: list[Row], sign: int,
         now: datetime) -> None:
    """Add (``sign`` 1) or subtract (-1) pattern rows to the stored sums: merge by key, insert new keys
    (``refresh`` deletes the rows nobody is left in at the end)."""
    for q, r, points, ids, n, s, ss in rows:
        pattern = json.dumps([int(o) for o in ids]) if ids else ""
        t = sums.get((q, r, pattern))
        if t is None:
            t = sums[(q, r, pattern)] = RoundItemSums(round_id=round_id, question_id=q, revision_id=r,
                                                      points=int(points), pattern=pattern, students=0,
                                                      score_sum=0.0, score_squares=0.0, computed_at=now)
            session.add(t)
        t.points = max(t.points, int(points))
        t.students += sign * int(n)
        t.score_sum += sign * float(s)
        t.score_squares += sign * float(ss)
        t.computed_at = now


def _folded(round_id: int, ids: list[int] | None = None):
    """The folded attempts (all of the round's, or these) as a set ``pattern_rows`` reads: attempt_id, score."""
    stmt = select(RoundItemAttempt.attempt_id, RoundItemAttempt.score).where(RoundItemAttempt.round_id == round_id)
    if ids is not None:
        stmt = stmt.where(RoundItemAttempt.attempt_id.in_(ids))
    return stmt.subquery("folded")


def _fold_in(session: Session, round_id: int, new: list[tuple], sums: dict, now: datetime) -> int:
    """Record these attempts as folded in, with the submission time and score the diff saw, and add their
    pattern rows (read with the scores recorded: an attempt reopened meanwhile is noticed next time, its
    submission time having changed)."""
    if not new:
        return 0
    session.execute(insert(RoundItemAttempt), [{"round_id": round_id, "attempt_id": a, "submitted_at": at,
                                                "score": score} for a, at, score in new])
    ids = [a for a, _at, _score in new]
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        rows, _revisions = pattern_rows(session, _folded(round_id, chunk), attempt_ids=chunk)
        _add(session, round_id, sums, rows, 1, now)
    return len(ids)


def _fold_in_all(session: Session, round_id: int, counted, sums: dict, now: datetime) -> int:
    """From scratch: record every counted attempt (one INSERT … SELECT, so the set and the scores recorded
    are exactly those summed next) and add the pattern rows of them all in one pass."""
    session.execute(insert(RoundItemAttempt).from_select(
        ["round_id", "attempt_id", "submitted_at", "score"],
        select(literal(round_id), counted.c.attempt_id, counted.c.submitted_at, counted.c.score)))
    taken = session.scalar(select(func.count()).select_from(RoundItemAttempt)
                           .where(RoundItemAttempt.round_id == round_id))
    if taken:
        with _hash_joins(session):
            rows, _revisions = pattern_rows(session, _folded(round_id))
        _add(session, round_id, sums, rows, 1, now)
    return taken


def _take_out(session: Session, round_id: int, gone: list[tuple], sums: dict, now: datetime) -> bool:
    """Subtract these folded attempts (with the score they were folded with) and forget them. Only for
    attempts still submitted at the time they were folded (no longer counted, or rescored: their answers
    are those that were folded), checked after their answers were read; False otherwise (recompute)."""
    ids = [a for a, _at in gone]
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        rows, _revisions = pattern_rows(session, _folded(round_id, chunk), attempt_ids=chunk)
        unchanged = session.scalar(select(func.count()).select_from(RoundItemAttempt)
                                   .join(Attempt, Attempt.id == RoundItemAttempt.attempt_id)
                                   .where(RoundItemAttempt.round_id == round_id, RoundItemAttempt.attempt_id.in_(chunk),
                                          Attempt.submitted_at == RoundItemAttempt.submitted_at))
        if unchanged != len(chunk):
            return False
        _add(session, round_id, sums, rows, -1, now)
        session.execute(delete(RoundItemAttempt).where(RoundItemAttempt.round_id == round_id,
                                                       RoundItemAttempt.attempt_id.in_(chunk)))
    return True


@contextmanager
def _hash_joins(session: Session):
    """PostgreSQL: plan the one-pass recomputation with hash joins. Its attempts were just written, so the
    planner's statistics of ``round_item_attempts`` do not know them and would pick an index look-up per
    attempt (2 million of them for a round of 100,000)."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    before = session.scalar(text("SELECT current_setting('enable_nestloop')"))
    session.execute(text("SELECT set_config('enable_nestloop', 'off', true)"))
    try:
        yield
    finally:
        session.execute(text("SELECT set_config('enable_nestloop', :v, true)"), {"v": before})


def refresh_due(session: Session, now: datetime, recent: timedelta = RECENT) -> list[Round]:
    """The rounds whose stored item sums ``flask reports refresh`` keeps up to date: every round of a
    contest that is not a draft that has opened and either closed less than ``recent`` ago or had a
    submission in that time (a reopened attempt finished again)."""
    submitted = exists(select(literal(1)).where(Attempt.round_id == Round.id, Attempt.submitted_at > now - recent))
    return list(session.scalars(select(Round).join(Contest, Contest.id == Round.contest_id)
                                .where(Contest.status != ContestStatus.DRAFT, Round.opens_at <= now,
                                       or_(Round.closes_at > now - recent, submitted))
                                .order_by(Round.id)))
