"""The report pages, the JSON and the scoping per role, through HTTP."""
from __future__ import annotations

from datetime import timedelta

from quiz.models import ContestScope, QuestionRevision, ReviewPolicy


def report(client, rnd, suffix=""):
    return client.get(f"/rounds/{rnd.id}/report{suffix}")


def test_department_report_page_shows_figures_charts_and_tables(small, client, login_as):
    login_as(small.admin)
    page = report(client, small.round)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("Khu vực Trảng Bàng", "Trường THCS Nguyễn Trãi", "Trường THCS Lê Lợi", "Trường THCS Võ Thị Sáu",
                 "Trần Thị Ánh", "3,8 %", "2,20", "2,00"):
        assert text in html.replace("3.8 %", "3,8 %").replace("2.20", "2,20").replace("2.00", "2,00"), text
    assert '<svg class="chart" id="histogram"' in html and 'id="histogram-table"' in html
    assert '<svg class="chart" id="completion"' in html and 'id="completion-table"' in html
    assert html.count('<rect class="bar"') == 5  # one bar per score 0…4
    assert 'style=' not in html and "<script" not in html.split("</main>")[0].split('id="main"')[1]


def test_manager_page_lists_only_their_school(small, client, login_as):
    login_as(small.manager_a)
    html = report(client, small.round).get_data(as_text=True)
    assert "9A1" in html and "9A2" in html and "Phạm Ngọc Hà" in html
    assert "Lê Lợi" not in html and "Nguyễn Thị Hồng" not in html


def test_teacher_page_lists_only_their_classes(small, client, login_as):
    login_as(small.teacher_a)
    html = report(client, small.round).get_data(as_text=True)
    assert "9A1" in html and "Trần Thị Ánh" in html
    assert "9A2" not in html and "Phạm Ngọc Hà" not in html


def test_students_are_refused_and_other_schools_contests_are_not_found(
        small, client, login_as, make_round, make_question, db_session):
    school_round = make_round([make_question()], scope=ContestScope.SCHOOL, organiser=small.school_a)
    db_session.commit()
    login_as(small.students["s1"])
    assert report(client, small.round).status_code == 403
    assert client.get(f"/api/rounds/{small.round.id}/report").status_code == 403
    login_as(small.teacher_b)
    for suffix in ("", "/items", ".xlsx", f"/classes/{small.a1.id}"):
        assert report(client, school_round, suffix).status_code == 404
    assert client.get(f"/api/rounds/{school_round.id}/report").status_code == 404
    assert report(client, small.round, f"/classes/{small.a1.id}").status_code == 404  # not their class
    login_as(small.manager_a)
    assert report(client, school_round).status_code == 200
    assert client.get("/rounds/999999/report").status_code == 404


def test_json_report_has_the_documented_shape(small, client, login_as, clock):
    login_as(small.admin)
    data = client.get(f"/api/rounds/{small.round.id}/report").get_json()
    assert {"participants", "enrolled", "by_school", "histogram", "items"} <= set(data)
    assert (data["participants"], data["enrolled"]) == (5, 160)
    assert data["by_school"][1] == {"school": "Trường THCS Nguyễn Trãi", "school_id": small.school_a.id,
                                    "area": "Khu vực Trảng Bàng", "participants": 3, "enrolled": 80,
                                    "rate": 0.0375, "mean_score": 2.6667}
    assert data["histogram"] == [{"from": 0, "to": 1, "count": 0}, {"from": 1, "to": 2, "count": 1},
                                 {"from": 2, "to": 3, "count": 2}, {"from": 3, "to": 4, "count": 2},
                                 {"from": 4, "to": 4, "count": 0}]
    item = data["items"][3]  # the admin organises the province contest: items visible while open
    assert {k: item[k] for k in ("question_id", "facility", "discrimination", "answers", "flag")} == {
        "question_id": small.questions[3].id, "facility": 0.6, "discrimination": -0.7206, "answers": 5, "flag": None}


def test_json_is_scoped_like_the_pages(small, client, login_as, clock):
    login_as(small.manager_b)
    data = client.get(f"/api/rounds/{small.round.id}/report").get_json()
    assert [s["school"] for s in data["by_school"]] == ["Trường THCS Lê Lợi"]
    assert (data["participants"], data["enrolled"]) == (2, 50)
    assert data["items"] == []  # round still open: only the organiser sees item statistics
    clock.set(small.round.closes_at + timedelta(minutes=10))
    data = client.get(f"/api/rounds/{small.round.id}/report").get_json()
    assert [i["answers"] for i in data["items"]] == [2, 2, 2, 2]


def test_item_page_flags_and_links_questions_to_the_bank(small, client, login_as, clock, monkeypatch):
    from quiz.reports import items

    monkeypatch.setattr(items, "MIN_ANSWERS", 5)
    clock.set(small.round.closes_at + timedelta(hours=1))
    login_as(small.teacher_b)
    html = report(client, small.round, "/items").get_data(as_text=True)
    assert "Write the measured facility" not in html and "Ghi độ khó" not in html  # only the organiser
    login_as(small.admin)
    html = report(client, small.round, "/items").get_data(as_text=True)
    q = small.questions[3]
    assert f'href="/banks/{q.bank_id}/questions/{q.id}"' in html
    assert f'href="/banks/{q.bank_id}/questions/{small.questions[0].id}"' not in html  # not flagged
    assert "0,60" in html.replace("0.60", "0,60") and "-0,72" in html.replace("-0.72", "-0,72")


def test_items_page_before_the_close_says_when_it_will_be_available(small, client, login_as):
    login_as(small.teacher_a)
    html = report(client, small.round, "/items").get_data(as_text=True)
    assert 'id="items"' not in html


def test_writing_the_facility_from_the_page(small, client, login_as, clock, db_session):
    clock.set(small.round.closes_at + timedelta(hours=1))
    login_as(small.manager_a)
    assert client.post(f"/rounds/{small.round.id}/report/facility").status_code == 404
    login_as(small.admin)
    response = client.post(f"/rounds/{small.round.id}/report/facility")
    assert response.status_code == 302
    db_session.expire_all()
    rev = db_session.get(QuestionRevision, small.questions[0].current_revision_id)
    assert (rev.facility, rev.facility_answers) == (0.8, 5)


def test_teacher_sees_each_students_answers_against_the_key_once_review_is_allowed(small, client, login_as, clock):
    login_as(small.teacher_a)
    url = f"/rounds/{small.round.id}/report/classes/{small.a1.id}"
    html = client.get(url).get_data(as_text=True)
    assert "Trần Thị Ánh" in html and "Lê Văn Đức" in html
    assert 'class="card student-answers"' not in html  # review policy: after the close
    clock.set(small.round.closes_at + timedelta(minutes=1))
    html = client.get(url).get_data(as_text=True)
    assert html.count('class="card student-answers"') == 2
    assert html.count('<tr class="wrong">') == 2  # s1 got Q4 wrong, s2 got Q3 wrong


def test_review_policy_never_keeps_the_answers_hidden(small, client, login_as, clock, db_session):
    small.round.contest.review_policy = ReviewPolicy.NEVER
    db_session.commit()
    clock.set(small.round.closes_at + timedelta(days=1))
    login_as(small.teacher_a)
    html = client.get(f"/rounds/{small.round.id}/report/classes/{small.a1.id}").get_data(as_text=True)
    assert "Trần Thị Ánh" in html and 'class="card student-answers"' not in html


def test_reports_index_lists_visible_rounds(small, client, login_as):
    login_as(small.teacher_b)
    html = client.get("/reports").get_data(as_text=True)
    assert f"/rounds/{small.round.id}/report" in html
