"""The pupil's way through a contest without dead ends (issue 16, items 5-7): the home page lists what can be
taken now, the start screen starts nothing until *Bắt đầu*, and the result screen says what is known and when
the rest will be."""
import re
from datetime import timedelta

import pytest

from quiz.models import Attempt, ContestStatus, ReviewPolicy


def attempts_of(db_session, student):
    db_session.expire_all()
    return db_session.query(Attempt).filter_by(user_id=student.id).all()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def two_open_and_one_coming(world, clock, make_round, make_question, db_session):
    first = make_round([make_question() for _ in range(3)], title="Tìm hiểu ASEAN", duration_minutes=90)
    first.title = "Tuần 2"
    second = make_round([make_question()], title="Cuộc thi của trường", duration_minutes=3 * 24 * 60 + 120)
    second.title = "Vòng loại"
    later = make_round([make_question()], title="Cuộc thi tháng sau", opens_in_minutes=24 * 60)
    later.title = "Tuần 3"
    db_session.commit()
    return first, second, later


def test_the_home_page_lists_the_rounds_open_now_with_time_left_and_the_ones_coming(
        client, login_as, world, two_open_and_one_coming):
    first, second, later = two_open_and_one_coming
    login_as(world.student1)
    page = text(client.get("/"))
    assert "sẽ hiện ở đây" not in page  # "your contests will appear here" while two rounds are open
    open_now = page[page.index("Đang mở"):page.index("Sắp diễn ra")]
    assert "Tuần 2" in open_now and "còn 1 giờ 20 phút" in open_now  # closes 80 minutes from now (server clock)
    assert "Vòng loại" in open_now and "còn 3 ngày 1 giờ" in open_now
    assert open_now.count(f'href="/rounds/{first.id}/take"') == 1
    assert f'href="/rounds/{second.id}/take"' in open_now
    coming = page[page.index("Sắp diễn ra"):]
    assert "Tuần 3" in coming and "Mở lúc 21/11/2026 09:00" in coming
    assert f'/rounds/{later.id}/take' not in page


def test_the_home_page_lists_the_same_rounds_as_my_contests(client, login_as, world, two_open_and_one_coming):
    login_as(world.student2)  # a province contest for every school: school 2's pupil sees the same rounds
    for rnd in two_open_and_one_coming:
        assert rnd.title in text(client.get("/rounds"))
        assert rnd.title in text(client.get("/"))


def test_the_home_page_shows_a_finished_round_under_the_last_results(client, login_as, world, clock,
                                                                      two_open_and_one_coming):
    first = two_open_and_one_coming[0]
    login_as(world.student1)
    client.post(f"/rounds/{first.id}/take")
    attempt = client.post(f"/api/rounds/{first.id}/attempt").get_json()
    client.post(f"/api/attempts/{attempt['attempt_id']}/submit")
    page = text(client.get("/"))
    results = page[page.index("Kết quả gần đây"):]
    assert "Tuần 2" in results and "0 / 3 điểm" in results
    assert f'/attempts/{attempt["attempt_id"]}/result' in results
    assert f'href="/rounds/{first.id}/take"' not in page  # its only attempt is used: not under "open now"


def test_the_start_screen_starts_nothing_and_the_button_starts_the_clock(client, login_as, world, clock,
                                                                         make_round, make_question, db_session):
    rnd = make_round([make_question(stem="Hiến chương ASEAN được ký năm nào?") for _ in range(4)],
                     time_limit=20, attempts_allowed=2, review_policy=ReviewPolicy.AFTER_CLOSE)
    db_session.commit()
    login_as(world.student1)
    screen = client.get(f"/rounds/{rnd.id}/take")
    assert screen.status_code == 200
    page = text(screen)
    assert attempts_of(db_session, world.student1) == []  # visiting it creates no attempt
    for fact in ("Số câu hỏi</dt><dd>4", "20 phút", "Số lượt còn lại</dt><dd>2/2", "Giờ máy chủ",
                 "20/11/2026 09:00", "Bắt đầu"):
        assert fact in page, fact
    assert 'class="button primary wide start-button">Bắt đầu làm bài</button>' in page
    assert "Hiến chương" not in page and "Phương án" not in page and "correct" not in page  # no question, no key
    assert 'id="attempt"' not in page and "attempt.js" not in page

    clock.advance(minutes=7)  # the pupil reads the rules for seven minutes: the clock has not started
    started = client.post(f"/rounds/{rnd.id}/take")
    assert started.status_code == 302 and started.headers["Location"].endswith(f"/rounds/{rnd.id}/take")
    [attempt] = attempts_of(db_session, world.student1)
    assert attempt.started_at == clock.now and attempt.deadline == clock.now + timedelta(minutes=20)
    resumed = text(client.get(f"/rounds/{rnd.id}/take"))  # back to the running attempt, not a new one
    assert f'data-attempt-id="{attempt.id}"' in resumed and "attempt.js" in resumed
    client.post(f"/rounds/{rnd.id}/take")  # a second tap resumes it too
    assert len(attempts_of(db_session, world.student1)) == 1


