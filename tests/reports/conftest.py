"""A small hand-built round whose every figure the tests can work out by hand.

Area "Khu vực Trảng Bàng": school A (declared 80 pupils; classes 9A1 and 9A2, 40 each) and school B
(declared 50; class 9B1, 40). School C (30 pupils, no classes) lies directly under the Department.
Four single-choice questions (1 point each, key = option A). Answers (· = blank):

    student  class  Q1 Q2 Q3 Q4   score   finished after
    s1       9A1    A  A  A  B    3       10 min
    s2       9A1    A  A  C  A    3       12 min
    s3       9A2    A  B  A  C    2       20 min
    s4       9B1    A  C  B  A    2       25 min
    s5       9B1    B  B  ·  A    1       28 min
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from quiz.models import Answer, Attempt, AttemptQuestion, Question, Role, UnitKind

ANSWERS = {
    "s1": ("A", "A", "A", "B"),
    "s2": ("A", "A", "C", "A"),
    "s3": ("A", "B", "A", "C"),
    "s4": ("A", "C", "B", "A"),
    "s5": ("B", "B", None, "A"),
}
FINISHED_AFTER = {"s1": 10, "s2": 12, "s3": 20, "s4": 25, "s5": 28}


@pytest.fixture
def take(db_session):
    """Let ``student`` take ``rnd`` (a fixed paper) choosing the given letters; returns the scored attempt."""
    from quiz.attempts.service import compute_deadline, finish

    def do(student, rnd, letters, *, started=None, minutes: float = 10, number: int = 1, prediction=None):
        started = started or rnd.opens_at + timedelta(minutes=5)
        paper = []
        for rq in rnd.fixed_questions:
            q = db_session.get(Question, rq.question_id)
            paper.append((q, q.current_revision))
        attempt = Attempt(round_id=rnd.id, user_id=student.id, number=number, started_at=started,
                          deadline=compute_deadline(rnd, started), seed=rnd.seed, prediction=prediction,
                          paper=[AttemptQuestion(position=i, question_id=q.id, revision_id=rev.id,
                                                 option_order=[o.id for o in rev.options],
                                                 points=rnd.contest.points_per_question)
                                 for i, (q, rev) in enumerate(paper)])
        db_session.add(attempt)
        db_session.flush()
        for (q, rev), letter in zip(paper, letters):
            if letter is None:
                continue
            ids = [rev.options[ord(ch) - 65].id for ch in letter]
            db_session.add(Answer(attempt_id=attempt.id, question_id=q.id, option_ids=ids, seq=1,
                                  saved_at=started + timedelta(minutes=1)))
        db_session.flush()
        finish(db_session, attempt, started + timedelta(minutes=minutes), by="student")
        return attempt
    return do


@pytest.fixture
def small(db_session, clock, make_department, make_area, make_school, make_class, make_user, make_question,
          make_round, take):
    w = SimpleNamespace()
    w.department = make_department()
    w.area = make_area("Khu vực Trảng Bàng")
    w.school_a = make_school("Trường THCS Nguyễn Trãi", area=w.area, enrolled=80)
    w.school_b = make_school("Trường THCS Lê Lợi", area=w.area, enrolled=50)
    w.school_c = make_school("Trường THCS Võ Thị Sáu", enrolled=30)
    w.a1 = make_class("9A1", school=w.school_a, enrolled=40)
    w.a2 = make_class("9A2", school=w.school_a, enrolled=40)
    w.b1 = make_class("9B1", school=w.school_b, enrolled=40)
    w.admin = make_user(Role.ADMIN, unit=w.department, username="admin")
    w.manager_a = make_user(Role.MANAGER, unit=w.school_a, username="manager_a")
    w.manager_b = make_user(Role.MANAGER, unit=w.school_b, username="manager_b")
    w.teacher_a = make_user(Role.TEACHER, unit=w.school_a, username="teacher_a", classes=[w.a1])
    w.teacher_b = make_user(Role.TEACHER, unit=w.school_b, username="teacher_b", classes=[w.b1])
    homes = {"s1": w.a1, "s2": w.a1, "s3": w.a2, "s4": w.b1, "s5": w.b1}
    names = {"s1": "Trần Thị Ánh", "s2": "Lê Văn Đức", "s3": "Phạm Ngọc Hà", "s4": "Nguyễn Thị Hồng",
             "s5": "Đỗ Minh Khôi"}
    w.students = {k: make_user(Role.STUDENT, unit=homes[k], username=k, full_name=names[k]) for k in ANSWERS}
    w.questions = [make_question() for _ in range(4)]
    w.round = make_round(w.questions, shuffle=False, duration_minutes=180)
    w.answers = ANSWERS
    w.attempts = {k: take(w.students[k], w.round, ANSWERS[k], minutes=FINISHED_AFTER[k]) for k in ANSWERS}
    db_session.commit()
    assert w.area.kind is UnitKind.AREA
    return w
