"""Profile the start and autosave requests in-process: SQL statements, CPU and wall time per request.

    .venv/bin/python bench/seed.py postgresql://postgres@127.0.0.1:5432/bench 3000   # a fresh round first
    .venv/bin/python bench/profile_requests.py start 100 0       # 100 starts by students b000000…b000099
    .venv/bin/python bench/profile_requests.py save 600 200      # 600 autosaves by 40 students from b000200
    PROFILE=1 .venv/bin/python bench/profile_requests.py save 600 300   # + pyinstrument call tree (pip install pyinstrument)
    .venv/bin/python bench/profile_requests.py compare 400 1000   # our autosave vs bench/floor_app.py, interleaved

Drives the production app (QUIZ_ENV=production) with Flask's test client against BENCH_DATABASE_URL and
BENCH_REDIS_URL (default Redis db 14). Each student can start once, and autosaves are rate-limited per attempt
(10/s, 300/min): use a new range of students for each run. CPU per request moves with the machine's load:
compare two versions side by side, at the same moment (docs/performance.md)."""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
CLIENTS = 40


def main() -> int:
    what, count, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.environ.update(QUIZ_ENV="production", QUIZ_SECRET_KEY="bench-profile", QUIZ_DATABASE_URL=DATABASE_URL,
                      QUIZ_REDIS_URL=REDIS_URL, QUIZ_SECURE_COOKIES="0", QUIZ_PROXY_FIX="0",
                      QUIZ_PUBLIC_URL="http://localhost")
    from sqlalchemy import event

    from bench.seed import PASSWORD
    from quiz import create_app
    from quiz.extensions import db

    app = create_app()
    round_id = int(os.environ.get("BENCH_ROUND_ID", "1"))

    def logged_in(index: int):
        client = app.test_client()
        page = client.get("/login").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post("/login", data={"username": f"b{index:06d}", "password": PASSWORD, "csrf_token": token})
        meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
        return client, {"X-CSRFToken": meta, "Content-Type": "application/json"}

    if what == "compare":
        return compare(app, logged_in, round_id, count, first)
    clients = [logged_in(first + i) for i in range(count if what == "start" else CLIENTS)]
    papers = [c.post(f"/api/rounds/{round_id}/attempt", headers=h, data="{}").json for c, h in clients] \
        if what == "save" else []
    statements = {"n": 0}
    event.listen(db.engine, "before_cursor_execute",
                 lambda *_a, **_k: statements.__setitem__("n", statements["n"] + 1))
    profiler = None
    if os.environ.get("PROFILE") == "1":
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    wall, cpu = time.perf_counter(), time.process_time()
    for k in range(count):
        if what == "start":
            client, headers = clients[k]
            response = client.post(f"/api/rounds/{round_id}/attempt", headers=headers, data="{}")
        else:
            (client, headers), paper = clients[k % CLIENTS], papers[k % CLIENTS]
            question = paper["questions"][k % len(paper["questions"])]
            response = client.put(f"/api/attempts/{paper['attempt_id']}/answers/{question['id']}", headers=headers,
                                  data=json.dumps({"options": [question["options"][0]["id"]], "seq": 100000 + k}))
        if response.status_code != 200:
            print(f"request {k}: {response.status_code} {response.text[:200]}")
            return 1
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))
    print(f"{what}: {count} requests, wall {wall / count * 1000:.2f} ms, CPU {cpu / count * 1000:.2f} ms, "
          f"{statements['n'] / count:.1f} SQL statements per request; load average {os.getloadavg()}")
    return 0


def compare(app, logged_in, round_id: int, count: int, first: int, students: int = 200, rounds: int = 3) -> int:
    """CPU per request of our autosave and of the floor (bench/floor_app.py: cookie check + one UPSERT), both
    through Flask's test client in this process, one block after the other, three times: the ratio of the two
    hardly moves with the machine's load, unlike either figure. 200 students keep each attempt under its
    autosave limit (10 a second)."""
    os.environ.setdefault("QUIZ_DATABASE_URL", DATABASE_URL)
    from bench import floor_app

    clients = [logged_in(first + i) for i in range(students)]
    papers = [c.post(f"/api/rounds/{round_id}/attempt", headers=h, data="{}").json for c, h in clients]
    floor_client = floor_app.app.test_client()
    floor_client.post("/login", data={"user": "1"})

    def ours(k: int) -> int:
        (client, headers), paper = clients[k % students], papers[k % students]
        question = paper["questions"][k % len(paper["questions"])]
        return client.put(f"/api/attempts/{paper['attempt_id']}/answers/{question['id']}", headers=headers,
                          data=json.dumps({"options": [question["options"][0]["id"]], "seq": 100000 + k})).status_code

    def floor(k: int) -> int:
        return floor_client.put(f"/floor/save/{k % 30}", data=json.dumps({"options": [1], "seq": 100000 + k}),
                                headers={"Content-Type": "application/json"}).status_code

    figures: dict[str, list[float]] = {"autosave": [], "floor": []}
    for block in range(rounds):
        for name, send in (("autosave", ours), ("floor", floor)):
            cpu = time.process_time()
            statuses = {send(block * count + k) for k in range(count)}
            figures[name].append((time.process_time() - cpu) / count * 1000)
            if statuses != {200}:
                print(f"{name}: statuses {statuses}")
                return 1
    mine, base = sorted(figures["autosave"])[rounds // 2], sorted(figures["floor"])[rounds // 2]
    print(f"CPU per request (median of {rounds} blocks of {count}), test client included: autosave {mine:.2f} ms, "
          f"floor {base:.2f} ms, floor/autosave {base / mine:.2f}; load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
