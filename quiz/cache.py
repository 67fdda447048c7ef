"""Redis, behind one module, with a working in-process fallback.

Redis is an accelerator (leaderboards, rate limits, jobs), never the only copy of
anything. When ``QUIZ_REDIS_URL`` is unset the cache is *absent* and everything
uses the in-process store; when Redis stops answering it is *down*: calls fall
back to the in-process store and Redis is tried again after a short pause.
This is the only module that imports ``redis``.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, TypeVar

import redis
from flask import Flask

T = TypeVar("T")

RETRY_AFTER_SECONDS = 5.0


class MemoryStore:
    """A tiny thread-safe key/value store with expiry, used when Redis is absent or down."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[Any, float | None]] = {}
        self._lock = threading.Lock()

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

    def incr(self, key: str, window: float) -> int:
        with self._lock:
            if self._alive(key):
                value, expires = self._data[key]
                self._data[key] = (value + 1, expires)
                return value + 1
            self._data[key] = (1, time.monotonic() + window)
            return 1

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class Cache:
    """Facade over Redis with the in-process fallback."""

    def __init__(self) -> None:
        self.url: str | None = None
        self._client: redis.Redis | None = None
        self._down_until = 0.0
        self.memory = MemoryStore()

    def init_app(self, app: Flask) -> None:
        self.url = app.config.get("REDIS_URL")
        self._client = (
            redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=2, decode_responses=True)
            if self.url
            else None
        )
        self._down_until = 0.0
        self.memory = MemoryStore()
        app.extensions["quiz_cache"] = self

    # -- state -----------------------------------------------------------
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

    def limiter_storage_uri(self) -> str:
        return self.url or "memory://"
