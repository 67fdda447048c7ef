"""The live monitor of a round: per-student state with counts, its JSON feed with ETag/304,
extending one student's time and reopening one attempt (audited), and the anti-cheat flags."""
from datetime import timedelta

import pytest
from contest_pages import audit_entries, contest_form, latest_contest, page_text

from quiz.models import Attempt, ContestScope

JSON = {"Accept": "application/json"}


@pytest.fixture
def rnd(world, clock, make_question, make_round, db_session):
    """A province round open now (closes in 110 min), 30 minutes per student, 5 fixed questions."""
    r = make_round([make_question() for _ in range(5)], time_limit=30, duration_minutes=120)
    db_session.commit()
    return r


def start(client, login_as, student, rnd) -> dict:
    login_as(student)
    r = client.post(f"/api/rounds/{rnd.id}/attempt")
    assert r.status_code == 200
    return r.get_json()


def answer_all(client, data, pick=min):
    for n, q in enumerate(data["questions"], start=1):
        r = client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                       json={"options": [pick(o["id"] for o in q["options"])], "seq": n})
        assert r.status_code == 200


def feed(client, rnd, **headers):
    return client.get(f"/contests/rounds/{rnd.id}/monitor.json", headers={**JSON, **headers})


def rows_by_name(data) -> dict:
    return {row["username"]: row for row in data["rows"]}


def test_the_monitor_shows_each_student_as_not_started_in_progress_or_submitted_with_counts(
        client, login_as, world, rnd, clock):
    start(client, login_as, world.student1, rnd)
    data = start(client, login_as, world.student2, rnd)
    clock.advance(minutes=4)
    assert client.post(f"/api/attempts/{data['attempt_id']}/submit").status_code == 200
    login_as(world.admin)
    body = feed(client, rnd).get_json()
    assert body["counts"] == {"not_started": 2, "in_progress": 1, "submitted": 1, "total": 4, "flagged": 0}
    rows = rows_by_name(body)
    assert (rows["s101"]["state"], rows["s101"]["state_label"]) == ("in_progress", "Đang làm bài")
    assert rows["s101"]["deadline"] == "20/11/2026 09:30" and rows["s101"]["started"] == "20/11/2026 09:00"
    assert rows["s201"]["state"] == "submitted" and rows["s201"]["score"] == "0 / 5"
    assert rows["s102"]["state"] == "not_started" and rows["s102"]["deadline"] == ""
    assert body["state"] == "open" and [r["school"] for r in body["rows"]] == sorted(r["school"] for r in body["rows"])
    page = client.get(f"/contests/rounds/{rnd.id}/monitor")
    text = page_text(page)
    assert page.status_code == 200 and "Theo dõi trực tiếp" in text and "Chưa bắt đầu" in text
    html = page.get_data(as_text=True)
    assert 'src="/static/js/monitor.js"' in html and "<script>" not in html and 'data-can-act="1"' in html


