"""Rounds: the window typed in Viet Nam time and stored in UTC, the time limit, and the paper
(a fixed list chosen with the picker, or a stratified draw whose blueprint must be possible)."""
from datetime import datetime, timedelta, timezone

import pytest
from contest_pages import audit_entries, contest_form, field_error, latest_contest, latest_round, page_text, round_form

from quiz.contests.localtime import parse_local, to_local_input
from quiz.models import PaperMode, QuestionStatus, Round


@pytest.fixture
def draft(client, login_as, world, db_session):
    """A draft province contest of the Department, with the admin logged in."""
    login_as(world.admin)
    assert client.post("/contests/new", data=contest_form()).status_code == 302
    return latest_contest(db_session)


# -- local time ---------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["20/11/2026 09:00", "2026-11-20T09:00", "20/11/2026 9h00", " 20/11/2026   09:00 "])
def test_viet_nam_local_time_is_stored_as_utc(typed):
    assert parse_local(typed) == datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def test_utc_goes_back_to_the_local_input_value_and_bad_text_is_refused():
    assert to_local_input(datetime(2026, 11, 20, 17, 30, tzinfo=timezone.utc)) == "2026-11-21T00:30"
    assert parse_local("") is None
    with pytest.raises(ValueError):
        parse_local("31/02/2026 09:00")


def test_a_round_typed_in_local_time_is_stored_in_utc_and_shown_back_in_local_time(client, draft, asean_bank,
                                                                                  db_session):
    ids = [q.id for q in asean_bank.questions_by_cell["history:easy"][:3]]
    r = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(
        opens_at="20/11/2026 09:00", closes_at="2026-11-27T21:30", time_limit_minutes="25", question_ids=ids,
        prediction_question="Bao nhiêu học sinh đúng hết?", freeze_minutes="15"))
    assert r.status_code == 302
    rnd = latest_round(db_session)
    assert rnd.opens_at == datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    assert rnd.closes_at == datetime(2026, 11, 27, 14, 30, tzinfo=timezone.utc)
    assert (rnd.time_limit_minutes, rnd.paper_mode, rnd.freeze_minutes) == (25, PaperMode.FIXED, 15)
    assert [rq.question_id for rq in rnd.fixed_questions] == ids and rnd.question_count == 3
    assert rnd.prediction_question == "Bao nhiêu học sinh đúng hết?"
    assert len(audit_entries(db_session, "round.create")) == 1
    edit = client.get(f"/contests/rounds/{rnd.id}/edit").get_data(as_text=True)
    assert 'value="2026-11-20T09:00"' in edit and 'value="2026-11-27T21:30"' in edit
    assert "20/11/2026 09:00 – 27/11/2026 21:30" in page_text(client.get(f"/contests/{draft.id}"))


def test_every_mistake_of_the_round_form_is_shown_at_once_and_nothing_is_saved(client, draft, asean_bank,
                                                                             db_session):
    r = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(
        title="", opens_at="hôm nay", closes_at="20/11/2026 08:00", time_limit_minutes="0", paper_mode="draw",
        bank_ids=[asean_bank.id], cell_history_easy="abc", cell_history_hard="-1"))
    assert r.status_code == 400
    assert field_error(r, "title") == "Nhập tiêu đề."
    assert field_error(r, "opens_at") == "Nhập ngày và giờ, ví dụ 20/11/2026 09:00."
    assert field_error(r, "time_limit_minutes") == "Thời gian làm bài từ 1 đến 600 phút."
    text = page_text(r)
    assert "Nhập một số nguyên." in text and "Từ 0 đến 500." in text
    assert "Nhập một số nguyên. Từ 0 đến 500." not in text  # one message per mistake
    assert db_session.query(Round).count() == 0
    backwards = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(
        opens_at="20/11/2026 09:00", closes_at="20/11/2026 08:00", question_ids=[asean_bank.questions_by_cell[
            "history:easy"][0].id]))
    assert field_error(backwards, "closes_at") == "Thời điểm đóng phải sau thời điểm mở."
    too_long = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(time_limit_minutes="601"))
    assert field_error(too_long, "time_limit_minutes") == "Thời gian làm bài từ 1 đến 600 phút."
    assert db_session.query(Round).count() == 0


