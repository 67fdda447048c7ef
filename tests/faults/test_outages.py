"""PostgreSQL or Redis going away during a round: clear 503s and no partial writes, or nothing noticed at all."""
from __future__ import annotations

import pytest
from fault_proxy import TEST_DATABASE_URL, TEST_REDIS_URL, through
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from quiz.models import Answer, Attempt


@pytest.fixture
def app(pg_proxy, redis_proxy, app_factory, request):
    """The application reaching PostgreSQL and Redis only through the cuttable proxies."""
    return app_factory(DATABASE_URL=through(pg_proxy, TEST_DATABASE_URL), REDIS_URL=through(redis_proxy, TEST_REDIS_URL))


def _direct() -> Session:
    return Session(create_engine(TEST_DATABASE_URL, poolclass=None))


def _start(client, rnd):
    response = client.post(f"/api/rounds/{rnd.id}/attempt")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_database_outage_answers_503_with_a_retry_hint_and_writes_nothing(
        app, db_session, world, make_round, make_question, login_as, client, pg_proxy):
    rnd = make_round([make_question() for _ in range(3)])
    db_session.commit()
    login_as(world.student1)
    paper = _start(client, rnd)
    attempt_id = paper["attempt_id"]
    q1, q2 = paper["questions"][0], paper["questions"][1]
    saved = client.put(f"/api/attempts/{attempt_id}/answers/{q1['id']}",
                       json={"options": [q1["options"][0]["id"]], "seq": 1})
    assert saved.status_code == 200

    pg_proxy.cut()
    during = client.put(f"/api/attempts/{attempt_id}/answers/{q2['id']}",
                        json={"options": [q2["options"][1]["id"]], "seq": 1})
    assert during.status_code == 503
    assert during.headers["Retry-After"].isdigit()
    assert "try again" in during.get_json()["error"] or "thử lại" in during.get_json()["error"]
    submit_during = client.post(f"/api/attempts/{attempt_id}/submit")
    assert submit_during.status_code == 503
    page = client.get("/rounds")
    assert page.status_code == 503 and "Retry-After" in page.headers

    pg_proxy.restore()
    with _direct() as check:  # nothing of what was refused reached the database
        attempt = check.get(Attempt, attempt_id)
        assert attempt.submitted_at is None
        assert {a.question_id for a in check.scalars(select(Answer).where(Answer.attempt_id == attempt_id))} == {q1["id"]}

    # the browser's queue replays: the same save now succeeds, then the submit
    replay = client.put(f"/api/attempts/{attempt_id}/answers/{q2['id']}",
                        json={"options": [q2["options"][1]["id"]], "seq": 1})
    assert replay.status_code == 200
    assert client.post(f"/api/attempts/{attempt_id}/submit").status_code == 200
    with _direct() as check:
        assert check.get(Attempt, attempt_id).submitted_at is not None
        assert len(check.scalars(select(Answer).where(Answer.attempt_id == attempt_id)).all()) == 2


def test_students_keep_answering_and_submitting_while_redis_is_down(
        app, db_session, world, make_round, make_question, login_as, client, redis_proxy):
    rnd = make_round([make_question() for _ in range(2)])
    db_session.commit()
    cache = app.extensions["quiz_cache"]
    login_as(world.student1)
    paper = _start(client, rnd)

    redis_proxy.cut()
    for seq, question in enumerate(paper["questions"], start=1):
        response = client.put(f"/api/attempts/{paper['attempt_id']}/answers/{question['id']}",
                              json={"options": [question["options"][0]["id"]], "seq": seq})
        assert response.status_code == 200, response.get_data(as_text=True)
    with app.app_context():
        assert cache.status() == "down"
    result = client.post(f"/api/attempts/{paper['attempt_id']}/submit")
    assert result.status_code == 200 and result.get_json()["max_score"] > 0
    assert client.get("/healthz").status_code in (200, 503)

    redis_proxy.restore()
    login_as(world.student2)
    assert _start(client, rnd)["attempt_id"] != paper["attempt_id"]
    with app.app_context():
        assert cache.status() == "ok"