def test_the_feed_answers_304_while_nothing_changed_and_200_with_a_new_etag_after_a_change(
        client, login_as, world, rnd):
    login_as(world.admin)
    first = feed(client, rnd)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag and first.headers["Cache-Control"] == "private, no-cache"
    same = feed(client, rnd, **{"If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b""
    start(client, login_as, world.student1, rnd)
    login_as(world.admin)
    changed = feed(client, rnd, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["counts"]["in_progress"] == 1


def test_school_staff_see_only_their_pupils_and_cannot_change_attempts_of_a_province_contest(
        client, login_as, world, rnd, db_session):
    data = start(client, login_as, world.student1, rnd)
    login_as(world.teacher1)
    assert [r["username"] for r in feed(client, rnd).get_json()["rows"]] == ["s101", "s102"]
    page = client.get(f"/contests/rounds/{rnd.id}/monitor").get_data(as_text=True)
    assert 'data-can-act="0"' in page and "monitor/extend" not in page
    assert "Chỉ đơn vị tổ chức cuộc thi mới được gia hạn hoặc mở lại bài làm." in page
    login_as(world.manager2)
    assert [r["username"] for r in feed(client, rnd).get_json()["rows"]] == ["s201", "s202"]
    for who in (world.teacher1, world.manager1):
        login_as(who)
        r = client.post(f"/contests/rounds/{rnd.id}/monitor/extend",
                        data={"student_id": world.student1.id, "minutes": "10"})
        assert r.status_code == 404
    db_session.expire_all()
    assert db_session.get(Attempt, data["attempt_id"]).extension_seconds == 0


def test_extending_one_student_moves_their_deadline_and_is_audited(client, login_as, world, rnd, clock,
                                                                   db_session):
    data = start(client, login_as, world.student1, rnd)
    other = start(client, login_as, world.student1b, rnd)
    login_as(world.admin)
    r = client.post(f"/contests/rounds/{rnd.id}/monitor/extend", data={"student_id": world.student1.id,
                                                                        "minutes": "10"})
    assert r.status_code == 302
    assert "được làm bài đến 20/11/2026 09:40" in page_text(client.get(r.headers["Location"]))
    db_session.expire_all()
    attempt = db_session.get(Attempt, data["attempt_id"])
    assert attempt.deadline == clock.now + timedelta(minutes=40) and attempt.extension_seconds == 600
    assert db_session.get(Attempt, other["attempt_id"]).deadline == clock.now + timedelta(minutes=30)
    [entry] = audit_entries(db_session, "attempt.extend")
    assert entry.actor_id == world.admin.id and entry.target_id == attempt.id
    assert entry.details["minutes"] == 10 and entry.details["deadline"] == attempt.deadline.isoformat()
    row = rows_by_name(feed(client, rnd).get_json())["s101"]
    assert row["deadline"] == "20/11/2026 09:40" and row["extension_minutes"] == 10
    clock.advance(minutes=35)  # past the normal deadline, within the extension
    q = data["questions"][0]
    login_as(world.student1)
    saved = client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                       json={"options": [q["options"][0]["id"]], "seq": 1})
    assert saved.status_code == 200
    assert client.get(f"/api/attempts/{data['attempt_id']}").get_json()["deadline"] == attempt.deadline.isoformat()
    login_as(world.student1b)
    late = client.put(f"/api/attempts/{other['attempt_id']}/answers/{q['id']}",
                      json={"options": [q["options"][0]["id"]], "seq": 1})
    assert late.status_code == 409


def test_an_extension_past_the_round_close_asks_first_and_says_the_pupil_answers_after_the_close(
        client, login_as, world, rnd, clock, db_session):
    clock.advance(minutes=100)  # 10 minutes before the close (10:50)
    data = start(client, login_as, world.student1, rnd)
    assert data["deadline"] == rnd.closes_at.isoformat()
    login_as(world.admin)
    url = f"/contests/rounds/{rnd.id}/monitor/extend?school={world.school1.id}"
    asked = client.post(url, data={"student_id": world.student1.id, "minutes": "15"})
    assert asked.status_code == 409
    assert (f"{world.student1.full_name} sẽ được làm bài đến 20/11/2026 11:05, sau giờ đóng vòng thi "
            f"(20/11/2026 10:50): em sẽ làm bài khi vòng thi đã đóng với mọi học sinh khác.") in page_text(asked)
    db_session.expire_all()
    assert db_session.get(Attempt, data["attempt_id"]).deadline == rnd.closes_at  # nothing changed yet
    assert audit_entries(db_session, "attempt.extend") == []
    confirmed = client.post(url, data={"student_id": world.student1.id, "minutes": "15", "after_close": "1"})
    assert confirmed.status_code == 302 and f"school={world.school1.id}" in confirmed.headers["Location"]
    assert (f"{world.student1.full_name} được làm bài đến 20/11/2026 11:05, tức là sau giờ đóng vòng thi."
            in page_text(client.get(confirmed.headers["Location"])))
    db_session.expire_all()
    assert db_session.get(Attempt, data["attempt_id"]).deadline == rnd.closes_at + timedelta(minutes=15)
    [entry] = audit_entries(db_session, "attempt.extend")
    assert entry.details["after_close"] is True


def test_the_confirmation_page_repeats_the_request_for_the_same_pupil_and_minutes(client, login_as, world, rnd,
                                                                                   clock):
    clock.advance(minutes=100)
    start(client, login_as, world.student1, rnd)
    login_as(world.admin)
    html = client.post(f"/contests/rounds/{rnd.id}/monitor/extend",
                       data={"student_id": world.student1.id, "minutes": "15"}).get_data(as_text=True)
    assert f'name="student_id" value="{world.student1.id}"' in html and 'name="minutes" value="15"' in html
    assert 'name="after_close" value="1"' in html and f'action="/contests/rounds/{rnd.id}/monitor/extend"' in html
    assert "Gia hạn quá giờ đóng" in html


def test_reopening_a_submitted_attempt_lets_the_student_continue_and_is_audited(client, login_as, world, rnd,
                                                                                clock, db_session):
    data = start(client, login_as, world.student1, rnd)
    q = data["questions"][0]
    client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}", json={"options": [q["options"][1]["id"]],
                                                                              "seq": 1})
    assert client.post(f"/api/attempts/{data['attempt_id']}/submit").status_code == 200
    clock.advance(minutes=50)
    login_as(world.admin)
    r = client.post(f"/contests/rounds/{rnd.id}/monitor/reopen", data={"student_id": world.student1.id,
                                                                        "minutes": "10"})
    assert r.status_code == 302
    assert "được mở lại đến 20/11/2026 10:00" in page_text(client.get(r.headers["Location"]))
    db_session.expire_all()
    attempt = db_session.get(Attempt, data["attempt_id"])
    assert attempt.submitted_at is None and attempt.score is None and attempt.finished_by == "reopened"
    assert attempt.deadline == clock.now + timedelta(minutes=10)
    [entry] = audit_entries(db_session, "attempt.reopen")
    assert entry.target_id == attempt.id and entry.details == {"minutes": 10,
                                                               "deadline": attempt.deadline.isoformat()}
    login_as(world.student1)
    resumed = client.get(f"/api/attempts/{data['attempt_id']}").get_json()
    assert resumed["submitted"] is False and resumed["answers"] == {str(q["id"]): [q["options"][1]["id"]]}
    assert client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                      json={"options": [q["options"][2]["id"]], "seq": 2}).status_code == 200
    clock.advance(minutes=11)
    assert client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                      json={"options": [q["options"][3]["id"]], "seq": 3}).status_code == 409