# -- the stratified draw ------------------------------------------------------------------
def test_the_blueprint_grid_shows_the_approved_questions_available_per_cell(client, draft, asean_bank):
    page = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(
        action="refresh", paper_mode="draw", bank_ids=[asean_bank.id]))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-cell="history:easy"' in html
    assert 'id="cell_history_easy-avail" data-have="4">có 4 câu' in html  # the draft question does not count
    assert 'id="cell_history_hard-avail" data-have="2">có 2 câu' in html
    assert 'id="cell_economic_medium-avail" data-have="3">có 3 câu' in html
    assert 'id="cell_economic_hard-avail" data-have="0">có 0 câu' in html
    counts = client.get(f"/contests/availability.json?bank_ids={asean_bank.id}").get_json()
    assert counts == {"cells": {"history:easy": 4, "history:hard": 2, "economic:medium": 3}}


def test_availability_counts_only_banks_the_user_may_use(client, login_as, world, make_bank, make_question,
                                                         db_session):
    from quiz.models import BankVisibility

    private = make_bank("Ngân hàng riêng", owner_unit=world.school2, owner_user=world.teacher2,
                        visibility=BankVisibility.PRIVATE)
    make_question(private, pillar="history", difficulty="easy")
    db_session.commit()
    login_as(world.teacher1)
    assert client.get(f"/contests/availability.json?bank_ids={private.id}").get_json() == {"cells": {}}
    login_as(world.teacher2)
    assert client.get(f"/contests/availability.json?bank_ids={private.id}").get_json() == {
        "cells": {"history:easy": 1}}


def test_an_impossible_blueprint_is_refused_with_a_clear_message(client, draft, asean_bank, db_session):
    r = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(
        paper_mode="draw", bank_ids=[asean_bank.id], cell_history_easy="3", cell_history_hard="5"))
    assert r.status_code == 400
    text = page_text(r)
    assert "Lịch sử và thể chế ASEAN, mức khó: cần 5 câu nhưng chỉ có 2 câu đã duyệt." in text
    assert "chỉ có 2 câu" in text and "Tổng: 8 câu" in text
    assert db_session.query(Round).count() == 0
    empty = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(paper_mode="draw",
                                                                            bank_ids=[asean_bank.id]))
    assert empty.status_code == 400 and "Đề thi phải có ít nhất một câu hỏi." in page_text(empty)
    no_bank = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(paper_mode="draw",
                                                                              cell_history_easy="1"))
    assert no_bank.status_code == 400 and "Hãy chọn ít nhất một ngân hàng câu hỏi để bốc đề." in page_text(no_bank)


def test_a_possible_blueprint_is_saved_and_each_student_gets_their_own_draw(client, draft, asean_bank,
                                                                           db_session, world):
    from quiz.contests.paper import build_paper
    from quiz.models import Question

    r = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(
        paper_mode="draw", bank_ids=[asean_bank.id], cell_history_easy="2", cell_history_hard="2",
        cell_economic_medium="1"))
    assert r.status_code == 302
    rnd = latest_round(db_session)
    assert rnd.paper_mode is PaperMode.DRAW and rnd.question_count == 5
    assert {(c.pillar, c.difficulty, c.count) for c in rnd.blueprint} == {
        ("history", "easy", 2), ("history", "hard", 2), ("economic", "medium", 1)}
    papers = {s.id: build_paper(db_session, rnd, s.id) for s in (world.student1, world.student1b)}
    for paper in papers.values():
        drawn = [db_session.get(Question, i.question_id) for i in paper]
        assert sorted((q.pillar, q.difficulty) for q in drawn) == sorted(
            [("history", "easy")] * 2 + [("history", "hard")] * 2 + [("economic", "medium")])
        assert all(q.status is QuestionStatus.APPROVED for q in drawn)
    assert build_paper(db_session, rnd, world.student1.id) == papers[world.student1.id]  # reproducible


