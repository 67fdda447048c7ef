"""What a user does in the browser, as small steps the journeys share."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

PASSWORD = "asean2026"
SAVED_VI = "Đã lưu tất cả câu trả lời"


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


START_VI = "Bắt đầu làm bài"


def open_round(page: Page, title: str) -> int:
    """From "My contests", start (the start screen, then its button) or continue the round with this title;
    returns the attempt id."""
    page.goto("/rounds")
    card = page.locator(".round-card").filter(has=page.get_by_role("heading", name=title, exact=True))
    card.locator("a.button.primary").click()
    expect(page.locator("#attempt, .start-screen").first).to_be_attached()
    start = page.locator("button.start-button")
    if start.count():  # not started yet: the start screen (a running attempt opens at once)
        start.click()
    expect(page.locator("#attempt[data-attempt-id]")).to_have_count(1)
    expect(page.locator(".q").first).to_be_attached()
    return int(page.locator("#attempt").get_attribute("data-attempt-id"))


def current(page: Page):
    return page.locator(".q.current")


def choose(page: Page, option_index: int) -> int:
    """Choose an option of the question on screen (phones); returns the option id."""
    option = current(page).locator("input").nth(option_index)
    current(page).locator(".q-option").nth(option_index).click()
    expect(option).to_be_checked()
    return int(option.get_attribute("value"))


def next_question(page: Page) -> None:
    before = current(page).get_attribute("id")
    current(page).locator("button.next").click()
    expect(current(page)).not_to_have_id(before)


def expect_all_saved(page: Page, timeout: float = 15_000) -> None:
    status = page.locator("#save-status")
    expect(status).to_have_class(re.compile(r"\bok\b"), timeout=timeout)
    expect(page.locator(".nav-q.pending")).to_have_count(0)


def server_answers(page: Page, attempt_id: int) -> dict[int, list[int]]:
    """What the server has stored (the API, with the page's session cookie)."""
    r = page.request.get(f"/api/attempts/{attempt_id}")
    assert r.ok, r.text()
    return {int(k): v for k, v in r.json()["answers"].items()}


def question_ids(page: Page) -> list[int]:
    return [int(i[1:]) for i in page.locator(".q").evaluate_all("els => els.map(e => e.id)")]


def countdown_seconds(page: Page) -> int:
    text = page.locator("#countdown").inner_text().strip()
    parts = [int(p) for p in text.split(":")]
    seconds = 0
    for p in parts:
        seconds = seconds * 60 + p
    return seconds


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is wider than the screen: {width[0]} px > {width[1]} px"
