"""Every organiser page checks the object against the user's role and unit: another school's contest,
round or monitor is a 404; the sample paper with its key is for the organisers only."""
import pytest
from contest_pages import contest_form, latest_contest, page_text, round_form

from quiz.models import Attempt, Contest, ContestStatus, QuestionStatus


@pytest.fixture
def school_contest(client, login_as, world, make_question, db_session, clock):
    """A scheduled school contest of school 1 (its manager organises it) with a round open now, and one
    in-progress attempt of a pupil of school 1."""
    questions = [make_question(explanation="Vì ASEAN thành lập năm 1967.") for _ in range(3)]
    db_session.commit()
    login_as(world.manager1)
    client.post("/contests/new", data=contest_form(scope="school", title="Thi cấp trường"))
    contest = latest_contest(db_session)
    r = client.post(f"/contests/{contest.id}/rounds/new", data=round_form(
        opens_at="20/11/2026 08:00", closes_at="20/11/2026 11:00", question_ids=[q.id for q in questions]))
    assert r.status_code == 302
    client.post(f"/contests/{contest.id}/schedule")
    login_as(world.student1)
    assert client.post(f"/api/rounds/{contest.rounds[0].id}/attempt").status_code == 200
    contest.questions = questions
    return contest


def organiser_requests(contest, student_id):
    rnd = contest.rounds[0]
    c, r = contest.id, rnd.id
    return [("GET", f"/contests/{c}", None), ("GET", f"/contests/{c}/edit", None),
            ("POST", f"/contests/{c}/edit", contest_form()), ("GET", f"/contests/{c}/rounds/new", None),
            ("POST", f"/contests/{c}/rounds/new", round_form()), ("GET", f"/contests/rounds/{r}/edit", None),
            ("POST", f"/contests/rounds/{r}/edit", round_form()), ("GET", f"/contests/rounds/{r}/preview", None),
            ("GET", f"/contests/rounds/{r}/monitor", None), ("GET", f"/contests/rounds/{r}/monitor.json", None),
            ("POST", f"/contests/rounds/{r}/monitor/extend", {"student_id": student_id, "minutes": "5"}),
            ("POST", f"/contests/rounds/{r}/monitor/reopen", {"student_id": student_id, "minutes": "5"}),
            ("POST", f"/contests/{c}/schedule", None), ("POST", f"/contests/{c}/unschedule", None),
            ("POST", f"/contests/{c}/publish", None), ("POST", f"/contests/rounds/{r}/publish", None),
            ("GET", f"/contests/{c}/code", None), ("POST", f"/contests/{c}/code/new", None)]


def test_another_schools_staff_get_404_on_every_page_of_the_contest(client, login_as, world, school_contest,
                                                                    db_session):
    before = db_session.get(Contest, school_contest.id).title
    for user in (world.manager2, world.teacher2):
        login_as(user)
        assert school_contest.title not in page_text(client.get("/contests/"))
        for method, url, data in organiser_requests(school_contest, world.student1.id):
            r = client.open(url, method=method, data=data)
            assert r.status_code == 404, (user.username, method, url, r.status_code)
    db_session.expire_all()
    contest = db_session.get(Contest, school_contest.id)
    assert contest.title == before and contest.status is ContestStatus.SCHEDULED
    assert db_session.query(Attempt).one().extension_seconds == 0


def test_unknown_ids_are_404_not_500(client, login_as, world):
    login_as(world.admin)
    for url in ("/contests/999", "/contests/999/edit", "/contests/rounds/999/edit", "/contests/rounds/999/preview",
                "/contests/rounds/999/monitor", "/contests/rounds/999/monitor.json", "/contests/999/code"):
        assert client.get(url).status_code == 404, url


def test_a_teacher_sees_their_schools_contest_but_only_its_organisers_change_it(client, login_as, world,
                                                                                school_contest):
    login_as(world.teacher1)
    assert client.get(f"/contests/{school_contest.id}").status_code == 200
    assert "Sửa cuộc thi" not in page_text(client.get(f"/contests/{school_contest.id}"))
    rnd = school_contest.rounds[0]
    assert client.get(f"/contests/rounds/{rnd.id}/monitor").status_code == 200
    for method, url, data in organiser_requests(school_contest, world.student1.id):
        if url.endswith(("/monitor", "/monitor.json")) or url == f"/contests/{school_contest.id}":
            continue
        if url.endswith("/code") or url.endswith("/code/new"):
            continue  # a school contest has no code: 404 as well
        assert client.open(url, method=method, data=data).status_code == 404, (method, url)


def test_a_teachers_class_contest_is_theirs_and_their_managers_only(client, login_as, world, make_user,
                                                                    db_session, make_question, clock):
    from quiz.models import Role

    colleague = make_user(Role.TEACHER, unit=world.school1, username="teacher1b", classes=[world.class1])
    q = make_question()
    db_session.commit()
    login_as(world.teacher1)
    client.post("/contests/new", data=contest_form(scope="class", unit_ids=[world.class1.id]))
    contest = latest_contest(db_session)
    client.post(f"/contests/{contest.id}/rounds/new", data=round_form(question_ids=[q.id]))
    for method, url, data in organiser_requests(contest, world.student1.id):
        login_as(colleague)
        assert client.open(url, method=method, data=data).status_code == 404, (method, url)
    login_as(world.manager1)  # the school's manager may step in
    assert client.get(f"/contests/{contest.id}/edit").status_code == 200
    assert client.get(f"/contests/{contest.id}/code").status_code == 200
    login_as(world.manager2)
    assert client.get(f"/contests/{contest.id}").status_code == 404


