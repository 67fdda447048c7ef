"""The database path: rank every counted result with the plain rule, filter and page in Python.

Used without Redis, when Redis is down, and for frozen boards. The ranked list (the part
every viewer shares) is cached under a fingerprint of the board's attempts, so polling
costs one aggregate query while nothing changes; names are looked up per page."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy.orm import Session

from quiz.extensions import cache
from quiz.leaderboards.boards import Board, Row, fingerprint, results, unit_paths
from quiz.leaderboards.ranking import ranked as ranked_results

CACHE_SECONDS = 300
# Boards up to this size are also kept decoded in the process (per app), with an index by student, so that
# polls and "me" do not decode the whole list again; bigger ones are decoded per read (memory).
LOCAL_MAX_ROWS = 100_000
LOCAL_BOARDS = 16


@dataclass
class Ranked:
    rows: list[tuple[Row, str]]
    by_user: dict[int, Row]


def _local() -> dict[str, tuple[float, Ranked]]:
    return current_app.extensions.setdefault("quiz.lb_ranked", {})


def _key(kind: str, board_id: int, board_fingerprint: str) -> str:
    return f"lb:sql:2:{kind}:{board_id}:{board_fingerprint}"


def kept(kind: str, board_id: int, board_fingerprint: str) -> Ranked | None:
    """The decoded ranked list of this board version if this process has it (polls: no ORM board needed)."""
    hit = _local().get(_key(kind, board_id, board_fingerprint))
    return hit[1] if hit is not None and hit[0] > time.monotonic() else None


def ranked(session: Session, board: Board) -> Ranked:
    """Every row of the board in order, with the student's class path (for the unit filters)."""
    key = _key(board.kind, board.id, fingerprint(session, board))
    local, now = _local(), time.monotonic()
    hit = local.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    cached = cache.get(key)
    if cached:
        rows = [(Row(rank, uid, Decimal(score), ms, distance), path)
                for rank, uid, score, ms, distance, path in json.loads(cached)]
    else:
        paths = unit_paths(session, board)
        rows = [(Row(rank, r.user_id, r.score, r.duration_ms, r.distance), paths.get(r.user_id, "/"))
                for rank, r in ranked_results(results(session, board))]
        cache.set(key, json.dumps([[row.rank, row.user_id, str(row.score), row.duration_ms, row.distance, path]
                                   for row, path in rows]), CACHE_SECONDS)
    found = Ranked(rows, {row.user_id: row for row, _ in rows})
    if len(rows) <= LOCAL_MAX_ROWS:
        if len(local) >= LOCAL_BOARDS:
            local.clear()
        local[key] = (now + CACHE_SECONDS, found)
    return found


def ranked_rows(session: Session, board: Board) -> list[tuple[Row, str]]:
    return ranked(session, board).rows


def page(session: Session, board: Board, unit_id: int | None, offset: int, limit: int) -> tuple[list[Row], int]:
    return page_of(ranked_rows(session, board), unit_id, offset, limit)


def page_of(rows: list[tuple[Row, str]], unit_id: int | None, offset: int, limit: int) -> tuple[list[Row], int]:
    if unit_id is not None:
        needle = f"/{unit_id}/"
        rows = [(row, path) for row, path in rows if needle in path]
    return [row for row, _ in rows[offset:offset + limit]], len(rows)


def find(session: Session, board: Board, user_id: int) -> Row | None:
    return ranked(session, board).by_user.get(user_id)