def test_extend_and_reopen_refuse_the_wrong_state_and_bad_minutes_without_changing_anything(
        client, login_as, world, rnd, db_session):
    data = start(client, login_as, world.student1, rnd)
    login_as(world.admin)
    url = f"/contests/rounds/{rnd.id}/monitor"
    for minutes in ("0", "241", "abc", ""):
        r = client.post(f"{url}/extend", data={"student_id": world.student1.id, "minutes": minutes})
        assert r.status_code == 302
        shown = page_text(client.get(url))
        assert "Từ 1 đến 240." in shown or "Nhập một số nguyên." in shown
    client.post(f"{url}/reopen", data={"student_id": world.student1.id, "minutes": "5"})
    assert "Bài làm vẫn đang diễn ra; hãy dùng chức năng gia hạn." in page_text(client.get(url))
    client.post(f"{url}/extend", data={"student_id": world.student1b.id, "minutes": "5"})
    assert "Học sinh này chưa bắt đầu vòng thi." in page_text(client.get(url))
    db_session.expire_all()
    assert db_session.get(Attempt, data["attempt_id"]).extension_seconds == 0
    assert audit_entries(db_session, "attempt.extend") == [] and audit_entries(db_session, "attempt.reopen") == []
    login_as(world.student1)
    client.post(f"/api/attempts/{data['attempt_id']}/submit")
    login_as(world.admin)
    client.post(f"{url}/extend", data={"student_id": world.student1.id, "minutes": "5"})
    assert "Bài làm đã kết thúc; hãy dùng chức năng mở lại." in page_text(client.get(url))


