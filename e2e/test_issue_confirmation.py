"""The Department issues what it saw: when the list grew after the preview (here a colleague added an award in
another tab), pressing "Issue" issues nothing and shows the final list to confirm (issue 16)."""
from __future__ import annotations

import re

from conftest import DESKTOP
from playwright.sync_api import expect
from steps import login


def _add_award(page, name: str) -> None:
    page.locator("#name").fill(name)
    page.locator("#count").fill("1")
    page.locator("#min_score").fill("1")
    page.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.locator("table.table")).to_contain_text(name)


def test_a_list_that_changed_since_the_preview_is_shown_again_before_anything_is_issued(browsing, shots):
    ctx = browsing.context(DESKTOP)
    tab_a, tab_b = ctx.new_page(), ctx.new_page()
    login(tab_a, "admin")
    tab_a.goto("/certificates/")
    tab_a.locator("tr", has_text="Cuộc thi tìm hiểu về ASEAN năm 2026").get_by_role("link").first.click()
    contest_page = tab_a.url
    tab_a.locator("tr", has_text="Tuần 1").get_by_role("link", name="Cơ cấu giải thưởng").click()
    rules_url = tab_a.url
    _add_award(tab_a, "Giải Phong cách")
    preview_url = re.sub(r"/rules\?", "/preview?", rules_url)
    tab_a.goto(preview_url)
    expect(tab_a.locator("form.card")).to_contain_text("Sẽ cấp 1 giấy ngay bây giờ")
    shots(tab_a, "preview-one-to-issue")

    tab_b.goto(rules_url)  # a colleague adds another award meanwhile
    _add_award(tab_b, "Giải Triển vọng")

    tab_a.get_by_role("button", name="Cấp giấy").click()
    alert = tab_a.locator("#list-changed")
    expect(alert).to_contain_text("Chưa cấp giấy nào: danh sách đã thay đổi so với lúc bạn xem.")
    expect(tab_a.locator("table.table")).to_contain_text("Giải Triển vọng")
    shots(tab_a, "list-changed-confirm", full_page=False)
    tab_a.get_by_role("button", name="Xác nhận và cấp 2 giấy này").click()
    expect(tab_a.locator(".flash, [role=status], .alert").first).to_contain_text("Đã cấp 2 giấy")
    shots(tab_a, "issued-after-confirmation")
    assert contest_page.split("?")[0] in tab_a.url
