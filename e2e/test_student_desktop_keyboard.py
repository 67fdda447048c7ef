"""The attempt on a wide screen (every question at once) and answered with the keyboard alone."""
from __future__ import annotations

import re

from conftest import DESKTOP
from playwright.sync_api import expect
from steps import expect_all_saved, login, no_horizontal_scroll, open_round, question_ids, server_answers


def test_a_wide_screen_shows_every_question_beside_the_navigator(browsing, shots):
    page = browsing.page(DESKTOP)
    login(page, "s103")
    attempt_id = open_round(page, "Tuần 2")
    expect(page.locator(".q:visible")).to_have_count(20)
    expect(page.locator(".attempt-side")).to_be_visible()
    expect(page.locator("button.next:visible")).to_have_count(0)
    qids = question_ids(page)
    shots(page, "all-questions")

    page.locator(".nav-q").nth(14).click()
    q15 = page.locator(f"#q{qids[14]}")
    expect(q15).to_be_in_viewport()
    q15.locator(".q-option").first.click()
    page.locator(f"#q{qids[0]} .q-option").nth(1).click()
    expect_all_saved(page)
    expect(page.locator(".nav-q").nth(14)).to_have_class(re.compile(r"\banswered\b"))
    expect(page.locator("#progress")).to_have_text("Đã trả lời 2/20")
    expect(page.locator(".attempt-side .submit")).to_be_visible()  # the side panel stays on screen
    assert set(server_answers(page, attempt_id)) == {qids[0], qids[14]}
    no_horizontal_scroll(page)
    shots(page, "answered-from-the-navigator")


def tab_to(page, condition: str, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab until ``condition`` (a JS expression on ``el`` = the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!(el && ({condition})); }}"):
            return
    raise AssertionError(f"the keyboard never reached: {condition}")


def test_a_pupil_answers_marks_and_submits_with_the_keyboard_only(browsing, shots):
    page = browsing.page()
    login(page, "s104")
    attempt_id = open_round(page, "Tuần 2")
    qids = question_ids(page)

    tab_to(page, "el.matches('.q.current input')")
    page.keyboard.press("Space")
    first = page.locator(f"#q{qids[0]} input")
    expect(first.nth(0)).to_be_checked()
    page.keyboard.press("ArrowDown")  # radios: the arrow keys move the choice
    expect(first.nth(1)).to_be_checked()
    shots(page, "keyboard-choice")

    tab_to(page, "el.matches('.q.current button.next')")
    page.keyboard.press("Enter")
    expect(page.locator(".q.current")).to_have_id(f"q{qids[1]}")
    expect(page.locator(".q.current")).to_be_focused()
    tab_to(page, "el.matches('.q.current button.flag')")
    page.keyboard.press("Enter")
    expect(page.locator(".q.current button.flag")).to_have_attribute("aria-pressed", "true")
    tab_to(page, "el.matches('.q.current input')")
    page.keyboard.press("Space")
    expect(page.locator(f"#q{qids[1]} input").first).to_be_checked()
    expect_all_saved(page)
    saved = server_answers(page, attempt_id)
    assert saved == {qids[0]: [int(first.nth(1).get_attribute("value"))],
                     qids[1]: [int(page.locator(f"#q{qids[1]} input").first.get_attribute("value"))]}
    expect(page.locator(".nav-q").nth(1)).to_have_class(re.compile(r"\bflagged\b"))
    shots(page, "keyboard-marked")

    tab_to(page, "el.matches('.submit')")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_role("button", name="Nộp bài")).to_be_focused()
    shots(page, "keyboard-confirm")
    page.keyboard.press("Enter")
    expect(page.locator(".result-card")).to_contain_text("Điểm của em:")  # the result screen
    tab_to(page, "el.matches('.result-card a')")  # its links are reached with the keyboard
    shots(page, "keyboard-submitted")
