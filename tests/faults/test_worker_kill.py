"""A gunicorn worker killed with SIGKILL in the middle of a stream of autosaves loses no acknowledged save."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from fault_proxy import TEST_DATABASE_URL
from live_server import Browser, Gunicorn
from sqlalchemy import select

from quiz.models import Answer, Role

pytestmark = pytest.mark.postgres
PASSWORD = "matkhau-2026"  # the factories' password (tests/conftest.py)


def test_every_save_acknowledged_before_a_worker_is_killed_is_in_the_database(
        db_session, world, make_round, make_question, make_user):
    rnd = make_round([make_question() for _ in range(6)])
    students = [make_user(Role.STUDENT, unit=world.class1) for _ in range(4)]
    db_session.commit()
    server = Gunicorn(TEST_DATABASE_URL, workers=2)
    try:
        acked: dict[tuple[int, int], tuple[int, list[int]]] = {}
        lock = threading.Lock()
        stop = threading.Event()
        after_kill = threading.Event()
        acked_after_kill = []

        def student_stream(user):
            browser = Browser(server.base)
            browser.login(user.username, PASSWORD)
            status, paper = browser.call("POST", f"/api/rounds/{rnd.id}/attempt")
            assert status == 200, paper
            seq = 0
            while not stop.is_set():
                for question in paper["questions"]:
                    seq += 1
                    choice = [question["options"][seq % len(question["options"])]["id"]]
                    try:
                        status, body = browser.call(
                            "PUT", f"/api/attempts/{paper['attempt_id']}/answers/{question['id']}",
                            {"options": choice, "seq": seq}, timeout=5)
                    except OSError:
                        continue  # the connection died with the worker: not acknowledged, the client retries later
                    if status == 200 and body.get("saved"):
                        with lock:
                            acked[(paper["attempt_id"], question["id"])] = (seq, choice)
                            if after_kill.is_set():
                                acked_after_kill.append(seq)
                    time.sleep(0.12)  # stay under the per-attempt autosave rate limit

        threads = [threading.Thread(target=student_stream, args=(s,)) for s in students]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 20
        while len(acked) < 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        victims = server.workers()
        assert victims, "no gunicorn worker found"
        os.kill(victims[0], signal.SIGKILL)
        after_kill.set()
        time.sleep(2.5)
        stop.set()
        for t in threads:
            t.join(15)

        assert acked_after_kill, "the stream should go on after the kill (gunicorn replaces the worker)"
        db_session.expire_all()
        for (attempt_id, question_id), (seq, choice) in acked.items():
            answer = db_session.scalar(select(Answer).where(Answer.attempt_id == attempt_id,
                                                            Answer.question_id == question_id))
            assert answer is not None, f"acknowledged save lost: attempt {attempt_id} question {question_id}"
            assert answer.seq >= seq
            if answer.seq == seq:
                assert sorted(answer.option_ids) == sorted(choice)
    finally:
        server.stop()