# -- the fixed list (picker) -------------------------------------------------------------
def test_the_picker_finds_approved_questions_by_text_ignoring_accents(client, draft, make_question, asean_bank,
                                                                      db_session):
    wanted = make_question(asean_bank, stem="Thủ đô của Lào là thành phố nào?")
    hidden = make_question(asean_bank, stem="Thủ đô của Lào (bản nháp)?", status=QuestionStatus.DRAFT)
    db_session.commit()
    r = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(action="refresh", q="thu do cua lao"))
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert f'name="question_ids" value="{wanted.id}"' in html
    assert f'value="{hidden.id}"' not in html
    picked = client.post(f"/contests/{draft.id}/rounds/new", data=round_form(
        action="refresh", q="thu do", question_ids=[wanted.id]))
    assert "Câu hỏi đã chọn (1)" in page_text(picked)
    assert f'name="question_ids" value="{wanted.id}" checked' in picked.get_data(as_text=True)


def test_a_fixed_list_refuses_unapproved_questions_and_banks_the_user_may_not_use(client, login_as, world,
                                                                                  make_bank, make_question,
                                                                                  asean_bank, db_session):
    from quiz.models import BankVisibility

    draft_q = make_question(asean_bank, status=QuestionStatus.DRAFT)
    other_school = make_bank("Ngân hàng trường 2", owner_unit=world.school2, visibility=BankVisibility.SCHOOL)
    foreign = make_question(other_school)
    db_session.commit()
    login_as(world.manager1)
    client.post("/contests/new", data=contest_form(scope="school"))
    contest = latest_contest(db_session)
    ok_id = asean_bank.questions_by_cell["history:easy"][0].id
    r = client.post(f"/contests/{contest.id}/rounds/new", data=round_form(
        question_ids=[ok_id, draft_q.id, foreign.id]))
    assert r.status_code == 400
    assert (f"Chỉ được chọn câu hỏi đã duyệt trong các ngân hàng bạn được dùng; không hợp lệ: "
            f"{draft_q.id}, {foreign.id}.") in page_text(r)
    none = client.post(f"/contests/{contest.id}/rounds/new", data=round_form())
    assert none.status_code == 400 and "Đề thi phải có ít nhất một câu hỏi." in page_text(none)
    assert db_session.query(Round).count() == 0


# -- after students started ------------------------------------------------------------
def test_once_students_started_only_the_close_title_prediction_answer_and_freeze_change(
        client, login_as, world, make_round, make_question, db_session, clock):
    questions = [make_question() for _ in range(3)]
    rnd = make_round(questions, prediction_question="Bao nhiêu bạn đúng hết?")
    db_session.commit()
    login_as(world.student1)
    assert client.post(f"/api/rounds/{rnd.id}/attempt").status_code == 200
    login_as(world.admin)
    page = client.get(f"/contests/rounds/{rnd.id}/edit")
    assert "Đã có học sinh làm vòng thi này nên đề và giờ mở không thể thay đổi." in page_text(page)
    old_open = rnd.opens_at
    r = client.post(f"/contests/rounds/{rnd.id}/edit", data=round_form(
        title="Tuần 1 (gia hạn)", opens_at="01/01/2027 09:00", closes_at="20/12/2026 21:00",
        time_limit_minutes="5", question_ids=[questions[0].id], prediction_answer="7"))
    assert r.status_code == 302
    db_session.expire_all()
    rnd = db_session.get(Round, rnd.id)
    assert rnd.title == "Tuần 1 (gia hạn)" and rnd.opens_at == old_open
    assert rnd.closes_at == datetime(2026, 12, 20, 14, 0, tzinfo=timezone.utc)
    assert rnd.time_limit_minutes == 30 and rnd.question_count == 3
    assert rnd.prediction_answer is None  # the true answer waits for the close
    clock.set(rnd.closes_at)
    r = client.post(f"/contests/rounds/{rnd.id}/edit", data=round_form(
        title=rnd.title, closes_at="20/12/2026 21:00", prediction_answer="7"))
    assert r.status_code == 302
    db_session.expire_all()
    assert db_session.get(Round, rnd.id).prediction_answer == 7


def test_a_new_round_starts_from_the_only_bank_the_organiser_may_use(client, draft, asean_bank):
    html = client.get(f"/contests/{draft.id}/rounds/new").get_data(as_text=True)
    assert f'name="bank_ids" type="checkbox" value="{asean_bank.id}" checked' in html or \
        f'checked id="bank_ids-0" name="bank_ids" type="checkbox" value="{asean_bank.id}"' in html
    assert 'data-have="4">có 4 câu' in html and 'value="Vòng 1"' in html


