"""Statuses draft → scheduled → open → closed → results published, what students see at each step,
and the join code of class contests."""
from datetime import timedelta

import pytest
from contest_pages import audit_entries, contest_form, latest_contest, page_text, round_form

from quiz.models import Attempt, Contest, ContestStatus, Round


@pytest.fixture
def contest(client, login_as, world, make_question, db_session, clock):
    """A draft province contest whose one round opens at 10:00 and closes at 12:00 (Viet Nam time) today,
    with a prediction question; the admin is logged in."""
    questions = [make_question().id for _ in range(3)]
    db_session.commit()
    login_as(world.admin)
    client.post("/contests/new", data=contest_form())
    c = latest_contest(db_session)
    r = client.post(f"/contests/{c.id}/rounds/new", data=round_form(
        opens_at="20/11/2026 10:00", closes_at="20/11/2026 12:00", question_ids=questions,
        prediction_question="Bao nhiêu bạn đúng hết?"))
    assert r.status_code == 302
    return c


def status_shown(client, contest) -> str:
    html = client.get(f"/contests/{contest.id}").get_data(as_text=True)
    return html.split('aria-current="step">')[1].split("<")[0]


def student_round_ids(client):
    return [r["id"] for r in client.get("/api/rounds?status=all").get_json()]


def test_students_never_see_a_draft_contest(client, login_as, world, contest, clock, db_session):
    rnd = contest.rounds[0]
    clock.set(rnd.opens_at + timedelta(minutes=5))  # its round would be open
    assert status_shown(client, contest) == "Nháp"
    login_as(world.student1)
    assert student_round_ids(client) == []
    assert contest.title not in page_text(client.get("/rounds"))
    assert client.post(f"/api/rounds/{rnd.id}/attempt").status_code == 404
    assert client.get(f"/rounds/{rnd.id}/take").status_code == 404
    assert db_session.query(Attempt).count() == 0
    login_as(world.manager1)  # school staff do not see the Department's drafts either
    assert client.get(f"/contests/{contest.id}").status_code == 404
    assert contest.title not in page_text(client.get("/contests/"))


def test_the_status_follows_scheduling_the_clock_and_publishing(client, login_as, world, contest, clock,
                                                                db_session):
    rnd = contest.rounds[0]
    r = client.post(f"/contests/{contest.id}/schedule")
    assert r.status_code == 302
    assert "Đã lên lịch cuộc thi" in page_text(client.get(r.headers["Location"]))
    assert status_shown(client, contest) == "Đã lên lịch"
    assert [e.target_id for e in audit_entries(db_session, "contest.schedule")] == [contest.id]
    login_as(world.student1)
    assert student_round_ids(client) == [rnd.id]  # visible, not yet open
    assert client.post(f"/api/rounds/{rnd.id}/attempt").status_code == 409
    clock.set(rnd.opens_at)
    data = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    assert data["attempt_id"]
    login_as(world.admin)
    assert status_shown(client, contest) == "Đang mở"
    early = client.post(f"/contests/{contest.id}/publish")
    assert "Chỉ công bố kết quả được khi mọi vòng thi đã đóng." in page_text(client.get(early.headers["Location"]))
    clock.set(rnd.closes_at + timedelta(minutes=1))
    assert status_shown(client, contest) == "Đã đóng"
    missing = client.post(f"/contests/{contest.id}/publish")
    assert "Hãy nhập đáp án đúng của câu hỏi dự đoán cho: Tuần 1." in page_text(
        client.get(missing.headers["Location"]))
    client.post(f"/contests/rounds/{rnd.id}/edit", data=round_form(closes_at="20/11/2026 12:00",
                                                                   prediction_answer="12"))
    done = client.post(f"/contests/{contest.id}/publish")
    assert "Đã công bố kết quả." in page_text(client.get(done.headers["Location"]))
    assert status_shown(client, contest) == "Đã công bố kết quả"
    db_session.expire_all()
    attempt = db_session.get(Attempt, data["attempt_id"])  # abandoned: scored when publishing
    assert attempt.submitted_at == attempt.deadline and attempt.score is not None
    assert db_session.get(Round, rnd.id).results_published_at is not None
    assert len(audit_entries(db_session, "contest.publish")) == 1
    # published is final: no more rounds
    assert "Thêm vòng thi" not in page_text(client.get(f"/contests/{contest.id}"))
    assert client.post(f"/contests/{contest.id}/rounds/new", data=round_form()).status_code == 400


def test_scheduling_needs_a_round_and_going_back_to_draft_needs_nobody_started(client, login_as, world, contest,
                                                                               clock, db_session):
    client.post("/contests/new", data=contest_form(title="Không có vòng"))
    empty = latest_contest(db_session)
    r = client.post(f"/contests/{empty.id}/schedule")
    assert "Hãy thêm ít nhất một vòng thi trước khi lên lịch cuộc thi." in page_text(client.get(r.headers["Location"]))
    db_session.expire_all()
    assert db_session.get(Contest, empty.id).status is ContestStatus.DRAFT
    client.post(f"/contests/{contest.id}/schedule")
    again = client.post(f"/contests/{contest.id}/schedule")
    assert "Chỉ cuộc thi ở trạng thái bản nháp mới lên lịch được." in page_text(client.get(again.headers["Location"]))
    back = client.post(f"/contests/{contest.id}/unschedule")
    assert "Cuộc thi đã trở lại bản nháp" in page_text(client.get(back.headers["Location"]))
    assert status_shown(client, contest) == "Nháp"
    client.post(f"/contests/{contest.id}/schedule")
    clock.set(contest.rounds[0].opens_at)
    login_as(world.student1)
    client.post(f"/api/rounds/{contest.rounds[0].id}/attempt")
    login_as(world.admin)
    refused = client.post(f"/contests/{contest.id}/unschedule")
    assert "chưa có ai làm bài mới trở về bản nháp" in page_text(client.get(refused.headers["Location"]))
    db_session.expire_all()
    assert db_session.get(Contest, contest.id).status is ContestStatus.SCHEDULED


