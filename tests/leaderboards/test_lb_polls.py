"""Polling a board with If-None-Match: 304 while nothing the viewer sees changed, 200 with the new figures otherwise;
never another viewer's data, never a frozen board's hidden changes. Runs on both paths (no Redis / sorted sets)."""
from datetime import timedelta

import pytest
from lb_requests import name, ranks

from quiz import clock as quiz_clock
from quiz.extensions import cache, db
from quiz.leaderboards import board as board_reader
from quiz.leaderboards import poll, redis_board
from quiz.leaderboards.visibility import contest_view, round_view


def get(client, url, etag=None, **params):
    return client.get(url, query_string=params, headers={"If-None-Match": etag} if etag else {})


def url_of(rnd):
    return f"/api/rounds/{rnd.id}/leaderboard"


@pytest.mark.parametrize("who", ["visitor", "student", "organiser"])
def test_a_poll_with_the_current_etag_gets_304_and_no_body(client, login_as, scored, students, world, who):
    if who != "visitor":
        login_as(students[2] if who == "student" else world.admin)
    first = get(client, url_of(scored))
    assert first.status_code == 200 and first.headers["ETag"]
    again = get(client, url_of(scored), first.headers["ETag"])
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["Cache-Control"] == "private, no-cache" and again.headers["Vary"] == "Cookie"


def test_a_poll_with_the_current_etag_is_answered_without_reading_the_board(client, login_as, scored, students,
                                                                          monkeypatch):
    login_as(students[1])
    first = get(client, url_of(scored)).headers["ETag"]
    etag = get(client, url_of(scored), first).headers["ETag"]  # the board is built (Redis) and its version known

    def no_read(*args, **kwargs):
        raise AssertionError("the board was read for a poll that did not change")

    for target, attr in ((board_reader, "read"), (redis_board, "page"), (redis_board, "find"), (poll, "people")):
        monkeypatch.setattr(target, attr, no_read)
    assert get(client, url_of(scored), etag).status_code == 304


def test_after_a_submission_the_same_etag_gets_200_with_the_new_figures(client, login_as, scored, students, clock):
    login_as(students[5])
    seen = get(client, url_of(scored))
    assert seen.get_json()["me"] is None and seen.get_json()["total"] == 4
    aid = client.post(f"/api/rounds/{scored.id}/attempt").get_json()["attempt_id"]
    clock.advance(minutes=2)
    assert client.post(f"/api/attempts/{aid}/submit").status_code == 200  # 0 points: last
    after = get(client, url_of(scored), seen.headers["ETag"])
    assert after.status_code == 200 and after.headers["ETag"] != seen.headers["ETag"]
    data = after.get_json()
    assert data["total"] == 5 and data["me"]["rank"] == 5 and data["me"]["duration_ms"] == 120_000
    assert get(client, url_of(scored), after.headers["ETag"]).status_code == 304


def test_a_viewers_own_rank_moving_changes_their_etag_even_outside_their_page(client, login_as, scored, students,
                                                                           finish, db_session):
    login_as(students[3])
    before = get(client, url_of(scored), limit=1)
    assert before.get_json()["me"]["rank"] == 4
    finish(scored, students[6], 8.5, 60_000)  # passes student 3, not on the page of one
    db_session.commit()
    after = get(client, url_of(scored), before.headers["ETag"], limit=1)
    assert after.status_code == 200 and after.get_json()["me"]["rank"] == 5
    assert after.get_json()["entries"] == before.get_json()["entries"]


def test_a_contest_board_poll_gets_304_until_a_round_result_changes(client, scored, students, finish, db_session):
    url = f"/api/contests/{scored.contest.id}/leaderboard"
    first = get(client, url)
    assert get(client, url, first.headers["ETag"]).status_code == 304
    finish(scored, students[7], 10, 1_000)
    db_session.commit()
    changed = get(client, url, first.headers["ETag"])
    assert changed.status_code == 200 and changed.get_json()["entries"][0]["name"] == name(7)


def test_a_filtered_or_other_page_never_gets_304_for_another_querys_etag(client, scored, world):
    whole = get(client, url_of(scored)).headers["ETag"]
    school2 = get(client, url_of(scored), whole, school=world.school2.id)
    assert school2.status_code == 200 and school2.get_json()["total"] == 0
    school1 = get(client, url_of(scored), whole, school=world.school1.id)  # students 0-3: the very same body
    assert school1.status_code == 304 or school1.get_json()["total"] == 4
    second = get(client, url_of(scored), whole, limit=2, offset=2)
    assert second.status_code == 200 and ranks(second.get_json()) == [(3, name(2)), (4, name(3))]