def _round_with_pupils_mid_attempt(client, login_as, world, make_round, make_question, db_session):
    """A round open 08:50–10:50 (Viet Nam time), 30 minutes each: student1 started at 09:00 (until 09:30),
    student1b started and submitted."""
    rnd = make_round([make_question() for _ in range(3)])
    db_session.commit()
    login_as(world.student1)
    running = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()["attempt_id"]
    login_as(world.student1b)
    done = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()["attempt_id"]
    assert client.post(f"/api/attempts/{done}/submit").status_code == 200
    login_as(world.admin)
    return rnd, running


def test_closing_earlier_while_pupils_are_mid_attempt_warns_how_many_and_saves_only_when_confirmed(
        client, login_as, world, make_round, make_question, db_session, clock):
    from quiz.models import Attempt

    rnd, running = _round_with_pupils_mid_attempt(client, login_as, world, make_round, make_question, db_session)
    old_close = rnd.closes_at
    r = client.post(f"/contests/rounds/{rnd.id}/edit", data=round_form(title=rnd.title, closes_at="20/11/2026 09:15"))
    assert r.status_code == 400
    assert field_error(r, "confirm_earlier_close") == (
        "1 học sinh đang làm bài; bài của các em sẽ kết thúc lúc 20/11/2026 09:15. "
        "Hãy đánh dấu ô xác nhận để đóng vòng thi sớm hơn.")
    assert "Vẫn đóng sớm hơn: các bài đang làm sẽ kết thúc vào giờ đóng mới" in page_text(r)
    db_session.expire_all()
    assert db_session.get(Round, rnd.id).closes_at == old_close  # nothing saved
    assert db_session.get(Attempt, running).deadline == clock.now + timedelta(minutes=30)

    r = client.post(f"/contests/rounds/{rnd.id}/edit", data=round_form(
        title=rnd.title, closes_at="20/11/2026 09:15", confirm_earlier_close="y"))
    assert r.status_code == 302
    db_session.expire_all()
    assert db_session.get(Round, rnd.id).closes_at == datetime(2026, 11, 20, 2, 15, tzinfo=timezone.utc)
    login_as(world.student1)
    assert client.get(f"/api/attempts/{running}").get_json()["deadline"] == "2026-11-20T02:15:00+00:00"


def test_closing_later_gives_running_attempts_back_the_time_an_earlier_close_took(
        client, login_as, world, make_round, make_question, db_session, clock):
    from quiz.models import Attempt

    rnd, running = _round_with_pupils_mid_attempt(client, login_as, world, make_round, make_question, db_session)
    assert client.post(f"/contests/rounds/{rnd.id}/edit", data=round_form(
        title=rnd.title, closes_at="20/11/2026 09:15", confirm_earlier_close="y")).status_code == 302
    db_session.expire_all()
    assert db_session.get(Attempt, running).deadline == datetime(2026, 11, 20, 2, 15, tzinfo=timezone.utc)
    clock.advance(minutes=5)
    r = client.post(f"/contests/rounds/{rnd.id}/edit", data=round_form(title=rnd.title, closes_at="20/11/2026 12:00"))
    assert r.status_code == 302  # a later close cuts nobody short: no confirmation
    db_session.expire_all()
    assert db_session.get(Attempt, running).deadline == datetime(2026, 11, 20, 2, 30, tzinfo=timezone.utc)


def test_a_close_moved_into_the_past_ends_running_attempts_now_not_retroactively(
        client, login_as, world, make_round, make_question, db_session, clock):
    from quiz.models import Attempt

    rnd, running = _round_with_pupils_mid_attempt(client, login_as, world, make_round, make_question, db_session)
    clock.advance(minutes=10)  # 09:10
    r = client.post(f"/contests/rounds/{rnd.id}/edit", data=round_form(title=rnd.title, closes_at="20/11/2026 09:05"))
    assert "bài của các em sẽ kết thúc lúc 20/11/2026 09:10" in field_error(r, "confirm_earlier_close")
    assert client.post(f"/contests/rounds/{rnd.id}/edit", data=round_form(
        title=rnd.title, closes_at="20/11/2026 09:05", confirm_earlier_close="y")).status_code == 302
    db_session.expire_all()
    assert db_session.get(Attempt, running).deadline == clock.now
