"""Leaderboard fixtures: finished attempts made directly, and every test run on both paths.

``app`` is parametrised: "sql" (no Redis: the SQL path) and "zset" (sorted sets: real Redis when
TEST_REDIS_URL is set, the in-process store otherwise), so each rule is checked on both."""
from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal

import pytest

from quiz import clock as quiz_clock

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL") or ""


@pytest.fixture(params=["sql", "zset"])
def board_path(request):
    return request.param


@pytest.fixture
def app(board_path, app_factory):
    if board_path == "sql":
        return app_factory(REDIS_URL=None)
    if board_path == "down":  # configured but not answering (tests choose it with parametrize)
        return app_factory(REDIS_URL="redis://127.0.0.1:1/0")
    if TEST_REDIS_URL:
        return app_factory()
    return app_factory(REDIS_URL=None, LEADERBOARD_MEMORY_STORE=True)


@pytest.fixture
def finish(db_session):
    """Record a finished attempt: ``finish(rnd, student, score, duration_ms, at=…, prediction=…, number=…)``."""
    from quiz.leaderboards.live import attempt_changed
    from quiz.models import Attempt

    def make(rnd, student, score, duration_ms=60_000, *, at=None, prediction=None, number=1, max_score=10):
        submitted = at or quiz_clock.now()
        attempt = Attempt(round_id=rnd.id, user_id=student.id, number=number,
                          started_at=submitted - timedelta(milliseconds=duration_ms), deadline=submitted
                          + timedelta(minutes=30), submitted_at=submitted, finished_by="student",
                          score=Decimal(str(score)), max_score=Decimal(max_score), duration_ms=duration_ms,
                          prediction=prediction, seed=1)
        db_session.add(attempt)
        db_session.flush()
        attempt_changed(db_session, attempt)  # what attempts.service.finish does
        return attempt
    return make


@pytest.fixture
def students(make_student, world):
    """Ten students: five in world.class1 (school 1), five in world.class2 (school 2)."""
    out = []
    for k in range(10):
        klass = world.class1 if k < 5 else world.class2
        out.append(make_student(klass, full_name=f"Trần Thị Học Sinh {k:02d}", username=f"hs{k:02d}"))
    return out


@pytest.fixture
def rnd(world, clock, make_round, db_session):
    """An open province round whose leaderboard is public."""
    r = make_round()
    r.contest.leaderboard_public = True
    db_session.commit()
    return r


@pytest.fixture
def scored(rnd, students, finish, db_session):
    """Students 0-3 on the board (scores 9, 8, 7, 6), the others not yet."""
    for k in range(4):
        finish(rnd, students[k], 9 - k, 60_000)
    db_session.commit()
    return rnd
