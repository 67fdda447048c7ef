"""The Redis path: one sorted set per board (and per unit), exact order by member encoding.

Keys of a board with prefix ``lb:1:round:7`` (or ``lb:1:contest:3``):

- ``…:z``       sorted set, all scores 0, members ``encoding.member(result)`` (the whole board);
- ``…:u:<id>``  the same members for the students below unit ``<id>`` (area, school, class filters);
- ``…:h``       hash: user id → ``member|unit,unit,…`` (to move or remove a student's entry);
- ``…:ready``   the board's signature (rule, prediction answers): missing or different → rebuild
                from the database; it expires after ``READY_SECONDS`` so a board is re-read from
                the database at least that often, whatever happened to Redis meanwhile;
- ``…:gen``     a counter bumped by every live update; a rebuild only swaps its data in if the
                counter did not move while it read the database (no lost update), and sets it to a new
                random value (the polls' ETags are made from it: ``poll.py``);
- ``…:rebuilding`` held (``REBUILD_LOCK_SECONDS`` at most) by the one process that rebuilds the board
                because a read found it outdated; the others answer that board from the database meanwhile.

``store`` is ``cache.structures()`` (Redis) or the in-process ``MemoryStore`` (tests)."""
from __future__ import annotations

import secrets
from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from quiz.leaderboards import encoding
from quiz.leaderboards.boards import Board, Row, path_units, results, unit_paths

READY_SECONDS = 900
REBUILD_TRIES = 5
REBUILD_LOCK_SECONDS = 60  # a process that dies while rebuilding holds the others off (to SQL) this long at most

Change = tuple[str, list[int]] | None  # (member, unit ids) or None: the student has no counted result


class NotReady(Exception):
    """The board is not in Redis (never built, flushed, expired or built with other settings)."""


def _z(prefix: str) -> str:
    return f"{prefix}:z"


def _h(prefix: str) -> str:
    return f"{prefix}:h"


def _ready(prefix: str) -> str:
    return f"{prefix}:ready"


def _gen(prefix: str) -> str:
    return f"{prefix}:gen"


def _lock(prefix: str) -> str:
    return f"{prefix}:rebuilding"


def _unit(prefix: str, unit_id: int | str) -> str:
    return f"{prefix}:u:{unit_id}"


def _value(member: str, units: list[int]) -> str:
    return member + "|" + ",".join(str(u) for u in units)


def _parse(value: str) -> tuple[str, list[str]]:
    member, _, units = value.partition("|")
    return member, [u for u in units.split(",") if u]


def entries(session: Session, board: Board, user_ids: list[int] | None = None) -> dict[int, Change]:
    """The encoded entry of each student (of ``user_ids``: None for those without a result)."""
    paths = unit_paths(session, board, user_ids)
    found: dict[int, Change] = {r.user_id: (encoding.member(r), path_units(paths.get(r.user_id, "/")))
                                for r in results(session, board, user_ids)}
    for uid in user_ids or []:
        found.setdefault(uid, None)
    return found


def rebuild(store: Any, session: Session, board: Board, *, force: bool = True) -> int:
    """Replace the board in Redis with the database's; returns the number of students.

    ``force=False`` (a read found the board missing or outdated): nothing to do if it is ready by now; else only
    the process that takes the board's rebuild lock rebuilds it, the others get ``NotReady`` at once (and answer
    from the database) — one rebuild per board at a time, however many polls find it outdated together."""
    prefix, signature = board.prefix, board.signature()
    if force:
        return _rebuild(store, session, board, prefix, signature, force)
    if store.get(_ready(prefix)) == signature:
        return store.zcard(_z(prefix))
    token = secrets.token_hex(8)
    if not store.transaction([_lock(prefix)], lambda reader: None if reader.get(_lock(prefix)) else
                             [("set", _lock(prefix), token, REBUILD_LOCK_SECONDS)]):
        raise NotReady(prefix)  # another process is rebuilding it
    try:
        return _rebuild(store, session, board, prefix, signature, force)
    finally:
        store.transaction([_lock(prefix)], lambda reader: [("delete", [_lock(prefix)])]
                          if reader.get(_lock(prefix)) == token else None)


