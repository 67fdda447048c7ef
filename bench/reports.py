"""Benchmark of the round reports on PostgreSQL: one round with 100,000 finished attempts.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_h13 .venv/bin/python bench/reports.py \\
        [--attempts N] [--keep] [--no-seed] [--explain] [--exports]

The database is EMPTIED (every table of the application is dropped) and rebuilt with the
migrations, then seeded in SQL (``generate_series``): a Department, 10 areas, 200 schools,
2,000 classes, N students (50 per class), a bank of 40 questions (4 options each) and a province
round in which every student finished one attempt of 20 questions drawn from the 40 (2 million
answers). Then it times:

* each report service (best and median of 5 runs, in a transaction tuned like the pages'), as the
  Department admin, a school manager and a teacher; the whole round's item sums stored from scratch
  (``quiz.reports.stored``: what the first ``flask reports refresh`` does), a refresh with nothing new;
* the open round (clock six hours before the close): the organiser's item page after 100, 1,000 and 5,000
  new submissions (the last 6,100 attempts of the seed are held back, then let in), each followed by the
  page with nothing new, and the cron's refresh of what a viewer left;
* the closed, unpublished round after the cron's refresh: every page for the three roles, cold (the figure
  cache emptied before each request) and warm; the admin's item page and JSON also with nothing stored
  (the request computes the sums from scratch), for comparison.

``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of every query of the admin's services; ``--exports`` also
times the 100,000-row workbook and writing the facility back (minutes). ``--keep`` keeps the data;
``--no-seed`` times an already seeded (kept) database.
The figures are recorded in docs/reports.md. This script never runs inside the test suite.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_h13"
OPENS = datetime(2026, 10, 1, 1, 0, tzinfo=timezone.utc)
CLOSES = OPENS + timedelta(days=7)
NOW = CLOSES + timedelta(days=1)


def drop_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def reset_schema(url: str) -> None:
    from quiz import create_app
    from quiz.cli.db import upgrade

    drop_schema(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": "/tmp/quiz-bench-reports"})
    upgrade(app)


SEED = """
INSERT INTO units (id, kind, name, code, parent_id, path, grade, enrolled, created_at)
VALUES (1, 'department', 'Sở Giáo dục và Đào tạo Tây Ninh', 'SO', NULL, '/1/', NULL, NULL, now());
INSERT INTO units (id, kind, name, code, parent_id, path, grade, enrolled, created_at)
SELECT 1 + a, 'area', 'Khu vực ' || a, 'KV' || a, 1, '/1/' || (1 + a) || '/', NULL, NULL, now()
FROM generate_series(1, 10) a;
INSERT INTO units (id, kind, name, code, parent_id, path, grade, enrolled, created_at)
SELECT 100 + s, 'school', 'Trường THCS Số ' || s, 'TR' || s, 2 + (s - 1) % 10,
       '/1/' || (2 + (s - 1) % 10) || '/' || (100 + s) || '/', NULL, :per_school + 20, now()
FROM generate_series(1, 200) s;
INSERT INTO units (id, kind, name, code, parent_id, path, grade, enrolled, created_at)
SELECT 1000 + c, 'class', (6 + (c - 1) % 4) || 'A' || ((c - 1) / 200 + 1), 'L' || c, 101 + (c - 1) % 200,
       '/1/' || (2 + ((c - 1) % 200) % 10) || '/' || (100 + (c - 1) % 200 + 1) || '/' || (1000 + c) || '/',
       6 + (c - 1) % 4, :per_class + 2, now()
FROM generate_series(1, 2000) c;
INSERT INTO users (id, username, full_name, password_hash, role, unit_id, must_change_password, is_active,
                   session_token, created_at)
VALUES (1, 'admin', 'Quản trị Sở', 'x', 'admin', 1, false, true, 'a', now()),
       (2, 'manager', 'Hiệu trưởng', 'x', 'manager', 101, false, true, 'b', now()),
       (3, 'teacher', 'Giáo viên', 'x', 'teacher', 101, false, true, 'c', now());
INSERT INTO teacher_classes (teacher_id, class_id) VALUES (3, 1001), (3, 1201);
INSERT INTO users (id, username, full_name, password_hash, role, unit_id, must_change_password, is_active,
                   session_token, created_at)
SELECT 10 + u, 'hs' || u, 'Nguyễn Văn Học Sinh ' || u, 'x', 'student', 1001 + (u - 1) % 2000, false, true,
       'tok' || u, now()