def test_a_weekly_round_publishes_its_results_once_closed(client, login_as, world, contest, clock, db_session):
    rnd = contest.rounds[0]
    client.post(f"/contests/{contest.id}/schedule")
    clock.set(rnd.opens_at)
    early = client.post(f"/contests/rounds/{rnd.id}/publish")
    assert "Chỉ công bố được kết quả sau khi vòng thi đóng." in page_text(client.get(early.headers["Location"]))
    clock.set(rnd.closes_at)
    assert "Công bố kết quả vòng này" in page_text(client.get(f"/contests/{contest.id}"))
    saved = client.post(f"/contests/rounds/{rnd.id}/edit", data=round_form(
        opens_at="20/11/2026 10:00", closes_at="20/11/2026 12:00", prediction_answer="3",
        question_ids=[rq.question_id for rq in rnd.fixed_questions]))
    assert saved.status_code == 302
    done = client.post(f"/contests/rounds/{rnd.id}/publish")
    assert "Đã công bố kết quả «Tuần 1»." in page_text(client.get(done.headers["Location"]))
    db_session.expire_all()
    assert db_session.get(Round, rnd.id).results_published_at == clock.now
    assert len(audit_entries(db_session, "round.publish")) == 1
    login_as(world.student1)
    assert client.get("/api/rounds?status=closed").get_json()[0]["status"] == "published"


# -- join code ------------------------------------------------------------------------------
@pytest.fixture
def class_contest(client, login_as, world, make_question, db_session, clock):
    question = make_question()
    db_session.commit()
    login_as(world.teacher1)
    client.post("/contests/new", data=contest_form(scope="class", unit_ids=[world.class1.id]))
    c = latest_contest(db_session)
    client.post(f"/contests/{c.id}/rounds/new", data=round_form(
        opens_at="20/11/2026 08:00", closes_at="20/11/2026 11:00", question_ids=[question.id]))
    return c


def test_the_join_code_is_shown_large_and_works_only_once_scheduled(client, login_as, world, class_contest,
                                                                    make_class, make_student, db_session):
    pupil = make_student(make_class("9A7", school=world.school1), username="s170")
    db_session.commit()
    page = client.get(f"/contests/{class_contest.id}/code")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'<p class="join-code"' in html and class_contest.join_code in html
    assert "Cuộc thi vẫn là bản nháp" in page_text(page)
    login_as(pupil)
    refused = client.post("/join", data={"code": class_contest.join_code})
    assert refused.status_code == 400 and "Không có cuộc thi của lớp nào đang mở với mã này" in page_text(refused)
    login_as(world.teacher1)
    client.post(f"/contests/{class_contest.id}/schedule")
    assert "Cuộc thi vẫn là bản nháp" not in page_text(client.get(f"/contests/{class_contest.id}/code"))
    login_as(pupil)
    assert client.post("/join", data={"code": " " + class_contest.join_code.lower()}).status_code == 302
    assert student_round_ids(client) == [class_contest.rounds[0].id]


def test_a_new_join_code_replaces_the_old_one_and_joined_pupils_stay(client, login_as, world, class_contest,
                                                                    make_class, make_student, db_session):
    early, late = (make_student(make_class(f"9B{n}", school=world.school1), username=f"s18{n}") for n in (1, 2))
    db_session.commit()
    client.post(f"/contests/{class_contest.id}/schedule")
    old = class_contest.join_code
    login_as(early)
    assert client.post("/join", data={"code": old}).status_code == 302
    login_as(world.teacher1)
    r = client.post(f"/contests/{class_contest.id}/code/new")
    assert r.status_code == 302
    assert "Đã tạo mã tham gia mới; mã cũ không còn dùng được." in page_text(client.get(r.headers["Location"]))
    db_session.expire_all()
    new = db_session.get(Contest, class_contest.id).join_code
    assert new != old and len(new) == 6 and len(audit_entries(db_session, "contest.join_code")) == 1
    login_as(late)
    assert client.post("/join", data={"code": old}).status_code == 400
    assert client.post("/join", data={"code": new}).status_code == 302
    login_as(early)
    assert student_round_ids(client) == [class_contest.rounds[0].id]


def test_pupils_of_another_school_cannot_join_and_only_class_contests_have_a_code(client, login_as, world,
                                                                                  class_contest, contest):
    login_as(world.teacher1)
    client.post(f"/contests/{class_contest.id}/schedule")
    login_as(world.student2)
    r = client.post("/join", data={"code": class_contest.join_code})
    assert r.status_code == 400 and "Mã này thuộc cuộc thi của trường khác." in page_text(r)
    assert student_round_ids(client) == []
    login_as(world.admin)
    assert client.get(f"/contests/{contest.id}/code").status_code == 404
    assert client.post(f"/contests/{contest.id}/code/new").status_code == 404
