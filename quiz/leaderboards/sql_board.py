"""The database path: rank every counted result with the plain rule, filter and page in Python.

Used without Redis, when Redis is down, and for frozen boards. The ranked list (the part
every viewer shares) is cached under a fingerprint of the board's attempts, so polling
costs one aggregate query while nothing changes; names are looked up per page."""
from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy.orm import Session

from quiz.extensions import cache
from quiz.leaderboards.boards import Board, Row, fingerprint, results, unit_paths
from quiz.leaderboards.ranking import ranked

CACHE_SECONDS = 300


def ranked_rows(session: Session, board: Board) -> list[tuple[Row, str]]:
    """Every row of the board in order, with the student's class path (for the unit filters)."""
    key = f"lb:sql:{board.kind}:{board.id}:{fingerprint(session, board)}"
    cached = cache.get(key)
    if cached:
        return [(Row(rank, uid, Decimal(score), ms), path) for rank, uid, score, ms, path in json.loads(cached)]
    paths = unit_paths(session, board)
    rows = [(Row(rank, r.user_id, r.score, r.duration_ms), paths.get(r.user_id, "/"))
            for rank, r in ranked(results(session, board))]
    cache.set(key, json.dumps([[row.rank, row.user_id, str(row.score), row.duration_ms, path] for row, path in rows]),
              CACHE_SECONDS)
    return rows


def page(session: Session, board: Board, unit_id: int | None, offset: int, limit: int) -> tuple[list[Row], int]:
    rows = ranked_rows(session, board)
    if unit_id is not None:
        needle = f"/{unit_id}/"
        rows = [(row, path) for row, path in rows if needle in path]
    return [row for row, _ in rows[offset:offset + limit]], len(rows)


def find(session: Session, board: Board, user_id: int) -> Row | None:
    return next((row for row, _ in ranked_rows(session, board) if row.user_id == user_id), None)