FROM generate_series(1, :students) u;
INSERT INTO banks (id, name, description, owner_unit_id, visibility, created_at)
VALUES (1, 'Ngân hàng ASEAN', '', 1, 'province', now());
INSERT INTO questions (id, bank_id, key, status, type, pillar, difficulty, languages, search_text, created_at, updated_at)
SELECT q, 1, 'q' || q, 'approved', 'single', 'history', 'easy', 'vi', 'cau hoi ' || q, now(), now()
FROM generate_series(1, 40) q;
INSERT INTO question_revisions (id, question_id, number, type, stem, explanation, pillar, difficulty, tags, source,
                                name, facility, facility_answers, created_at)
SELECT q, q, 1, 'single', jsonb_build_object('vi', 'Câu hỏi số ' || q || ' về ASEAN?'), '{}'::jsonb, 'history',
       'easy', '[]'::jsonb, '', '', NULL, 0, now()
FROM generate_series(1, 40) q;
UPDATE questions SET current_revision_id = id;
INSERT INTO question_options (id, revision_id, position, text, correct)
SELECT (q - 1) * 4 + k + 1, q, k, jsonb_build_object('vi', 'Phương án ' || chr(65 + k)), k = 0
FROM generate_series(1, 40) q, generate_series(0, 3) k;
INSERT INTO contests (id, title, description, scope, organiser_unit_id, status, grades, attempts_allowed,
                      scoring_rule, points_per_question, review_policy, results_public, leaderboard_public,
                      leaderboard_initials, created_at)
VALUES (1, 'Cuộc thi tìm hiểu về ASEAN', '', 'province', 1, 'scheduled', '[]'::jsonb, 1, 'best', 5,
        'after_close', true, true, false, now());
INSERT INTO rounds (id, contest_id, number, title, opens_at, closes_at, time_limit_minutes, paper_mode, seed,
                    shuffle_questions, shuffle_options, created_at)
VALUES (1, 1, 1, 'Tuần 1', :opens, :closes, 30, 'draw', 1, true, true, now());
INSERT INTO round_blueprint (round_id, pillar, difficulty, count) VALUES (1, 'history', 'easy', 20);
INSERT INTO round_banks (round_id, bank_id) VALUES (1, 1);
INSERT INTO attempts (id, round_id, user_id, number, started_at, deadline, extension_seconds, submitted_at,
                      finished_by, duration_ms, seed, focus_losses)
SELECT u, 1, 10 + u, 1, :opens + (u * 6.0 || ' seconds')::interval,
       :opens + (u * 6.0 + 1800 || ' seconds')::interval, 0,
       :opens + (u * 6.0 + 300 + (u * 7919) % 1400 || ' seconds')::interval, 'student',
       (300 + (u * 7919) % 1400) * 1000, 1, 0
FROM generate_series(1, :students) u;
INSERT INTO attempt_questions (attempt_id, position, question_id, revision_id, option_order, points)
SELECT u, p, 1 + (u + 2 * p) % 40, 1 + (u + 2 * p) % 40,
       jsonb_build_array(((u + 2 * p) % 40) * 4 + 1, ((u + 2 * p) % 40) * 4 + 2,
                         ((u + 2 * p) % 40) * 4 + 3, ((u + 2 * p) % 40) * 4 + 4), 5
FROM generate_series(1, :students) u, generate_series(0, 19) p;
INSERT INTO answers (attempt_id, question_id, option_ids, seq, saved_at)
SELECT u, 1 + (u + 2 * p) % 40,
       jsonb_build_array(((u + 2 * p) % 40) * 4 + 1 +
                         CASE WHEN random() < 0.35 + 0.5 * ((u % 97) / 97.0) - 0.01 * ((u + 2 * p) % 40)
                              THEN 0 ELSE 1 + floor(random() * 3)::int END),
       1, :opens + (u * 6.0 + 60 || ' seconds')::interval
FROM generate_series(1, :students) u, generate_series(0, 19) p
WHERE random() > 0.03;
UPDATE attempts a SET max_score = 100, score = coalesce(s.right_n, 0) * 5
FROM (SELECT an.attempt_id, count(*) AS right_n FROM answers an JOIN question_options o
        ON o.id = (an.option_ids ->> 0)::int AND o.correct GROUP BY an.attempt_id) s
