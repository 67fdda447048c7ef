"""The Department sets the award rules of a round: the usual set proposes a minimum score for every prize, and a
prize without a minimum is refused with the message on the field (issue 16: a 0/10 pupil got Giải Nhì)."""
from __future__ import annotations

import re

from conftest import DESKTOP, run_axe
from playwright.sync_api import expect
from steps import login


def test_the_usual_awards_have_minimum_scores_and_a_prize_without_one_is_refused(browsing, shots):
    page = browsing.page(DESKTOP)
    login(page, "admin")
    page.goto("/certificates/")
    page.locator("tr", has_text="Cuộc thi tìm hiểu về ASEAN năm 2026").get_by_role("link").first.click()
    page.locator("tr", has_text="Tuần 2").get_by_role("link", name="Cơ cấu giải thưởng").click()  # no rules yet
    expect(page.get_by_role("heading", name=re.compile("Tuần 2"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("Điểm 0 không bao giờ được trao giải.")
    shots(page, "rules-empty", full_page=True)
    page.get_by_role("button", name="Thêm cơ cấu giải thường dùng").click()
    table = page.locator("table.table")
    # 20 questions × 5 points = 100: Nhất from 90, Nhì from 80, Ba from 70, Khuyến khích and completion from 50
    for name, least in (("Giải Nhất", "90"), ("Giải Nhì", "80"), ("Giải Ba", "70"), ("Giải Khuyến khích", "50"),
                        ("Hoàn thành cuộc thi", "50")):
        expect(table.locator("tr", has_text=name)).to_contain_text(f"điểm từ {least} trở lên")
    page.locator("#name").fill("Giải Đặc biệt")
    page.locator("#count").fill("1")
    page.get_by_role("button", name="Thêm", exact=True).click()
    error = page.locator("#min_score-error")
    expect(error).to_have_text("Nhập điểm tối thiểu lớn hơn 0: điểm 0 không bao giờ được trao giải.")
    expect(page.locator("#min_score")).to_have_attribute("aria-invalid", "true")
    expect(table.locator("tr", has_text="Giải Đặc biệt")).to_have_count(0)
    error.scroll_into_view_if_needed()
    shots(page, "prize-without-minimum-refused")
    assert not run_axe(page)
