"""A pupil takes the open demo round on a 360 × 740 phone: the connection drops, the page is reloaded,
and time runs out on a short round. Nothing chosen in time is lost."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from steps import (choose, current, expect_all_saved, login, next_question, no_horizontal_scroll, open_round,
                   question_ids, server_answers)


def test_offline_answers_are_queued_then_saved_and_a_reload_resumes_everything(browsing, shots):
    context = browsing.context()
    page = context.new_page()
    login(page, "s101")
    page.goto("/rounds")
    expect(page.get_by_role("heading", name="Tuần 2", exact=True)).to_be_visible()
    shots(page, "my-contests")

    # The home page lists the round open now, with the time left counted by the server, and a start button.
    page.goto("/")
    home = page.locator(".home-round").filter(has=page.get_by_role("heading", name="Tuần 2", exact=True))
    expect(home).to_contain_text(re.compile(r"còn \d+ (ngày|giờ|phút)"))
    no_horizontal_scroll(page)
    shots(page, "home", full_page=True)
    # The start screen starts nothing: the facts, the rules, the server clock and one button.
    home.get_by_role("link", name="Bắt đầu làm bài").click()
    screen = page.locator(".start-screen")
    expect(screen).to_contain_text("Số câu hỏi20")
    expect(screen).to_contain_text("Số lượt còn lại1/1")
    expect(screen).to_contain_text("Giờ máy chủ")
    no_horizontal_scroll(page)
    shots(page, "start-screen", full_page=True)
    expect(page.locator("#attempt")).to_have_count(0)
    screen.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.locator(".q").first).to_be_attached()
    attempt_id = int(page.locator("#attempt").get_attribute("data-attempt-id"))
    expect(page.locator(".q:visible")).to_have_count(1)  # one question at a time on a phone
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^(30:00|29:\d\d)$"))
    no_horizontal_scroll(page)
    qids = question_ids(page)
    assert len(qids) == 20
    chosen: dict[int, list[int]] = {}

    # Online: every answer is saved at once.
    for i in range(2):
        chosen[qids[i]] = [choose(page, 1 if i % 2 else 0)]
        next_question(page)
    expect_all_saved(page)
    expect(page.locator("#save-status")).to_have_text("Đã lưu tất cả câu trả lời")
    shots(page, "answering-online")
    assert server_answers(page, attempt_id) == chosen

    # Offline: the answers stay on the phone and the page says they are not saved yet.
    context.set_offline(True)
    for i in range(2, 5):
        chosen[qids[i]] = [choose(page, 0)]
        if i < 4:
            next_question(page)
    status = page.locator("#save-status")
    expect(status).to_have_class(re.compile(r"\bwarn\b"))
    expect(status).to_contain_text("Mất kết nối: 3 câu trả lời chưa được lưu")
    expect(page.locator(".nav-q.pending")).to_have_count(3)
    expect(page.locator(".nav-q.answered")).to_have_count(5)
    expect(page.locator("#progress")).to_have_text("Đã trả lời 5/20")
    shots(page, "offline-answers-queued")
    queued = page.evaluate(f"() => Object.keys(JSON.parse(localStorage.getItem('aq-attempt-{attempt_id}')).pending)")
    assert sorted(int(q) for q in queued) == sorted(qids[2:5])

    # Back online: the queue is replayed and the page says everything is saved.
    context.set_offline(False)
    expect_all_saved(page)
    shots(page, "back-online-all-saved")
    assert server_answers(page, attempt_id) == chosen

    # A save that fails (the server cannot be reached) stays queued on the phone, even across a reload.
    next_question(page)
    page.route("**/answers/**", lambda route: route.abort("connectionrefused"))
    chosen[qids[5]] = [choose(page, 1)]
    expect(status).to_contain_text("1 câu trả lời chưa được lưu")
    page.unroute("**/answers/**")
    assert qids[5] not in server_answers(page, attempt_id)

    # Marks for later and the question on screen are the pupil's own aid: kept on the phone across a reload.
    current(page).locator("button.flag").click()
    page.locator(".nav-q").nth(3).click()
    current(page).locator("button.flag").click()
    page.locator(".nav-q").nth(7).click()
    expect(current(page)).to_have_id(f"q{qids[7]}")

    page.reload()
    expect(page.locator(".q").first).to_be_attached()
    expect_all_saved(page)
    expect(current(page)).to_have_id(f"q{qids[7]}")  # resumes at the question the pupil was on
    expect(page.locator(".nav-q.flagged")).to_have_count(2)
    for i in (3, 5):
        expect(page.locator(".nav-q").nth(i)).to_have_class(re.compile(r"\bflagged\b"))
        expect(page.locator(f"#q{qids[i]} button.flag")).to_have_attribute("aria-pressed", "true")
    for qid, options in chosen.items():
        for option in options:
            expect(page.locator(f"#q{qid} input[value='{option}']")).to_be_checked()
    expect(page.locator(".nav-q.answered")).to_have_count(6)
    assert server_answers(page, attempt_id) == chosen
    shots(page, "reloaded-resumed")

    # The navigator jumps to any question; marking one for later shows in the navigator.
    page.locator(".nav-q").nth(11).click()
    expect(current(page)).to_have_id(f"q{qids[11]}")
    current(page).locator("button.flag").click()
    expect(page.locator(".nav-q").nth(11)).to_have_class(re.compile(r"\bflagged\b"))

    # Submitting asks for confirmation, then shows the score.
    page.locator(".submit:visible").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Số câu chưa trả lời: 14")
    shots(page, "confirm-submit")
    confirm.get_by_role("button", name="Nộp bài").click()
    # The result screen: score, answered / unanswered (not right / wrong: the round is still open), the time
    # taken, and when the answers will be shown instead of a review button that fails.
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}/result$"))
    result = page.locator(".result-card")
    expect(result).to_contain_text(re.compile(r"Điểm của em: [\d.]+ / 100 điểm"))
    expect(result).to_contain_text("Đã trả lời6")
    expect(result).to_contain_text("Chưa trả lời14")
    expect(result).to_contain_text(re.compile(r"Thời gian làm bài\d+ phút \d+ giây"))
    expect(result).to_contain_text("Đáp án sẽ hiện sau khi vòng thi đóng lúc")
    expect(result.get_by_role("link", name="Xem lại bài làm")).to_have_count(0)
    expect(result).not_to_contain_text("0:00")
    no_horizontal_scroll(page)
    shots(page, "result-screen", full_page=True)
    page.goto("/rounds")
    expect(page.locator(".round-card").filter(has_text="Tuần 2")).to_contain_text("Đã nộp:")


def test_time_running_out_submits_the_saved_answers(browsing, server, shots):
    round_id = int(server.seed("short-round", "--student", "s102", "--seconds", "20", "--questions", "3"))
    page = browsing.page()
    login(page, "s102")
    attempt_id = open_round(page, "Kiểm tra nhanh")
    assert page.url.endswith(f"/rounds/{round_id}/take")
    expect(page.locator(".timer")).to_have_class(re.compile(r"\burgent\b"))
    first = choose(page, 0)
    expect_all_saved(page)
    shots(page, "last-seconds")
    result = page.locator(".result-card")
    expect(result).to_contain_text("Đã hết giờ. Các câu trả lời đã lưu của em đã được nộp.", timeout=40_000)
    expect(result).to_contain_text(re.compile(r"Điểm của em: [01] / 3 điểm"))
    expect(result).to_contain_text("Chưa trả lời2")  # the review is allowed: right / wrong counts too
    expect(result).to_contain_text(re.compile(r"Đúng[01]"))
    shots(page, "time-is-up")
    data = page.request.get(f"/api/attempts/{attempt_id}").json()
    assert data["submitted"] is True and data["answers"] == {str(question_ids_of(data)[0]): [first]}
    # This contest lets pupils see the key right after submitting.
    result.get_by_role("link", name="Xem lại bài làm").click()
    expect(page.locator(".q-review")).to_have_count(3)
    expect(page.locator(".q-review .opt-chosen")).to_have_count(1)
    no_horizontal_scroll(page)
    shots(page, "review", full_page=True)


def question_ids_of(data: dict) -> list[int]:
    return [q["id"] for q in data["questions"]]
