"""Leaderboard scale: own-rank and top-50 reads at 10,000, 100,000 and 1,000,000 entries, and the rebuild time.

Uses the project's real code (``quiz.leaderboards.redis_board`` with ``encoding``; the rebuild reads the database
through ``boards.results``/``unit_paths`` exactly as after a Redis flush). The attempts are seeded in bulk with
``generate_series`` into a database of its own (BENCH_LB_DATABASE_URL, default: BENCH_DATABASE_URL + ``_lb``), in
steps, so each size only adds the missing rows. Redis: BENCH_REDIS_URL (default db 14), flushed at the start.

Prints progress on stderr and one JSON line on stdout (run.py reads the last line)::

    python bench/leaderboard_scale.py            # sizes from BENCH_LB_SIZES (default 10000,100000,1000000)
"""
from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
LB_DATABASE_URL = os.environ.get("BENCH_LB_DATABASE_URL", DATABASE_URL + "_lb")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SIZES = [int(s) for s in os.environ.get("BENCH_LB_SIZES", "10000,100000,1000000").split(",") if s.strip()]
READS = int(os.environ.get("BENCH_LB_READS", "2000"))
CLASSES = 500  # 50 schools × 10 classes: the unit sets of the board (area, school, class) are realistic too


from quiz.cache import RedisStructures  # noqa: E402


class TimedStructures(RedisStructures):
    """The project's Redis structures, timing the one transaction a rebuild makes."""

    last = 0.0

    def transaction(self, watch, build, **kw):
        t = time.perf_counter()
        try:
            return super().transaction(watch, build, **kw)
        finally:
            TimedStructures.last = time.perf_counter() - t


def log(message: str) -> None:
    print(f"[leaderboard {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 3)


def timed(fn, n: int) -> dict:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "p99_ms": percentile(times, 99),
            "mean_ms": round(statistics.fmean(times), 3), "reads": n}


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


CONTEST = "Bảng xếp hạng lớn"


def seed_structure(app) -> None:
    """Department → area → 50 schools × 10 classes and the contest whose rounds carry the boards."""
    from quiz import clock
    from quiz.extensions import db
    from quiz.models import Contest, ContestScope, ContestStatus, ReviewPolicy, Unit, UnitKind

    with app.app_context():
        session, now = db.session, clock.now()

        def unit(kind, name, parent, **extra):
            u = Unit(kind=kind, name=name, parent=parent, created_at=now, **extra)
            session.add(u)
            session.flush()
            u.path = f"{parent.path if parent else '/'}{u.id}/"
            return u

        department = unit(UnitKind.DEPARTMENT, "Sở Giáo dục và Đào tạo", None, code="LB")
        area = unit(UnitKind.AREA, "Khu vực 1", department)
        for s in range(CLASSES // 10):
            school = unit(UnitKind.SCHOOL, f"Trường {s + 1}", area, code=f"L{s + 1}", enrolled=0)
            for c in range(10):
                unit(UnitKind.CLASS, f"9A{c + 1}", school, grade=9, enrolled=0)
        session.add(Contest(title=CONTEST, scope=ContestScope.PROVINCE, organiser_unit=department,
                            status=ContestStatus.OPEN, grades=[], attempts_allowed=1, points_per_question=1,
                            review_policy=ReviewPolicy.AFTER_CLOSE, leaderboard_public=True, results_public=True,
                            created_at=now, description=""))
        session.commit()


def board_round(app, engine, size: int) -> int:
    """The round whose board has ``size`` entries: students lb1 … lb<size>, one scored attempt each.

    Seeded once with set-based SQL (generate_series) and kept between runs: each size is its own round, so a
    later run finds every board ready and only rebuilds and reads."""
    from quiz import clock
    from quiz.extensions import db
    from quiz.models import Contest, PaperMode, Round

    title = f"{size} entries"
    with engine.connect() as conn:
        found = conn.execute(text("SELECT r.id, (SELECT count(*) FROM attempts a WHERE a.round_id = r.id) FROM rounds r "
                                  "WHERE r.title = :t"), {"t": title}).first()
    if found and found[1] == size:
        return found[0]
    with app.app_context():
        session, now = db.session, clock.now()
        if found:
            session.execute(text("DELETE FROM attempts WHERE round_id = :r"), {"r": found[0]})
            rnd = session.get(Round, found[0])
        else:
            contest = session.query(Contest).filter_by(title=CONTEST).one()
            rnd = Round(contest=contest, number=len(contest.rounds) + 1, title=title,
                        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=3), time_limit_minutes=60,
                        paper_mode=PaperMode.FIXED, seed=1, created_at=now)
            session.add(rnd)
        session.commit()
        round_id = rnd.id
    with engine.begin() as conn:
        classes = [cid for (cid,) in conn.execute(text("SELECT id FROM units WHERE kind = 'class' ORDER BY id"))]
        have = conn.execute(text("SELECT count(*) FROM users WHERE username LIKE 'lb%'")).scalar()
        if have < size:
            conn.execute(text(
                "INSERT INTO users (username, full_name, password_hash, role, unit_id, must_change_password, "
                "is_active, session_token, created_at) SELECT 'lb' || g, 'Học Sinh ' || g, '!', 'student', "
                "(CAST(:classes AS int[]))[1 + g % :n], false, true, 'lb' || g, now() "
                "FROM generate_series(CAST(:a AS int), CAST(:b AS int)) g"),
                {"classes": classes, "n": len(classes), "a": have + 1, "b": size})
        conn.execute(text(
            "INSERT INTO attempts (round_id, user_id, number, started_at, deadline, extension_seconds, submitted_at, "
            "finished_by, score, max_score, duration_ms, seed, focus_losses) "
            "SELECT :r, u.id, 1, now() - interval '1 hour', now() + interval '1 hour', 0, "
            "now() - (random() * interval '50 minutes'), 'student', floor(random() * 31), 30, "
            "(60000 + random() * 3500000)::int, 1, 0 FROM users u WHERE u.username LIKE 'lb%' "
            "AND substr(u.username, 3)::int <= :n"), {"r": round_id, "n": size})
        conn.execute(text("ANALYZE users; ANALYZE attempts"))
    return round_id


