"""Live boards: a finished attempt moves the board in the same request; Redis flushed or down changes nothing."""
from datetime import timedelta

import pytest
from lb_requests import board, name, ranks

from quiz.cache import CacheUnavailable
from quiz.extensions import cache
from quiz.models import Attempt


def submit(client, login_as, student, rnd, clock, minutes=3):
    login_as(student)
    aid = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()["attempt_id"]
    clock.advance(minutes=minutes)
    assert client.post(f"/api/attempts/{aid}/submit").status_code == 200
    return aid


def flush_boards(board_path):
    if cache.client() is not None:
        cache.client().flushdb()
    else:
        cache.memory.clear()


class BrokenStore:
    """A Redis that stopped answering in the middle of the request."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise CacheUnavailable("connection refused")
        return fail


def test_a_submitted_attempt_is_on_the_board_in_the_same_request(client, login_as, rnd, students, finish, clock,
                                                                 board_path, db_session):
    finish(rnd, students[0], 3, 10_000)
    db_session.commit()
    login_as(students[1])
    before = client.get(f"/api/rounds/{rnd.id}/leaderboard")
    assert before.headers["X-Leaderboard-Source"] == ("redis" if board_path == "zset" else "database")
    assert [e["name"] for e in before.get_json()["entries"]] == [name(0)]
    submit(client, login_as, students[1], rnd, clock)  # 0 points (no answers), 3 minutes
    data = board(client, rnd)
    assert ranks(data) == [(1, name(0)), (2, name(1))]
    assert data["me"]["rank"] == 2 and data["me"]["duration_ms"] == 180_000


def test_reopening_an_attempt_takes_it_off_the_board_until_it_is_finished_again(client, login_as, world, rnd, students,
                                                                                 finish, clock, db_session):
    finish(rnd, students[0], 5, 10_000)
    db_session.commit()
    aid = submit(client, login_as, students[1], rnd, clock)
    assert [e["name"] for e in board(client, rnd)["entries"]] == [name(0), name(1)]
    login_as(world.admin)
    response = client.post(f"/contests/rounds/{rnd.id}/monitor/reopen", data={"student_id": students[1].id,
                                                                              "minutes": 10})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Attempt, aid).submitted_at is None
    assert [e["name"] for e in board(client, rnd)["entries"]] == [name(0)]
    login_as(students[1])
    clock.advance(minutes=1)
    client.post(f"/api/attempts/{aid}/submit")
    assert [e["name"] for e in board(client, rnd)["entries"]] == [name(0), name(1)]


def test_a_redis_flush_mid_round_rebuilds_the_same_board_from_the_database(client, login_as, rnd, students, finish,
                                                                           clock, board_path, db_session):
    for k, score in enumerate([4, 7, 7, 2]):
        finish(rnd, students[k], score, 20_000 + k)
    db_session.commit()
    first = board(client, rnd)
    flush_boards(board_path)
    submit(client, login_as, students[5], rnd, clock)  # finishes while the board is gone
    again = board(client, rnd)
    assert again["entries"][:4] == first["entries"]
    assert ranks(again) == [(1, name(1)), (2, name(2)), (3, name(0)), (4, name(3)), (5, name(5))]
    assert again["total"] == 5


def test_when_redis_stops_answering_the_database_gives_the_same_ranks(client, login_as, rnd, students, finish, clock,
                                                                      db_session, monkeypatch):
    for k, score in enumerate([4, 7, 7, 2]):
        finish(rnd, students[k], score, 20_000)
    db_session.commit()
    live = board(client, rnd)
    import quiz.leaderboards.board as reader

    good_store = reader.board_store
    monkeypatch.setattr(reader, "board_store", lambda: BrokenStore() if good_store() is not None else None)
    response = client.get(f"/api/rounds/{rnd.id}/leaderboard")
    assert response.headers["X-Leaderboard-Source"] == "database"
    assert response.get_json() == live
    submit(client, login_as, students[6], rnd, clock)  # the live update cannot reach Redis
    assert board(client, rnd)["total"] == 5
    monkeypatch.setattr(reader, "board_store", good_store)  # Redis is back: the missed update is not lost
    back = board(client, rnd)
    assert back["total"] == 5 and back["entries"][:4] == live["entries"]


@pytest.mark.parametrize("board_path", ["down"])
def test_an_unreachable_redis_answers_from_the_database(app, client, rnd, students, finish, clock, db_session):
    for k, score in enumerate([3, 9, 3]):
        finish(rnd, students[k], score, 1000, at=clock.now + timedelta(seconds=k))
    db_session.commit()
    response = client.get(f"/api/rounds/{rnd.id}/leaderboard")
    assert response.status_code == 200
    assert response.headers["X-Leaderboard-Source"] == "database"
    assert ranks(response.get_json()) == [(1, name(1)), (2, name(0)), (3, name(2))]
    assert app.extensions["quiz_cache"].status() == "down"


@pytest.mark.parametrize("changes", [1, 3])
def test_the_etag_answers_304_until_the_board_changes(client, rnd, students, finish, db_session, changes):
    finish(rnd, students[0], 5)
    db_session.commit()
    first = client.get(f"/api/rounds/{rnd.id}/leaderboard")
    etag = first.headers["ETag"]
    assert etag
    same = client.get(f"/api/rounds/{rnd.id}/leaderboard", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b""
    for k in range(1, changes + 1):
        finish(rnd, students[k], 6)
    db_session.commit()
    changed = client.get(f"/api/rounds/{rnd.id}/leaderboard", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["entries"][0]["name"] == name(1)
