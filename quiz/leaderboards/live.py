"""Keeping the Redis boards live: a finished, reopened or extended attempt moves the student's entries.

``attempt_changed`` is called by ``attempts.service.finish`` and by ``contests.monitor``
(reopen, extend) inside the request's transaction: it computes the student's new round and
contest entries from the database (flushed, not yet committed) and queues them on the
session. They are written to Redis right after the commit, in the same request, and
dropped on rollback, so Redis never shows a result the database does not have.

An update that cannot be written (Redis unreachable from this process, or a value the encoding
cannot hold) is recorded in the database right after: ``Round.leaderboard_misses`` of its round goes
up by one, in a short transaction of its own. The counter is part of the live boards' signature, so
every process's next read of the round's board or its contest's board finds the Redis copy outdated
and rebuilds it from the database (``redis_board.rebuild``) — Redis is never the only copy of an
update. If even that write fails, this process remembers the boards (``board.remember_missed``)."""
from __future__ import annotations

import logging

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from quiz.cache import CacheUnavailable
from quiz.leaderboards import poll, redis_board
from quiz.leaderboards.board import board_store, redis_expected, remember_missed
from quiz.leaderboards.boards import contest_board, round_board
from quiz.models import Attempt, Round

PENDING = "leaderboard_pending"
TOUCHED = "leaderboard_touched_rounds"
log = logging.getLogger(__name__)
_UNENCODABLE = object()  # a change the encoding cannot hold: the board is answered from the database


def attempt_changed(session: Session, attempt: Attempt) -> None:
    """Queue the Redis update of this student's round and contest boards (applied after commit)."""
    session.info.setdefault(TOUCHED, set()).add(attempt.round_id)  # this process's poll memory, after commit
    if not redis_expected():
        return
    session.flush()
    rnd = attempt.round
    pending: dict = session.info.setdefault(PENDING, {})
    for board in (round_board(rnd), contest_board(rnd.contest)):
        signature, changes, rounds = pending.setdefault(board.prefix, (board.signature(), {}, set()))
        rounds.add(rnd.id)
        try:
            changes[attempt.user_id] = redis_board.entries(session, board, [attempt.user_id])[attempt.user_id]
        except ValueError:  # a value the encoding cannot hold: the board is answered from the database
            log.exception("leaderboard entry of user %s on %s", attempt.user_id, board.prefix)
            changes[attempt.user_id] = _UNENCODABLE


def publish(session: Session, pending: dict) -> None:
    """Write the queued entries; the database has committed, so nothing here may fail the request.
    What could not be written is recorded in the database (``mark_missed``)."""
    try:
        store = board_store()
    except Exception:  # noqa: BLE001 - never fail a committed request because of the accelerator
        log.exception("leaderboard store unavailable")
        store = None
    missed: dict[str, set[int]] = {}
    for prefix, (signature, changes, rounds) in pending.items():
        if store is None or _UNENCODABLE in changes.values():
            missed[prefix] = rounds
            continue
        try:
            redis_board.apply(store, prefix, signature, changes)
        except CacheUnavailable:
            missed[prefix] = rounds
        except Exception:  # noqa: BLE001
            log.exception("leaderboard update of %s", prefix)
            missed[prefix] = rounds
    if missed:
        mark_missed(session, missed)


def mark_missed(session: Session, missed: dict[str, set[int]]) -> None:
    """Record in the database that these boards' Redis copies lack an update (``Round.leaderboard_misses``
    + 1 for each round): every process's next read rebuilds them. Its own short transaction, on a connection of
    its own (the request's has committed)."""
    round_ids = sorted({rid for rounds in missed.values() for rid in rounds})
    try:
        with session.get_bind().begin() as connection:
            connection.execute(update(Round).where(Round.id.in_(round_ids))
                               .values(leaderboard_misses=Round.leaderboard_misses + 1))
    except Exception:  # noqa: BLE001 - the database failing right after a commit: this process remembers
        log.exception("recording the leaderboard misses of rounds %s", round_ids)
        remember_missed(list(missed))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    touched = session.info.pop(TOUCHED, None)
    if touched:
        poll.forget_rounds(touched)
    pending = session.info.pop(PENDING, None)
    if pending:
        publish(session, pending)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(TOUCHED, None)
