"""A teacher sets up a class contest with a join code; a pupil of another class joins with the code and takes it."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import DESKTOP
from playwright.sync_api import expect
from steps import choose, expect_all_saved, login, no_horizontal_scroll, open_round

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def local_input(moment: datetime) -> str:
    return moment.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M")


def test_a_teacher_creates_a_class_contest_and_a_pupil_joins_it_with_the_code(browsing, shots):
    teacher = browsing.page(DESKTOP)
    login(teacher, "teacher1")
    teacher.goto("/contests/new")
    teacher.locator("input[name=title]").fill("Đố vui ASEAN lớp 8A1")
    teacher.locator("input[name=unit_ids]").first.check()  # the teacher's first class: 8A1
    shots(teacher, "new-class-contest", full_page=True)
    teacher.locator("form button[type=submit].primary").click()
    expect(teacher.locator(".alert-success")).to_be_visible()
    expect(teacher.get_by_role("heading", name="Đố vui ASEAN lớp 8A1")).to_be_visible()

    teacher.locator("main a[href$='/rounds/new']").first.click()
    now = datetime.now(LOCAL)
    teacher.locator("input[name=title]").fill("Vòng 1")
    teacher.locator("input[name=opens_at]").fill(local_input(now - timedelta(minutes=5)))
    teacher.locator("input[name=closes_at]").fill(local_input(now + timedelta(days=2)))
    teacher.locator("input[name=time_limit_minutes]").fill("15")
    teacher.locator("input[name=paper_mode][value=draw]").check()
    teacher.locator("input[name=bank_ids]").first.check()
    teacher.locator("input[name=cell_history_easy]").fill("3")
    teacher.locator("input[name=cell_economic_easy]").fill("2")
    shots(teacher, "new-round", full_page=True)
    teacher.locator("form#round-form button.primary[value=save]").click()
    expect(teacher.locator(".alert-success")).to_be_visible()
    expect(teacher.get_by_role("cell", name="Vòng 1").or_(teacher.get_by_text("Vòng 1")).first).to_be_visible()

    teacher.locator("main form[action$='/schedule'] button").click()
    expect(teacher.locator(".alert-success")).to_be_visible()
    shots(teacher, "contest-scheduled", full_page=True)
    teacher.locator("main a[href$='/code']").first.click()
    code = teacher.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code), code
    shots(teacher, "join-code-on-the-projector")

    pupil = browsing.page()
    login(pupil, "s120")  # class 9A1 of the same school: not in the contest until joining
    pupil.goto("/rounds")
    expect(pupil.get_by_text("Đố vui ASEAN lớp 8A1")).to_have_count(0)
    pupil.locator("main a[href$='/join']").click()
    pupil.locator("input[name=code]").fill("zzzzzz")
    pupil.locator("main form button[type=submit]").click()
    expect(pupil.get_by_role("alert")).to_contain_text("mã")
    pupil.locator("input[name=code]").fill(code.lower())
    shots(pupil, "typing-the-code")
    pupil.locator("main form button[type=submit]").click()
    expect(pupil.locator(".alert-success")).to_contain_text("Đố vui ASEAN lớp 8A1")
    no_horizontal_scroll(pupil)
    shots(pupil, "joined", full_page=True)

    open_round(pupil, "Vòng 1")
    expect(pupil.locator(".q")).to_have_count(5)
    expect(pupil.locator("#countdown")).to_have_text(re.compile(r"^(15:00|14:\d\d)$"))
    choose(pupil, 0)
    expect_all_saved(pupil)
    shots(pupil, "taking-the-class-contest")
