"""The scene of the authorisation matrix: two schools (A = ``world.school1``, B = ``world.school2``)
and objects of school A to put into every URL of the application.

Built with the root factories and the features' own services, once per test (each route gets
a fresh scene, so a state-changing request cannot spoil the next route's cells).
"""
from __future__ import annotations

import zipfile
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

# 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture
def scene(app, db_session, clock, world, make_bank, make_question, make_round, tmp_path):
    """Objects of school A (and one province contest) seen by the seven roles of the matrix."""
    from quiz.attempts import service as attempts
    from quiz.banks import images as bank_images
    from quiz.banks import uploads
    from quiz.certificates import issuing, rules
    from quiz.models import (Attempt, AwardKind, BankVisibility, Certificate, CertificateJob, ContestScope,
                             DocumentKind, JobStatus, RosterImport)

    now = clock.now
    s = SimpleNamespace(world=world)

    # Department bank (the default bank of make_question) feeds the contests.
    questions = [make_question() for _ in range(3)]

    # A school contest organised by school A, its round open now, and student A's attempt.
    s.school_round = make_round(questions, scope=ContestScope.SCHOOL, organiser=world.school1,
                                title="Cuộc thi của trường A",
                                prediction_question="Bao nhiêu bạn trả lời đúng tất cả các câu?")
    s.school_contest = s.school_round.contest
    s.school_contest.created_by_id = world.manager1.id
    db_session.flush()
    s.attempt = attempts.start_or_resume(db_session, world.student1, s.school_round.id, now)
    s.attempt_question_id = s.attempt.paper[0].question_id
    s.attempt_option_id = s.attempt.paper[0].option_order[0]

    # A class contest of teacher A (join codes).
    class_round = make_round(questions, scope=ContestScope.CLASS, organiser=world.school1,
                             units=[world.class1], title="Cuộc thi của lớp 9A1")
    s.class_contest = class_round.contest
    s.class_contest.created_by_id = world.teacher1.id
    s.class_contest.join_code = "K7M3Q9"

    # A province contest whose round closed and was published, with certificates issued to both schools.
    s.province_round = make_round(questions, opens_in_minutes=-180, duration_minutes=120,
                                  title="Cuộc thi tìm hiểu về ASEAN năm 2026")
    s.province_contest = s.province_round.contest
    for student in (world.student1, world.student2):
        start = now - timedelta(minutes=150)
        db_session.add(Attempt(round_id=s.province_round.id, user_id=student.id, number=1, started_at=start,
                               deadline=start + timedelta(minutes=30), submitted_at=start + timedelta(minutes=10),
                               finished_by="student", score=Decimal(80), max_score=Decimal(100),
                               duration_ms=600_000, seed=1))
    s.province_attempt = db_session.query(Attempt).filter_by(round_id=s.province_round.id,
                                                             user_id=world.student1.id).one()
    s.province_round.results_published_at = now - timedelta(minutes=30)
    db_session.flush()
    rules.add_rule(db_session, world.admin, s.province_contest,
                   rules.RuleInput(AwardKind.COMPLETION, "Hoàn thành bài thi", DocumentKind.CERTIFICATE,
                                   s.province_round.id, min_score=Decimal(1)), now)
    issuing.issue(db_session, world.admin, s.province_contest, s.province_round, now)
    db_session.flush()
    s.certificate = db_session.query(Certificate).filter_by(recipient_id=world.student1.id).one()

    # A bulk export of certificates requested by teacher A, finished.
    s.job = CertificateJob(contest_id=s.province_contest.id, round_id=s.province_round.id,
                           requested_by_id=world.teacher1.id, status=JobStatus.QUEUED, total=1, done=0,
                           base_url="http://localhost", created_at=now)
    db_session.add(s.job)
    db_session.flush()
    zip_path = tmp_path / f"job-{s.job.id}.zip"
    with zipfile.ZipFile(zip_path, "w") as zf:
        zf.writestr("a.txt", "x")
    s.job.status, s.job.file_path, s.job.done, s.job.finished_at = JobStatus.DONE, str(zip_path), s.job.total, now

    # Teacher A's private bank with a question and a picture, and a pending import into it.
    s.bank = make_bank("Ngân hàng riêng của cô A", owner_unit=world.school1, owner_user=world.teacher1,
                       visibility=BankVisibility.PRIVATE)
    s.bank_question = make_question(s.bank)
    s.image = bank_images.store_image(db_session, s.bank, "co.png", PNG, now)
    s.import_token = uploads.save(app.instance_path, world.teacher1.id, s.bank.id, "cau-hoi.csv", b"x",
                                  language="vi", skip_unsupported=False)

    # A roster import of school A by its manager.
    s.roster = RosterImport(school_id=world.school1.id, created_by_id=world.manager1.id, created_at=now,
                            filename="danh-sach.xlsx", accounts=[])
    db_session.add(s.roster)
    db_session.commit()
    return s
