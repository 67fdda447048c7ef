"""A teacher extends a pupil's time while the attempt page is open: the page must not submit at the old
deadline, it asks the server and keeps the pupil answering."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from steps import choose, expect_all_saved, login, open_round


def test_an_extension_given_while_the_page_is_open_keeps_the_pupil_answering(browsing, server, shots):
    round_id = int(server.seed("short-round", "--student", "s103", "--seconds", "20", "--questions", "3"))
    page = browsing.page()
    login(page, "s103")
    attempt_id = open_round(page, "Kiểm tra nhanh")
    choose(page, 0)
    expect_all_saved(page)
    server.seed("extend", "--round", str(round_id), "--student", "s103", "--minutes", "2")
    # The old deadline passes; the page finds the new one on the server and goes on.
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^[12]:\d\d$"), timeout=40_000)
    expect(page.locator(".result-card")).to_have_count(0)
    shots(page, "extended")
    data = page.request.get(f"/api/attempts/{attempt_id}").json()
    assert data["submitted"] is False
