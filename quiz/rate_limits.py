"""Fixed-window rate limits: one Redis command per request (in-process without Redis), no headers.

``hit(key, spec)`` counts a request in every window of a limit such as ``"10/second;300/minute"``
(``Cache.incr_windows``: a Lua script, or the in-process store when Redis is absent or down) and raises
``RateLimited`` (429 with ``Retry-After``: the seconds until the fullest window ends) when one is
exceeded. A window starts at its first request. ``limit(…)`` is the same as a route decorator; routes
that name the same ``scope`` share one budget. ``RATELIMIT_ENABLED`` (``QUIZ_RATELIMIT_ENABLED``) off
turns every limit off.

This replaced Flask-Limiter, whose check ran before every request of the app (limited or not) and took
four Redis round trips per limited request (one per window, then the windows again for its headers):
on the autosave, hit hundreds of times a second, that was a quarter of the request's cost
(docs/performance.md).
"""
from __future__ import annotations

import math
from functools import lru_cache, wraps
from typing import Callable

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from limits import parse_many

from quiz.errors import RateLimited
from quiz.extensions import cache


@lru_cache(maxsize=64)
def windows_of(spec: str) -> tuple[tuple[int, int], ...]:
    """``"10/second;300/minute"`` → ((10, 1), (300, 60)): (requests allowed, window seconds)."""
    return tuple((item.amount, item.get_expiry()) for item in parse_many(spec))


def hit(key: str, spec: str) -> None:
    """Count one request for ``key``; raise ``RateLimited`` when a window of ``spec`` is exceeded."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    windows = windows_of(spec)
    counts = cache.incr_windows([(f"limit:{key}:{seconds}", seconds) for _amount, seconds in windows])
    waits = [left for (amount, _seconds), (count, left) in zip(windows, counts) if count > amount]
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
