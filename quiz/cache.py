"""Redis, behind one module, with a working in-process fallback.

Redis is an accelerator (leaderboards, rate limits, jobs), never the only copy of
anything. When ``QUIZ_REDIS_URL`` is unset the cache is *absent* and everything
uses the in-process store; when Redis stops answering it is *down*: calls fall
back to the in-process store and Redis is tried again after a short pause.
This is the only module that imports ``redis``.

Sorted sets and hashes (for the leaderboards) are offered by ``Cache.structures()``: the same
small command set on Redis (``RedisStructures``) and on the in-process ``MemoryStore``, with
one atomic primitive, ``transaction(watch, build)``. Unlike ``get``/``set``, these never
fall back silently: a board kept in one process's memory would disagree with the others,
so callers get ``None`` (absent or down) or ``CacheUnavailable`` and answer from SQL.
"""
from __future__ import annotations

import bisect
import threading
import time
from typing import Any, Callable, Iterable, Sequence, TypeVar

import redis
from flask import Flask

T = TypeVar("T")

RETRY_AFTER_SECONDS = 5.0

# A write command of ``transaction``: ("zadd", key, [members]) | ("zrem", key, [members]) |
# ("hset", key, {field: value}) | ("hdel", key, [fields]) | ("set", key, value, ttl|None) |
# ("delete", [keys]) | ("incr", key)
Command = tuple


# INCRBY each key (ARGV: increment, window seconds, per key), start its window at the first event, return count and
# milliseconds left for each.
_COUNT_WINDOWS = """
local out = {}
for i, key in ipairs(KEYS) do
  local by = tonumber(ARGV[2 * i - 1])
  local n = redis.call('INCRBY', key, by)
  if n == by then redis.call('EXPIRE', key, ARGV[2 * i]) end
  out[2 * i - 1] = n
  out[2 * i] = redis.call('PTTL', key)
end
return out
"""

# Take one slot in each key's fixed window (ARGV: window seconds, then each key's limit), all or none: return 0
# when taken, else the (1-based) number of the first key already at its limit, taking nothing.
_RESERVE = """
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then return i end
end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[1]) end
end
return 0
"""

