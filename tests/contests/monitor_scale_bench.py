"""Measure the live monitor of a province round with 50,000 students on PostgreSQL (not a test: run it by hand).

    MONITOR_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_h12 \\
        .venv/bin/python tests/contests/monitor_scale_bench.py [--students 50000] [--keep]

Seeds 10 areas × 10 schools × 12 classes, the students (bulk ``generate_series``), one open province round with
20 fixed questions, attempts for 60 % of the students (half submitted, 20 paper rows and 10 answers each), then
times the monitor page and its JSON (first page, one area, one school, a state filter, a name search, a deep
page, an unchanged poll answered 304) through the Flask test client, and prints the figures and the body sizes.
The schema is dropped and created like the test suite does; the tables are emptied at the end unless ``--keep``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import text  # noqa: E402

from quiz import clock as quiz_clock  # noqa: E402
from quiz import create_app  # noqa: E402
from quiz.models import Base  # noqa: E402

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def seed(session, students: int):
    import question_bank as qb
    from quiz.banks.questions import add_question
    from quiz.models import (Bank, BankVisibility, Contest, ContestScope, ContestStatus, PaperMode, Role, Round,
                             RoundQuestion, Unit, UnitKind, User)

    def unit(kind, name, parent, **extra):
        u = Unit(kind=kind, name=name, parent=parent, created_at=NOW, **extra)
        session.add(u)
        session.flush()
        u.path = f"{parent.path if parent else '/'}{u.id}/"
        return u

    dept = unit(UnitKind.DEPARTMENT, "Sở Giáo dục và Đào tạo Tây Ninh", None, code="SO")
    admin = User(username="admin", full_name="Quản trị Sở", role=Role.ADMIN, unit=dept, password_hash="x",
                 created_at=NOW)
    session.add(admin)
    classes = []
    for a in range(10):
        area = unit(UnitKind.AREA, f"Khu vực {a + 1:02d}", dept)
        for s in range(10):
            school = unit(UnitKind.SCHOOL, f"Trường THCS Số {a * 10 + s + 1:03d}", area, code=f"S{a}{s}")
            for grade in (6, 7, 8, 9):
                for k in (1, 2, 3):
                    classes.append(unit(UnitKind.CLASS, f"{grade}A{k}", school, grade=grade))
    manager = User(username="manager", full_name="Quản lý trường", role=Role.MANAGER, unit=classes[0].parent,
                   password_hash="x", created_at=NOW)
    session.add(manager)
    bank = Bank(name="Ngân hàng", owner_unit=dept, visibility=BankVisibility.PROVINCE, created_at=NOW)
    session.add(bank)
    session.flush()
    questions = []
    for n in range(20):
        domain = qb.Question(type=qb.QuestionType("single"), stem={"vi": f"Câu {n}?"},
                             options=[qb.Option({"vi": f"PA {i}"}, i == 0) for i in range(4)],
                             explanation={"vi": "."}, pillar=qb.Pillar("history"), difficulty=qb.Difficulty("easy"))
        from quiz.models import QuestionStatus
        questions.append(add_question(session, bank, domain, None, QuestionStatus.APPROVED))
    contest = Contest(title="Tìm hiểu ASEAN", scope=ContestScope.PROVINCE, organiser_unit=dept,
                      status=ContestStatus.SCHEDULED, grades=[], created_at=NOW, description="")
    rnd = Round(contest=contest, number=1, title="Tuần 1", opens_at=NOW - timedelta(hours=1),
                closes_at=NOW + timedelta(hours=5), time_limit_minutes=30, paper_mode=PaperMode.FIXED, seed=1,
                created_at=NOW, fixed_questions=[RoundQuestion(position=i, question_id=q.id)
                                                 for i, q in enumerate(questions)])
    session.add(contest)
    session.flush()
    first_class, n_classes = classes[0].id, len(classes)
    session.execute(text("""
        INSERT INTO users (username, full_name, password_hash, role, unit_id, must_change_password, is_active,
                           session_token, created_at)
        SELECT 'hs' || g, 'Nguyễn Văn ' || g, 'x', 'student', :first + (g % :n), false, true, md5(g::text), :now
        FROM generate_series(1, :students) g"""), {"first": first_class, "n": n_classes, "students": students,
                                                    "now": NOW})
    session.execute(text("""
        INSERT INTO attempts (round_id, user_id, number, started_at, deadline, extension_seconds, submitted_at,
                              finished_by, score, max_score, duration_ms, seed, focus_losses)
        SELECT :round, u.id, 1, :now - interval '20 minutes', :now + interval '10 minutes', 0,
               CASE WHEN u.id % 2 = 0 THEN :now ELSE NULL END, CASE WHEN u.id % 2 = 0 THEN 'student' END,
               CASE WHEN u.id % 2 = 0 THEN u.id % 21 END, CASE WHEN u.id % 2 = 0 THEN 20 END,
               CASE WHEN u.id % 2 = 0 THEN 30000 + (u.id % 1000) * 1000 END, 1, u.id % 7
        FROM users u WHERE u.role = 'student' AND u.id % 5 < 3"""), {"round": rnd.id, "now": NOW})
    qids = [(q.id, q.current_revision_id, q.current_revision.options[0].id) for q in questions]
    for pos, (qid, rev, opt) in enumerate(qids):
        session.execute(text("""
            INSERT INTO attempt_questions (attempt_id, position, question_id, revision_id, option_order, points)
            SELECT a.id, :pos, :qid, :rev, '[]'::jsonb, 1 FROM attempts a WHERE a.round_id = :round"""),
                        {"pos": pos, "qid": qid, "rev": rev, "round": rnd.id})
        if pos < 10:
            session.execute(text("""
                INSERT INTO answers (attempt_id, question_id, option_ids, seq, saved_at)
                SELECT a.id, :qid, jsonb_build_array(:opt + (a.id % 4)), 1, :now
                FROM attempts a WHERE a.round_id = :round"""),
                            {"qid": qid, "opt": opt, "round": rnd.id, "now": NOW})
    session.commit()
    session.execute(text("ANALYZE"))  # what autovacuum does on a live database
    session.commit()
    return rnd, admin, manager, classes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    url = os.environ.get("MONITOR_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test_h12")
    app = create_app({"ENV": "testing", "TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url,
                      "REDIS_URL": None, "INSTANCE_PATH": tempfile.mkdtemp(), "WTF_CSRF_ENABLED": False})
    engine = app.extensions["quiz_db"].engine
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    Base.metadata.create_all(engine)
    quiz_clock.freeze(NOW)
    from quiz.extensions import db
    try:
        with app.app_context():
            t = time.perf_counter()
            rnd, admin, manager, classes = seed(db.session, opts.students)
            print(f"seeded {opts.students} students in {time.perf_counter() - t:.1f} s", flush=True)
            ids = {"round": rnd.id, "admin": admin.get_id(), "manager": manager.get_id(),
                   "area": classes[0].parent.parent_id, "school": classes[0].parent_id}
        client = app.test_client()
        base = f"/contests/rounds/{ids['round']}/monitor"

        def login(who):
            with client.session_transaction() as sess:
                sess.clear()
                sess["_user_id"], sess["_fresh"] = ids[who], True

        def measure(label, path, who="admin", **headers):
            login(who)
            times, size, status = [], 0, 0
            for _ in range(opts.repeat):
                t = time.perf_counter()
                r = client.get(path, headers=headers)
                times.append((time.perf_counter() - t) * 1000)
                size, status = len(r.get_data()), r.status_code
            print(f"{label:<46} {status}  median {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms  "
                  f"{size / 1024:7.1f} KiB", flush=True)
            return r

        json_h = {"Accept": "application/json"}
        measure("page (HTML), all schools", base)
        first = measure("JSON, all schools, page 1", base + ".json", **json_h)
        measure("JSON unchanged (If-None-Match → 304)", base + ".json",
                **json_h, **{"If-None-Match": first.headers["ETag"]})
        measure("JSON, one area", f"{base}.json?area={ids['area']}", **json_h)
        measure("JSON, one school", f"{base}.json?school={ids['school']}", **json_h)
        measure("JSON, state=in_progress, 200 rows", f"{base}.json?state=in_progress&per_page=200", **json_h)
        measure("JSON, state=flagged", f"{base}.json?state=flagged", **json_h)
        measure("JSON, name search 'văn 4711'", f"{base}.json?q=V%C4%83n%204711", **json_h)
        measure("JSON, page 900 (deep offset)", f"{base}.json?page=900", **json_h)
        measure("page (HTML), school manager", base, who="manager")
    finally:
        quiz_clock.freeze(None)
        if not opts.keep:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            with engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()


if __name__ == "__main__":
    main()
