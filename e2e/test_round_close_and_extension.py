"""The organiser cuts a round short or extends a pupil past its close: the pages warn and ask first."""
from __future__ import annotations

from playwright.sync_api import expect
from steps import login, open_round

DESKTOP = {"width": 1280, "height": 900}


def test_an_extension_past_the_close_asks_the_teacher_first(browsing, server, shots):
    round_id = int(server.seed("short-round", "--student", "s104", "--seconds", "300", "--questions", "3"))
    pupil = browsing.page()
    login(pupil, "s104")
    open_round(pupil, "Kiểm tra nhanh")
    teacher = browsing.page(DESKTOP)
    login(teacher, "teacher1")
    teacher.goto(f"/contests/rounds/{round_id}/monitor")
    row = teacher.locator("tr", has_text="s104")
    row.locator("input[name=minutes]").fill("15")
    row.get_by_role("button", name="Gia hạn").click()
    expect(teacher.get_by_role("heading", name="Gia hạn quá giờ đóng vòng thi?")).to_be_visible()
    expect(teacher.locator(".alert-warning")).to_contain_text("sau giờ đóng vòng thi")
    shots(teacher, "extend-after-close-confirm")
    teacher.get_by_role("button", name="Gia hạn quá giờ đóng").click()
    expect(teacher.locator("body")).to_contain_text("tức là sau giờ đóng vòng thi")
    shots(teacher, "extended-after-close")


def test_closing_a_round_earlier_warns_how_many_pupils_are_mid_attempt(browsing, server, shots):
    round_id = int(server.seed("short-round", "--student", "s105", "--seconds", "3600", "--questions", "3"))
    pupil = browsing.page()
    login(pupil, "s105")
    open_round(pupil, "Kiểm tra nhanh")
    teacher = browsing.page(DESKTOP)
    login(teacher, "teacher1")
    teacher.goto(f"/contests/rounds/{round_id}/edit")
    close = teacher.locator("input[name=closes_at]")  # a datetime-local input: yyyy-mm-ddTHH:MM, Viet Nam time
    now_minute = teacher.evaluate("""() => { const d = new Date(Date.now());
        const p = n => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`; }""")
    assert close.input_value() != now_minute
    close.fill(now_minute)  # the current minute: before the pupil's deadline (start + 1 minute)
    teacher.locator("button[name=action][value=save]").last.click()
    expect(teacher.locator("#confirm_earlier_close-error")).to_contain_text("1 học sinh đang làm bài")
    shots(teacher, "earlier-close-warning")
    teacher.locator("input[name=confirm_earlier_close]").check()
    teacher.locator("button[name=action][value=save]").last.click()
    expect(teacher.locator("body")).to_contain_text("Đã lưu vòng thi")
    shots(teacher, "earlier-close-saved")
