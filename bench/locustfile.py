"""Load scenarios for ``bench/run.py`` (chosen with BENCH_SCENARIO):

- ``storm``: every student logs in, waits for the synchronized release (BENCH_RELEASE_AT, spread over
  BENCH_SPREAD seconds), starts the attempt, answers the 30 questions with autosave at an open-model pace
  (BENCH_SAVE_RATE saves per second over all students), polls the leaderboard, submits.
- ``saturate-app``: closed-loop autosaves as fast as the server answers (throughput ceiling of the app).
- ``saturate-floor``: the same loop against ``bench/floor_app.py`` (cookie check + one UPSERT).

Every acknowledged save is appended to BENCH_ACK_FILE so run.py can check none was lost.
"""
from __future__ import annotations

import json
import os
import random
import re
import time

import gevent
from locust import FastHttpUser, events, task
from locust.exception import StopUser

SCENARIO = os.environ.get("BENCH_SCENARIO", "storm")
ROUND_ID = int(os.environ.get("BENCH_ROUND_ID", "1"))
STUDENTS = int(os.environ.get("BENCH_STUDENTS", "1000"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-2026")
RELEASE_AT = float(os.environ.get("BENCH_RELEASE_AT", "0"))
SPREAD = float(os.environ.get("BENCH_SPREAD", "10"))
SAVE_RATE = float(os.environ.get("BENCH_SAVE_RATE", "1500"))
POLL_EVERY = float(os.environ.get("BENCH_POLL_SECONDS", "10"))
ACK_FILE = os.environ.get("BENCH_ACK_FILE", "bench/results/acks.jsonl")

_next_user = iter(range(int(os.environ.get("BENCH_USER_OFFSET", "0")), 10**9))
_acks: list[tuple] = []
_done = {"n": 0}


@events.test_stop.add_listener
def _write_acks(environment, **_kw):
    with open(ACK_FILE, "a", encoding="utf-8") as out:
        for row in _acks:
            out.write(json.dumps(row) + "\n")


class Student(FastHttpUser):
    abstract = True
    connection_timeout = 30
    network_timeout = 60

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
        gevent.sleep(max(0.0, RELEASE_AT - time.time()) + random.uniform(0, SPREAD))
        with self.client.post(f"/api/rounds/{ROUND_ID}/attempt", name="POST start", headers=self.headers,
                              data="{}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"start {response.status_code}")
                raise StopUser()
            self.paper = response.json()

    @task
    def take(self) -> None:
        interval = STUDENTS / SAVE_RATE  # each student's pace so that all together offer SAVE_RATE saves/s
        gevent.sleep(random.uniform(0, interval))
        last_poll = time.time()
        for seq, question in enumerate(self.paper["questions"], start=1):
            self.save(self.paper["attempt_id"], question, seq)
            if time.time() - last_poll > POLL_EVERY:
                last_poll = time.time()
                self.client.get(f"/api/rounds/{ROUND_ID}/leaderboard?limit=50", name="GET leaderboard")
            gevent.sleep(interval)
        with self.client.post(f"/api/attempts/{self.paper['attempt_id']}/submit", name="POST submit",
                              headers=self.headers, data="{}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"submit {response.status_code}")
        _done["n"] += 1
        if _done["n"] >= STUDENTS and self.environment.runner is not None:
            self.environment.runner.quit()
        raise StopUser()


class SaturatingStudent(Student):
    """Saves in a closed loop; ``BENCH_SATURATE_ATTEMPTS`` are started by run.py beforehand."""

    weight = 1 if SCENARIO == "saturate-app" else 0

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

    def on_start(self) -> None:
        self.index = next(_next_user)
        self.client.post("/login", data={"user": str(self.index)}, name="floor login")
        self.seq = 0

    @task
    def save_loop(self) -> None:
        self.seq += 1
        response = self.client.put(f"/floor/save/{random.randint(1, 30)}", data=json.dumps({"options": [1], "seq": self.seq}),
                        headers={"Content-Type": "application/json"}, name="PUT floor save")
        if response.status_code == 200:
            _acks.append((self.index, 0, self.seq, 1, time.time()))
