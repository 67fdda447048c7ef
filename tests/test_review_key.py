"""The answer key is never shown while the student can still answer the round (issue 15, probe defect #2).

The probe's story: a contest allowing several attempts with review "right after submitting"; a student submitted
a blank attempt, read its review (the key), copied the key into the next attempt and ranked first."""
from datetime import timedelta

import pytest

from quiz.models import Attempt, ReviewPolicy

LEFT = "Đáp án sẽ hiện khi em đã dùng hết số lượt làm bài của vòng thi, hoặc sau khi vòng thi đóng lúc"


@pytest.fixture
def retake_round(world, clock, make_question, make_round, db_session):
    """A contest stored before the fix with the unsafe settings: 2 attempts, review right after submitting.
    The round opened 10 minutes ago and closes at 10:50 Hà Nội time; 30 minutes per attempt."""
    rnd = make_round([make_question() for _ in range(3)], review_policy=ReviewPolicy.AFTER_SUBMIT,
                     attempts_allowed=2, time_limit=30, duration_minutes=120)
    db_session.commit()
    return rnd


def start(client, rnd):
    r = client.post(f"/api/rounds/{rnd.id}/attempt")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def review(client, attempt_id):
    return client.get(f"/api/attempts/{attempt_id}/review")


def test_a_blank_attempt_does_not_give_the_key_for_the_retake(client, login_as, world, retake_round, db_session):
    login_as(world.student1)
    first = start(client, retake_round)
    assert client.post(f"/api/attempts/{first['attempt_id']}/submit").get_json()["score"] == 0.0
    refused = review(client, first["attempt_id"])
    assert refused.status_code == 403
    assert refused.get_json()["error"] == f"{LEFT} 20/11/2026 10:50 (còn 1 lượt)."
    assert "correct" not in refused.get_data(as_text=True)
    page = client.get(f"/attempts/{first['attempt_id']}/review")
    assert page.status_code == 403 and "20/11/2026 10:50" in page.get_data(as_text=True)
    shown = client.get(f"/api/attempts/{first['attempt_id']}").get_json()
    assert shown["review_available"] is False and shown["result"]["score"] == 0.0
    assert shown["review_note"] == refused.get_json()["error"]
    my_rounds = client.get("/rounds").get_data(as_text=True)
    assert f"/attempts/{first['attempt_id']}/review" not in my_rounds and "(còn 1 lượt)" in my_rounds
    assert "correct" not in str(shown) and "explanation" not in str(shown)

    second = start(client, retake_round)  # the retake is allowed: the key was never shown
    assert second["attempt_id"] != first["attempt_id"] and second["submitted"] is False
    running = review(client, first["attempt_id"])
    assert running.status_code == 403
    assert running.get_json()["error"] == ("Em vẫn đang làm lượt 2 của vòng thi này. Đáp án chỉ hiện khi em không "
                                           "còn làm bài ở vòng này được nữa.")
    client.post(f"/api/attempts/{second['attempt_id']}/submit")
    for attempt_id in (first["attempt_id"], second["attempt_id"]):  # no attempt left: the key is shown
        body = review(client, attempt_id).get_json()
        assert all(any(o["correct"] for o in q["options"]) for q in body["questions"])
    assert f"/attempts/{second['attempt_id']}/review" in client.get("/rounds").get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Attempt, first["attempt_id"]).key_shown_at is not None


def test_the_key_is_shown_after_the_round_closes_even_with_attempts_unused(client, login_as, world, retake_round,
                                                                            clock):
    login_as(world.student1)
    first = start(client, retake_round)
    client.post(f"/api/attempts/{first['attempt_id']}/submit")
    assert review(client, first["attempt_id"]).status_code == 403
    clock.advance(minutes=111)  # 10:51, the round has closed
    assert client.get(f"/api/attempts/{first['attempt_id']}").get_json()["review_available"] is True
    body = review(client, first["attempt_id"]).get_json()
    assert body["questions"] and all(any(o["correct"] for o in q["options"]) for q in body["questions"])
    assert client.get(f"/attempts/{first['attempt_id']}/review").status_code == 200


def test_a_running_attempt_past_the_close_keeps_the_key_hidden(client, login_as, world, make_round, make_question,
                                                               db_session, clock):
    rnd = make_round([make_question()], attempts_allowed=2, duration_minutes=40, time_limit=30)
    db_session.commit()
    login_as(world.student1)
    first = start(client, rnd)
    client.post(f"/api/attempts/{first['attempt_id']}/submit")
    clock.advance(minutes=20)  # 09:20: the second attempt would end at the close, 09:30
    second = start(client, rnd)
    db_session.get(Attempt, second["attempt_id"]).deadline += timedelta(minutes=30)  # extended past the close
    db_session.commit()
    clock.advance(minutes=15)  # 09:35: the round has closed, the second attempt still takes answers
    refused = review(client, first["attempt_id"])
    assert refused.status_code == 403 and "lượt 2" in refused.get_json()["error"]


def test_a_student_who_has_seen_the_key_starts_no_new_attempt(client, login_as, world, make_round, make_question,
                                                              db_session, clock):
    rnd = make_round([make_question()], attempts_allowed=2, duration_minutes=60)
    db_session.commit()
    login_as(world.student1)
    first = start(client, rnd)
    client.post(f"/api/attempts/{first['attempt_id']}/submit")
    clock.advance(minutes=51)  # closed
    assert review(client, first["attempt_id"]).status_code == 200
    rnd.closes_at = clock.now + timedelta(hours=1)  # the organiser moves the close later: the round opens again
    db_session.commit()
    again = start(client, rnd)
    assert again["attempt_id"] == first["attempt_id"] and again["submitted"] is True
    assert db_session.query(Attempt).count() == 1


def test_the_key_is_never_shown_when_the_contest_says_never(client, login_as, world, make_round, make_question,
                                                            db_session, clock):
    rnd = make_round([make_question()], review_policy=ReviewPolicy.NEVER)
    db_session.commit()
    login_as(world.student1)
    first = start(client, rnd)
    client.post(f"/api/attempts/{first['attempt_id']}/submit")
    clock.advance(days=1)
    refused = review(client, first["attempt_id"])
    assert refused.status_code == 403 and refused.get_json()["error"] == "Cuộc thi này không cho xem lại đáp án."
