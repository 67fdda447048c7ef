"""Creating and editing contests: who may organise what, and the messages of a wrong form."""
from contest_pages import audit_entries, contest_form, field_error, latest_contest, page_text

from quiz.models import Contest, ContestScope, ContestStatus, ReviewPolicy, ScoringRule


def test_the_department_creates_a_province_contest_for_chosen_schools_and_grades(client, login_as, world,
                                                                                db_session):
    login_as(world.admin)
    page = client.get("/contests/new")
    assert page.status_code == 200
    text = page_text(page)
    assert "Cuộc thi cấp tỉnh" in text and world.school1.name in text and world.school2.name in text
    r = client.post("/contests/new", data=contest_form(
        title="  Tìm hiểu ASEAN 2026 ", unit_ids=[world.school1.id], grades=["8", "9"], attempts_allowed="3",
        scoring_rule="last", points_per_question="5", review_policy="after_close", results_public="y",
        leaderboard_public="y", leaderboard_initials="y"))
    assert r.status_code == 302
    contest = latest_contest(db_session)
    assert r.headers["Location"].endswith(f"/contests/{contest.id}")
    assert (contest.title, contest.scope, contest.status) == ("Tìm hiểu ASEAN 2026", ContestScope.PROVINCE,
                                                             ContestStatus.DRAFT)
    assert [cu.unit_id for cu in contest.units] == [world.school1.id] and contest.grades == [8, 9]
    assert (contest.attempts_allowed, contest.scoring_rule, contest.points_per_question) == (3, ScoringRule.LAST, 5)
    assert contest.review_policy is ReviewPolicy.AFTER_CLOSE
    assert contest.results_public and contest.leaderboard_public and contest.leaderboard_initials
    assert contest.organiser_unit_id == world.department.id and contest.join_code is None
    assert [e.target_id for e in audit_entries(db_session, "contest.create")] == [contest.id]
    shown = page_text(client.get(f"/contests/{contest.id}"))
    assert "Nháp" in shown and world.school1.name in shown and "8, 9" in shown


def test_every_mistake_of_the_contest_form_is_shown_at_once_and_nothing_is_saved(client, login_as, world,
                                                                               db_session):
    login_as(world.admin)
    r = client.post("/contests/new", data=contest_form(title="  ", attempts_allowed="0",
                                                       points_per_question="abc", grades=["13"]))
    assert r.status_code == 400
    assert field_error(r, "title") == "Nhập tiêu đề."
    assert field_error(r, "attempts_allowed") == "Số lượt làm bài từ 1 đến 10."
    assert field_error(r, "points_per_question") == "Nhập một số nguyên."
    assert "Khối lớp từ 1 đến 12." in page_text(r)
    assert db_session.query(Contest).count() == 0
    too_many_points = client.post("/contests/new", data=contest_form(points_per_question="101"))
    assert field_error(too_many_points, "points_per_question") == "Điểm mỗi câu từ 1 đến 100."


def test_a_province_contest_cannot_name_an_area_or_a_class_instead_of_a_school(client, login_as, world,
                                                                               db_session):
    login_as(world.admin)
    for wrong in (world.area.id, world.class1.id, 99999):
        r = client.post("/contests/new", data=contest_form(unit_ids=[wrong]))
        assert r.status_code == 400
        assert "Chỉ chọn các trường hoặc lớp mà bạn được tổ chức thi." in page_text(r)
    assert db_session.query(Contest).count() == 0


def test_a_school_manager_organises_school_or_class_contests_for_their_own_classes(client, login_as, world,
                                                                                   db_session, make_class):
    other = make_class("8A3", school=world.school1, grade=8)
    db_session.commit()
    login_as(world.manager1)
    form = page_text(client.get("/contests/new"))
    assert "Cuộc thi cấp trường" in form and "Cuộc thi cấp lớp" in form and "Cuộc thi cấp tỉnh" not in form
    assert "Lớp 9A1" in form and "Lớp 8A3" in form
    r = client.post("/contests/new", data=contest_form(scope="school", unit_ids=[other.id]))
    assert r.status_code == 302
    contest = latest_contest(db_session)
    assert contest.scope is ContestScope.SCHOOL and contest.organiser_unit_id == world.school1.id
    refused = client.post("/contests/new", data=contest_form(scope="school", unit_ids=[world.class2.id]))
    assert refused.status_code == 400 and "Chỉ chọn các trường hoặc lớp" in page_text(refused)
    # a province contest is the Department's: the manager is refused outright
    assert client.post("/contests/new", data=contest_form(scope="province")).status_code == 403
    assert db_session.query(Contest).count() == 1


