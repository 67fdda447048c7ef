"""After a round: the pupil finds the leaderboard from "My contests"."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from steps import login, no_horizontal_scroll


def test_a_pupil_opens_the_leaderboard_of_a_finished_round(browsing, shots):
    page = browsing.page()
    login(page, "s101")
    name = page.locator(".whoami").inner_text().strip()
    page.goto("/rounds")
    card = page.locator(".round-card").filter(has=page.get_by_role("heading", name="Tuần 1", exact=True))
    card.locator("a[href*='/leaderboard']").click()
    expect(page).to_have_url(re.compile(r"/rounds/\d+/leaderboard$"))
    expect(page.locator("main")).to_contain_text(name)
    no_horizontal_scroll(page)
    shots(page, "leaderboard")
