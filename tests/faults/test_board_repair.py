"""Two real servers sharing PostgreSQL and Redis; Redis cut for one of them only (issue 15, probe #10).

Results submitted through the server that cannot reach Redis must reach the other server's board — its total,
its order and its ETags — as soon as they are acknowledged, without waiting for that server to see Redis again
(docs/leaderboards.md, "Rebuilds")."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from fault_proxy import TEST_DATABASE_URL, TEST_REDIS_URL, through
from live_server import Browser, Gunicorn
from sqlalchemy import func, select

from quiz.models import Attempt, Role

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
PASSWORD = "matkhau-2026"  # the factories' password (tests/conftest.py)


def poll(server: Gunicorn, path: str, etag: str | None = None) -> tuple[int, dict | None, dict]:
    """An anonymous visitor's poll, as ``static/js/leaderboard.js`` sends it."""
    request = urllib.request.Request(server.base + path, headers={"If-None-Match": etag} if etag else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as err:
        if err.code == 304:
            return 304, None, dict(err.headers)
        raise


def take_part(server: Gunicorn, student, rnd) -> None:
    browser = Browser(server.base)
    browser.login(student.username, PASSWORD)
    status, paper = browser.call("POST", f"/api/rounds/{rnd.id}/attempt")
    assert status == 200, paper
    status, result = browser.call("POST", f"/api/attempts/{paper['attempt_id']}/submit")
    assert status == 200, result


def test_results_submitted_where_redis_is_unreachable_reach_the_other_servers_board_and_etags_at_once(
        db_session, world, make_round, make_question, make_user, redis_proxy):
    rnd = make_round([make_question() for _ in range(2)])
    rnd.contest.leaderboard_public = True
    early = [make_user(Role.STUDENT, unit=world.class1) for _ in range(2)]
    late = [make_user(Role.STUDENT, unit=world.class2) for _ in range(3)]
    db_session.commit()

    def sql_total() -> int:
        db_session.rollback()  # a fresh snapshot
        return db_session.scalar(select(func.count(func.distinct(Attempt.user_id)))
                                 .where(Attempt.round_id == rnd.id, Attempt.submitted_at.is_not(None)))

    cut_off = Gunicorn(TEST_DATABASE_URL, workers=1, redis_url=through(redis_proxy, TEST_REDIS_URL))
    other = Gunicorn(TEST_DATABASE_URL, workers=1, redis_url=TEST_REDIS_URL)
    board = f"/api/rounds/{rnd.id}/leaderboard"
    contest_board = f"/api/contests/{rnd.contest_id}/leaderboard"
    try:
        for student in early:
            take_part(cut_off, student, rnd)
        status, body, headers = poll(other, board)
        assert status == 200 and body["total"] == 2 and headers["X-Leaderboard-Source"] == "redis"
        etag = headers["ETag"]
        contest_etag = poll(other, contest_board)[2]["ETag"]
        assert poll(other, board, etag)[0] == 304

        redis_proxy.cut()  # Redis unreachable for this server only
        for student in late:
            take_part(cut_off, student, rnd)

        status, body, headers = poll(other, board, etag)
        assert status == 200, "the other server answered 304 for a board whose results changed"
        assert body["total"] == sql_total() == 5
        assert headers["X-Leaderboard-Source"] == "redis"  # repaired in Redis from the database
        status, contest, _ = poll(other, contest_board, contest_etag)
        assert status == 200 and contest["total"] == 5
        assert poll(other, board, headers["ETag"])[0] == 304  # and steady again

        status, body, _ = poll(cut_off, board)  # the cut-off server answers from the database meanwhile
        assert body["total"] == 5

        redis_proxy.restore()
        status, body, headers = poll(cut_off, board)
        assert body["total"] == 5
        status, body, _ = poll(other, board)
        assert body["total"] == sql_total() == 5
    finally:
        cut_off.stop()
        other.stop()
