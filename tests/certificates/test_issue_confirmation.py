"""What is issued is what the organiser confirmed: unfinished attempts are announced in the preview, and a
list that changed since the preview (attempts scored at publication) is shown again for confirmation."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from quiz.certificates import rules
from quiz.models import AwardKind, Certificate, DocumentKind


@pytest.fixture
def rnd(world, clock, make_question, make_round, db_session):
    """A province round open now (closes in 110 min), 30 minutes per pupil, 5 questions, a completion award."""
    r = make_round([make_question() for _ in range(5)], time_limit=30, duration_minutes=120)
    rules.add_rule(db_session, world.admin, r.contest, rules.RuleInput(
        AwardKind.COMPLETION, "Hoàn thành bài thi", DocumentKind.CERTIFICATE, r.id, min_score=Decimal(3)), clock.now)
    db_session.commit()
    return r


def _answer_everything_right(client, login_as, pupil, rnd, *, submit: bool) -> None:
    login_as(pupil)
    data = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    for n, q in enumerate(data["questions"], start=1):
        assert client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                          json={"options": [min(o["id"] for o in q["options"])], "seq": n}).status_code == 200
    if submit:
        assert client.post(f"/api/attempts/{data['attempt_id']}/submit").status_code == 200


def _fingerprint(html: str) -> str:
    return re.search(r'data-fingerprint="([0-9a-f]+)"', html).group(1)


def _issued(db_session) -> int:
    return db_session.scalar(select(func.count(Certificate.id)))


def test_a_list_that_grew_after_the_preview_is_shown_again_and_issued_only_once_confirmed(
        db_session, client, login_as, world, pupils, rnd, clock):
    # two pupils submit, two are still answering when the organiser looks at the preview
    for pupil in (world.student1, world.student2):
        _answer_everything_right(client, login_as, pupil, rnd, submit=True)
    for pupil in (pupils[0], pupils[1]):
        _answer_everything_right(client, login_as, pupil, rnd, submit=False)
    login_as(world.admin)
    preview = client.get(f"/certificates/contests/{rnd.contest_id}/preview?round={rnd.id}").get_data(as_text=True)
    assert preview.count(">Sẽ cấp</span>") == 2
    assert "Số bài làm đang làm dở hoặc chưa nộp: 2." in preview  # the list can still change: said up front
    seen = _fingerprint(preview)

    clock.advance(minutes=120)  # the round closes; publishing scores the two unfinished attempts
    assert client.post(f"/contests/rounds/{rnd.id}/publish").status_code == 302
    stale = client.post(f"/certificates/contests/{rnd.contest_id}/issue", data={"round": rnd.id, "fingerprint": seen})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Chưa cấp giấy nào: danh sách đã thay đổi so với lúc bạn xem." in html
    assert html.count(">Sẽ cấp</span>") == 4 and "Trần Thị Ánh Nguyệt" in html and "Lê Hoàng Đức" in html
    assert "Xác nhận và cấp 4 giấy này" in html
    assert _issued(db_session) == 0

    confirmed = client.post(f"/certificates/contests/{rnd.contest_id}/issue",
                            data={"round": rnd.id, "fingerprint": _fingerprint(html)})
    assert confirmed.status_code == 302
    assert _issued(db_session) == 4


def test_an_issue_request_without_the_previewed_list_issues_nothing(db_session, client, login_as, world, rnd, clock):
    _answer_everything_right(client, login_as, world.student1, rnd, submit=True)
    clock.advance(minutes=120)
    login_as(world.admin)
    assert client.post(f"/contests/rounds/{rnd.id}/publish").status_code == 302
    response = client.post(f"/certificates/contests/{rnd.contest_id}/issue", data={"round": rnd.id})
    assert response.status_code == 409 and "Xác nhận và cấp 1 giấy này" in response.get_data(as_text=True)
    assert _issued(db_session) == 0


def test_issuing_scores_what_was_left_unfinished_before_computing_the_list(db_session, client, login_as, world,
                                                                          pupils, rnd, clock):
    from quiz.certificates import issuing

    _answer_everything_right(client, login_as, pupils[0], rnd, submit=False)
    clock.advance(minutes=120)
    rnd.results_published_at = clock.now  # published without scoring it (an older publication)
    db_session.commit()
    assert issuing.plan(db_session, rnd.contest, rnd).unfinished == 1
    outcome = issuing.issue(db_session, world.admin, rnd.contest, rnd, clock.now)
    assert outcome.issued == 1
    assert db_session.scalar(select(Certificate.full_name)) == "Trần Thị Ánh Nguyệt"
