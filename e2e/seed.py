"""Test data the end-to-end journeys need beyond ``flask --app wsgi demo``.

Run by the tests in a subprocess with the server's environment (same database):
``python e2e/seed.py short-round --student s102 --seconds 30`` prints the new round's id.
The round belongs to a class contest that only that student has joined, so it does not show
up in anybody else's screens; it closes ``--seconds`` after now, so the attempt's deadline
(min(start + time limit, close)) comes within the test's patience.
"""
from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from quiz import clock, create_app  # noqa: E402
from quiz.extensions import db  # noqa: E402
from quiz.models import (Bank, BlueprintCell, Contest, ContestEntrant, ContestScope, ContestStatus,  # noqa: E402
                         PaperMode, ReviewPolicy, Round, RoundBank, User)


def short_round(student_name: str, seconds: int, questions: int) -> int:
    now = clock.now()
    session = db.session
    student = session.scalar(select(User).where(User.username == student_name))
    bank = session.scalar(select(Bank).order_by(Bank.id))
    teacher = session.scalar(select(User).where(User.username == "teacher1"))
    contest = Contest(title="Kiểm tra nhanh 5 phút đầu giờ", description="", scope=ContestScope.CLASS,
                      organiser_unit_id=student.unit.parent_id, created_by_id=teacher.id,
                      status=ContestStatus.SCHEDULED, grades=[], attempts_allowed=1, points_per_question=1,
                      review_policy=ReviewPolicy.AFTER_SUBMIT, created_at=now)
    rnd = Round(contest=contest, number=1, title="Kiểm tra nhanh", opens_at=now - timedelta(minutes=1),
                closes_at=now + timedelta(seconds=seconds), time_limit_minutes=1, paper_mode=PaperMode.DRAW,
                seed=4242, created_at=now, banks=[RoundBank(bank_id=bank.id)],
                blueprint=[BlueprintCell(pillar="history", difficulty="easy", count=questions)])
    session.add_all([contest, rnd])
    session.flush()
    session.add(ContestEntrant(contest_id=contest.id, user_id=student.id, joined_at=now))
    session.commit()
    return rnd.id


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sr = sub.add_parser("short-round")
    sr.add_argument("--student", required=True)
    sr.add_argument("--seconds", type=int, default=30)
    sr.add_argument("--questions", type=int, default=3)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        if args.command == "short-round":
            print(short_round(args.student, args.seconds, args.questions))


if __name__ == "__main__":
    main()
