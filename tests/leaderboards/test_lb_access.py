"""Filters, "me", initials, freeze and who may see which board."""
from datetime import timedelta

import pytest
from lb_requests import board, name, ranks

from quiz.models import ContestStatus


@pytest.fixture
def scored(rnd, students, finish, clock, db_session):
    """Ten results, student k scoring 10 - k (school 1: ranks 1-5, school 2: ranks 6-10)."""
    for k, student in enumerate(students):
        finish(rnd, student, 10 - k, 60_000)
    db_session.commit()
    return rnd


def test_filters_by_school_class_and_area_keep_the_ranks_of_the_whole_board(client, scored, world):
    school2 = board(client, scored, school=world.school2.id)
    assert ranks(school2) == [(6 + k, name(5 + k)) for k in range(5)] and school2["total"] == 5
    assert ranks(board(client, scored, **{"class": world.class1.id}))[0] == (1, name(0))
    assert board(client, scored, area=world.area.id)["total"] == 10
    mismatch = board(client, scored, school=world.school1.id, **{"class": world.class2.id})
    assert mismatch == {"entries": [], "me": None, "total": 0, "frozen": False, "shows_distance": False}
    assert client.get(f"/api/rounds/{scored.id}/leaderboard?school=999999").status_code == 404
    assert client.get(f"/api/rounds/{scored.id}/leaderboard?school={world.class1.id}").status_code == 404
    assert client.get(f"/api/rounds/{scored.id}/leaderboard?limit=0").status_code == 400
    assert client.get(f"/api/rounds/{scored.id}/leaderboard?offset=abc").status_code == 400


def test_pages_follow_limit_and_offset(client, scored):
    page = board(client, scored, limit=3, offset=3)
    assert ranks(page) == [(4, name(3)), (5, name(4)), (6, name(5))] and page["total"] == 10


def test_a_student_outside_the_top_still_sees_their_own_rank(client, login_as, scored, students):
    login_as(students[8])
    data = board(client, scored, limit=3)
    assert len(data["entries"]) == 3
    assert data["me"] == {"rank": 9, "name": name(8), "school": "Trường THCS Thử Nghiệm 2", "class": "9A1",
                          "score": 2, "duration_ms": 60_000, "distance": None}


def test_public_boards_show_initials_except_to_the_organiser_and_the_student_themself(client, app, login_as, scored,
                                                                                      students, world, db_session):
    scored.contest.leaderboard_initials = True
    db_session.commit()
    anonymous = board(app.test_client(), scored, limit=2)
    assert [e["name"] for e in anonymous["entries"]] == ["T. T. H. S. 00", "T. T. H. S. 01"]
    login_as(students[1])
    mine = board(client, scored, limit=2)
    assert [e["name"] for e in mine["entries"]] == ["T. T. H. S. 00", name(1)] and mine["me"]["name"] == name(1)
    login_as(world.admin)
    assert [e["name"] for e in board(client, scored, limit=2)["entries"]] == [name(0), name(1)]
    login_as(world.manager2)  # a school's staff: full names of their own students only
    names = [e["name"] for e in board(client, scored)["entries"]]
    assert names[0] == "T. T. H. S. 00" and names[5] == name(5)


def test_the_public_board_freezes_for_the_last_minutes_until_the_results_are_published(client, app, login_as, world, rnd,
                                                                                      students, finish, clock,
                                                                                      db_session):
    rnd.freeze_minutes = 30  # the round closes 110 minutes from now: frozen from minute 80
    finish(rnd, students[0], 5, at=clock.now + timedelta(minutes=10))
    finish(rnd, students[1], 9, at=clock.now + timedelta(minutes=81))
    db_session.commit()
    public = app.test_client()
    clock.advance(minutes=79)
    assert [e["name"] for e in board(public, rnd)["entries"]] == [name(1), name(0)]  # not frozen yet (times are data)
    clock.advance(minutes=2)
    frozen = board(public, rnd)
    assert frozen["frozen"] is True and ranks(frozen) == [(1, name(0))]
    clock.advance(minutes=60)  # closed, still not published
    assert ranks(board(public, rnd)) == [(1, name(0))]
    login_as(world.admin)
    organiser = board(client, rnd)
    assert organiser["frozen"] is False and ranks(organiser) == [(1, name(1)), (2, name(0))]
    rnd.results_published_at = clock.now
    db_session.commit()
    assert ranks(board(public, rnd)) == [(1, name(1)), (2, name(0))]


def test_who_may_see_a_board_that_is_not_public(client, app, login_as, rnd, students, finish, world, db_session, clock):
    rnd.contest.leaderboard_public = False
    for k, student in enumerate(students):
        finish(rnd, student, 10 - k)
    db_session.commit()
    url = f"/api/rounds/{rnd.id}/leaderboard"
    assert app.test_client().get(url).status_code == 404
    login_as(students[0])
    assert client.get(url).status_code == 404  # taking part, results not published yet
    login_as(world.manager2)
    own = client.get(url).get_json()
    assert own["total"] == 5 and [e["rank"] for e in own["entries"]] == [6, 7, 8, 9, 10]
    assert client.get(url, query_string={"school": world.school1.id}).status_code == 404
    assert client.get(url, query_string={"class": world.class1.id}).status_code == 404
    login_as(world.admin)
    assert client.get(url).get_json()["total"] == 10
    rnd.results_published_at = clock.now
    db_session.commit()
    login_as(students[0])
    assert client.get(url).get_json()["me"]["rank"] == 1
    assert app.test_client().get(url).status_code == 404  # published, but results are not public
    rnd.contest.results_public = True
    db_session.commit()
    assert app.test_client().get(url).get_json()["total"] == 10


def test_drafts_and_unknown_boards_are_not_found(client, app, login_as, rnd, world, db_session):
    rnd.contest.status = ContestStatus.DRAFT
    db_session.commit()
    assert app.test_client().get(f"/api/rounds/{rnd.id}/leaderboard").status_code == 404
    assert app.test_client().get(f"/api/contests/{rnd.contest.id}/leaderboard").status_code == 404
    login_as(world.manager1)
    assert client.get(f"/api/rounds/{rnd.id}/leaderboard").status_code == 404
    login_as(world.admin)
    assert client.get(f"/api/rounds/{rnd.id}/leaderboard").status_code == 200
    assert client.get("/api/rounds/987654/leaderboard").status_code == 404
    assert client.get("/api/contests/987654/leaderboard").status_code == 404
