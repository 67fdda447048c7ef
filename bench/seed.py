"""A fresh province for the benchmark: schools, classes, S students and one open 30-question round.

Run through ``bench/run.py``; usable alone: ``python bench/seed.py DATABASE_URL STUDENTS``."""
from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from quiz import clock, create_app  # noqa: E402
from quiz.auth import passwords  # noqa: E402
from quiz.cli.db import upgrade  # noqa: E402
from quiz.demo.banks import seed_builtin_bank  # noqa: E402
from quiz.extensions import db  # noqa: E402
from quiz.models import (Contest, ContestScope, ContestStatus, PaperMode, Question, QuestionStatus,  # noqa: E402
                         ReviewPolicy, Role, Round, RoundQuestion, Unit, UnitKind, User)

PASSWORD = "bench-2026"
# Bench accounts use a cheap hash so that seeding 10,000 students takes seconds; real accounts use scrypt
# (QUIZ_PASSWORD_HASH). Logins happen before the synchronized start, so the start storm does not depend on it.
BENCH_HASH = "pbkdf2:sha256:1000"
QUESTIONS = 30
CLASS_SIZE = 40


def reset(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _unit(session, kind, name, parent, **extra) -> Unit:
    unit = Unit(kind=kind, name=name, parent=parent, created_at=clock.now(), **extra)
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def seed(database_url: str, students: int) -> dict:
    reset(database_url)
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "REDIS_URL": None})
    upgrade(app)
    passwords.configure(BENCH_HASH)
    with app.app_context():
        session = db.session
        now = clock.now()
        department = _unit(session, UnitKind.DEPARTMENT, "Sở Giáo dục và Đào tạo Tây Ninh", None, code="SO")
        area = _unit(session, UnitKind.AREA, "Khu vực Tây Ninh", department)
        password_hash = passwords.hash_password(PASSWORD)
        admin = User(username="admin", full_name="Quản trị Sở", role=Role.ADMIN, unit=department,
                     password_hash=password_hash, created_at=now)
        session.add(admin)
        rows, k = [], 0
        schools = max(1, students // 400)
        for s in range(schools):
            school = _unit(session, UnitKind.SCHOOL, f"Trường THCS Số {s + 1}", area, code=f"B{s + 1}",
                           enrolled=0)
            per_school = students // schools + (1 if s < students % schools else 0)
            classes = [_unit(session, UnitKind.CLASS, f"9A{c + 1}", school, grade=9, enrolled=0)
                       for c in range((per_school + CLASS_SIZE - 1) // CLASS_SIZE)]
            school.enrolled = per_school
            for i in range(per_school):
                klass = classes[i // CLASS_SIZE]
                klass.enrolled += 1
                rows.append({"username": f"b{k:06d}", "full_name": f"Học Sinh {k:06d}", "role": Role.STUDENT,
                             "unit_id": klass.id, "password_hash": password_hash, "created_at": now,
                             "session_token": f"t{k:015d}", "must_change_password": False, "is_active": True})
                k += 1
        for start in range(0, len(rows), 2000):
            session.execute(insert(User), rows[start:start + 2000])
        bank = seed_builtin_bank(session)
        questions = session.scalars(select(Question).where(Question.bank_id == bank.id,
                                                          Question.status == QuestionStatus.APPROVED,
                                                          Question.type == "single")
                                    .order_by(Question.id).limit(QUESTIONS)).all()
        contest = Contest(title="Cuộc thi đo tải", scope=ContestScope.PROVINCE, organiser_unit=department,
                          status=ContestStatus.SCHEDULED, grades=[], attempts_allowed=1, points_per_question=1,
                          review_policy=ReviewPolicy.AFTER_CLOSE, leaderboard_public=True, results_public=True,
                          created_at=now, description="")
        rnd = Round(contest=contest, number=1, title="Tuần đo tải", opens_at=now - timedelta(minutes=1),
                    closes_at=now + timedelta(hours=3), time_limit_minutes=60, paper_mode=PaperMode.FIXED,
                    seed=4242, created_at=now,
                    fixed_questions=[RoundQuestion(position=i, question_id=q.id) for i, q in enumerate(questions)])
        session.add(contest)
        session.commit()
        return {"round_id": rnd.id, "students": students, "questions": len(questions), "password": PASSWORD}


if __name__ == "__main__":
    print(seed(sys.argv[1], int(sys.argv[2])))