def test_a_teacher_organises_class_contests_for_the_classes_they_teach_only(client, login_as, world, db_session,
                                                                            make_class):
    untaught = make_class("9A9", school=world.school1)
    db_session.commit()
    login_as(world.teacher1)
    form = page_text(client.get("/contests/new"))
    assert "Loại cuộc thi: Cuộc thi cấp lớp" in form and "Lớp 9A1" in form and "9A9" not in form
    assert client.post("/contests/new", data=contest_form(scope="class", unit_ids=[untaught.id])).status_code == 400
    assert client.post("/contests/new", data=contest_form(scope="class", unit_ids=[world.class2.id])).status_code == 400
    none = client.post("/contests/new", data=contest_form(scope="class"))
    assert none.status_code == 400 and "Hãy chọn ít nhất một lớp." in page_text(none)
    assert client.post("/contests/new", data=contest_form(scope="school")).status_code == 403
    ok = client.post("/contests/new", data=contest_form(scope="class", unit_ids=[world.class1.id]))
    assert ok.status_code == 302
    contest = latest_contest(db_session)
    assert contest.scope is ContestScope.CLASS and contest.created_by_id == world.teacher1.id
    assert len(contest.join_code) == 6 and [cu.unit_id for cu in contest.units] == [world.class1.id]


def test_students_cannot_open_the_organisers_pages(client, login_as, world):
    login_as(world.student1)
    assert client.get("/contests/").status_code == 403
    assert client.get("/contests/new").status_code == 403
    assert client.post("/contests/new", data=contest_form()).status_code == 403


def test_editing_keeps_the_scope_and_saves_the_settings(client, login_as, world, db_session):
    login_as(world.admin)
    client.post("/contests/new", data=contest_form())
    contest = latest_contest(db_session)
    page = client.get(f"/contests/{contest.id}/edit")
    assert page.status_code == 200 and 'value="Tìm hiểu ASEAN 2026"' in page.get_data(as_text=True)
    r = client.post(f"/contests/{contest.id}/edit", data=contest_form(
        title="Tìm hiểu ASEAN — vòng tỉnh", scope="class", review_policy="never", attempts_allowed="2"))
    assert r.status_code == 302
    contest = latest_contest(db_session)
    assert contest.title == "Tìm hiểu ASEAN — vòng tỉnh" and contest.scope is ContestScope.PROVINCE
    assert contest.review_policy is ReviewPolicy.NEVER and contest.attempts_allowed == 2
    assert len(audit_entries(db_session, "contest.update")) == 1
    bad = client.post(f"/contests/{contest.id}/edit", data=contest_form(title=""))
    assert bad.status_code == 400 and field_error(bad, "title") == "Nhập tiêu đề."


SEVERAL_ATTEMPTS_KEY = ("Khi cho làm nhiều lượt mỗi vòng thì không thể hiện đáp án ngay sau khi nộp bài: học sinh "
                        "sẽ chép đáp án vào lượt sau. Hãy chọn “Sau khi vòng thi đóng” hoặc “Không bao giờ”, hoặc "
                        "chỉ cho làm 1 lượt.")


def test_several_attempts_with_the_key_right_after_submitting_are_refused_on_the_review_field(
        client, login_as, world, db_session):
    login_as(world.admin)
    r = client.post("/contests/new", data=contest_form(attempts_allowed="3", review_policy="after_submit"))
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    review_field = html[html.index('id="review_policy"'):]
    assert SEVERAL_ATTEMPTS_KEY in review_field[:review_field.index("</fieldset>")]  # beside the field
    assert db_session.query(Contest).count() == 0
    assert client.post("/contests/new", data=contest_form(attempts_allowed="1",
                                                          review_policy="after_submit")).status_code == 302
    contest = latest_contest(db_session)
    edit = client.post(f"/contests/{contest.id}/edit", data=contest_form(attempts_allowed="2",
                                                                         review_policy="after_submit"))
    assert edit.status_code == 400 and SEVERAL_ATTEMPTS_KEY in page_text(edit)
    assert latest_contest(db_session).attempts_allowed == 1
    for policy in ("after_close", "never"):
        assert client.post(f"/contests/{contest.id}/edit", data=contest_form(
            attempts_allowed="2", review_policy=policy)).status_code == 302
    assert latest_contest(db_session).attempts_allowed == 2


def test_points_per_question_are_locked_once_students_have_started(client, login_as, world, db_session,
                                                                   make_round, make_question, clock):
    rnd = make_round([make_question()], points=2)
    db_session.commit()
    login_as(world.student1)
    assert client.post(f"/api/rounds/{rnd.id}/attempt").status_code == 200
    login_as(world.admin)
    r = client.post(f"/contests/{rnd.contest_id}/edit", data=contest_form(points_per_question="5"))
    assert r.status_code == 400 and "Không thể đổi điểm khi học sinh đã bắt đầu làm bài." in page_text(r)
    db_session.expire_all()
    assert db_session.get(Contest, rnd.contest_id).points_per_question == 2


def test_an_expired_form_token_is_said_plainly_and_nothing_is_saved(app, client, login_as, world, db_session):
    app.config["WTF_CSRF_ENABLED"] = True
    login_as(world.admin)
    r = client.post("/contests/new", data=contest_form())
    assert r.status_code == 400
    assert "Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật. Hãy tải lại trang và thử lại." in page_text(r)
    assert db_session.query(Contest).count() == 0
