"""Fixed-window rate limits: one Redis command per request, or per batch of requests (in-process without Redis), no
headers.

``hit(key, spec)`` counts a request in every window of a limit such as ``"10/second;300/minute"``
(``Cache.incr_windows``: a Lua script, or the in-process store when Redis is absent or down) and raises
``RateLimited`` (429 with ``Retry-After``: the seconds until the fullest window ends) when one is
exceeded; ``hit_all`` counts several such limits of one request together (the autosave: per user and attempt,
and per user). A window starts at its first request. ``limit(…)`` is the same as a route decorator; routes
that name the same ``scope`` share one budget. ``RATELIMIT_ENABLED`` (``QUIZ_RATELIMIT_ENABLED``) off
turns every limit off.

This replaced Flask-Limiter, whose check ran before every request of the app (limited or not) and took
four Redis round trips per limited request (one per window, then the windows again for its headers):
on the autosave, hit hundreds of times a second, that was a quarter of the request's cost
(docs/performance.md).

The autosave counts with ``batched=True``: each process keeps its counts and adds
them to Redis in one command at most every ``BATCH_SECONDS`` (``BatchedCounts``), so a save does not wait for Redis.
A request is refused when the count Redis gave at the last batch plus this process's counts since then exceed the
limit; what other processes counted since their last batch is seen one batch later, so a client spreading its
requests over P processes can pass the limit by at most what each process lets through in one batch interval.

``cpu_limit(…)`` is a budget of processing time rather than of requests (imports: a 291 KB workbook can cost
seconds of a core): before the view, 429 when the key's budget for the window is spent; after it, the CPU time the
request's thread used (``thread_cpu``, in milliseconds) is added to the window, in the same store.
"""
from __future__ import annotations

import math
import threading
import time
from functools import lru_cache, wraps
from typing import Callable

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from limits import parse_many

from quiz.errors import RateLimited
from quiz.cache import Cache
from quiz.extensions import cache


@lru_cache(maxsize=64)
def windows_of(spec: str) -> tuple[tuple[int, int], ...]:
    """``"10/second;300/minute"`` → ((10, 1), (300, 60)): (requests allowed, window seconds)."""
    return tuple((item.amount, item.get_expiry()) for item in parse_many(spec))


BATCH_SECONDS = 0.1
PRUNE_SECONDS = 10.0


class BatchedCounts:
    """One process's counts of rate-limit windows, added to Redis (``Cache.incr_windows``: one command for all
    of them, or the in-process store when Redis is absent or down) by the first request after every ``interval``
    seconds. ``hit`` answers from what Redis said at the last batch plus the counts since, without waiting."""

    def __init__(self, interval: float = BATCH_SECONDS, clock: Callable[[], float] = time.monotonic,
                 store: Cache | None = None) -> None:
        self.interval, self.clock, self.store = interval, clock, store
        self._lock = threading.Lock()
        self._known: dict[str, tuple[int, float]] = {}  # key → (count in Redis at the last batch, window end)
        self._pending: dict[str, tuple[int, int]] = {}  # key → (counted here since, window seconds)
        self._next_batch = self._next_prune = 0.0

    def hit(self, windows: list[tuple[str, int]]) -> list[tuple[int, float]]:
        """Count one event in each (key, seconds) window; for each, the count so far and the seconds left."""
        now = self.clock()
        found = []
        with self._lock:
            for key, seconds in windows:
                count, ends = self._known.get(key, (0, 0.0))
                if ends <= now:  # the window is over, or new to this process: one starts now
                    count, ends = 0, now + seconds
                    self._known[key] = (count, ends)
                    self._pending.pop(key, None)  # what was counted here belonged to the window that ended
                mine = self._pending.get(key, (0, seconds))[0] + 1
                self._pending[key] = (mine, seconds)
                found.append((count + mine, ends - now))
            batch = None
            if now >= self._next_batch:  # counts of windows that ended meanwhile are dropped, not sent
                batch = {k: v for k, v in self._pending.items() if self._known.get(k, (0, 0.0))[1] > now}
                self._pending, self._next_batch = {}, now + self.interval
        if batch:
            self._send(batch)
        return found

    def _send(self, batch: dict[str, tuple[int, int]]) -> None:
        totals = (self.store or cache).incr_windows([(key, seconds, count) for key, (count, seconds) in batch.items()])
        now = self.clock()
        with self._lock:
            for key, (total, left) in zip(batch, totals):
                self._known[key] = (total, now + left)  # counted here since the batch left stays pending
            if now >= self._next_prune:  # forget ended windows now and then, not on every batch
                self._next_prune = now + PRUNE_SECONDS
                for key in [k for k, (_c, ends) in self._known.items() if ends <= now and k not in self._pending]:
                    del self._known[key]