WHERE s.attempt_id = a.id;
UPDATE attempts SET score = 0, max_score = 100 WHERE score IS NULL;
"""


def seed(url: str, students: int) -> None:
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        for statement in [s.strip() for s in SEED.split(";\n") if s.strip()]:
            conn.execute(text(statement), {"students": students, "opens": OPENS, "closes": CLOSES,
                                           "per_school": students // 200, "per_class": students // 2000})
        for table in ("units", "users", "banks", "questions", "question_revisions", "question_options",
                      "contests", "rounds", "attempts"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    print(f"seeded {students:,} attempts in {time.perf_counter() - started:.1f} s")


def load_average() -> str:
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load average unknown"


def timed(label: str, fn, runs: int = 5) -> tuple[str, float, float]:
    """Best and median of ``runs`` calls (the report services themselves: no cache involved)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    best, median = min(times), statistics.median(times)
    print(f"{label:<56} best {best * 1000:8.1f} ms   median {median * 1000:8.1f} ms")
    return label, best, median


def timed_page(label: str, fn, runs: int = 5, before_cold=None) -> tuple[str, float, float]:
    """A page: ``runs`` cold requests (``before_cold`` empties the cache first: the figures are computed)
    and ``runs`` warm ones (answered from the cache); the median of each."""
    cold, warm = [], []
    for _ in range(runs):
        if before_cold:
            before_cold()
        t = time.perf_counter()
        fn()
        cold.append(time.perf_counter() - t)
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - t)
    print(f"{label:<56} cold {statistics.median(cold) * 1000:8.1f} ms (best {min(cold) * 1000:7.1f})"
          f"   warm {statistics.median(warm) * 1000:8.1f} ms")
    return label, statistics.median(cold), statistics.median(warm)


def explain_all(session, label: str, fn) -> None:
    """Run ``fn`` once, catching every SELECT it sends, then print EXPLAIN (ANALYZE, BUFFERS) of each."""
    from sqlalchemy import event

    captured = []

    def grab(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, params))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", grab)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    cursor = session.connection().connection.dbapi_connection.cursor()
    for statement, params in captured:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
        plan = [line for (line,) in cursor.fetchall()]
        if len(captured) > 3 and float(plan[-1].split()[-2]) < 5:  # skip the tiny look-ups
            continue
        print(f"--- {label}\n{' '.join(statement.split())[:600]}\n" + "\n".join(plan))


NEW_SUBMISSIONS = (100, 1_000, 5_000)  # open round: submissions arriving between two looks at the item page
# (a viewer of an open round folds in at most quiz.reports.stored.VIEWER_FOLD of them, the cron the rest)
OPEN_NOW = CLOSES - timedelta(hours=6)


