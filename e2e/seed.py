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


def extend(round_id: int, student_name: str, minutes: int) -> str:
    """What the teacher's monitor does: give one pupil extra minutes (confirmed past the round's close, as the
    monitor's confirmation page does)."""
    from quiz.contests.monitor import extend as extend_attempt

    session = db.session
    rnd = session.get(Round, round_id)
    student = session.scalar(select(User).where(User.username == student_name))
    teacher = session.get(User, rnd.contest.created_by_id)
    attempt = extend_attempt(session, teacher, rnd, student.id, minutes, clock.now(), after_close=True)
    session.commit()
    return attempt.deadline.isoformat()


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sr = sub.add_parser("short-round")
    sr.add_argument("--student", required=True)
    sr.add_argument("--seconds", type=int, default=30)
    sr.add_argument("--questions", type=int, default=3)
    ex = sub.add_parser("extend")
    ex.add_argument("--round", type=int, required=True)
    ex.add_argument("--student", required=True)
    ex.add_argument("--minutes", type=int, default=2)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        if args.command == "short-round":
            print(short_round(args.student, args.seconds, args.questions))
        elif args.command == "extend":
            print(extend(args.round, args.student, args.minutes))


if __name__ == "__main__":
    main()