def test_with_no_attempt_left_the_start_screen_says_so_instead_of_the_button(client, login_as, world, clock,
                                                                             make_round, db_session):
    rnd = make_round()
    db_session.commit()
    login_as(world.student1)
    client.post(f"/rounds/{rnd.id}/take")
    [attempt] = attempts_of(db_session, world.student1)
    client.post(f"/api/attempts/{attempt.id}/submit")
    page = text(client.get(f"/rounds/{rnd.id}/take"))
    assert "Em đã dùng hết số lượt làm bài của vòng thi này (1/1)." in page
    assert "start-button" not in page and f"/attempts/{attempt.id}/result" in page
    again = client.post(f"/rounds/{rnd.id}/take")  # the button is gone; a replayed POST starts nothing either
    assert again.headers["Location"].endswith(f"/attempts/{attempt.id}/result")
    assert len(attempts_of(db_session, world.student1)) == 1


def test_a_closed_or_unopened_round_says_when_instead_of_the_button(client, login_as, world, clock, make_round,
                                                                     db_session):
    rnd = make_round(opens_in_minutes=60)
    db_session.commit()
    login_as(world.student1)
    page = text(client.get(f"/rounds/{rnd.id}/take"))
    assert "Vòng thi này mở lúc 20/11/2026 10:00." in page and "start-button" not in page
    refused = client.post(f"/rounds/{rnd.id}/take", follow_redirects=True)
    assert refused.status_code == 200 and "Vòng thi chưa mở." in text(refused)
    clock.advance(minutes=200)
    page = text(client.get(f"/rounds/{rnd.id}/take"))
    assert "Vòng thi này đã đóng lúc 20/11/2026 12:00." in page
    assert attempts_of(db_session, world.student1) == []


@pytest.fixture
def retake_round(world, clock, make_question, make_round, db_session):
    """Two attempts, review after the round closes at 10:50; three single-choice questions, option A right."""
    rnd = make_round([make_question() for _ in range(3)], attempts_allowed=2, shuffle=False,
                     review_policy=ReviewPolicy.AFTER_CLOSE)
    db_session.commit()
    return rnd


def _answer_first_right_second_wrong(client, rnd):
    body = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    qs = body["questions"]
    for q, option in ((qs[0], qs[0]["options"][0]["id"]), (qs[1], qs[1]["options"][1]["id"])):
        client.put(f"/api/attempts/{body['attempt_id']}/answers/{q['id']}", json={"options": [option], "seq": 1})
    client.post(f"/api/attempts/{body['attempt_id']}/submit")
    return body["attempt_id"]


def test_while_the_pupil_can_retake_the_result_shows_answered_not_right_or_wrong(client, login_as, world, clock,
                                                                                 retake_round):
    login_as(world.student1)
    clock.advance(seconds=95)
    client.post(f"/rounds/{retake_round.id}/take")
    clock.advance(minutes=2, seconds=5)
    attempt_id = _answer_first_right_second_wrong(client, retake_round)
    page = text(client.get(f"/attempts/{attempt_id}/result"))
    assert "Điểm của em: 1 / 3 điểm" in page
    assert "Đã trả lời</dt><dd>2" in page and "Chưa trả lời</dt><dd>1" in page
    assert "Đúng</dt>" not in page and "Sai</dt>" not in page  # that would be the key of these questions
    assert "Thời gian làm bài</dt><dd>2 phút 5 giây" in page and "0:00" not in page
    assert "Đáp án sẽ hiện sau khi vòng thi đóng lúc 20/11/2026 10:50." in page
    assert f"/attempts/{attempt_id}/review" not in page  # never a button that leads to a 403


def test_once_the_key_is_allowed_the_result_counts_right_wrong_and_unanswered(client, login_as, world, clock,
                                                                              retake_round):
    login_as(world.student1)
    client.post(f"/rounds/{retake_round.id}/take")
    attempt_id = _answer_first_right_second_wrong(client, retake_round)
    clock.advance(minutes=120)  # the round has closed
    page = text(client.get(f"/attempts/{attempt_id}/result"))
    assert "Đúng</dt><dd>1" in page and "Sai</dt><dd>1" in page and "Chưa trả lời</dt><dd>1" in page
    assert f'href="/attempts/{attempt_id}/review"' in page
    assert client.get(f"/attempts/{attempt_id}/review").status_code == 200