def test_a_viewers_304_never_serves_another_viewers_data(client, app, login_as, scored, students, world, db_session):
    scored.contest.leaderboard_initials = True
    db_session.commit()
    login_as(students[0])
    mine = get(client, url_of(scored))
    assert mine.get_json()["entries"][0]["name"] == name(0)
    login_as(students[1])  # same browser, another student: the first one's ETag is not theirs
    other = get(client, url_of(scored), mine.headers["ETag"])
    assert other.status_code == 200
    assert other.get_json()["me"]["name"] == name(1) and other.get_json()["entries"][0]["name"] == "T. T. H. S. 00"
    visitor = get(app.test_client(), url_of(scored), mine.headers["ETag"])
    assert visitor.status_code == 200 and visitor.get_json()["me"] is None
    assert [e["name"] for e in visitor.get_json()["entries"]][:2] == ["T. T. H. S. 00", "T. T. H. S. 01"]


def test_school_staff_get_304_for_their_school_and_never_for_another_schools_board(client, login_as, rnd, students,
                                                                                  finish, world, db_session):
    rnd.contest.leaderboard_public = False  # staff see their own school only
    for k, student in enumerate(students):
        finish(rnd, student, 10 - k)
    db_session.commit()
    login_as(world.manager1)
    school1 = get(client, url_of(rnd))
    assert [e["rank"] for e in school1.get_json()["entries"]] == [1, 2, 3, 4, 5]
    assert get(client, url_of(rnd), school1.headers["ETag"]).status_code == 304
    login_as(world.manager2)
    school2 = get(client, url_of(rnd), school1.headers["ETag"])
    assert school2.status_code == 200 and [e["rank"] for e in school2.get_json()["entries"]] == [6, 7, 8, 9, 10]
    assert get(client, url_of(rnd), school1.headers["ETag"], school=world.school1.id).status_code == 404


def test_a_board_that_stops_being_public_is_not_found_even_with_a_current_etag(client, app, scored, db_session):
    visitor = app.test_client()
    etag = get(visitor, url_of(scored)).headers["ETag"]
    scored.contest.leaderboard_public = False
    db_session.commit()
    assert get(visitor, url_of(scored), etag).status_code == 404


@pytest.fixture
def freezing(rnd, students, finish, clock, db_session):
    """Frozen from minute 80 (the round closes 110 minutes from now); student 0 finished at minute 10."""
    rnd.freeze_minutes = 30
    finish(rnd, students[0], 5, at=clock.now + timedelta(minutes=10))
    db_session.commit()
    return rnd


def test_the_freeze_starting_at_its_time_changes_the_etag(app, freezing, students, finish, clock, db_session):
    public = app.test_client()
    finish(freezing, students[1], 9, at=clock.now + timedelta(minutes=79, seconds=30))
    db_session.commit()
    clock.advance(minutes=79, seconds=40)
    live = get(public, url_of(freezing))
    assert live.get_json()["frozen"] is False and ranks(live.get_json()) == [(1, name(1)), (2, name(0))]
    clock.advance(seconds=20)  # minute 80: frozen, although no result changed since
    frozen = get(public, url_of(freezing), live.headers["ETag"])
    assert frozen.status_code == 200 and frozen.get_json()["frozen"] is True
    assert ranks(frozen.get_json()) == [(1, name(1)), (2, name(0))]  # both results came before minute 80


def test_a_frozen_boards_etag_does_not_leak_changes_after_the_freeze(client, app, login_as, freezing, students,
                                                                    finish, clock, world, db_session):
    public = app.test_client()
    clock.advance(minutes=85)
    frozen = get(public, url_of(freezing))
    assert frozen.get_json()["frozen"] is True and frozen.get_json()["total"] == 1
    login_as(students[3])
    student_frozen = get(client, url_of(freezing))
    for k in (1, 2):  # results after the freeze: the organiser's board moves, the public one does not
        finish(freezing, students[k], 9 - k, at=clock.now)
        db_session.commit()
        again = get(public, url_of(freezing), frozen.headers["ETag"])
        assert again.status_code == 304 and again.headers["ETag"] == frozen.headers["ETag"]
        assert get(public, url_of(freezing)).headers["ETag"] == frozen.headers["ETag"]
        assert get(client, url_of(freezing), student_frozen.headers["ETag"]).status_code == 304
    login_as(world.admin)
    assert get(client, url_of(freezing)).get_json()["total"] == 3


