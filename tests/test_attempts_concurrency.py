"""Races that only a real database with row locks can show (run on PostgreSQL)."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from quiz.attempts import scoring
from quiz.models import Answer, Attempt, Role

pytestmark = pytest.mark.postgres


def _client_for(app, user):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
    return client


def test_simultaneous_start_clicks_create_exactly_one_attempt(app, db_session, world, make_round, make_question, clock):
    rnd = make_round([make_question() for _ in range(5)])
    db_session.commit()
    clients = [_client_for(app, world.student1) for _ in range(8)]
    barrier = threading.Barrier(len(clients))

    def press_start(client):
        barrier.wait()
        return client.post(f"/api/rounds/{rnd.id}/attempt")

    with ThreadPoolExecutor(len(clients)) as pool:
        responses = list(pool.map(press_start, clients))
    assert {r.status_code for r in responses} == {200}
    assert len({r.get_json()["attempt_id"] for r in responses}) == 1
    assert db_session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_a_submit_racing_an_autosave_gives_one_consistent_final_score(app, db_session, world, make_round,
                                                                     make_question, make_user, clock):
    rnd = make_round([make_question() for _ in range(3)])
    students = [make_user(Role.STUDENT, unit=world.class1) for _ in range(12)]
    db_session.commit()
    outcomes = []
    for student in students:
        client = _client_for(app, student)
        data = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
        attempt = db_session.get(Attempt, data["attempt_id"])
        revs = scoring.paper_revisions(db_session, attempt)
        q = data["questions"][0]
        right = [o.id for o in revs[attempt.paper[0].revision_id].options if o.correct]
        saver, submitter = _client_for(app, student), _client_for(app, student)
        barrier = threading.Barrier(2)

        def save():
            barrier.wait()
            return saver.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}", json={"options": right, "seq": 1})

        def submit():
            barrier.wait()
            return submitter.post(f"/api/attempts/{data['attempt_id']}/submit")

        with ThreadPoolExecutor(2) as pool:
            fs, fb = pool.submit(save), pool.submit(submit)
            saved, submitted = fs.result(), fb.result()
        assert submitted.status_code == 200
        assert saved.status_code in (200, 409)
        outcomes.append((data["attempt_id"], saved.status_code, submitted.get_json()["score"]))
    db_session.expire_all()
    for attempt_id, save_status, reported in outcomes:
        stored = db_session.scalar(select(func.count()).select_from(Answer).where(Answer.attempt_id == attempt_id))
        attempt = db_session.get(Attempt, attempt_id)
        # An acknowledged save is in the final score; a refused one left nothing behind.
        assert stored == (1 if save_status == 200 else 0)
        assert float(attempt.score) == reported == (1.0 if save_status == 200 else 0.0)
        assert db_session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == attempt.user_id)) == 1


def test_two_submits_racing_each_other_give_one_final_score(app, db_session, world, make_round, make_question, clock):
    rnd = make_round([make_question() for _ in range(3)])
    db_session.commit()
    starter = _client_for(app, world.student1)
    data = starter.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    q = data["questions"][0]
    assert starter.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                       json={"options": [q["options"][0]["id"]], "seq": 1}).status_code == 200
    clients = [_client_for(app, world.student1) for _ in range(6)]
    barrier = threading.Barrier(len(clients))

    def submit(client):
        barrier.wait()
        return client.post(f"/api/attempts/{data['attempt_id']}/submit")

    with ThreadPoolExecutor(len(clients)) as pool:
        responses = list(pool.map(submit, clients))
    assert {r.status_code for r in responses} == {200}
    assert len({(r.get_json()["score"], r.get_json()["duration_ms"]) for r in responses}) == 1
    db_session.expire_all()
    attempt = db_session.get(Attempt, data["attempt_id"])
    assert attempt.submitted_at is not None and float(attempt.score) == responses[0].get_json()["score"]


def test_an_autosave_is_one_autocommitted_statement_and_is_durable_when_acknowledged(app, db_session, world,
                                                                                    make_round, make_question, clock):
    """The hot path: one round trip to PostgreSQL per save (no BEGIN, no COMMIT), and what it acknowledged is
    committed — another connection sees it at once."""
    from sqlalchemy import event

    from quiz.extensions import db

    rnd = make_round([make_question() for _ in range(3)])
    db_session.commit()
    client = _client_for(app, world.student1)
    data = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    q = data["questions"][1]
    sent = []

    def record(conn, _cursor, statement, _params, _context, _many):
        sent.append((statement, conn.connection.dbapi_connection.autocommit))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        saved = client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                           json={"options": [q["options"][2]["id"]], "seq": 4})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    assert len(sent) == 1 and sent[0][1] is True, sent
    with db.engine.connect() as other:
        stored = other.execute(select(Answer.option_ids, Answer.seq).where(
            Answer.attempt_id == data["attempt_id"], Answer.question_id == q["id"])).one()
    assert stored == ([q["options"][2]["id"]], 4)


def test_two_schedulers_running_at_once_finish_each_overdue_attempt_exactly_once(app, db_session, world, make_round,
                                                                               make_question, make_user, clock):
    from datetime import timedelta

    from quiz.attempts import overdue

    rnd = make_round([make_question() for _ in range(3)])
    students = [make_user(Role.STUDENT, unit=world.class1) for _ in range(30)]
    db_session.commit()
    for student in students:
        assert _client_for(app, student).post(f"/api/rounds/{rnd.id}/attempt").status_code == 200
    clock.advance(minutes=45)
    barrier = threading.Barrier(2)

    def one_process():
        barrier.wait()
        return overdue.tick(app)

    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda _: one_process(), range(2)))
    assert sum(done) == 30  # each attempt finished by one of them
    db_session.expire_all()
    finished = db_session.scalars(select(Attempt).where(Attempt.round_id == rnd.id)).all()
    assert {a.finished_by for a in finished} == {"deadline"} and all(a.submitted_at == a.deadline for a in finished)
    assert overdue.tick(app) == 0
