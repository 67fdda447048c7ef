"""Finishing overdue attempts without anyone opening them: one pass (``finish_all``), used by
``flask --app wsgi attempts finish-overdue`` (cron) and by the small in-process scheduler below.

The scheduler is a daemon thread that calls ``tick`` every ``QUIZ_SCHEDULER_SECONDS`` (30 s). It runs only
when ``QUIZ_SCHEDULER=1`` (``make run`` sets it; tests do not unless a test turns it on) and starts with the
first request a process serves, so neither the reloader's watching process nor a ``flask`` command starts
one. Several processes running it at once are safe (``finish_overdue`` skips rows another one has locked,
and a finished attempt is never finished again).
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime

from flask import Flask

from quiz import clock

log = logging.getLogger(__name__)
_started: dict[int, threading.Thread] = {}
_lock = threading.Lock()


def finish_all(session, now: datetime, grace: int, batch: int = 500) -> int:
    """Finish every overdue attempt in batches of ``batch``, committing each batch (its effects — scores,
    leaderboard updates — are those of any finish). Returns how many were finished."""
    from quiz.attempts.service import finish_overdue

    total = 0
    while True:
        done = finish_overdue(session, now, grace=grace, batch=batch)
        session.commit()
        total += done
        if done < batch:
            return total


def tick(app: Flask) -> int:
    """One pass of the scheduler, in its own application context (and database session)."""
    from quiz.extensions import db

    with app.app_context():
        try:
            return finish_all(db.session, clock.now(), int(app.config.get("ATTEMPT_GRACE_SECONDS", 10)))
        except Exception:  # noqa: BLE001 - a failed pass is logged; the next one tries again
            db.session.rollback()
            log.exception("finishing overdue attempts failed")
            return 0


def _loop(app: Flask, seconds: float, stop: threading.Event) -> None:
    while not stop.wait(seconds):
        done = tick(app)
        if done:
            log.info("%d overdue attempt(s) finished", done)


def start(app: Flask) -> threading.Thread | None:
    """Start this process's scheduler thread for ``app`` once (no-op when not configured or already running)."""
    if not app.config.get("SCHEDULER"):
        return None
    with _lock:
        running = _started.get(id(app))
        if running is not None and running.is_alive():
            return running
        stop = threading.Event()
        thread = threading.Thread(target=_loop, args=(app, float(app.config.get("SCHEDULER_SECONDS", 30)), stop),
                                  name="quiz-finish-overdue", daemon=True)
        thread.stop = stop  # type: ignore[attr-defined]
        thread.start()
        _started[id(app)] = thread
        return thread


def register(app: Flask) -> None:
    """Start the scheduler with the first request this process serves, when ``QUIZ_SCHEDULER`` asks for it."""
    if not app.config.get("SCHEDULER"):
        return

    @app.before_request
    def _start_scheduler() -> None:
        if id(app) not in _started:
            start(app)
