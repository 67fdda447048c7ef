"""Attempts whose time ran out are finished by the server, with nobody opening them again: the
``attempts finish-overdue`` command (cron) and the in-process scheduler of ``make run``."""
import pytest

from quiz.attempts import overdue
from quiz.models import Attempt

from tests.leaderboards.lb_requests import board
from tests.test_attempts_api import contest, correct_ids, start  # noqa: F401 - the fixture and helpers


def _answer_one_right(client, db_session, data):
    key = correct_ids(db_session, data["attempt_id"])
    q = data["questions"][0]
    client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}", json={"options": key[q["id"]], "seq": 1})


def test_one_scheduler_tick_finishes_abandoned_attempts_and_puts_them_on_the_leaderboard(
        app, client, login_as, world, contest, clock, db_session):  # noqa: F811
    login_as(world.student1)
    data = start(client, contest).get_json()
    _answer_one_right(client, db_session, data)
    clock.advance(minutes=30)  # the deadline, but not the network grace yet
    assert overdue.tick(app) == 0
    clock.advance(seconds=11)
    assert overdue.tick(app) == 1
    db_session.expire_all()
    attempt = db_session.get(Attempt, data["attempt_id"])
    assert attempt.finished_by == "deadline" and float(attempt.score) == 1.0
    assert attempt.submitted_at == attempt.deadline
    login_as(world.admin)
    assert [(e["name"], float(e["score"])) for e in board(client, contest)["entries"]] == [
        (world.student1.full_name, 1.0)]
    assert overdue.tick(app) == 0  # finished once, never again


def test_finish_overdue_works_in_bounded_batches_until_none_is_left(app, client, login_as, world, contest,
                                                                     clock, db_session):  # noqa: F811
    for student in (world.student1, world.student1b, world.student2):
        login_as(student)
        start(client, contest)
    clock.advance(minutes=45)
    assert overdue.finish_all(db_session, clock.now, grace=10, batch=2) == 3
    assert db_session.query(Attempt).filter(Attempt.submitted_at.is_(None)).count() == 0


def test_the_command_says_how_many_it_finished(app, client, login_as, world, contest, clock):  # noqa: F811
    login_as(world.student1)
    start(client, contest)
    clock.advance(minutes=45)
    assert "1 overdue attempt(s) finished." in app.test_cli_runner().invoke(args=["attempts", "finish-overdue"]).output


def test_the_scheduler_is_off_in_tests_and_starts_once_with_the_first_request_when_configured(app_factory):
    quiet = app_factory()
    quiet.test_client().get("/healthz")
    assert overdue.start(quiet) is None and id(quiet) not in overdue._started
    app = app_factory(SCHEDULER=True, SCHEDULER_SECONDS=3600)
    assert id(app) not in overdue._started  # building the app (a flask command, the reloader) starts nothing
    app.test_client().get("/healthz")
    first = overdue._started.get(id(app))
    try:
        assert first is not None and first.daemon and first.is_alive()
        app.test_client().get("/healthz")
        assert overdue.start(app) is first and overdue._started[id(app)] is first
    finally:
        first.stop.set()
        first.join(5)
        overdue._started.pop(id(app), None)


def test_make_run_turns_the_scheduler_on():
    from quiz import ROOT

    run = (ROOT / "Makefile").read_text().split("\nrun:")[1].split("\n\n")[0]
    assert "QUIZ_SCHEDULER=1" in run.splitlines()[-1] and "flask --app wsgi run" in run.splitlines()[-1]


def test_quiz_scheduler_turns_it_on_outside_tests_every_30_seconds_by_default(monkeypatch, tmp_path):
    from quiz.config import load_config

    monkeypatch.setenv("QUIZ_SCHEDULER", "1")
    cfg = load_config(tmp_path, {"ENV": "development"})
    assert (cfg["SCHEDULER"], cfg["SCHEDULER_SECONDS"]) == (True, 30)
    assert load_config(tmp_path, {"ENV": "testing"})["SCHEDULER"] is False
    monkeypatch.delenv("QUIZ_SCHEDULER")
    assert load_config(tmp_path, {"ENV": "development"})["SCHEDULER"] is False