def test_a_result_before_the_freeze_that_changes_still_changes_the_frozen_etag(client, app, login_as, freezing,
                                                                              students, clock, world, db_session):
    public = app.test_client()
    clock.advance(minutes=85)
    frozen = get(public, url_of(freezing))
    assert frozen.get_json()["total"] == 1
    login_as(world.admin)  # reopening the pre-freeze result takes it off the frozen board too
    response = client.post(f"/contests/rounds/{freezing.id}/monitor/reopen",
                           data={"student_id": students[0].id, "minutes": 10})
    assert response.status_code == 302
    again = get(public, url_of(freezing), frozen.headers["ETag"])
    assert again.status_code == 200 and again.get_json()["total"] == 0


def test_publishing_the_results_ends_the_freeze_for_a_poll_with_the_frozen_etag(app, freezing, students, finish,
                                                                               clock, db_session):
    public = app.test_client()
    clock.advance(minutes=85)
    finish(freezing, students[1], 9, at=clock.now)
    db_session.commit()
    frozen = get(public, url_of(freezing))
    clock.advance(minutes=30)  # closed: still frozen
    assert get(public, url_of(freezing), frozen.headers["ETag"]).status_code in (200, 304)
    assert get(public, url_of(freezing)).get_json() == frozen.get_json()
    freezing.results_published_at = quiz_clock.now()
    db_session.commit()
    published = get(public, url_of(freezing), frozen.headers["ETag"])
    assert published.status_code == 200 and published.get_json()["frozen"] is False
    assert ranks(published.get_json()) == [(1, name(1)), (2, name(0))]


def test_a_board_rebuilt_after_a_redis_flush_never_answers_304_to_an_older_etag(client, scored, students, finish,
                                                                               db_session):
    etag = get(client, url_of(scored)).headers["ETag"]
    if cache.client() is not None:
        cache.client().flushdb()
    else:
        cache.memory.clear()
    finish(scored, students[8], 9.5, 1_000)  # the counter restarts from nothing
    db_session.commit()
    after = get(client, url_of(scored), etag)
    assert after.status_code == 200 and after.get_json()["entries"][0]["name"] == name(8)


def test_an_unchanged_body_under_a_new_version_is_still_304_with_the_new_etag(client, scored, clock):
    first = get(client, url_of(scored))
    clock.advance(minutes=2)  # the version tag changes every minute; the body did not
    again = get(client, url_of(scored), first.headers["ETag"])
    assert again.status_code == 304 and again.headers["ETag"] != first.headers["ETag"]
    assert get(client, url_of(scored), again.headers["ETag"]).status_code == 304


@pytest.mark.parametrize("kind", ["round", "contest"])
def test_the_quick_visibility_decides_like_the_full_rules(app, login_as, rnd, students, world, clock, db_session,
                                                          kind):
    from flask_login import AnonymousUserMixin

    viewers = [AnonymousUserMixin(), students[0], world.admin]
    rnd.freeze_minutes = 30
    db_session.commit()
    board_id = rnd.id if kind == "round" else rnd.contest.id
    full = round_view if kind == "round" else contest_view
    for minutes, public, initials in ((0, True, False), (85, True, True), (0, False, False)):
        clock.advance(minutes=minutes)
        rnd.contest.leaderboard_public, rnd.contest.leaderboard_initials = public, initials
        db_session.commit()
        with app.test_request_context():
            for viewer in viewers:
                quick = poll.quick_seen(poll.facts(db.session, kind, board_id), viewer, quiz_clock.now())
                if quick is None:
                    continue  # the full rules decide (not public: only the organiser is quick)
                assert quick == poll.Seen.of(full(db.session, viewer, board_id, quiz_clock.now()))


@pytest.mark.parametrize("header", ['""', 'W/""', '"", "abc.def"', '*'])
def test_an_empty_or_odd_etag_in_if_none_match_gets_the_board_not_a_server_error(client, scored, header):
    """Werkzeug reads an empty quoted tag ("") as None; such a poll simply has no tag the server knows (found by
    the API fuzzer, tests/fuzz)."""
    first = get(client, url_of(scored), header)
    assert first.status_code == 200 and first.get_json()["total"] == 4
    assert get(client, url_of(scored), f'"", {first.headers["ETag"]}').status_code == 304
