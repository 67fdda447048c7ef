"""Keeping the Redis boards live: a finished, reopened or extended attempt moves the student's entries.

``attempt_changed`` is called by ``attempts.service.finish`` and by ``contests.monitor``
(reopen, extend) inside the request's transaction: it computes the student's new round and
contest entries from the database (flushed, not yet committed) and queues them on the
session. They are written to Redis right after the commit, in the same request, and
dropped on rollback, so Redis never shows a result the database does not have."""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from quiz.cache import CacheUnavailable
from quiz.leaderboards import poll, redis_board
from quiz.leaderboards.board import board_store, redis_expected, remember_missed
from quiz.leaderboards.boards import contest_board, round_board
from quiz.models import Attempt

PENDING = "leaderboard_pending"
TOUCHED = "leaderboard_touched_rounds"
log = logging.getLogger(__name__)


def attempt_changed(session: Session, attempt: Attempt) -> None:
    """Queue the Redis update of this student's round and contest boards (applied after commit)."""
    session.info.setdefault(TOUCHED, set()).add(attempt.round_id)  # this process's poll memory, after commit
    if not redis_expected():
        return
    session.flush()
    rnd = attempt.round
    pending: dict = session.info.setdefault(PENDING, {})
    for board in (round_board(rnd), contest_board(rnd.contest)):
        try:
            change = redis_board.entries(session, board, [attempt.user_id])[attempt.user_id]
        except ValueError:  # a value the encoding cannot hold: the board is answered from the database
            log.exception("leaderboard entry of user %s on %s", attempt.user_id, board.prefix)
            remember_missed([board.prefix])
            continue
        signature, changes = pending.setdefault(board.prefix, (board.signature(), {}))
        changes[attempt.user_id] = change


def publish(pending: dict) -> None:
    """Write the queued entries; the database has committed, so nothing here may fail the request."""
    try:
        store = board_store()
    except Exception:  # noqa: BLE001 - never fail a committed request because of the accelerator
        log.exception("leaderboard store unavailable")
        store = None
    if store is None:
        remember_missed(list(pending))
        return
    for prefix, (signature, changes) in pending.items():
        try:
            redis_board.apply(store, prefix, signature, changes)
        except CacheUnavailable:
            remember_missed([prefix])
        except Exception:  # noqa: BLE001
            log.exception("leaderboard update of %s", prefix)
            remember_missed([prefix])


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    touched = session.info.pop(TOUCHED, None)
    if touched:
        poll.forget_rounds(touched)
    pending = session.info.pop(PENDING, None)
    if pending:
        publish(pending)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(TOUCHED, None)
