"""Profile leaderboard polls in-process: SQL statements and CPU per `GET /api/rounds/<id>/leaderboard` (200 and 304).

    .venv/bin/python bench/profile_polls.py seed 3000       # fresh province (bench/seed.py) + finished attempts
    .venv/bin/python bench/profile_polls.py run 2000        # 2,000 polls per case, PostgreSQL + Redis
    BENCH_REDIS_URL= .venv/bin/python bench/profile_polls.py run 2000   # the same without Redis (SQL path)
    PROFILE=1 .venv/bin/python bench/profile_polls.py run 500 304       # + pyinstrument tree of one case

Drives the production app (QUIZ_ENV=production) with Flask's test client against BENCH_DATABASE_URL (default
``bench_lbpoll``) and BENCH_REDIS_URL (default Redis db 11, flushed at the start of a run). Cases, each on the
round board of the seeded round with ``limit=50``, by 20 logged-in students (own row on the board) and one
anonymous visitor, round-robin:

- ``200``: no ``If-None-Match`` (the full answer; caches warm);
- ``304``: ``If-None-Match`` with the current ETag, nothing changed;
- ``changed``: a student's result changes before every poll (outside the measured part), the poll sends the
  previous ETag: the board moved, so each poll is a 200;
- ``frozen304``: as ``304`` on a frozen board (``freeze_minutes`` set so the public board stands 20 minutes ago).

Only the request is timed (``time.process_time`` around ``client.get``); statements are counted with a
``before_cursor_execute`` listener over the same span. CPU per request moves with the machine's load: compare two
versions side by side, at the same moment, and note the load average (printed)."""
from __future__ import annotations

import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_lbpoll")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
VIEWERS = 20
CASES = ("200", "304", "changed", "frozen304")


def seed(students: int) -> None:
    from sqlalchemy import create_engine, text

    from bench.seed import seed as seed_province

    if DATABASE_URL.startswith("postgresql"):
        admin = create_engine(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = DATABASE_URL.rsplit("/", 1)[1]
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    info = seed_province(DATABASE_URL, students)
    engine = create_engine(DATABASE_URL)
    with engine.begin() as conn:  # the round opened 2 hours ago; 9 students in 10 finished within the last 50 min
        conn.execute(text("UPDATE rounds SET opens_at = now() - interval '2 hours' WHERE id = :r"),
                     {"r": info["round_id"]})
        conn.execute(text(
            "INSERT INTO attempts (round_id, user_id, number, started_at, deadline, extension_seconds, submitted_at, "
            "finished_by, score, max_score, duration_ms, seed, focus_losses) "
            "SELECT :r, u.id, 1, now() - interval '1 hour', now() + interval '1 hour', 0, "
            "now() - (random() * interval '50 minutes'), 'student', floor(random() * 31), 30, "
            "(60000 + random() * 3500000)::int, 1, 0 FROM users u WHERE u.username LIKE 'b%' "
            "AND substr(u.username, 2)::int % 10 <> 9"), {"r": info["round_id"]})
        conn.execute(text("ANALYZE"))
    engine.dispose()
    print({**info, "attempts": "9 in 10 students"})


def run(count: int, only: list[str]) -> int:
    os.environ.update(QUIZ_ENV="production", QUIZ_SECRET_KEY="bench-profile", QUIZ_DATABASE_URL=DATABASE_URL,
                      QUIZ_REDIS_URL=REDIS_URL, QUIZ_SECURE_COOKIES="0", QUIZ_PROXY_FIX="0",
                      QUIZ_PUBLIC_URL="http://localhost")
    from sqlalchemy import event, select, update

    from bench.seed import PASSWORD
    from quiz import create_app
    from quiz.extensions import cache, db
    from quiz.models import Attempt, Round

    app = create_app()
    if cache.client() is not None:
        cache.client().flushdb()
    with app.app_context():
        round_id = db.session.scalar(select(Round.id).order_by(Round.id))
        db.session.execute(update(Round).where(Round.id == round_id).values(freeze_minutes=None))
        db.session.commit()
    url = f"/api/rounds/{round_id}/leaderboard?limit=50"

    def logged_in(index: int):
        client = app.test_client()
        page = client.get("/login").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post("/login", data={"username": f"b{index:06d}", "password": PASSWORD, "csrf_token": token})
        return client

    clients = [logged_in(i) for i in range(VIEWERS)] + [app.test_client()]

    def change_one() -> None:
        """A student's result changes (what attempts.service.finish does to the board), committed."""
        from quiz.leaderboards.live import attempt_changed

        with app.app_context():
            attempt = db.session.scalars(select(Attempt).where(Attempt.round_id == round_id)
                                         .offset(random.randrange(1000)).limit(1)).one()
            attempt.score = random.randrange(31)
            attempt.duration_ms = random.randrange(60_000, 3_600_000)
            db.session.flush()
            attempt_changed(db.session, attempt)
            db.session.commit()

    def freeze(minutes: int | None) -> None:
        with app.app_context():
            rnd = db.session.get(Round, round_id)
            rnd.freeze_minutes = minutes and int((rnd.closes_at - rnd.opens_at).total_seconds() // 60) - 100
            db.session.commit()

    statements = {"n": 0}
    event.listen(db.engine, "before_cursor_execute",
                 lambda *_a, **_k: statements.__setitem__("n", statements["n"] + 1))
    print(f"load average before: {os.getloadavg()}; Redis: {'yes' if cache.client() is not None else 'no'}")
    for case in only or CASES:
        freeze(100 if case.startswith("frozen") else None)
        etags = {}
        for k, client in enumerate(clients):  # warm up: first answers, rebuilds, caches
            etags[k] = client.get(url).headers["ETag"]
        profiler = None
        if os.environ.get("PROFILE") == "1":
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
        cpu = wall = 0.0
        sql = 0
        statuses: dict[int, int] = {}
        for i in range(count):
            k = i % len(clients)
            if case == "changed":
                change_one()
            headers = {} if case == "200" else {"If-None-Match": etags[k]}
            statements["n"] = 0
            if profiler:
                profiler.start()
            w, c = time.perf_counter(), time.process_time()
            response = clients[k].get(url, headers=headers)
            cpu += time.process_time() - c
            wall += time.perf_counter() - w
            if profiler:
                profiler.stop()
            sql += statements["n"]
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code == 200:
                etags[k] = response.headers["ETag"]
        if profiler:
            print(profiler.output_text(unicode=False, color=False))
        print(f"{case:>9}: {count} polls, statuses {statuses}, CPU {cpu / count * 1000:.2f} ms, "
              f"wall {wall / count * 1000:.2f} ms, {sql / count:.2f} SQL statements per poll")
    freeze(None)
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]))
    else:
        sys.exit(run(int(sys.argv[2]), sys.argv[3:]))
