"""The Department imports a bank file (a broken one first), approves the questions in bulk and schedules a round
that draws from them."""
from __future__ import annotations

import io
import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
from conftest import DESKTOP, run_axe
from playwright.sync_api import expect
from steps import login

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
BANK = "Ngân hàng ôn tập Tuần lễ ASEAN 2026"
CONTEST = "Hội thi ASEAN – THCS Nguyễn Du"
SCHOOL = "Trường THCS Nguyễn Du"  # pupils s301 … s330, whom no other journey uses
HEADER = ["Mã", "Loại", "Trụ cột", "Chủ đề", "Độ khó", "Câu hỏi (VI)", "Phương án A (VI)", "Phương án B (VI)",
          "Phương án C (VI)", "Phương án D (VI)", "Đáp án đúng", "Giải thích (VI)"]
HISTORY, ECONOMIC = "Lịch sử và thể chế ASEAN", "Cộng đồng Kinh tế ASEAN"
QUESTIONS = [
    ["e2e-ls-01", "Một lựa chọn", HISTORY, "thành lập", "Dễ", "Tuyên bố Băng Cốc thành lập ASEAN được ký vào năm nào?",
     "1965", "1967", "1976", "1995", "B", "Tuyên bố Băng Cốc được ký ngày 8/8/1967."],
    ["e2e-ls-02", "Một lựa chọn", HISTORY, "thành viên", "Dễ", "Việt Nam trở thành thành viên ASEAN vào năm nào?",
     "1992", "1995", "1997", "1999", "B", "Việt Nam gia nhập ASEAN ngày 28/7/1995."],
    ["e2e-ls-03", "Một lựa chọn", HISTORY, "thể chế", "Dễ", "Ban Thư ký ASEAN đặt trụ sở tại thành phố nào?",
     "Băng Cốc", "Gia-các-ta", "Hà Nội", "Ma-ni-la", "B", ""],
    ["e2e-kt-01", "Một lựa chọn", ECONOMIC, "AEC", "Trung bình",
     "Cộng đồng Kinh tế ASEAN (AEC) chính thức được thành lập vào năm nào?", "2008", "2010", "2015", "2020", "C", ""],
    ["e2e-kt-02", "Một lựa chọn", ECONOMIC, "thương mại", "Trung bình",
     "Hiệp định Thương mại Hàng hóa ASEAN được viết tắt là gì?", "ATIGA", "AFTA", "RCEP", "CPTPP", "A", ""],
    ["e2e-kt-03", "Nhiều lựa chọn", ECONOMIC, "thương mại", "Trung bình",
     "Những hiệp định nào dưới đây có tất cả các nước ASEAN tham gia?", "ATIGA", "RCEP", "CPTPP", "EVFTA", "A;B", ""],
]
STEMS = [q[5] for q in QUESTIONS]