# Give back a slot of each key (never below zero; a key back at zero is deleted).
_GIVE_BACK = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 and redis.call('DECR', key) <= 0 then redis.call('DEL', key) end
end
return 0
"""


class CacheUnavailable(Exception):
    """Redis stopped answering in the middle of a structured operation."""


def _lex_bound(bound: str) -> tuple[str | None, bool]:
    """A ZRANGEBYLEX bound ("-", "+", "[value", "(value") as (value, inclusive)."""
    if bound in ("-", "+"):
        return None, True
    return bound[1:], bound[0] == "["



class MemoryStore:
    """A tiny thread-safe key/value store with expiry, used when Redis is absent or down."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[Any, float | None]] = {}
        self._lock = threading.RLock()

    def _alive(self, key: str) -> bool:
        item = self._data.get(key)
        if item is None:
            return False
        if item[1] is not None and item[1] <= time.monotonic():
            del self._data[key]
            return False
        return True

    def get(self, key: str) -> Any:
        with self._lock:
            return self._data[key][0] if self._alive(key) else None

    def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        with self._lock:
            self._data[key] = (value, time.monotonic() + ttl if ttl else None)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def incr(self, key: str, window: float, by: int = 1) -> int:
        with self._lock:
            if self._alive(key):
                value, expires = self._data[key]
                self._data[key] = (value + by, expires)
                return value + by
            self._data[key] = (by, time.monotonic() + window)
            return by

    def reserve(self, limits: Sequence[tuple[str, int]], window: float) -> str | None:
        """``Cache.reserve`` in this process: under the lock, so threads cannot all pass one check."""
        with self._lock:
            for key, most in limits:
                if self._alive(key) and int(self._data[key][0]) >= most:
                    return key
            for key, _most in limits:
                self.incr(key, window)
            return None

    def give_back(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                if self._alive(key):
                    value, expires = self._data[key]
                    if int(value) <= 1:
                        del self._data[key]
                    else:
                        self._data[key] = (int(value) - 1, expires)

    def expires_in(self, key: str) -> float:
        """Seconds until ``key`` expires (0 when it is gone or never expires)."""
        with self._lock:
            if not self._alive(key) or self._data[key][1] is None:
                return 0.0
            return max(0.0, self._data[key][1] - time.monotonic())

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    # -- the structure commands (same meaning as RedisStructures) --------------
    # Sorted sets hold members that all have score 0, so they are ordered by the bytes of
    # the member, like Redis orders equal scores (members here are ASCII).
    def _zset(self, key: str, create: bool = False) -> list[str] | None:
        if self._alive(key):
            value = self._data[key][0]
            return value if isinstance(value, list) else None
        if create:
            self._data[key] = ([], None)
            return self._data[key][0]
        return None

    def _hash(self, key: str, create: bool = False) -> dict[str, str] | None:
        if self._alive(key):
            value = self._data[key][0]
            return value if isinstance(value, dict) else None
        if create:
            self._data[key] = ({}, None)
            return self._data[key][0]
        return None

    def incr_by_one(self, key: str) -> int:
        """INCR as Redis does it: the stored value is the decimal text of the number."""
        with self._lock:
            value = int(self._data[key][0]) + 1 if self._alive(key) else 1
            expires = self._data[key][1] if self._alive(key) else None
            self._data[key] = (str(value), expires)
            return value

    def delete_many(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._data.pop(key, None)

    def zadd(self, key: str, members: Iterable[str]) -> None:
        members = list(members)
        with self._lock:
            if not members:
                return
            zset = self._zset(key, create=True)
            for m in members:
                i = bisect.bisect_left(zset, m)
                if i == len(zset) or zset[i] != m:
                    zset.insert(i, m)

    def zrem(self, key: str, members: Iterable[str]) -> None:
        with self._lock:
            zset = self._zset(key)
            if zset is None:
                return
            for m in members:
                i = bisect.bisect_left(zset, m)
                if i < len(zset) and zset[i] == m:
                    del zset[i]
            if not zset:
                del self._data[key]

    def zcard(self, key: str) -> int:
        with self._lock:
            return len(self._zset(key) or [])

    def zrange(self, key: str, start: int, stop: int) -> list[str]:
        """Members ``start``..``stop`` (inclusive, 0-based) in order; ``stop`` -1 means the end."""
        with self._lock:
            zset = self._zset(key) or []
            end = len(zset) if stop == -1 else stop + 1
            return list(zset[start:end])

    def zlexcount(self, key: str, low: str, high: str) -> int:
        with self._lock:
            zset = self._zset(key) or []
            lo, lo_inc = _lex_bound(low)
            hi, hi_inc = _lex_bound(high)
            first = 0 if lo is None else (bisect.bisect_left if lo_inc else bisect.bisect_right)(zset, lo)
            last = len(zset) if hi is None else (bisect.bisect_right if hi_inc else bisect.bisect_left)(zset, hi)
            return max(0, last - first)

    def zlexcount_many(self, key: str, ranges: Sequence[tuple[str, str]]) -> list[int]:
        with self._lock:
            return [self.zlexcount(key, low, high) for low, high in ranges]

    def hget(self, key: str, field: str) -> str | None:
        with self._lock:
            return (self._hash(key) or {}).get(field)

    def hgetall(self, key: str) -> dict[str, str]:
        with self._lock:
            return dict(self._hash(key) or {})

    def hset(self, key: str, mapping: dict[str, str]) -> None:
        with self._lock:
            if mapping:
                self._hash(key, create=True).update(mapping)

    def hdel(self, key: str, fields: Iterable[str]) -> None:
        with self._lock:
            h = self._hash(key)
            if h is None:
                return
            for f in fields:
                h.pop(f, None)
            if not h:
                del self._data[key]

    def transaction(self, watch: Sequence[str], build: Callable[[Any], list[Command] | None], *,
                    patient: bool = False) -> bool:
        """Run ``build(reader)`` and apply the commands it returns, atomically; ``None`` aborts."""
        with self._lock:
            commands = build(self)
            if commands is None:
                return False
            for command in commands:
                _apply_memory(self, command)
            return True


def _apply_memory(store: MemoryStore, command: Command) -> None:
    name, key, *args = command
    if name == "zadd":
        store.zadd(key, args[0])
    elif name == "zrem":
        store.zrem(key, args[0])
    elif name == "hset":
        store.hset(key, args[0])
    elif name == "hdel":
        store.hdel(key, args[0])
    elif name == "set":
        store.set(key, args[0], args[1] if len(args) > 1 else None)
    elif name == "delete":
        store.delete_many(key)
    elif name == "incr":
        store.incr_by_one(key)
    else:  # pragma: no cover - programming error
        raise ValueError(f"unknown command {name}")


class RedisStructures:
    """The MemoryStore structure commands on Redis; a Redis error becomes ``CacheUnavailable``."""

    def __init__(self, cache: Cache, client: Any) -> None:
        self._cache = cache
        self._r = client

    def _call(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except redis.RedisError as err:
            self._cache.mark_down()
            raise CacheUnavailable(str(err)) from err

    def get(self, key: str) -> Any:
        return self._call(lambda: self._r.get(key))

    def zcard(self, key: str) -> int:
        return int(self._call(lambda: self._r.zcard(key)))

    def zrange(self, key: str, start: int, stop: int) -> list[str]:
        return list(self._call(lambda: self._r.zrange(key, start, stop)))

    def zlexcount(self, key: str, low: str, high: str) -> int:
        return int(self._call(lambda: self._r.zlexcount(key, low, high)))

    def zlexcount_many(self, key: str, ranges: Sequence[tuple[str, str]]) -> list[int]:
        """Several ZLEXCOUNTs in one round trip."""

        def run() -> list[int]:
            pipe = self._r.pipeline(transaction=False)
            for low, high in ranges:
                pipe.zlexcount(key, low, high)
            return [int(n) for n in pipe.execute()]

        return self._call(run) if ranges else []

    def hget(self, key: str, field: str) -> str | None:
        return self._call(lambda: self._r.hget(key, field))

    def hgetall(self, key: str) -> dict[str, str]:
        return dict(self._call(lambda: self._r.hgetall(key)))

    def transaction(self, watch: Sequence[str], build: Callable[[Any], list[Command] | None], *,
                    patient: bool = False) -> bool:
        """WATCH ``watch``, let ``build`` read, then MULTI/EXEC its commands; retried when a watched key changed.
        ``patient``: a whole board rebuilt in one MULTI/EXEC can outlast the 2 s timeout of the request
        client (1,000,000 entries: ~20 s), so rebuilds use a client with a long timeout; live updates do not."""
        client = (self._cache.patient_client() if patient else None) or self._r

        def run() -> bool:
            with client.pipeline() as pipe:
                while True:
                    try:
                        if watch:
                            pipe.watch(*watch)
                        commands = build(_Reader(pipe if watch else client))
                        if commands is None:
                            pipe.reset()
                            return False
                        pipe.multi()
                        for command in commands:
                            _apply_redis(pipe, command)
                        pipe.execute()
                        return True
                    except redis.WatchError:
                        continue

        return self._call(run)


class _Reader:
    """Reads inside a WATCH (the pipeline runs them immediately)."""

    def __init__(self, pipe: Any) -> None:
        self._p = pipe

    def get(self, key: str) -> Any:
        return self._p.get(key)

    def hget(self, key: str, field: str) -> str | None:
        return self._p.hget(key, field)

    def hgetall(self, key: str) -> dict[str, str]:
        return dict(self._p.hgetall(key))


def _apply_redis(pipe: Any, command: Command) -> None:
    name, key, *args = command
    if name == "zadd":
        members = list(args[0])
        for i in range(0, len(members), 1000):
            pipe.zadd(key, {m: 0 for m in members[i:i + 1000]})
    elif name == "zrem":
        members = list(args[0])
        if members:
            pipe.zrem(key, *members)
    elif name == "hset":
        if args[0]:
            pipe.hset(key, mapping=args[0])
    elif name == "hdel":
        fields = list(args[0])
        if fields:
            pipe.hdel(key, *fields)
    elif name == "set":
        ttl = args[1] if len(args) > 1 else None
        pipe.set(key, args[0], ex=int(ttl) if ttl else None)
    elif name == "delete":
        keys = list(key)
        if keys:
            pipe.delete(*keys)
    elif name == "incr":
        pipe.incr(key)
    else:  # pragma: no cover - programming error
        raise ValueError(f"unknown command {name}")


class Cache:
    """Facade over Redis with the in-process fallback."""

    def __init__(self) -> None:
        self.url: str | None = None
        self._client: redis.Redis | None = None
        self._patient: redis.Redis | None = None
        self._down_until = 0.0
        self._count_windows: Any = None
        self._reserve: Any = None
        self._give_back: Any = None
        self.memory = MemoryStore()

    def init_app(self, app: Flask) -> None:
        self.url = app.config.get("REDIS_URL")
        self._client = (
            redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=2, decode_responses=True)
            if self.url
            else None
        )
        self._patient = None
        self._down_until = 0.0
        self._count_windows = self._reserve = self._give_back = None
        self.memory = MemoryStore()
        app.extensions["quiz_cache"] = self

    # -- state -----------------------------------------------------------
    def patient_client(self) -> redis.Redis | None:
        """The same server with a long socket timeout, for the few long commands (board rebuilds)."""
        if self.client() is None:
            return None
        if self._patient is None:
            self._patient = redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=120,
                                                 decode_responses=True)
        return self._patient

    def client(self) -> redis.Redis | None:
        """The Redis client, or ``None`` when Redis is absent or was found down recently."""
        if self._client is None or time.monotonic() < self._down_until:
            return None
        return self._client

    def mark_down(self) -> None:
        self._down_until = time.monotonic() + RETRY_AFTER_SECONDS

    def status(self) -> str:
        """``"ok"``, ``"absent"`` (not configured) or ``"down"`` (configured, not answering)."""
        if self._client is None:
            return "absent"
        try:
            self._client.ping()
        except redis.RedisError:
            self.mark_down()
            return "down"
        self._down_until = 0.0
        return "ok"

    def run(self, operation: Callable[[redis.Redis], T], fallback: Callable[[], T]) -> T:
        """Run ``operation`` against Redis, or ``fallback`` when Redis is absent or fails."""
        client = self.client()
        if client is None:
            return fallback()
        try:
            return operation(client)
        except redis.RedisError:
            self.mark_down()
            return fallback()

    # -- small key/value helpers ------------------------------------------
    def get(self, key: str) -> Any:
        return self.run(lambda r: r.get(key), lambda: self.memory.get(key))

    def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        def op(r: redis.Redis) -> None:
            r.set(key, value, ex=int(ttl) if ttl else None)

        self.run(op, lambda: self.memory.set(key, value, ttl))

    def delete(self, key: str) -> None:
        self.run(lambda r: r.delete(key), lambda: self.memory.delete(key))

    def incr_window(self, key: str, window_seconds: int) -> int:
        """Count an event in a fixed window that starts at the first event; returns the count."""

        def op(r: redis.Redis) -> int:
            pipe = r.pipeline()
            pipe.incr(key)
            pipe.expire(key, window_seconds, nx=True)
            count, _ = pipe.execute()
            return int(count)

        return self.run(op, lambda: self.memory.incr(key, window_seconds))

    def incr_windows(self, items: Sequence[tuple[str, int, int]]) -> list[tuple[int, float]]:
        """Count events in several fixed windows (``incr_window``) with ONE command (a Lua script): for each
        (key, window seconds, events) the count so far and the seconds until that window ends."""

        def op(r: redis.Redis) -> list[tuple[int, float]]:
            if self._count_windows is None or self._count_windows.registered_client is not r:
                self._count_windows = r.register_script(_COUNT_WINDOWS)
            found = self._count_windows(keys=[key for key, _, _ in items],
                                        args=[a for _, seconds, by in items for a in (by, seconds)])
            return [(int(found[2 * i]), max(0, found[2 * i + 1]) / 1000) for i in range(len(items))]

        def fallback() -> list[tuple[int, float]]:
            return [(self.memory.incr(key, seconds, by), self.memory.expires_in(key)) for key, seconds, by in items]

        return self.run(op, fallback)

    def reserve(self, limits: Sequence[tuple[str, int]], window_seconds: int) -> str | None:
        """Take one slot in the fixed window (``incr_window``) of each (key, limit) when every key is below its
        limit, all or none, atomically — one Lua script on Redis (atomic across processes), the in-process store
        under its lock otherwise. ``None`` when taken; else the first key already at its limit (nothing taken).
        Count before acting (a password check) so that simultaneous requests cannot all pass one check."""

        def op(r: redis.Redis) -> str | None:
            if self._reserve is None or self._reserve.registered_client is not r:
                self._reserve = r.register_script(_RESERVE)
            full = int(self._reserve(keys=[key for key, _ in limits],
                                     args=[window_seconds, *(most for _, most in limits)]))
            return limits[full - 1][0] if full else None

        return self.run(op, lambda: self.memory.reserve(limits, window_seconds))

    def give_back(self, keys: Sequence[str]) -> None:
        """Return a slot taken by ``reserve`` (one less, never below zero), in one command."""

        def op(r: redis.Redis) -> None:
            if self._give_back is None or self._give_back.registered_client is not r:
                self._give_back = r.register_script(_GIVE_BACK)
            self._give_back(keys=list(keys))

        self.run(op, lambda: self.memory.give_back(keys))

    def structures(self) -> RedisStructures | None:
        """Sorted sets and hashes on Redis, or ``None`` when Redis is absent or down (no silent fallback)."""
        client = self.client()
        return RedisStructures(self, client) if client is not None else None