def kept(engine) -> bool:
    """The leaderboard database was seeded by an earlier run (its rows are reused)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM contests WHERE title = :t"), {"t": CONTEST}).scalar() == 1
    except Exception:  # noqa: BLE001 - no such tables yet
        return False


def main() -> int:
    os.environ.setdefault("QUIZ_SECRET_KEY", "bench")
    ensure_database(LB_DATABASE_URL)
    from bench.seed import reset
    from quiz import create_app
    from quiz.cli.db import upgrade

    url = LB_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    reuse = kept(engine) and os.environ.get("BENCH_LB_RESEED") != "1"
    if not reuse:  # the seeded rows are kept between runs: seeding 1,000,000 students is the slow part
        engine.dispose()
        reset(url)
    app = create_app({"DATABASE_URL": LB_DATABASE_URL, "SECRET_KEY": "bench", "REDIS_URL": REDIS_URL})
    upgrade(app)  # a kept database gets the new migrations, if any
    if not reuse:
        seed_structure(app)
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    # The rebuild of a big board is one MULTI/EXEC that can take longer than the app client's 2 s socket
    # timeout (quiz/cache.py); it is timed here on a client that waits, and its Redis part reported apart.
    patient = redis.Redis.from_url(REDIS_URL, socket_timeout=600, decode_responses=True)
    from quiz.extensions import cache, db
    from quiz.leaderboards import board as board_read
    from quiz.leaderboards import redis_board
    from quiz.leaderboards.boards import round_board
    from quiz.models import Round

    report: dict = {"sizes": {}, "database": LB_DATABASE_URL.rsplit("@", 1)[-1]}
    for size in SIZES:
        client.flushdb()  # one board at a time in Redis: its memory is measured alone
        t = time.perf_counter()
        round_id = board_round(app, engine, size)
        seeded = round(time.perf_counter() - t, 1)
        log(f"{size} attempts seeded in {seeded} s; rebuilding the Redis board from the database")
        with app.app_context():
            session = db.session
            rnd = session.get(Round, round_id)
            board = round_board(rnd)
            store = TimedStructures(cache, patient)
            redis_board.forget(store, board.prefix)
            t = time.perf_counter()
            built = redis_board.rebuild(store, session, board)
            rebuild_s = round(time.perf_counter() - t, 2)
            store = cache.structures()  # reads: the app's own client
            user_ids = [uid for (uid,) in session.execute(text(
                "SELECT user_id FROM attempts WHERE round_id = :r"), {"r": round_id})]
            picks = iter(random.choices(user_ids, k=READS * 2))
            own = timed(lambda: redis_board.find(store, board, next(picks)), READS)
            top = timed(lambda: redis_board.page(store, board, None, 0, 50), READS)
            school_unit = session.execute(text("SELECT min(id) FROM units WHERE kind = 'school'")).scalar()
            klass = timed(lambda: redis_board.page(store, board, school_unit, 0, 50), READS // 4)
            # the whole read as the JSON endpoint does it: page + the viewer's own row
            full = timed(lambda: board_read.read(session, board, offset=0, limit=50, me_id=next(picks)), READS // 4)
            memory = client.info("memory")["used_memory"]
            session.rollback()
        report["sizes"][str(size)] = {"entries": built, "seed_s": seeded, "rebuild_s": rebuild_s,
                                      "rebuild_redis_transaction_s": round(TimedStructures.last, 2), "own_rank": own,
                                      "top50": top, "school_top50": klass, "page_and_me": full,
                                      "redis_memory_mb": round(memory / 2**20, 1)}
        log(f"{size}: rebuild {rebuild_s} s, own rank p50 {own['p50_ms']} ms p95 {own['p95_ms']} ms, "
            f"top-50 p50 {top['p50_ms']} ms p95 {top['p95_ms']} ms, Redis {memory / 2**20:.0f} MB")
    engine.dispose()
    small, large = str(SIZES[0]), str(SIZES[-1])
    if small != large:
        s, g = report["sizes"][small], report["sizes"][large]
        report["ratio_largest_to_smallest"] = {
            "sizes": f"{large}/{small}",
            "own_rank_p50": round(g["own_rank"]["p50_ms"] / s["own_rank"]["p50_ms"], 2),
            "own_rank_p95": round(g["own_rank"]["p95_ms"] / s["own_rank"]["p95_ms"], 2),
            "top50_p50": round(g["top50"]["p50_ms"] / s["top50"]["p50_ms"], 2),
            "top50_p95": round(g["top50"]["p95_ms"] / s["top50"]["p95_ms"], 2)}
    client.flushdb()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
