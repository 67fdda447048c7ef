"""Reading a board: the Redis fast path when Redis answers, the database otherwise — same ranks.

A live board is read from Redis (rebuilt from the database when its key is missing); a
frozen board, a board without Redis, or one whose Redis stopped answering is ranked from
the database. ``read`` returns the page, the total and the viewer's own row together."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from quiz.cache import CacheUnavailable
from quiz.extensions import cache
from quiz.leaderboards import redis_board, sql_board
from quiz.leaderboards.boards import Board, Row

T = TypeVar("T")

# Boards whose live update this process could neither send to Redis nor record in the database
# (``live.mark_missed``, the usual way): their Redis copy is dropped as soon as Redis answers again,
# so the next read rebuilds them from the database.
_missed: set[str] = set()


@dataclass
class BoardPage:
    rows: list[Row]
    total: int
    me: Row | None
    source: str  # "redis" | "database"


def board_store() -> Any | None:
    """Where boards live: Redis when it answers; the in-process store when configured (tests, single process)."""
    store = cache.structures()
    if store is None and has_app_context() and current_app.config.get("LEADERBOARD_MEMORY_STORE"):
        store = cache.memory
    if store is not None and _missed:
        try:
            for prefix in list(_missed):
                redis_board.forget(store, prefix)
                _missed.discard(prefix)
        except CacheUnavailable:
            return None
    return store


def redis_expected() -> bool:
    """Boards should be in Redis (it is configured, or the in-process store is), even if it is down now."""
    return bool(cache.url) or (has_app_context() and bool(current_app.config.get("LEADERBOARD_MEMORY_STORE")))


def remember_missed(prefixes: list[str]) -> None:
    _missed.update(prefixes)


def _from_redis(store: Any, session: Session, board: Board, read: Callable[[], T]) -> T:
    try:
        return read()
    except redis_board.NotReady:
        redis_board.rebuild(store, session, board, force=False)
        return read()


def read(session: Session, board: Board, *, unit_id: int | None = None, offset: int = 0, limit: int = 50,
         me_id: int | None = None, empty: bool = False) -> BoardPage:
    """A page of the board (students below ``unit_id`` only, ranks on the whole board) and the viewer's row.

    ``empty``: the filters exclude everyone (e.g. a class outside the chosen school)."""
    if board.live:
        store = board_store()
        if store is not None:
            try:
                rows, total = ([], 0) if empty else _from_redis(
                    store, session, board, lambda: redis_board.page(store, board, unit_id, offset, limit))
                me = _from_redis(store, session, board, lambda: redis_board.find(store, board, me_id)) \
                    if me_id is not None else None
                return BoardPage(rows, total, me, "redis")
            except (CacheUnavailable, redis_board.NotReady, ValueError):
                pass  # Redis stopped answering, the board kept changing, or a value the encoding cannot hold
    rows, total = ([], 0) if empty else sql_board.page(session, board, unit_id, offset, limit)
    me = sql_board.find(session, board, me_id) if me_id is not None else None
    return BoardPage(rows, total, me, "database")


def all_rows(session: Session, board: Board, unit_id: int | None = None) -> list[Row]:
    """Every row (exports): the database path, which is the truth."""
    rows, _ = sql_board.page(session, board, unit_id, 0, 10**9)
    return rows