def test_the_rank_and_the_board_link_show_only_when_the_pupil_may_see_the_board(
        client, login_as, world, clock, retake_round, db_session):
    login_as(world.student1)
    client.post(f"/rounds/{retake_round.id}/take")
    attempt_id = _answer_first_right_second_wrong(client, retake_round)
    page = text(client.get(f"/attempts/{attempt_id}/result"))
    assert "Hạng</dt>" not in page and "/leaderboard" not in page  # the board is not public, not published
    retake_round.contest.leaderboard_public = True
    db_session.commit()
    page = text(client.get(f"/attempts/{attempt_id}/result"))
    assert "Hạng</dt><dd>1/1" in page
    assert f'href="/rounds/{retake_round.id}/leaderboard"' in page


def test_a_refused_review_is_a_friendly_page_with_a_way_back(client, login_as, world, clock, retake_round):
    login_as(world.student1)
    client.post(f"/rounds/{retake_round.id}/take")
    attempt_id = _answer_first_right_second_wrong(client, retake_round)
    refused = client.get(f"/attempts/{attempt_id}/review")  # a bookmark, an old link
    assert refused.status_code == 403
    page = text(refused)
    assert "Em chưa mở được trang này" in page and "Không có quyền truy cập" not in page
    assert "sau khi vòng thi đóng lúc 20/11/2026 10:50" in page
    assert 'href="/rounds"' in page and "Về danh sách cuộc thi của em" in page


def test_the_result_of_a_running_attempt_leads_back_to_it(client, login_as, world, clock, retake_round):
    login_as(world.student1)
    client.post(f"/rounds/{retake_round.id}/take")
    attempt_id = client.post(f"/api/rounds/{retake_round.id}/attempt").get_json()["attempt_id"]
    shown = client.get(f"/attempts/{attempt_id}/result")
    assert shown.status_code == 302 and shown.headers["Location"].endswith(f"/rounds/{retake_round.id}/take")


def test_a_draft_contest_is_not_on_the_home_page(client, login_as, world, clock, make_round, db_session):
    make_round(status=ContestStatus.DRAFT, title="Bản nháp bí mật")
    db_session.commit()
    login_as(world.student1)
    page = text(client.get("/"))
    assert "Bản nháp bí mật" not in page and "sẽ hiện ở đây" in page


def test_the_result_screen_links_the_pupils_own_certificate_and_rank_once_published(
        client, login_as, world, clock, make_round, db_session):
    from decimal import Decimal

    from quiz.certificates import issuing, rules
    from quiz.models import AwardKind, DocumentKind

    rnd = make_round(opens_in_minutes=-180, duration_minutes=120)
    start = clock.now - timedelta(minutes=150)
    mine = Attempt(round_id=rnd.id, user_id=world.student1.id, number=1, started_at=start,
                   deadline=start + timedelta(minutes=30), submitted_at=start + timedelta(minutes=10, seconds=7),
                   finished_by="student", score=Decimal(4), max_score=Decimal(5), duration_ms=607_000, seed=1)
    other = Attempt(round_id=rnd.id, user_id=world.student1b.id, number=1, started_at=start,
                    deadline=start + timedelta(minutes=30), submitted_at=start + timedelta(minutes=10),
                    finished_by="student", score=Decimal(5), max_score=Decimal(5), duration_ms=600_000, seed=1)
    db_session.add_all([mine, other])
    rnd.results_published_at = clock.now - timedelta(minutes=30)
    rules.add_rule(db_session, world.admin, rnd.contest, rules.RuleInput(
        AwardKind.COMPLETION, "Hoàn thành bài thi", DocumentKind.CERTIFICATE, rnd.id, min_score=Decimal(1)), clock.now)
    issuing.issue(db_session, world.admin, rnd.contest, rnd, clock.now)
    db_session.commit()
    login_as(world.student1)
    page = text(client.get(f"/attempts/{mine.id}/result"))
    assert "Điểm của em: 4 / 5 điểm" in page and "Thời gian làm bài</dt><dd>10 phút 7 giây" in page
    assert "Hạng</dt><dd>2/2" in page  # published: the pupil may see the board
    assert "Giấy chứng nhận của em: Hoàn thành bài thi" in page and "/certificates/" in page
