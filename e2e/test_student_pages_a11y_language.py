"""The student's pages: no serious accessibility problem (axe-core), readable at 360 px in both languages."""
from __future__ import annotations

import json

from conftest import DESKTOP, run_axe
from playwright.sync_api import expect
from steps import choose, expect_all_saved, login, no_horizontal_scroll, open_round


def test_the_student_pages_have_no_serious_or_critical_axe_violations(browsing, shots):
    page = browsing.page()
    found: dict[str, list] = {}

    def check(name: str) -> None:
        no_horizontal_scroll(page)
        violations = run_axe(page)
        if violations:
            found[name] = violations
        shots(page, name)

    page.goto("/login")
    check("login")
    login(page, "s201")
    page.goto("/rounds")
    check("my-contests")
    page.locator(".round-card").filter(has_text="Tuần 1").get_by_role("link", name="Xem lại bài làm").click()
    expect(page.locator(".q-review")).to_have_count(20)
    check("review")
    page.goto("/join")
    check("join-with-a-code")
    open_round(page, "Tuần 2")
    choose(page, 0)
    expect_all_saved(page)
    check("attempt")
    page.locator(".submit:visible").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    check("attempt-confirm")

    wide = browsing.page(DESKTOP)
    login(wide, "s202")
    open_round(wide, "Tuần 2")
    expect_all_saved(wide)
    violations = run_axe(wide)
    if violations:
        found["attempt-desktop"] = violations
    assert not found, "axe-core found serious or critical violations:\n" + json.dumps(found, ensure_ascii=False, indent=1)


def test_the_attempt_reads_well_at_360_px_in_vietnamese_and_english(browsing, shots):
    page = browsing.page()
    login(page, "s108")
    open_round(page, "Tuần 2")
    expect_all_saved(page)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator(".q.current h2")).to_have_text("Câu 1 / 20")
    expect(page.locator("#progress")).to_have_text("Đã trả lời 0/20")
    no_horizontal_scroll(page)
    shots(page, "attempt-vi")

    page.locator(".lang button[value=en]").click()  # POST /language, back to the same page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".q").first).to_be_attached()
    expect(page.locator("#save-status")).to_have_text("All answers saved")
    expect(page.locator(".q.current h2")).to_have_text("Question 1 of 20")
    choose(page, 0)
    expect_all_saved(page)
    expect(page.locator("#progress")).to_have_text("1 of 20 answered")
    expect(page.locator(".q.current button.next")).to_have_text("Next question ›")
    no_horizontal_scroll(page)
    shots(page, "attempt-en")
    page.locator(".submit:visible").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Submit now? Unanswered questions: 19.")
    shots(page, "confirm-en")
    page.goto("/rounds")
    expect(page.get_by_role("heading", name="My contests")).to_be_visible()
    no_horizontal_scroll(page)
    shots(page, "my-contests-en", full_page=True)
