"""Staff figures at 1280 px and 360 px: the leaderboard names its tie-break, the report's charts read cleanly,
the unit ranking prints numbers like the report."""
from __future__ import annotations

import re

from conftest import DESKTOP, PHONE
from playwright.sync_api import expect
from steps import login


def test_the_leaderboard_report_and_unit_ranking_at_both_widths(browsing, shots):
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = browsing.page(viewport)
        login(page, "admin")
        page.goto("/reports")
        links = page.locator("main a[href$='/report']")
        expect(links.first).to_be_visible()
        for href in sorted({links.nth(i).get_attribute("href") for i in range(links.count())}):
            round_id = int(re.search(r"/rounds/(\d+)/report", href).group(1))
            page.goto(href)
            expect(page.locator("svg#completion")).to_be_visible()
            assert page.locator("#summary").get_by_text("Thang điểm").count() == 1
            ticks = page.locator("svg#completion text.tick[text-anchor=end]").all_text_contents()
            assert all(t.isdigit() for t in ticks), ticks
            shots(page, f"{size}-report-{round_id}", full_page=True)
            page.goto(f"/rounds/{round_id}/leaderboard")
            expect(page.locator("#lb-rule")).to_contain_text("Xếp theo điểm, rồi")
            assert not re.search(r"\d:\d\d\.\d{3}", page.locator("#lb-rows").inner_text())
            shots(page, f"{size}-leaderboard-{round_id}", full_page=True)
        page.locator("main a[href$='/units']").first.click()  # from the last leaderboard
        expect(page.locator("main table").first).to_contain_text(",")
        shots(page, f"{size}-units", full_page=True)