def _batched_counts() -> BatchedCounts:
    counts = current_app.extensions.get("quiz_rate_counts")
    if counts is None:  # one per app and process
        counts = current_app.extensions.setdefault("quiz_rate_counts", BatchedCounts())
    return counts


def hit(key: str, spec: str, *, batched: bool = False) -> None:
    """Count one request for ``key``; raise ``RateLimited`` when a window of ``spec`` is exceeded. ``batched``:
    counted by ``BatchedCounts`` (no Redis round trip on the request; see the module's text)."""
    hit_all(((key, spec),), batched=batched)


def hit_all(limits: tuple[tuple[str, str], ...], *, batched: bool = False) -> None:
    """``hit`` for several (key, spec) limits of one request, counted together (one Redis command, or one batch):
    every key is counted, and ``RateLimited`` is raised when a window of any of them is exceeded."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    windows = [(amount, f"limit:{key}:{seconds}", seconds) for key, spec in limits
               for amount, seconds in windows_of(spec)]
    keys = [(name, seconds) for _amount, name, seconds in windows]
    counts = _batched_counts().hit(keys) if batched else cache.incr_windows([(k, s, 1) for k, s in keys])
    waits = [left for (amount, _name, _seconds), (count, left) in zip(windows, counts) if count > amount]
    if waits:
        raise RateLimited(str(_l("Too many requests. Please wait a moment and try again.")),
                          retry_after=max(1, math.ceil(max(waits))))


def limit(spec: str | Callable[[], str], *, scope: str, key: Callable[[], str],
          methods: tuple[str, ...] | None = None) -> Callable:
    """Route decorator: ``hit(f"{scope}:{key()}", spec)`` before the view (only for ``methods``, when
    given). ``spec`` may be a function, read at request time (a setting)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if methods is None or request.method in methods:
                hit(f"{scope}:{key()}", spec() if callable(spec) else spec)
            return view(*args, **kwargs)

        return wrapped

    return decorator


thread_cpu: Callable[[], float] = time.thread_time  # CPU seconds of the calling thread (tests inject a cost)


def per_user() -> str:
    """Rate-limit key: the logged-in user (colleagues behind one school address keep their own budget)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else (request.remote_addr or "unknown")


def cpu_limit(spec: str | Callable[[], str], *, scope: str, key: Callable[[], str],
              methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Route decorator: at most ``spec`` CPU seconds (``"60/10 minutes"``) for ``f"{scope}:{key()}"``, measured
    around the view with :data:`thread_cpu` and charged even when the view fails. Routes that name the same
    ``scope`` share one budget. A request starts while some budget is left, so the last one may overrun it."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if request.method not in methods or not current_app.config.get("RATELIMIT_ENABLED", True):
                return view(*args, **kwargs)
            windows = windows_of(spec() if callable(spec) else spec)
            keys = [(f"cpu:{scope}:{key()}:{seconds}", seconds) for _amount, seconds in windows]
            _refuse_when_spent(windows, cache.incr_windows([(k, s, 0) for k, s in keys]))
            start = thread_cpu()
            try:
                return view(*args, **kwargs)
            finally:
                spent = max(0, math.ceil((thread_cpu() - start) * 1000))
                if spent:
                    cache.incr_windows([(k, s, spent) for k, s in keys])

        return wrapped

    return decorator


def _refuse_when_spent(windows: tuple[tuple[int, int], ...], counts: list[tuple[int, float]]) -> None:
    spent = [(amount, seconds, left) for (amount, seconds), (count, left) in zip(windows, counts)
             if count >= amount * 1000]
    if spent:
        amount, seconds, left = max(spent, key=lambda item: item[2])
        raise RateLimited(str(_l("Your imports have used their processing time for now (%(budget)d seconds of "
                                 "computing in %(minutes)d minutes). Try again in %(wait)d seconds.",
                                 budget=amount, minutes=max(1, seconds // 60), wait=max(1, math.ceil(left)))),
                          retry_after=max(1, math.ceil(left)))


# Every import (question files: upload and confirmation; class rosters) draws on one budget per user.
import_cpu = cpu_limit(lambda: current_app.config.get("IMPORT_CPU_BUDGET", "60/10 minutes"), scope="import",
                       key=per_user)
