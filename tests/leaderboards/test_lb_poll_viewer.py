"""Polls read the viewer with one narrow query (``viewer_required_or_anonymous``): the session rules still hold."""
import pytest

from quiz.models.users import new_session_token


def poll(client, rnd):
    return client.get(f"/api/rounds/{rnd.id}/leaderboard")


def test_a_logged_in_student_sees_their_own_row(client, login_as, scored, students):
    login_as(students[1])
    data = poll(client, scored).get_json()
    assert data["me"]["rank"] == 2


def test_a_session_ended_elsewhere_polls_as_a_visitor_without_a_row_of_its_own(client, login_as, scored, students,
                                                                               db_session):
    login_as(students[1])
    students[1].session_token = new_session_token()  # logged out on another device
    db_session.commit()
    response = poll(client, scored)
    assert response.status_code == 200 and response.get_json()["me"] is None


def test_a_turned_off_account_polls_as_a_visitor(client, login_as, scored, students, db_session):
    login_as(students[0])
    students[0].is_active = False
    db_session.commit()
    assert poll(client, scored).get_json()["me"] is None


def test_a_student_who_must_change_the_password_first_gets_403_on_the_poll(client, login_as, scored, students,
                                                                          db_session):
    login_as(students[2])
    students[2].must_change_password = True
    db_session.commit()
    assert poll(client, scored).status_code == 403


def test_the_organiser_still_gets_the_full_view(client, login_as, scored, world):
    login_as(world.admin)
    data = poll(client, scored).get_json()
    assert data["total"] == 4 and data["me"] is None