def _rebuild(store: Any, session: Session, board: Board, prefix: str, signature: str, force: bool) -> int:
    for _ in range(REBUILD_TRIES):
        if not force and store.get(_ready(prefix)) == signature:
            return store.zcard(_z(prefix))
        before = store.get(_gen(prefix))
        data = {uid: change for uid, change in entries(session, board).items() if change is not None}

        def build(reader: Any, data=data, before=before) -> list | None:
            if reader.get(_gen(prefix)) != before:
                return None  # a student finished meanwhile: read the database again
            old_units = {u for value in reader.hgetall(_h(prefix)).values() for u in _parse(value)[1]}
            by_unit: dict[int, list[str]] = defaultdict(list)
            for member, units in data.values():
                for u in units:
                    by_unit[u].append(member)
            commands: list = [("delete", [_z(prefix), _h(prefix)] + [_unit(prefix, u) for u in old_units])]
            commands.append(("zadd", _z(prefix), [member for member, _ in data.values()]))
            commands += [("zadd", _unit(prefix, u), members) for u, members in by_unit.items()]
            commands.append(("hset", _h(prefix), {str(uid): _value(*change) for uid, change in data.items()}))
            commands.append(("set", _ready(prefix), signature, READY_SECONDS))
            # a new random generation: a poll's ETag made before the rebuild (or before a flush that restarted
            # the counter) can never match the rebuilt board's
            commands.append(("set", _gen(prefix), str(secrets.randbits(48)), None))
            return commands

        if store.transaction([_gen(prefix)], build, patient=True):
            return len(data)
    raise NotReady(prefix)


def apply(store: Any, prefix: str, signature: str, changes: dict[int, Change]) -> None:
    """Move each changed student's entry, atomically; a board that is not built (or was built under another
    signature) is only marked changed and left for the next read to rebuild."""

    def build(reader: Any) -> list:
        commands: list = [("incr", _gen(prefix))]
        if reader.get(_ready(prefix)) != signature:
            # not in Redis, or built under other settings or another count of misses (``live.mark_missed``),
            # perhaps from a read of the database older than this update's commit: the next read rebuilds it
            commands.append(("delete", [_ready(prefix)]))
            return commands
        for uid, change in changes.items():
            old = reader.hget(_h(prefix), str(uid))
            if old:
                member, units = _parse(old)
                commands.append(("zrem", _z(prefix), [member]))
                commands += [("zrem", _unit(prefix, u), [member]) for u in units]
            if change is None:
                commands.append(("hdel", _h(prefix), [str(uid)]))
            else:
                member, units = change
                commands.append(("zadd", _z(prefix), [member]))
                commands += [("zadd", _unit(prefix, u), [member]) for u in units]
                commands.append(("hset", _h(prefix), {str(uid): _value(member, units)}))
        return commands

    store.transaction([_gen(prefix), _ready(prefix), _h(prefix)], build)


def forget(store: Any, prefix: str) -> None:
    """Make the next read rebuild this board from the database."""
    store.transaction([], lambda reader: [("delete", [_ready(prefix)])])


def generation(store: Any, prefix: str, signature: str) -> str | None:
    """The board's generation (changes with every live update and every rebuild), or None when the board is
    not ready in Redis (the next read rebuilds it)."""
    if store.get(_ready(prefix)) != signature:
        return None
    gen = store.get(_gen(prefix))
    return None if gen is None else str(gen)


def _check(store: Any, board: Board) -> None:
    if store.get(_ready(board.prefix)) != board.signature():
        raise NotReady(board.prefix)


def _rows(store: Any, prefix: str, members: list[str]) -> list[Row]:
    counts = store.zlexcount_many(_z(prefix), [("-", encoding.rank_bound(m)) for m in members])
    out = []
    for member, before in zip(members, counts):
        r = encoding.decode(member)
        out.append(Row(rank=before + 1, user_id=r.user_id, score=r.score, duration_ms=r.duration_ms,
                       distance=r.distance))
    return out


def page(store: Any, board: Board, unit_id: int | None, offset: int, limit: int) -> tuple[list[Row], int]:
    """A page of the board (or of the students below ``unit_id``), ranks on the whole board: O(log n + limit)."""
    _check(store, board)
    key = _unit(board.prefix, unit_id) if unit_id is not None else _z(board.prefix)
    members = store.zrange(key, offset, offset + limit - 1) if limit > 0 else []
    return _rows(store, board.prefix, members), store.zcard(key)


def find(store: Any, board: Board, user_id: int) -> Row | None:
    """One student's row: O(log n)."""
    _check(store, board)
    value = store.hget(_h(board.prefix), str(user_id))
    if not value:
        return None
    return _rows(store, board.prefix, [_parse(value)[0]])[0]
