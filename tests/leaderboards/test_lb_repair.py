"""A live update that one process could not write to Redis is repaired from the database by the next read of
any process: no board keeps showing (or answering 304 for) what the database no longer has. Sorted-set path
only (real Redis when TEST_REDIS_URL is set, the in-process store otherwise); the same with two real servers
and a cut connection: ``tests/faults/test_board_repair.py``."""
import pytest
from sqlalchemy import func, select

from quiz.cache import CacheUnavailable
from quiz.extensions import cache
from quiz.leaderboards import board as board_reader
from quiz.leaderboards import live, redis_board
from quiz.leaderboards.boards import contest_board, round_board
from quiz.models import Attempt

pytestmark = pytest.mark.parametrize("board_path", ["zset"])


def get(client, url, etag=None):
    return client.get(url, headers={"If-None-Match": etag} if etag else {})


def url_of(rnd):
    return f"/api/rounds/{rnd.id}/leaderboard"


def sql_total(db_session, rnd):
    return db_session.scalar(select(func.count(func.distinct(Attempt.user_id)))
                             .where(Attempt.round_id == rnd.id, Attempt.submitted_at.is_not(None)))


@pytest.fixture
def unreachable_redis_elsewhere(monkeypatch):
    """The next commits' Redis updates fail as in a process that cannot reach Redis; that process's memory is
    not this one's (it may be another server, or dead), so nothing it remembers helps here."""

    def cannot_reach(*args, **kwargs):
        raise CacheUnavailable("connection refused")

    monkeypatch.setattr(redis_board, "apply", cannot_reach)
    monkeypatch.setattr(live, "remember_missed", lambda prefixes: None)
    return monkeypatch.undo


def test_a_result_another_process_could_not_send_to_redis_shows_on_the_next_poll_and_ends_the_304s(
        client, scored, students, finish, db_session, unreachable_redis_elsewhere):
    first = get(client, url_of(scored))
    etag = get(client, url_of(scored), first.headers["ETag"]).headers["ETag"]
    assert first.get_json()["total"] == 4 and first.headers["X-Leaderboard-Source"] == "redis"

    finish(scored, students[7], 9.5, 1_000)  # first place, committed; its Redis update is lost
    db_session.commit()
    unreachable_redis_elsewhere()  # the other process is gone; Redis answers here

    after = get(client, url_of(scored), etag)
    assert after.status_code == 200, "a 304 for a board whose truth changed"
    assert after.get_json()["total"] == sql_total(db_session, scored) == 5
    assert after.get_json()["entries"][0]["name"] == "Trần Thị Học Sinh 07"
    assert after.headers["X-Leaderboard-Source"] == "redis"  # repaired in Redis, not only answered from SQL
    contest = client.get(f"/api/contests/{scored.contest_id}/leaderboard").get_json()
    assert contest["total"] == 5 and contest["entries"][0]["name"] == "Trần Thị Học Sinh 07"
    assert get(client, url_of(scored), after.headers["ETag"]).status_code == 304


def test_while_one_process_repairs_a_board_the_others_answer_it_from_the_database(
        client, scored, students, finish, db_session, unreachable_redis_elsewhere):
    etag = get(client, url_of(scored)).headers["ETag"]
    finish(scored, students[7], 9.5, 1_000)
    db_session.commit()
    unreachable_redis_elsewhere()
    lock = f"{round_board(scored).prefix}:rebuilding"
    cache.set(lock, "another process", 60)  # where the board store keeps it (Redis, or this process's store)

    during = get(client, url_of(scored), etag)
    assert during.status_code == 200 and during.headers["X-Leaderboard-Source"] == "database"
    assert during.get_json()["total"] == 5

    cache.delete(lock)
    after = get(client, url_of(scored))
    assert after.headers["X-Leaderboard-Source"] == "redis" and after.get_json() == during.get_json()


def test_an_update_prepared_under_an_older_signature_makes_the_next_read_rebuild_the_board(
        client, scored, students, db_session):
    board = round_board(scored)
    old_signature = board.signature()
    get(client, url_of(scored))  # built in Redis
    scored.leaderboard_misses += 1  # another process recorded a miss; a rebuild read the database before...
    db_session.commit()
    store = board_reader.board_store()
    redis_board.rebuild(store, db_session, board)
    assert redis_board.generation(store, board.prefix, board.signature()) is not None
    # ...this update, computed before the miss was recorded, arrives after the rebuild
    redis_board.apply(store, board.prefix, old_signature, {students[7].id: None})
    assert redis_board.generation(store, board.prefix, board.signature()) is None  # next read: from the database


def test_a_recorded_miss_changes_the_round_and_contest_boards_signatures_but_not_a_frozen_ones(
        scored, db_session):
    live_boards = (round_board(scored), contest_board(scored.contest))
    frozen = round_board(scored, scored.closes_at)
    before = [b.signature() for b in (*live_boards, frozen)]
    live.mark_missed(db_session, {live_boards[0].prefix: {scored.id}})
    db_session.expire_all()
    after = [b.signature() for b in (round_board(scored), contest_board(scored.contest),
                                     round_board(scored, scored.closes_at))]
    assert after[0] != before[0] and after[1] != before[1] and after[2] == before[2]