def workbook(rows: list[list[str]]) -> bytes:
    """An XLSX in the layout of the import template (sheet «Câu hỏi», Vietnamese column names)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Câu hỏi"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(page, name: str, data: bytes) -> None:
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "buffer": data})
    page.locator("main form[enctype] button[type=submit]").click()


def local_input(moment: datetime) -> str:
    return moment.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M")


def test_the_department_imports_a_bank_file_approves_it_and_schedules_a_round_from_it(browsing, shots):
    page = browsing.page(DESKTOP)
    found: dict[str, list] = {}

    def check(name: str, full_page: bool = True) -> None:
        violations = run_axe(page)
        if violations:
            found[name] = violations
        shots(page, name, full_page=full_page)

    login(page, "admin")
    page.goto("/banks/new")
    page.locator("input[name=name]").fill(BANK)
    page.locator("textarea[name=description]").fill("Câu hỏi ôn tập do tổ chuyên môn của Sở soạn.")
    check("new-bank")
    page.locator("main form button[type=submit].primary").click()
    expect(page.locator(".alert-success")).to_contain_text(BANK)
    expect(page).to_have_url(re.compile(r"/banks/\d+$"))
    bank_url = page.url

    # A broken file: every problem listed with its row and field, no confirm button, nothing imported.
    page.locator("main a[href$='/import']").click()
    check("import-form")
    broken = [QUESTIONS[0],
              ["e2e-hong-02", "Một lựa chọn", HISTORY, "", "Dễ", "Thủ đô của Lào là thành phố nào?",
               "Viêng Chăn", "Luông Pha-bang", "", "", "", ""],
              ["e2e-hong-03", "Một lựa chọn", HISTORY, "", "Dễ", "Nước nào gia nhập ASEAN năm 1984?",
               "Bru-nây", "Lào", "Mi-an-ma", "Cam-pu-chia", "E", ""]]
    upload(page, "hong.xlsx", workbook(broken))
    problems = page.locator("ul.problems li")
    expect(problems.first).to_be_visible()
    expect(problems.filter(has_text="hong.xlsx, dòng 3").filter(has_text="Đáp án đúng")).to_have_count(1)
    expect(problems.filter(has_text="hong.xlsx, dòng 4")).not_to_have_count(0)
    expect(page.locator(".alert-error[role=alert]")).to_contain_text("Không nhập câu nào")
    expect(page.locator("form.confirm-import")).to_have_count(0)
    check("import-broken-file")
    page.goto(bank_url)
    expect(page.locator("table.questions-table")).to_have_count(0)

    # The good file: the check page lists the six questions in Vietnamese; confirm; they arrive as drafts.
    page.locator("main a[href$='/import']").click()
    upload(page, "cau-hoi-tuan-le-asean.xlsx", workbook(QUESTIONS))
    expect(page.locator("form.confirm-import")).to_be_visible()
    expect(page.locator("ul.problems")).to_have_count(0)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(QUESTIONS))
    expect(rows.nth(1)).to_contain_text("Việt Nam trở thành thành viên ASEAN")
    expect(page.locator("main")).to_contain_text("cau-hoi-tuan-le-asean.xlsx")
    check("import-check-page")
    page.locator("form.confirm-import button[type=submit].primary").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Đã nhập cau-hoi-tuan-le-asean.xlsx: {len(QUESTIONS)} câu mới")
    expect(page).to_have_url(re.compile(re.escape(bank_url) + r"(\?.*)?$"))
    expect(page.locator("tr:has(.row-check)")).to_have_count(len(QUESTIONS))
    expect(page.locator("td .status-draft")).to_have_count(len(QUESTIONS))
    expect(page.locator("main")).to_contain_text("Ban Thư ký ASEAN đặt trụ sở tại thành phố nào?")

    # Bulk approval: tick all, "Duyệt", apply.
    page.wait_for_load_state()  # bank_list.js (deferred) handles "tick all"
    page.locator("#check-all").check()
    expect(page.locator(".row-check:checked")).to_have_count(len(QUESTIONS))
    page.locator(".bulk-bar select[name=action]").select_option("approve")
    expect(page.locator(".lang button[value=en]")).to_have_count(1)  # the language switcher, not the list filter
    check("questions-ticked")
    page.locator(".bulk-bar button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{len(QUESTIONS)} câu đã thay đổi")
    expect(page.locator("td .status-approved")).to_have_count(len(QUESTIONS))
    expect(page.locator("td .status-draft")).to_have_count(0)
    shots(page, "questions-approved", full_page=True)

    # A province contest for one school, with a round drawing 3 easy history + 2 medium economic questions.
    page.goto("/contests/new")
    page.locator("input[name=title]").fill(CONTEST)
    page.locator("#unit_ids label.check", has_text=SCHOOL).locator("input").check()
    check("new-contest")
    page.locator("main form button[type=submit].primary").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_role("heading", name=CONTEST)).to_be_visible()
    expect(page.locator("main")).to_contain_text(SCHOOL)

    page.locator("main a[href$='/rounds/new']").first.click()
    expect(page.locator("form#round-form.js")).to_have_count(1)  # contest_round_form.js is listening
    now = datetime.now(LOCAL)
    page.locator("input[name=title]").fill("Tuần lễ ASEAN – vòng sơ khảo")
    page.locator("input[name=opens_at]").fill(local_input(now + timedelta(hours=1)))
    page.locator("input[name=closes_at]").fill(local_input(now + timedelta(days=7)))
    page.locator("input[name=time_limit_minutes]").fill("20")
    page.locator("input[name=paper_mode][value=draw]").check()
    page.locator("#bank_ids label.check", has_text=BANK).locator("input").check()
    expect(page.locator("td[data-cell='history:easy'] .avail")).to_have_attribute("data-have", "3")
    expect(page.locator("td[data-cell='economic:medium'] .avail")).to_have_attribute("data-have", "3")
    page.locator("input[name=cell_history_easy]").fill("3")
    page.locator("input[name=cell_economic_medium]").fill("2")
    expect(page.locator("#blueprint-total")).to_contain_text("5")
    check("new-round")
    page.locator("form#round-form button.primary[value=save]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Tuần lễ ASEAN – vòng sơ khảo")

    page.locator("main form[action$='/schedule'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main form[action$='/unschedule']")).to_have_count(1)
    check("contest-scheduled")

    # The sample paper is drawn from the imported questions only.
    page.locator("main a[href*='/preview']").first.click()
    stems = page.locator(".preview-list .q .q-stem")
    expect(stems).to_have_count(5)
    drawn = [s.strip() for s in stems.all_inner_texts()]
    assert set(drawn) <= set(STEMS), drawn
    assert sum(s in STEMS[:3] for s in drawn) == 3, drawn
    check("round-preview")

    assert not found, "axe-core found serious or critical violations:\n" + json.dumps(found, ensure_ascii=False,
                                                                                       indent=1)
