"""The demo province contest: a closed round with simulated results and an open round to take now."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz import clock
from quiz.attempts.service import compute_deadline, finish
from quiz.contests.paper import build_paper
from quiz.models import (Answer, Attempt, AttemptQuestion, Bank, BlueprintCell, Contest, ContestScope, ContestStatus,
                         PaperMode, QuestionRevision, ReviewPolicy, Role, Round, RoundBank, Unit, UnitKind, User)

CONTEST_TITLE = "Cuộc thi tìm hiểu về ASEAN năm 2026"
PILLARS = ("history", "political_security", "economic", "socio_cultural")
# Per pillar: 2 easy, 2 medium, 1 hard → 20 questions, 5 points each.
CELLS = {"easy": 2, "medium": 2, "hard": 1}
EASE = {"easy": 0.18, "medium": 0.0, "hard": -0.22}


def _round(contest: Contest, number: int, title: str, opens, closes, bank: Bank, prediction: str) -> Round:
    return Round(contest=contest, number=number, title=title, opens_at=opens, closes_at=closes,
                 time_limit_minutes=30, paper_mode=PaperMode.DRAW, seed=20260000 + number, created_at=clock.now(),
                 prediction_question=prediction, banks=[RoundBank(bank_id=bank.id)],
                 blueprint=[BlueprintCell(pillar=p, difficulty=d, count=n) for p in PILLARS for d, n in CELLS.items()])


def seed_contests(session: Session, bank: Bank) -> Contest:
    now = clock.now()
    department = session.scalar(select(Unit).where(Unit.kind == UnitKind.DEPARTMENT))
    admin = session.scalar(select(User).where(User.username == "admin"))
    contest = Contest(
        title=CONTEST_TITLE, scope=ContestScope.PROVINCE, organiser_unit=department, created_by_id=admin.id,
        status=ContestStatus.SCHEDULED, grades=[], attempts_allowed=1, points_per_question=5,
        review_policy=ReviewPolicy.AFTER_CLOSE, results_public=True, leaderboard_public=True,
        leaderboard_initials=False, created_at=now - timedelta(days=20),
        description=("Cuộc thi trực tuyến tìm hiểu về Hiệp hội các quốc gia Đông Nam Á dành cho học sinh "
                     "trung học cơ sở và trung học phổ thông toàn tỉnh. Mỗi tuần thi gồm 20 câu hỏi trắc nghiệm, "
                     "thời gian làm bài 30 phút."))
    week1 = _round(contest, 1, "Tuần 1", now - timedelta(days=14), now - timedelta(days=7), bank,
                   "Theo em, có bao nhiêu thí sinh trả lời đúng cả 20 câu hỏi của Tuần 1?")
    _round(contest, 2, "Tuần 2", now - timedelta(days=1), now + timedelta(days=60), bank,
           "Theo em, có bao nhiêu thí sinh trả lời đúng cả 20 câu hỏi của Tuần 2?")
    session.add(contest)
    session.flush()
    _simulate(session, week1)
    return contest


def _simulate(session: Session, rnd: Round, prefix: str = "") -> None:
    """Realistic results for the closed round: about three pupils in four took part, s101/s201/s301 among them
    (only the pupils whose username starts with ``prefix``, e.g. ``s1`` for school 1)."""
    rng = random.Random(1967)
    students = session.scalars(select(User).where(User.role == Role.STUDENT, User.username.startswith(prefix))
                               .order_by(User.username)).all()
    revisions: dict[int, QuestionRevision] = {}
    window = (rnd.closes_at - rnd.opens_at).total_seconds() - 3600
    for student in students:
        if not student.username.endswith("01") and rng.random() > 0.75:
            continue
        skill = min(0.97, max(0.35, rng.gauss(0.72, 0.14)))
        started = rnd.opens_at + timedelta(seconds=rng.uniform(600, window))
        paper = build_paper(session, rnd, student.id, 1)
        attempt = Attempt(round_id=rnd.id, user_id=student.id, number=1, started_at=started,
                          deadline=compute_deadline(rnd, started), seed=rnd.seed, ip="113.161.0.1",
                          user_agent="Mozilla/5.0 (Linux; Android 12) Demo",
                          prediction=max(0, int(rng.gauss(6, 3))),
                          paper=[AttemptQuestion(position=i, question_id=p.question_id, revision_id=p.revision_id,
                                                 option_order=p.option_order, points=rnd.contest.points_per_question)
                                 for i, p in enumerate(paper)])
        session.add(attempt)
        session.flush()
        elapsed = 0.0
        for p in paper:
            rev = revisions.get(p.revision_id) or session.get(QuestionRevision, p.revision_id)
            revisions[p.revision_id] = rev
            right = [o.id for o in rev.options if o.correct]
            wrong = [o.id for o in rev.options if not o.correct]
            if rng.random() < skill + EASE[rev.difficulty]:
                chosen = right
            elif rev.type == "multiple" and len(right) > 1 and rng.random() < 0.5:
                chosen = right[:1]
            else:
                chosen = [rng.choice(wrong)]
            elapsed += rng.uniform(25, 75)
            session.add(Answer(attempt_id=attempt.id, question_id=p.question_id, option_ids=chosen, seq=1,
                               saved_at=started + timedelta(seconds=elapsed), ip=attempt.ip,
                               user_agent=attempt.user_agent))
        session.flush()
        finish(session, attempt, started + timedelta(seconds=min(elapsed + rng.uniform(5, 60), 1795)), by="student")
    finished = session.scalars(select(Attempt).where(Attempt.round_id == rnd.id)).all()
    rnd.prediction_answer = sum(1 for a in finished if a.score == a.max_score)
    rnd.results_published_at = rnd.closes_at + timedelta(days=1)