def test_a_department_draft_is_invisible_to_schools_until_scheduled(client, login_as, world, make_question,
                                                                    db_session, clock):
    q = make_question()
    db_session.commit()
    login_as(world.admin)
    client.post("/contests/new", data=contest_form(title="Cuộc thi cấp tỉnh nháp", unit_ids=[world.school1.id]))
    contest = latest_contest(db_session)
    client.post(f"/contests/{contest.id}/rounds/new", data=round_form(question_ids=[q.id]))
    login_as(world.manager1)
    assert client.get(f"/contests/{contest.id}").status_code == 404
    login_as(world.admin)
    client.post(f"/contests/{contest.id}/schedule")
    login_as(world.manager1)
    assert client.get(f"/contests/{contest.id}").status_code == 200
    assert "Cuộc thi cấp tỉnh nháp" in page_text(client.get("/contests/"))
    login_as(world.manager2)  # school 2 is not taking part
    assert client.get(f"/contests/{contest.id}").status_code == 404
    assert "Cuộc thi cấp tỉnh nháp" not in page_text(client.get("/contests/"))


# -- preview ---------------------------------------------------------------------------
def test_the_preview_shows_a_sample_paper_and_the_key_only_when_asked(client, login_as, world, school_contest):
    rnd = school_contest.rounds[0]
    login_as(world.manager1)
    page = client.get(f"/contests/rounds/{rnd.id}/preview")
    assert page.status_code == 200
    text, html = page_text(page), page.get_data(as_text=True)
    for q in school_contest.questions:
        assert q.current_revision.stem["vi"] in text
    assert "đáp án đúng" not in text and "key-correct" not in html and "Vì ASEAN thành lập năm 1967." not in text
    keyed = client.get(f"/contests/rounds/{rnd.id}/preview?key=1")
    assert page_text(keyed).count("✓ đáp án đúng") == 3 and "Giải thích: Vì ASEAN thành lập năm 1967." in page_text(keyed)
    same = client.get(f"/contests/rounds/{rnd.id}/preview?sample=2").get_data(as_text=True)
    assert same == client.get(f"/contests/rounds/{rnd.id}/preview?sample=2").get_data(as_text=True)


def test_students_and_non_organisers_cannot_preview(client, login_as, world, school_contest):
    rnd = school_contest.rounds[0]
    login_as(world.student1)
    for url in (f"/contests/rounds/{rnd.id}/preview", f"/contests/rounds/{rnd.id}/preview?key=1"):
        r = client.get(url)
        assert r.status_code == 403 and "đáp án đúng" not in page_text(r)
    assert client.get(f"/contests/rounds/{rnd.id}/monitor.json").status_code == 403
    login_as(world.teacher1)  # same school, but not an organiser of this contest
    assert client.get(f"/contests/rounds/{rnd.id}/preview?key=1").status_code == 404


def test_the_preview_warns_about_a_withdrawn_question_and_keeps_the_version_students_got(
        client, login_as, world, school_contest, db_session):
    question = school_contest.questions[0]
    question.status = QuestionStatus.DRAFT  # withdrawn after the round was made
    db_session.commit()
    login_as(world.manager1)
    r = client.get(f"/contests/rounds/{school_contest.rounds[0].id}/preview")
    assert r.status_code == 200
    text = page_text(r)
    assert f"Không còn được duyệt (đã gỡ hoặc bị rút lại): câu {question.id}." in text
    # a pupil has started (fixture): the paper keeps the question as that pupil received it
    assert all(q.current_revision.stem["vi"] in text for q in school_contest.questions)


def test_the_rounds_api_lists_for_staff_exactly_the_contests_they_may_see(client, login_as, world, make_round,
                                                                          make_question, db_session, clock):
    from quiz.models import ContestScope, ContestStatus

    everyone = make_round([make_question()], title="Cả tỉnh")
    school2_only = make_round([make_question()], title="Chỉ trường 2", units=[world.school2])
    draft = make_round([make_question()], title="Nháp của Sở", status=ContestStatus.DRAFT)
    own = make_round([make_question()], title="Trường 1", scope=ContestScope.SCHOOL, organiser=world.school1)
    db_session.commit()

    def listed(user):
        login_as(user)
        return {r["id"] for r in client.get("/api/rounds?status=all").get_json()}

    assert listed(world.admin) == {everyone.id, school2_only.id, draft.id, own.id}
    assert listed(world.manager1) == listed(world.teacher1) == {everyone.id, own.id}
    assert listed(world.manager2) == {everyone.id, school2_only.id}
    login_as(world.manager1)
    assert "Nháp của Sở" not in page_text(client.get("/contests/"))
