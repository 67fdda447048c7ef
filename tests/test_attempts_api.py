"""The attempt API: the server owns the clock, the key and the score."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quiz.models import Answer, Attempt, ContestScope, ReviewPolicy


@pytest.fixture
def contest(world, clock, make_question, make_round, db_session):
    """A province round open now with 4 questions: 3 single choice (key: first option) and 1 multiple."""
    qs = [make_question() for _ in range(3)] + [make_question(type="multiple", options=4, correct=(0, 1))]
    rnd = make_round(qs, time_limit=30, duration_minutes=120)
    db_session.commit()
    return rnd


def start(client, rnd):
    return client.post(f"/api/rounds/{rnd.id}/attempt")


def correct_ids(db_session, attempt_id):
    """The key, looked up on the server side for the test."""
    from quiz.attempts.scoring import paper_revisions

    attempt = db_session.get(Attempt, attempt_id)
    revs = paper_revisions(db_session, attempt)
    return {aq.question_id: [o.id for o in revs[aq.revision_id].options if o.correct] for aq in attempt.paper}


def test_starting_twice_gives_the_same_attempt_and_a_frozen_paper(client, login_as, world, contest, db_session):
    login_as(world.student1)
    first = start(client, contest).get_json()
    second = start(client, contest).get_json()
    assert first["attempt_id"] == second["attempt_id"]
    assert [q["id"] for q in first["questions"]] == [q["id"] for q in second["questions"]]
    assert db_session.scalar(select(func.count()).select_from(Attempt)) == 1
    assert len(first["questions"]) == 4 and first["answers"] == {}
    assert first["questions"][3]["multiple"] is True or any(q["multiple"] for q in first["questions"])


def test_the_paper_never_contains_the_key_points_or_explanations(client, login_as, world, contest):
    login_as(world.student1)
    body = start(client, contest).get_data(as_text=True)
    for secret in ("correct", "explanation", "Giải thích", "points", "earned"):
        assert secret not in body
    attempt_id = json.loads(body)["attempt_id"]
    again = client.get(f"/api/attempts/{attempt_id}").get_data(as_text=True)
    assert "correct" not in again and "Giải thích" not in again


def test_the_deadline_is_the_time_limit_or_the_round_close_whichever_is_first(client, login_as, world, contest, clock):
    login_as(world.student1)
    data = start(client, contest).get_json()
    assert data["deadline"] == (clock.now + timedelta(minutes=30)).isoformat()
    login_as(world.student1b)
    clock.advance(minutes=100)  # 10 minutes before the close
    late = start(client, contest).get_json()
    assert late["deadline"] == contest.closes_at.isoformat()
    assert late["server_time"] == clock.now.isoformat()


def test_an_answer_is_saved_and_comes_back_on_resume(client, login_as, world, contest):
    login_as(world.student1)
    data = start(client, contest).get_json()
    q = data["questions"][0]
    r = client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                   json={"options": [q["options"][2]["id"]], "seq": 1})
    assert r.status_code == 200
    assert r.get_json()["saved"] is True and r.get_json()["seq"] == 1 and "server_time" in r.get_json()
    resumed = client.get(f"/api/attempts/{data['attempt_id']}").get_json()
    assert resumed["answers"] == {str(q["id"]): [q["options"][2]["id"]]}


def test_a_delayed_older_save_never_overwrites_a_newer_one(client, login_as, world, contest, db_session):
    login_as(world.student1)
    data = start(client, contest).get_json()
    q = data["questions"][0]
    url = f"/api/attempts/{data['attempt_id']}/answers/{q['id']}"
    assert client.put(url, json={"options": [q["options"][1]["id"]], "seq": 7}).status_code == 200
    late = client.put(url, json={"options": [q["options"][0]["id"]], "seq": 3})
    assert late.status_code == 200 and late.get_json().get("stale") is True
    again = client.put(url, json={"options": [q["options"][1]["id"]], "seq": 7})  # a retry: harmless, changes nothing
    assert again.status_code == 200 and again.get_json()["saved"] is True and again.get_json()["stale"] is True
    stored = db_session.scalar(select(Answer).where(Answer.attempt_id == data["attempt_id"]))
    assert stored.option_ids == [q["options"][1]["id"]] and stored.seq == 7


def test_a_save_with_the_same_seq_is_stale_and_keeps_the_stored_answer(client, login_as, world, contest, db_session):
    """docs/api.md: a save with a lower or equal seq changes nothing (two devices may pick the same seq)."""
    login_as(world.student1)
    data = start(client, contest).get_json()
    q = data["questions"][0]
    url = f"/api/attempts/{data['attempt_id']}/answers/{q['id']}"
    first, other = q["options"][1]["id"], q["options"][2]["id"]
    assert "stale" not in client.put(url, json={"options": [first], "seq": 7}).get_json()
    same = client.put(url, json={"options": [other], "seq": 7})
    assert same.status_code == 200 and same.get_json() == {**same.get_json(), "saved": True, "seq": 7, "stale": True}
    assert client.get(f"/api/attempts/{data['attempt_id']}").get_json()["answers"] == {str(q["id"]): [first]}
    db_session.expire_all()
    stored = db_session.scalar(select(Answer).where(Answer.attempt_id == data["attempt_id"]))
    assert stored.option_ids == [first] and stored.seq == 7

def test_saves_after_the_deadline_and_grace_are_refused_and_change_nothing(client, login_as, world, contest, clock,
                                                                         db_session):
    login_as(world.student1)
    data = start(client, contest).get_json()
    q = data["questions"][0]
    url = f"/api/attempts/{data['attempt_id']}/answers/{q['id']}"
    client.put(url, json={"options": [q["options"][0]["id"]], "seq": 1})
    clock.advance(minutes=30, seconds=9)  # within the 10 s network grace
    assert client.put(url, json={"options": [q["options"][1]["id"]], "seq": 2}).status_code == 200
    clock.advance(seconds=2)
    refused = client.put(url, json={"options": [q["options"][2]["id"]], "seq": 3})
    assert refused.status_code == 409 and "error" in refused.get_json()
    db_session.expire_all()
    stored = db_session.scalar(select(Answer).where(Answer.attempt_id == data["attempt_id"]))
    assert stored.option_ids == [q["options"][1]["id"]]
    attempt = db_session.get(Attempt, data["attempt_id"])
    assert attempt.submitted_at == attempt.deadline and attempt.finished_by == "deadline"


def test_submit_scores_on_the_server_with_partial_credit_and_server_duration(client, login_as, world, contest, clock,
                                                                             db_session):
    login_as(world.student1)
    data = start(client, contest).get_json()
    key = correct_ids(db_session, data["attempt_id"])
    aid = data["attempt_id"]
    for i, q in enumerate(data["questions"]):
        if q["multiple"]:
            chosen = key[q["id"]][:1]  # one of two correct options: half the point
        elif i == 0:
            chosen = [o["id"] for o in q["options"] if o["id"] not in key[q["id"]]][:1]  # wrong
        else:
            chosen = key[q["id"]]
        client.put(f"/api/attempts/{aid}/answers/{q['id']}", json={"options": chosen, "seq": 1})
    clock.advance(minutes=12, seconds=3, milliseconds=250)
    result = client.post(f"/api/attempts/{aid}/submit").get_json()
    singles_right = sum(1 for i, q in enumerate(data["questions"]) if not q["multiple"] and i != 0)
    assert result == {"score": singles_right + 0.5, "max_score": 4.0, "duration_ms": 723250}
    assert client.post(f"/api/attempts/{aid}/submit").get_json() == result
    q = data["questions"][0]
    late = client.put(f"/api/attempts/{aid}/answers/{q['id']}", json={"options": key[q["id"]], "seq": 9})
    assert late.status_code == 409
    assert client.post(f"/api/attempts/{aid}/submit").get_json() == result


def test_bad_requests_get_a_clear_4xx_and_change_nothing(client, login_as, world, contest, make_question, db_session):
    login_as(world.student1)
    data = start(client, contest).get_json()
    aid = data["attempt_id"]
    singles = [x for x in data["questions"] if not x["multiple"]]
    q, other = singles[0], singles[1]
    url = f"/api/attempts/{aid}/answers/{q['id']}"
    cases = [
        client.put(url, data="{not json", content_type="application/json"),
        client.put(url, json=[1, 2]),
        client.put(url, json={"options": "1", "seq": 1}),
        client.put(url, json={"options": [q["options"][0]["id"]], "seq": "1"}),
        client.put(url, json={"options": [q["options"][0]["id"]], "seq": -1}),
        client.put(url, json={"options": [other["options"][0]["id"]], "seq": 1}),
        client.put(url, json={"options": [q["options"][0]["id"], q["options"][1]["id"]], "seq": 1}),
        client.put(url, json={"options": [q["options"][0]["id"]], "seq": 1, "correct": True}),
        client.put(url, data=json.dumps({"options": [], "seq": 1, "pad": "x" * (1024 * 1024)}),
                   content_type="application/json"),
        client.put(f"/api/attempts/{aid}/answers/999999", json={"options": [], "seq": 1}),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.status_code
        assert "error" in response.get_json()
    assert db_session.scalar(select(func.count()).select_from(Answer)) == 0


def test_another_students_attempt_is_not_found(app, client, login_as, world, contest):
    login_as(world.student1)
    data = start(client, contest).get_json()
    q = data["questions"][0]
    login_as(world.student1b)
    assert client.get(f"/api/attempts/{data['attempt_id']}").status_code == 404
    assert client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                      json={"options": [], "seq": 1}).status_code == 404
    assert client.post(f"/api/attempts/{data['attempt_id']}/submit").status_code == 404


def test_students_of_schools_not_in_the_contest_cannot_start(client, login_as, world, make_round, make_question,
                                                            db_session, clock):
    rnd = make_round([make_question()], units=[world.school1])
    db_session.commit()
    login_as(world.student2)
    assert start(client, rnd).status_code == 404
    assert rnd.id not in [r["id"] for r in client.get("/api/rounds").get_json()]
    login_as(world.student1)
    assert start(client, rnd).status_code == 200


def test_grade_filters_exclude_other_grades(client, login_as, world, make_round, make_question, db_session, clock):
    rnd = make_round([make_question()], grades=[6, 7])
    db_session.commit()
    login_as(world.student1)  # grade 9
    assert start(client, rnd).status_code == 404


def test_rounds_list_filters_by_status_newest_first(client, login_as, world, make_round, make_question, db_session,
                                                    clock):
    q = make_question()
    open_round = make_round([q], opens_in_minutes=-5, title="Đang mở")
    closed_round = make_round([q], opens_in_minutes=-300, duration_minutes=60, title="Đã đóng")
    future_round = make_round([q], opens_in_minutes=60, title="Sắp mở")
    db_session.commit()
    login_as(world.student1)
    all_rounds = client.get("/api/rounds").get_json()
    assert [r["id"] for r in all_rounds] == [future_round.id, open_round.id, closed_round.id]
    assert set(all_rounds[0]) == {"id", "contest_id", "title", "contest", "opens_at", "closes_at",
                                  "time_limit_minutes", "status"}
    assert [r["id"] for r in client.get("/api/rounds?status=open").get_json()] == [open_round.id]
    assert [r["id"] for r in client.get("/api/rounds?status=closed").get_json()] == [closed_round.id]
    assert client.get("/api/rounds?status=soon").status_code == 400
    assert start(client, future_round).status_code == 409


def test_draft_contests_are_invisible_to_students(client, login_as, world, make_round, make_question, db_session, clock):
    from quiz.models import ContestStatus

    rnd = make_round([make_question()], status=ContestStatus.DRAFT)
    db_session.commit()
    login_as(world.student1)
    assert client.get("/api/rounds").get_json() == []
    assert start(client, rnd).status_code == 404


def test_abandoned_attempts_are_finished_by_the_command_with_answers_saved_in_time(app, client, login_as, world,
                                                                                   contest, clock, db_session):
    login_as(world.student1)
    data = start(client, contest).get_json()
    key = correct_ids(db_session, data["attempt_id"])
    q = data["questions"][0]
    client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}", json={"options": key[q["id"]], "seq": 1})
    clock.advance(minutes=45)
    result = app.test_cli_runner().invoke(args=["attempts", "finish-overdue"])
    assert result.exit_code == 0 and "1 overdue" in result.output
    db_session.expire_all()
    attempt = db_session.get(Attempt, data["attempt_id"])
    assert attempt.finished_by == "deadline" and float(attempt.score) == 1.0
    assert attempt.duration_ms == 30 * 60 * 1000
    again = app.test_cli_runner().invoke(args=["attempts", "finish-overdue"])
    assert "0 overdue" in again.output


def test_opening_an_overdue_attempt_finishes_it(client, login_as, world, contest, clock):
    login_as(world.student1)
    data = start(client, contest).get_json()
    clock.advance(minutes=31)
    body = client.get(f"/api/attempts/{data['attempt_id']}").get_json()
    assert body["submitted"] is True and body["result"]["max_score"] == 4.0


def test_review_waits_for_the_round_to_close_then_shows_the_key(client, login_as, world, contest, clock, db_session):
    login_as(world.student1)
    data = start(client, contest).get_json()
    client.post(f"/api/attempts/{data['attempt_id']}/submit")
    assert client.get(f"/api/attempts/{data['attempt_id']}/review").status_code == 403
    assert client.get(f"/attempts/{data['attempt_id']}/review").status_code == 403
    clock.advance(minutes=121)
    review = client.get(f"/api/attempts/{data['attempt_id']}/review").get_json()
    assert len(review["questions"]) == 4
    assert all(any(o["correct"] for o in q["options"]) for q in review["questions"])
    assert review["questions"][0]["explanation"] == "Giải thích."
    page = client.get(f"/attempts/{data['attempt_id']}/review").get_data(as_text=True)
    assert "Giải thích" in page


def test_review_after_submitting_is_immediate_when_the_contest_says_so(client, login_as, world, make_round,
                                                                       make_question, db_session, clock):
    rnd = make_round([make_question()], review_policy=ReviewPolicy.AFTER_SUBMIT)
    db_session.commit()
    login_as(world.student1)
    data = start(client, rnd).get_json()
    assert client.get(f"/api/attempts/{data['attempt_id']}/review").status_code == 403
    client.post(f"/api/attempts/{data['attempt_id']}/submit")
    assert client.get(f"/api/attempts/{data['attempt_id']}/review").status_code == 200


def test_papers_are_shuffled_per_student_and_reproducible(db_session, world, make_question, make_round, clock):
    from quiz.contests.paper import build_paper

    rnd = make_round([make_question() for _ in range(12)])
    db_session.commit()
    a1 = build_paper(db_session, rnd, world.student1.id)
    a2 = build_paper(db_session, rnd, world.student1.id)
    b = build_paper(db_session, rnd, world.student2.id)
    assert a1 == a2
    assert [i.question_id for i in a1] != [i.question_id for i in b]
    assert sorted(i.question_id for i in a1) == sorted(i.question_id for i in b)


def test_a_stratified_draw_takes_the_blueprint_counts_from_approved_questions(db_session, world, make_bank,
                                                                             make_question, make_round, clock):
    from quiz.contests.paper import blueprint_problems, build_paper
    from quiz.models import BlueprintCell, PaperMode, QuestionStatus, RoundBank

    bank = make_bank()
    for _ in range(4):
        make_question(bank, pillar="economic", difficulty="easy")
    for _ in range(3):
        make_question(bank, pillar="history", difficulty="hard")
    make_question(bank, pillar="history", difficulty="hard", status=QuestionStatus.DRAFT)
    rnd = make_round([])
    rnd.paper_mode = PaperMode.DRAW
    rnd.banks = [RoundBank(bank_id=bank.id)]
    rnd.blueprint = [BlueprintCell(pillar="economic", difficulty="easy", count=2),
                     BlueprintCell(pillar="history", difficulty="hard", count=3)]
    db_session.flush()
    paper = build_paper(db_session, rnd, world.student1.id)
    from quiz.models import Question

    drawn = [db_session.get(Question, item.question_id) for item in paper]
    assert sorted((q.pillar, q.difficulty) for q in drawn).count(("economic", "easy")) == 2
    assert all(q.status is QuestionStatus.APPROVED for q in drawn) and len(drawn) == 5
    problems = blueprint_problems(db_session, [bank.id], {("history", "hard"): 4})
    assert "chỉ có 3" in " ".join(problems["blueprint"]) or "only 3" in " ".join(problems["blueprint"])


def test_editing_a_question_after_start_does_not_change_the_paper(client, login_as, world, contest, db_session):
    import question_bank as qb
    from quiz.banks.convert import question_to_domain
    from quiz.banks.questions import revise
    from quiz.models import Question

    login_as(world.student1)
    data = start(client, contest).get_json()
    question = db_session.get(Question, data["questions"][0]["id"])
    domain = question_to_domain(question)
    domain.stem = {"vi": "Nội dung đã sửa?", "en": "Edited?"}
    revise(db_session, question, domain, None)
    db_session.commit()
    again = client.get(f"/api/attempts/{data['attempt_id']}").get_json()
    assert again["questions"][0]["text"] == data["questions"][0]["text"] != "Nội dung đã sửa?"
    assert isinstance(qb.Question, type)


def test_class_contests_can_be_joined_with_the_code(client, login_as, world, make_round, make_question, db_session,
                                                    clock, make_class):
    from quiz.contests.joining import new_join_code

    other_class = make_class("9A2", school=world.school1)
    rnd = make_round([make_question()], scope=ContestScope.CLASS, organiser=world.school1, units=[other_class])
    rnd.contest.join_code = new_join_code(db_session)
    db_session.commit()
    login_as(world.student1)
    assert start(client, rnd).status_code == 404
    bad = client.post("/join", data={"code": "ZZZZZZ"})
    assert bad.status_code == 400 and "mã" in bad.get_data(as_text=True).lower()
    ok = client.post("/join", data={"code": rnd.contest.join_code.lower()})
    assert ok.status_code == 302
    assert start(client, rnd).status_code == 200
    login_as(world.student2)  # another school
    assert client.post("/join", data={"code": rnd.contest.join_code}).status_code == 400


def test_writes_without_the_csrf_token_are_refused(app, db_session, world, make_round, make_question, clock):
    rnd = make_round([make_question()])
    db_session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = world.student1.get_id()
    refused = client.post(f"/api/rounds/{rnd.id}/attempt")
    assert refused.status_code == 400 and "error" in refused.get_json()
    page = client.get(f"/rounds/{rnd.id}/take").get_data(as_text=True)
    import re

    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    assert client.post(f"/api/rounds/{rnd.id}/attempt", headers={"X-CSRFToken": token}).status_code == 200


def test_security_headers_forbid_inline_script_and_framing(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers.getlist("X-Frame-Options") == ["DENY"]  # once, however many hooks ran
    assert headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in headers  # only where cookies are secure (HTTPS, production)


def test_a_client_flooding_autosaves_gets_429_while_others_save(client, app, login_as, world, contest):
    # The production limit is per second; a per-hour one of the same size makes the test independent of speed.
    app.config["AUTOSAVE_RATE_LIMIT"] = "10/hour"
    login_as(world.student1)
    data = start(client, contest).get_json()
    q = data["questions"][0]
    url = f"/api/attempts/{data['attempt_id']}/answers/{q['id']}"
    statuses = [client.put(url, json={"options": [], "seq": i}).status_code for i in range(1, 41)]
    assert statuses.count(429) > 0 and statuses[:10] == [200] * 10
    other = app.test_client()
    with other.session_transaction() as sess:
        sess["_user_id"] = world.student1b.get_id()
    data2 = other.post(f"/api/rounds/{contest.id}/attempt").get_json()
    q2 = data2["questions"][0]
    assert other.put(f"/api/attempts/{data2['attempt_id']}/answers/{q2['id']}",
                     json={"options": [], "seq": 1}).status_code == 200


def test_pictures_of_the_bank_show_in_the_students_paper(client, login_as, world, make_bank, make_question,
                                                         make_round, db_session, clock):
    from quiz.banks.images import store_image
    PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                        "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")

    bank = make_bank()
    store_image(db_session, bank, "ban-do.png", PNG, clock.now)
    question = make_question(bank, stem='Nước nào được tô đậm trên bản đồ? <img src="ban-do.png" alt="bản đồ">')
    rnd = make_round([question])
    db_session.commit()
    login_as(world.student1)
    paper = start(client, rnd).get_json()
    text = paper["questions"][0]["text"]
    url = text.split('src="')[1].split('"')[0]
    assert url.startswith("/banks/img/")
    picture = client.get(url)
    assert picture.status_code == 200 and picture.data == PNG