def test_reopening_is_refused_once_the_student_has_seen_the_key_and_the_teacher_is_told_why(
        client, login_as, world, make_round, make_question, db_session, clock):
    from quiz.models import ReviewPolicy

    rnd = make_round([make_question() for _ in range(3)], review_policy=ReviewPolicy.AFTER_SUBMIT)
    db_session.commit()
    data = start(client, login_as, world.student1, rnd)
    assert client.post(f"/api/attempts/{data['attempt_id']}/submit").status_code == 200
    assert client.get(f"/api/attempts/{data['attempt_id']}/review").status_code == 200  # the key, at 09:00
    clock.advance(minutes=5)
    login_as(world.admin)
    url = f"/contests/rounds/{rnd.id}/monitor"
    r = client.post(f"{url}/reopen", data={"student_id": world.student1.id, "minutes": "10"})
    assert r.status_code == 302
    assert (f"{world.student1.full_name} đã xem đáp án của vòng thi này lúc 20/11/2026 09:00: mở lại bài sẽ cho em "
            "làm bài khi đã biết đáp án.") in page_text(client.get(r.headers["Location"]))
    db_session.expire_all()
    attempt = db_session.get(Attempt, data["attempt_id"])
    assert attempt.submitted_at is not None and attempt.score is not None
    assert audit_entries(db_session, "attempt.reopen") == []
    login_as(world.student1)
    q = data["questions"][0]
    assert client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                      json={"options": [q["options"][0]["id"]], "seq": 1}).status_code == 409


def test_extending_a_student_who_has_seen_the_key_of_the_round_is_refused(client, login_as, world, rnd,
                                                                          db_session, clock):
    first = start(client, login_as, world.student1, rnd)
    rnd.contest.attempts_allowed = 2
    db_session.commit()
    client.post(f"/api/attempts/{first['attempt_id']}/submit")
    second = start(client, login_as, world.student1, rnd)
    db_session.get(Attempt, first["attempt_id"]).key_shown_at = clock.now  # e.g. a key served by older code
    db_session.commit()
    login_as(world.admin)
    r = client.post(f"/contests/rounds/{rnd.id}/monitor/extend", data={"student_id": world.student1.id,
                                                                        "minutes": "15"})
    assert (f"{world.student1.full_name} đã xem đáp án của vòng thi này lúc 20/11/2026 09:00: gia hạn sẽ cho em "
            "làm bài khi đã biết đáp án.") in page_text(client.get(r.headers["Location"]))
    db_session.expire_all()
    assert db_session.get(Attempt, second["attempt_id"]).extension_seconds == 0
    assert audit_entries(db_session, "attempt.extend") == []


def test_the_teacher_of_a_class_contest_extends_their_pupils_and_those_who_joined_with_the_code(
        client, login_as, world, make_question, make_class, make_student, db_session, clock):
    other_class = make_class("9A5", school=world.school1)
    joiner = make_student(other_class, username="s150")
    question_ids = [make_question().id for _ in range(2)]
    db_session.commit()
    login_as(world.teacher1)
    client.post("/contests/new", data=contest_form(scope="class", unit_ids=[world.class1.id]))
    contest = latest_contest(db_session)
    assert contest.scope is ContestScope.CLASS
    r = client.post(f"/contests/{contest.id}/rounds/new", data={
        "action": "save", "title": "Buổi 1", "opens_at": "20/11/2026 08:00", "closes_at": "20/11/2026 11:00",
        "time_limit_minutes": "15", "paper_mode": "fixed", "question_ids": question_ids})
    assert r.status_code == 302
    client.post(f"/contests/{contest.id}/schedule")
    rnd = contest.rounds[0]
    login_as(joiner)
    assert client.post("/join", data={"code": contest.join_code}).status_code == 302
    joined = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    start(client, login_as, world.student1, rnd)
    login_as(world.teacher1)
    assert [r["username"] for r in feed(client, rnd).get_json()["rows"]] == ["s101", "s102", "s150"]
    r = client.post(f"/contests/rounds/{rnd.id}/monitor/extend", data={"student_id": joiner.id, "minutes": "5"})
    assert r.status_code == 302
    db_session.expire_all()
    assert db_session.get(Attempt, joined["attempt_id"]).extension_seconds == 300
    assert client.post(f"/contests/rounds/{rnd.id}/monitor/extend",
                       data={"student_id": world.student2.id, "minutes": "5"}).status_code == 404


