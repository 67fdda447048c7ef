"""Load scenarios for ``bench/run.py`` (chosen with BENCH_SCENARIO):

- ``storm``: every student logs in (spread over the login phase, as on contest morning), waits for the
  synchronized release (BENCH_RELEASE_AT, each student at a random moment within BENCH_SPREAD seconds),
  starts the attempt, answers the 30 questions with autosave, polls the leaderboard, submits.
  Open model: each student's saves are fired on a fixed schedule (one every STUDENTS / BENCH_SAVE_RATE
  seconds, so that all together offer BENCH_SAVE_RATE saves per second), each in its own greenlet —
  a slow answer does not delay the next save, so the offered load does not drop when the server slows.
  The leaderboard is polled every BENCH_POLL_SECONDS with If-None-Match, as static/js/leaderboard.js does.
- ``saturate-app``: BENCH_STUDENTS students each save at BENCH_SATURATE_PACE saves/s (below the per-attempt
  rate limit of 10/s, 300/min): the offered load exceeds what the server can answer, so the acknowledged
  rate is its ceiling.
- ``saturate-floor``: the same against ``bench/floor_app.py`` (cookie check + one UPSERT).

Every acknowledged save is appended to BENCH_ACK_FILE (attempt, question, seq, option, time) so that run.py can
check that none was lost; every start to BENCH_START_FILE (student, logged in, released, answered, status).
"""
from __future__ import annotations

import json
import os
import random
import re
import time

import gevent
from locust import FastHttpUser, constant_throughput, events, task
from locust.exception import StopUser