def run_timings(url: str, explain: bool = False, exports: bool = False) -> list[tuple[str, float, float]]:
    from sqlalchemy import delete

    from quiz import clock, create_app
    from quiz.extensions import cache, db
    from quiz.models import Round, RoundItemAttempt, RoundItemState, RoundItemSums, User
    from quiz.reports import distribution, items, participation, summary, workbook
    from quiz.reports.scope import report_scope
    from quiz.reports.sql import tune

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": "/tmp/quiz-bench-reports",
                      "WTF_CSRF_ENABLED": False, "REDIS_URL": None})
    clock.freeze(NOW)
    print(load_average())
    out = []

    def forget_stored() -> None:
        with app.app_context():
            for model in (RoundItemSums, RoundItemAttempt, RoundItemState):
                db.session.execute(delete(model))
            db.session.commit()

    def refresh() -> None:  # what `flask reports refresh` does for the round (cron, every minute)
        with app.app_context():
            summary.prepare_round(db.session, db.session.get(Round, 1), clock.now())
            db.session.commit()

    forget_stored()
    with app.app_context():
        session = db.session
        admin = session.get(User, 1)
        for who in (1, 2, 3):
            viewer = session.get(User, who)
            scope = report_scope(session, viewer, 1)
            name = viewer.role.value
            tune(session)  # what the pages do (work_mem, no JIT) for this transaction
            services = [
                ("participation (area, school, class)", lambda: participation.participation(session, scope)),
                ("score distribution + median", lambda: distribution.distribution(session, scope)),
                ("completion over time", lambda: participation.completion(session, scope)),
                ("top students", lambda: participation.top_students(session, scope)),
                ("item analysis, computed from scratch", lambda: items.item_analysis(session, scope)),
            ]
            for label, fn in services:
                out.append(timed(f"{name}: {label}", fn, runs=3 if "scratch" in label and who == 1 else 5))
                if explain and who == 1:
                    explain_all(session, label, fn)
        session.rollback()
        scope = report_scope(session, admin, 1)
        out.append(timed("admin: store the sums from scratch (first refresh)", lambda: (forget_stored(), refresh()),
                         runs=3))
        out.append(timed("admin: refresh, nothing new (cron or a viewer)", refresh))
        tune(session)
        out.append(timed("admin: item analysis from the up-to-date sums",
                         lambda: items.item_analysis(session, scope, use_stored=True)))
        if explain:
            explain_all(session, "item analysis from the stored sums",
                        lambda: items.item_analysis(session, scope, use_stored=True))
        session.rollback()
        if exports:
            out.append(timed("admin: XLSX workbook (100,000 result rows)",
                             lambda: workbook.build_workbook(session, scope, NOW, "vi"), runs=1))
            out.append(timed("admin: write measured facility back",
                             lambda: (items.write_facility(session, admin, scope.rnd, NOW), session.rollback()),
                             runs=1))
    client = app.test_client()
    client.get("/reports")  # compile the layout templates once (not part of any figure)

    def log_in(who: int) -> str:
        with app.app_context():
            user = db.session.get(User, who)
            token, role = user.get_id(), user.role.value
        with client.session_transaction() as sess:
            sess["_user_id"] = token
            sess["_fresh"] = True
        return role

    def getter(path: str):
        def get():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return get

    # an open round: the organiser looks at the item page while submissions arrive
    clock.freeze(OPEN_NOW)
    log_in(1)
    page = getter("/rounds/1/report/items")
    late = sum(NEW_SUBMISSIONS)
    with app.app_context():  # the last submissions of the seed have not arrived yet
        db.session.execute(text("CREATE TABLE IF NOT EXISTS bench_late AS SELECT id, submitted_at, score "
                                "FROM attempts WHERE id > (SELECT max(id) FROM attempts) - :n"), {"n": late})
        db.session.execute(text("UPDATE attempts SET submitted_at = NULL, score = NULL "
                                "WHERE id IN (SELECT id FROM bench_late)"))
        db.session.commit()
    try:
        forget_stored()
        refresh()
        page()  # compiles the templates
        arrived = 0
        for n in NEW_SUBMISSIONS:
            with app.app_context():
                db.session.execute(text("UPDATE attempts a SET submitted_at = l.submitted_at, score = l.score "
                                        "FROM bench_late l WHERE a.id = l.id AND l.id <= "
                                        "(SELECT min(id) FROM bench_late) + :upto"), {"upto": arrived + n - 1})
                db.session.commit()
            arrived += n
            cache.memory.clear()
            out.append(timed(f"admin: GET items page of the open round after {n:,} new submissions", page, runs=1))
            with app.app_context():
                folded, counted = db.session.execute(text(
                    "SELECT (SELECT attempts FROM round_item_state WHERE round_id = 1), "
                    "(SELECT count(*) FROM attempts WHERE round_id = 1 AND submitted_at IS NOT NULL)")).one()
            print(f"    the page folded in {n - (counted - folded):,} of them; {counted - folded:,} left to the cron")
            if counted > folded:
                out.append(timed(f"cron: reports refresh folds in the other {counted - folded:,}", refresh, runs=1))
            out.append(timed_page("admin: GET items page of the open round, nothing new", page,
                                  before_cold=cache.memory.clear))
    finally:
        with app.app_context():
            db.session.execute(text("UPDATE attempts a SET submitted_at = l.submitted_at, score = l.score "
                                    "FROM bench_late l WHERE a.id = l.id"))
            db.session.execute(text("DROP TABLE bench_late"))
            db.session.commit()
    clock.freeze(NOW)

    # the closed round, not published: the cron's refresh ran since the last submission
    refresh()
    for who in (1, 2, 3):
        role = log_in(who)
        for path in ("/rounds/1/report", "/rounds/1/report/items", "/api/rounds/1/report"):
            get = getter(path)
            get()  # compiles this page's templates
            out.append(timed_page(f"{role}: GET {path}", get, before_cold=cache.memory.clear))
            if role == "admin" and path != "/rounds/1/report":
                out.append(timed_page(f"{role}: GET {path} (nothing stored: from scratch)", get, runs=2,
                                      before_cold=lambda: (cache.memory.clear(), forget_stored())))
                refresh()
    clock.freeze(None)
    print(load_average())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--no-seed", action="store_true", help="time an already seeded database")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN (ANALYZE, BUFFERS) of every query of the admin's report services")
    parser.add_argument("--exports", action="store_true",
                        help="also time the XLSX workbook of 100,000 rows and writing the facility back (minutes)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the seeded data (by default the schema is emptied again, so the test suite "
                             "can use the database)")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgresql"):
        sys.exit("BENCH_DATABASE_URL must be a PostgreSQL database")
    if not args.no_seed:
        reset_schema(url)
        seed(url, args.attempts)
    try:
        run_timings(url, explain=args.explain, exports=args.exports)
    finally:
        if not args.keep:
            drop_schema(url)


if __name__ == "__main__":
    main()