# -- anti-cheat flags ----------------------------------------------------------------------
def test_flags_list_tab_switches_implausible_speed_and_identical_answers_without_blocking(
        client, login_as, world, rnd, clock, db_session):
    a = start(client, login_as, world.student1, rnd)
    for _ in range(5):
        assert client.post(f"/api/attempts/{a['attempt_id']}/events", json={"kind": "blur"}).status_code == 200
    answer_all(client, a)
    b = start(client, login_as, world.student1b, rnd)
    answer_all(client, b)
    clock.advance(seconds=8)  # 5 questions in 8 seconds
    assert client.post(f"/api/attempts/{b['attempt_id']}/submit").status_code == 200
    c = start(client, login_as, world.student2, rnd)  # same answers, but another class: no flag
    answer_all(client, c)
    login_as(world.student1)  # flags never block: the flagged student still saves and submits
    clock.advance(minutes=5)
    q = a["questions"][0]
    assert client.put(f"/api/attempts/{a['attempt_id']}/answers/{q['id']}",
                      json={"options": [min(o["id"] for o in q["options"])], "seq": 99}).status_code == 200
    assert client.post(f"/api/attempts/{a['attempt_id']}/submit").status_code == 200
    login_as(world.admin)
    body = feed(client, rnd).get_json()
    rows = rows_by_name(body)
    names = {u.username: u.full_name for u in (world.student1, world.student1b)}
    assert rows["s101"]["flags"] == ["rời trang 5 lần", f"câu trả lời giống hệt {names['s102']}"]
    assert rows["s102"]["flags"] == ["nhanh bất thường (8 giây cho 5 câu)",
                                     f"câu trả lời giống hệt {names['s101']}"]
    assert rows["s201"]["flags"] == [] and body["counts"]["flagged"] == 2
    assert "⚑ rời trang 5 lần" in page_text(client.get(f"/contests/rounds/{rnd.id}/monitor"))


def test_different_answers_and_a_normal_pace_raise_no_flag(client, login_as, world, rnd, clock):
    a = start(client, login_as, world.student1, rnd)
    answer_all(client, a, pick=min)
    b = start(client, login_as, world.student1b, rnd)
    answer_all(client, b, pick=max)
    clock.advance(minutes=3)
    for who, data in ((world.student1, a), (world.student1b, b)):
        login_as(who)
        client.post(f"/api/attempts/{data['attempt_id']}/events", json={"kind": "hidden"})
        client.post(f"/api/attempts/{data['attempt_id']}/submit")
    login_as(world.admin)
    body = feed(client, rnd).get_json()
    assert all(row["flags"] == [] for row in body["rows"]) and body["counts"]["flagged"] == 0


def test_the_department_narrows_a_province_monitor_to_one_school_and_keeps_it_after_extending(
        client, login_as, world, rnd, db_session):
    data = start(client, login_as, world.student2, rnd)
    login_as(world.admin)
    page = client.get(f"/contests/rounds/{rnd.id}/monitor?school={world.school2.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'<option value="{world.school2.id}" selected>' in html
    assert f"monitor.json?school={world.school2.id}" in html
    body = client.get(
        f"/contests/rounds/{rnd.id}/monitor.json?school={world.school2.id}", headers=JSON).get_json()
    assert [r["username"] for r in body["rows"]] == ["s201", "s202"] and body["counts"]["total"] == 2
    r = client.post(f"/contests/rounds/{rnd.id}/monitor/extend?school={world.school2.id}",
                    data={"student_id": world.student2.id, "minutes": "5"})
    assert r.headers["Location"].endswith(f"/monitor?school={world.school2.id}")
    db_session.expire_all()
    assert db_session.get(Attempt, data["attempt_id"]).extension_seconds == 300
    assert client.get(f"/contests/rounds/{rnd.id}/monitor.json?school={world.class1.id}",
                      headers=JSON).status_code == 404
    login_as(world.manager1)  # school staff have no school choice: their own school only
    assert "monitor-school" not in client.get(f"/contests/rounds/{rnd.id}/monitor").get_data(as_text=True)
    assert client.get(f"/contests/rounds/{rnd.id}/monitor.json?school={world.school2.id}",
                      headers=JSON).status_code == 404