SCENARIO = os.environ.get("BENCH_SCENARIO", "storm")
ROUND_ID = int(os.environ.get("BENCH_ROUND_ID", "1"))
STUDENTS = int(os.environ.get("BENCH_STUDENTS", "1000"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-2026")
RELEASE_AT = float(os.environ.get("BENCH_RELEASE_AT", "0"))
SPREAD = float(os.environ.get("BENCH_SPREAD", "10"))
SAVE_RATE = float(os.environ.get("BENCH_SAVE_RATE", "1500"))
POLL_EVERY = float(os.environ.get("BENCH_POLL_SECONDS", "10"))
PACE = float(os.environ.get("BENCH_SATURATE_PACE", "4"))
ACK_FILE = os.environ.get("BENCH_ACK_FILE", "bench/results/acks.jsonl")
START_FILE = os.environ.get("BENCH_START_FILE", "bench/results/starts.jsonl")

_next_user = iter(range(int(os.environ.get("BENCH_USER_OFFSET", "0")), 10**9))
_acks: list[tuple] = []
_starts: list[tuple] = []
_done = {"n": 0}


@events.test_stop.add_listener
def _write_records(environment, **_kw):
    with open(ACK_FILE, "a", encoding="utf-8") as out:
        for row in _acks:
            out.write(json.dumps(row) + "\n")
    if _starts:
        with open(START_FILE, "a", encoding="utf-8") as out:
            for row in _starts:
                out.write(json.dumps(row) + "\n")


class Student(FastHttpUser):
    abstract = True
    connection_timeout = 60
    network_timeout = 120
    concurrency = 4  # a browser tab may have a few requests in flight (a save, a poll)

    def login(self) -> None:
        self.index = next(_next_user)
        username = f"b{self.index:06d}"
        page = self.client.get("/login", name="GET /login").text or ""
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        self.client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": token.group(1) if token else ""}, name="POST /login")
        home = self.client.get("/", name="GET /").text or ""
        meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', home)
        self.headers = {"X-CSRFToken": meta.group(1) if meta else "", "Content-Type": "application/json"}
        self.logged_in_at = time.time()

    def save(self, attempt_id: int, question: dict, seq: int, name: str = "PUT answer") -> None:
        option = random.choice(question["options"])["id"]
        with self.client.put(f"/api/attempts/{attempt_id}/answers/{question['id']}", name=name,
                             data=json.dumps({"options": [option], "seq": seq}), headers=self.headers,
                             catch_response=True) as response:
            if response.status_code == 200 and (response.json() or {}).get("saved"):
                _acks.append((attempt_id, question["id"], seq, option, time.time()))
                response.success()
            else:
                response.failure(f"save {response.status_code}")


class StormStudent(Student):
    weight = 1 if SCENARIO == "storm" else 0

    def on_start(self) -> None:
        self.login()
        released = max(RELEASE_AT, time.time()) + random.uniform(0, SPREAD)
        gevent.sleep(max(0.0, released - time.time()))
        sent = time.time()
        with self.client.post(f"/api/rounds/{ROUND_ID}/attempt", name="POST start", headers=self.headers,
                              data="{}", catch_response=True) as response:
            ok = response.status_code == 200
            _starts.append((self.index, self.logged_in_at, released, sent, time.time(), response.status_code))
            if not ok:
                response.failure(f"start {response.status_code}")
                raise StopUser()
            self.paper = response.json()

    def poll(self, stop_at: float) -> None:
        etag = None
        gevent.sleep(random.uniform(0, POLL_EVERY))
        while time.time() < stop_at:
            headers = {"If-None-Match": etag} if etag else {}
            with self.client.get(f"/api/rounds/{ROUND_ID}/leaderboard?limit=50", name="GET leaderboard",
                                 headers=headers, catch_response=True) as response:
                if response.status_code in (200, 304):
                    etag = response.headers.get("ETag") or etag
                    response.success()
                else:
                    response.failure(f"leaderboard {response.status_code}")
            gevent.sleep(POLL_EVERY)

    @task
    def take(self) -> None:
        interval = STUDENTS / SAVE_RATE  # each student's pace so that all together offer SAVE_RATE saves/s
        questions = self.paper["questions"]
        first = time.time() + random.uniform(0, interval)
        poller = gevent.spawn(self.poll, first + interval * len(questions))
        saves = []
        for seq, question in enumerate(questions, start=1):
            gevent.sleep(max(0.0, first + (seq - 1) * interval - time.time()))  # the schedule, not the answers
            saves.append(gevent.spawn(self.save, self.paper["attempt_id"], question, seq))
        gevent.joinall(saves)
        poller.kill()
        with self.client.post(f"/api/attempts/{self.paper['attempt_id']}/submit", name="POST submit",
                              headers=self.headers, data="{}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"submit {response.status_code}")
        _done["n"] += 1
        if _done["n"] >= STUDENTS and self.environment.runner is not None:
            self.environment.runner.quit()
        raise StopUser()


class SaturatingStudent(Student):
    """Saves at a steady pace each, more of them in all than the server can answer."""

    weight = 1 if SCENARIO == "saturate-app" else 0
    wait_time = constant_throughput(PACE)

    def on_start(self) -> None:
        self.login()
        response = self.client.post(f"/api/rounds/{ROUND_ID}/attempt", name="POST start", headers=self.headers,
                                    data="{}")
        self.paper = response.json()
        self.seq = 1000

    @task
    def save_loop(self) -> None:
        self.seq += 1
        self.save(self.paper["attempt_id"], random.choice(self.paper["questions"]), self.seq, name="PUT answer (saturate)")


class FloorStudent(FastHttpUser):
    weight = 1 if SCENARIO == "saturate-floor" else 0
    wait_time = constant_throughput(PACE)
    connection_timeout = 60
    network_timeout = 120

    def on_start(self) -> None:
        self.index = next(_next_user)
        self.client.post("/login", data={"user": str(self.index)}, name="floor login")
        self.seq = 0

    @task
    def save_loop(self) -> None:
        self.seq += 1
        with self.client.put(f"/floor/save/{random.randint(1, 30)}", data=json.dumps({"options": [1], "seq": self.seq}),
                             headers={"Content-Type": "application/json"}, name="PUT floor save",
                             catch_response=True) as response:
            if response.status_code == 200:
                _acks.append((self.index, 0, self.seq, 1, time.time()))
            else:
                response.failure(f"floor {response.status_code}")
