"""The autosave checks the session in its own query (``identity_required``): what ends a session
anywhere else ends it for the autosave too, and nothing is stored from a session that was ended."""
import pytest
from sqlalchemy import func, select

from quiz.models import Answer
from quiz.models.users import new_session_token


@pytest.fixture
def running(client, login_as, world, make_question, make_round, db_session):
    """student1 has started a one-question round; returns (url of the save, an option id)."""
    rnd = make_round([make_question()])
    db_session.commit()
    login_as(world.student1)
    data = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    q = data["questions"][0]
    return f"/api/attempts/{data['attempt_id']}/answers/{q['id']}", q["options"][0]["id"]


def _answers(db_session) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(Answer))


def test_a_save_from_a_session_ended_elsewhere_gets_401_and_stores_nothing(client, running, world, db_session):
    url, option = running
    world.student1.session_token = new_session_token()  # logged out on another device / password changed
    db_session.commit()
    response = client.put(url, json={"options": [option], "seq": 1})
    assert response.status_code == 401
    assert response.get_json()["error"] == "Vui lòng đăng nhập trước."
    assert _answers(db_session) == 0


def test_a_save_from_an_account_turned_off_gets_401(client, running, world, db_session):
    url, option = running
    world.student1.is_active = False
    db_session.commit()
    assert client.put(url, json={"options": [option], "seq": 1}).status_code == 401
    assert _answers(db_session) == 0


def test_a_student_who_must_change_the_password_first_gets_403_on_save(client, running, world, db_session):
    url, option = running
    world.student1.must_change_password = True
    db_session.commit()
    assert client.put(url, json={"options": [option], "seq": 1}).status_code == 403
    assert _answers(db_session) == 0


def test_a_save_without_any_session_gets_401(app, running):
    url, option = running
    assert app.test_client().put(url, json={"options": [option], "seq": 1}).status_code == 401


def test_another_students_session_cannot_save_into_the_attempt(app, running, world, db_session):
    url, option = running
    other = app.test_client()
    with other.session_transaction() as sess:
        sess["_user_id"] = world.student1b.get_id()
    assert other.put(url, json={"options": [option], "seq": 1}).status_code == 404
    assert _answers(db_session) == 0


def test_a_remember_me_cookie_alone_still_saves(app, running, world, db_session):
    """The browser session ended but the student ticked 'keep me logged in': the usual loader runs."""
    url, option = running
    client = app.test_client()
    page = client.post("/login", data={"username": world.student1.username, "password": "matkhau-2026",
                                       "remember": "y"})
    assert page.status_code == 302
    client.delete_cookie("session")
    response = client.put(url, json={"options": [option], "seq": 1})
    assert response.status_code == 200 and response.get_json()["saved"] is True
    assert _answers(db_session) == 1


# -- what the one-statement save (PostgreSQL) writes: exactly what the checks accept ---------------------------
def test_a_save_at_the_last_second_of_the_grace_is_stored_not_just_acknowledged(client, login_as, world,
                                                                                make_question, make_round,
                                                                                db_session, clock):
    rnd = make_round([make_question()], time_limit=30)
    db_session.commit()
    login_as(world.student1)
    data = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    q = data["questions"][0]
    clock.advance(minutes=30, seconds=10)  # deadline + the 10 s grace, exactly
    response = client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                          json={"options": [q["options"][1]["id"]], "seq": 3})
    assert response.get_json() == {"saved": True, "seq": 3, "server_time": clock.now.isoformat()}
    db_session.expire_all()
    assert db_session.scalars(select(Answer.option_ids)).all() == [[q["options"][1]["id"]]]


def test_two_options_of_a_multiple_choice_question_are_stored_and_a_newer_save_replaces_them(
        client, login_as, world, make_question, make_round, db_session):
    rnd = make_round([make_question(type="multiple", options=4, correct=(0, 1))])
    db_session.commit()
    login_as(world.student1)
    data = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    q = data["questions"][0]
    url = f"/api/attempts/{data['attempt_id']}/answers/{q['id']}"
    two = [q["options"][2]["id"], q["options"][0]["id"]]
    assert client.put(url, json={"options": two, "seq": 1}).get_json()["saved"] is True
    assert client.put(url, json={"options": [], "seq": 2}).get_json().get("stale") is None
    stale = client.put(url, json={"options": two, "seq": 1}).get_json()  # a delayed older save
    assert stale["stale"] is True
    db_session.expire_all()
    assert db_session.scalars(select(Answer.option_ids)).all() == [[]]
