"""Rebuilding boards in Redis from the database (the CLI, and after an outage)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from quiz.cache import CacheUnavailable
from quiz.leaderboards import redis_board
from quiz.leaderboards.board import board_store
from quiz.leaderboards.boards import Board


def rebuild_boards(session: Session, boards: list[Board]) -> list[tuple[Board, int | None]] | None:
    """Rebuild each board (count of students, or None when results kept arriving faster than it could read
    them: the next read rebuilds it); ``None`` when Redis is absent or stops answering."""
    store = board_store()
    if store is None:
        return None
    done = []
    try:
        for board in boards:
            try:
                done.append((board, redis_board.rebuild(store, session, board)))
            except redis_board.NotReady:
                done.append((board, None))
    except CacheUnavailable:
        return None
    return done
