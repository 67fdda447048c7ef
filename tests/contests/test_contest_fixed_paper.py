"""Questions retired or withdrawn from a bank after a round's paper was saved: starting never fails for a
fixed paper (later students get the revision the first ones received; before anyone started the question is
left out and the organiser is warned), a stratified draw never draws them, and an impossible draw at start
time is a clear 400, not a 500."""
from __future__ import annotations

import pytest
from contest_pages import page_text
from sqlalchemy import func, select

from quiz.banks.questions import set_status
from quiz.models import (Attempt, AttemptQuestion, BlueprintCell, PaperMode, QuestionStatus, RoundBank)


@pytest.fixture
def rnd(world, clock, make_question, make_round, db_session):
    r = make_round([make_question() for _ in range(5)], time_limit=30, duration_minutes=120)
    db_session.commit()
    return r


def question(db_session, rnd, position):
    from quiz.models import Question

    return db_session.get(Question, rnd.fixed_questions[position].question_id)


def start(client, login_as, student, rnd):
    login_as(student)
    return client.post(f"/api/rounds/{rnd.id}/attempt")


def retire(db_session, question, status=QuestionStatus.RETIRED):
    set_status(question, status)
    db_session.commit()


def paper_of(db_session, attempt_id) -> dict[int, int]:
    return dict(db_session.execute(select(AttemptQuestion.question_id, AttemptQuestion.revision_id)
                                   .where(AttemptQuestion.attempt_id == attempt_id)).all())


def test_a_question_retired_before_anyone_started_is_left_out_and_the_organiser_is_warned(
        client, login_as, world, rnd, db_session):
    retired = question(db_session, rnd, 2)
    retire(db_session, retired)
    r = start(client, login_as, world.student1, rnd)
    assert r.status_code == 200
    ids = [q["id"] for q in r.get_json()["questions"]]
    assert len(ids) == 4 and retired.id not in ids
    login_as(world.admin)
    text = page_text(client.get(f"/contests/{rnd.contest_id}"))
    assert f"Không còn được duyệt (đã gỡ hoặc bị rút lại): câu {retired.id}." in text


def test_later_students_get_the_revision_the_first_ones_received_even_after_a_withdraw_and_an_edit(
        client, login_as, world, rnd, db_session):
    from quiz.banks.authoring import update_question
    from quiz.banks.editing import from_domain
    from quiz.banks.convert import question_to_domain

    first = start(client, login_as, world.student1, rnd)
    assert first.status_code == 200
    q0 = question(db_session, rnd, 0)
    original = {q["id"]: q["text"] for q in first.get_json()["questions"]}[q0.id]
    retire(db_session, q0, QuestionStatus.REVIEW)  # withdrawn for review, then edited
    form = from_domain(question_to_domain(q0))
    form.stem["vi"] = "Nội dung đang sửa, chưa được duyệt?"
    assert update_question(db_session, world.admin, q0, form) is True
    db_session.commit()
    assert q0.current_revision_id != paper_of(db_session, first.get_json()["attempt_id"])[q0.id]
    second = start(client, login_as, world.student2, rnd)
    assert second.status_code == 200
    shown = {q["id"]: q["text"] for q in second.get_json()["questions"]}
    assert shown[q0.id] == original and "chưa được duyệt" not in str(second.get_json())
    assert paper_of(db_session, second.get_json()["attempt_id"]) == paper_of(db_session,
                                                                              first.get_json()["attempt_id"])
    other = question(db_session, rnd, 1)
    retire(db_session, other)  # retired later: still in the paper for everyone
    third = start(client, login_as, world.student1b, rnd)
    assert third.status_code == 200 and len(third.get_json()["questions"]) == 5


def test_a_fixed_paper_with_no_usable_question_is_a_clear_400_and_creates_nothing(
        client, login_as, world, rnd, db_session):
    for rq in rnd.fixed_questions:
        retire(db_session, question(db_session, rnd, rq.position))
    r = start(client, login_as, world.student1, rnd)
    assert r.status_code == 400
    assert "Đề của vòng thi này không còn câu hỏi nào dùng được" in r.get_json()["error"]
    assert db_session.scalar(select(func.count()).select_from(Attempt)) == 0


def _draw_round(db_session, rnd, bank, **cells):
    rnd.paper_mode = PaperMode.DRAW
    rnd.fixed_questions = []
    rnd.banks = [RoundBank(bank_id=bank.id)]
    rnd.blueprint = [BlueprintCell(pillar=k.split("_")[0], difficulty=k.split("_")[1], count=n)
                     for k, n in cells.items()]
    db_session.commit()


def test_a_stratified_draw_never_draws_a_retired_question(client, login_as, world, rnd, asean_bank, db_session,
                                                          make_student):
    _draw_round(db_session, rnd, asean_bank, history_easy=3)
    retired = asean_bank.questions_by_cell["history:easy"][0]
    retire(db_session, retired)
    for n in range(8):
        student = make_student(world.class1, username=f"draw{n}")
        db_session.commit()
        r = start(client, login_as, student, rnd)
        assert r.status_code == 200
        ids = {q["id"] for q in r.get_json()["questions"]}
        assert len(ids) == 3 and retired.id not in ids


def test_a_draw_that_became_impossible_names_the_cell_in_a_400(client, login_as, world, rnd, asean_bank,
                                                               db_session):
    _draw_round(db_session, rnd, asean_bank, history_hard=2)
    retire(db_session, asean_bank.questions_by_cell["history:hard"][0])
    r = start(client, login_as, world.student1, rnd)
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert "Lịch sử và thể chế ASEAN, mức khó cần 2 câu đã duyệt nhưng chỉ còn 1 câu" in error
    assert db_session.scalar(select(func.count()).select_from(Attempt)) == 0
