import io
import os

import openpyxl
import pytest
from qb_samples import PNG, multiple_question, single_question, true_false_question

from question_bank.formats import read, write, write_template
from question_bank.formats.spreadsheet import HEADERS
from question_bank.model import Difficulty, Option, Pillar, Question, QuestionType


def workbook_bytes(rows, title="Câu hỏi"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems(result):
    return sorted((p.location.row, p.field, p.code) for p in result.problems)


def test_template_has_the_vietnamese_header_and_an_instructions_sheet():
    workbook = openpyxl.load_workbook(io.BytesIO(write_template("xlsx")))
    assert workbook.sheetnames == ["Câu hỏi", "Hướng dẫn"]
    header = [cell.value for cell in workbook["Câu hỏi"][1]]
    assert header[:7] == ["Mã", "Loại", "Trụ cột", "Chủ đề", "Độ khó", "Câu hỏi (VI)", "Phương án A (VI)"]
    assert header[13:16] == ["Phương án H (VI)", "Đáp án đúng", "Giải thích (VI)"]
    assert header[-2:] == ["Nguồn", "Tên"] and len(header) == 28
    guide = "\n".join(str(cell.value) for row in workbook["Hướng dẫn"].iter_rows() for cell in row if cell.value)
    assert "Đáp án đúng" in guide and "A;C" in guide and "Trung bình" in guide
    assert workbook["Câu hỏi"].freeze_panes == "B2"
    assert len(workbook["Câu hỏi"].data_validations.dataValidation) == 3


def test_reading_the_empty_template_says_there_are_no_questions():
    [problem] = read(write_template("xlsx"), "mau.xlsx").problems
    assert problem.code == "empty_file"


def test_a_hand_made_sheet_with_loose_headers_and_numbers_reads():
    rows = [
        ["loai", "TRU COT", "chu de", "Do kho", "Cau hoi (vi)", "Phuong an A (VI)", "phương án b (vi)", "Phương án C (VI)", "dap an dung", "Nguon"],
        ["một lựa chọn", "kinh te", "Thương mại; AEC", "khó", "Năm nào AEC ra đời?", 2008, 2015, 2020, "b", "asean.org"],
        [None] * 10,
        ["đúng sai", "history", "", "", "ASEAN có 10 thành viên.", None, None, None, "Đúng", ""],
        ["multiple", "", "", "", "Chọn các nước Đông Nam Á", "Việt Nam", "Lào", "Nhật Bản", "A, B", ""],
    ]
    result = read(workbook_bytes(rows), "cau-hoi.xlsx")
    assert result.ok, [p.describe() for p in result.problems]
    (loc1, q1), (loc2, q2), (loc3, q3) = result.questions
    assert (loc1.row, loc2.row, loc3.row) == (2, 4, 5)  # rows as Excel numbers them
    assert q1.type is QuestionType.SINGLE and q1.pillar is Pillar.ECONOMIC and q1.difficulty is Difficulty.HARD
    assert q1.tags == ["thuong-mai", "aec"] and [o.text["vi"] for o in q1.options] == ["2008", "2015", "2020"]
    assert q1.correct_indexes == [1]
    assert q2.type is QuestionType.TRUE_FALSE and [o.text for o in q2.options] == [{"vi": "Đúng"}, {"vi": "Sai"}]
    assert q2.correct_indexes == [0] and q2.difficulty is Difficulty.MEDIUM
    assert q3.type is QuestionType.MULTIPLE and q3.correct_indexes == [0, 1]


def test_round_trip_keeps_every_field_but_images():
    questions = [single_question(images={"x.png": PNG}), multiple_question(), true_false_question()]
    questions[1].explanation["vi"] = "Dòng 1\nDòng 2 &amp; <i>nghiêng</i>"  # stored text is sanitised HTML
    questions[1].stem["en"] = "Which goals?<br>Tick all that apply"
    result = read(write(questions, "xlsx"), "export.xlsx")
    assert result.ok
    questions[0].images = {}
    assert result.question_list == questions


def test_cells_that_look_like_formulas_are_written_as_text_and_read_back_unchanged():
    question = single_question(source="=HYPERLINK(\"http://evil.example\",\"x\")", name="+84 giờ")
    question.options[0].text = {"vi": "-1961", "en": "@1961"}
    question.options[2].text = {"vi": "'=1976", "en": "'1976"}
    data = write([question], "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Câu hỏi"]
    cells = {sheet.cell(1, c).value: sheet.cell(2, c) for c in range(1, sheet.max_column + 1)}
    for header in ("Nguồn", "Tên", "Phương án A (VI)", "Phương án A (EN)"):
        assert cells[header].data_type == "s" and cells[header].quotePrefix, header
    [(_, back)] = read(data, "export.xlsx").questions
    assert back == question


def test_header_problems_are_all_reported_on_row_1():
    rows = [["Loại", "Câu hỏi (VI)", "Phương án A (VI)", "Ghi chú", "Loại"], ["single", "x", "a", "", ""]]
    result = read(workbook_bytes(rows), "a.xlsx")
    assert problems(result) == [
        (1, "header", "duplicate_column"),
        (1, "header", "missing_column"),
        (1, "header", "missing_column"),
        (1, "header", "unknown_column"),
    ]
    messages = sorted(p.message() for p in result.problems)
    assert messages == sorted([
        "cột «Loại» xuất hiện nhiều lần",
        "cột «Ghi chú» không có trong mẫu (kiểm tra lại chính tả tên cột)",
        "thiếu cột «Phương án B (VI)»",
        "thiếu cột «Đáp án đúng»",
    ])


def test_a_sheet_without_the_template_header_is_a_bad_header():
    [problem] = read(workbook_bytes([["Họ tên", "Lớp"], ["An", "10A"]]), "hs.xlsx").problems
    assert problem.code == "bad_header"


def test_row_problems_name_the_row_the_question_and_the_bad_value():
    header = ["Loại", "Trụ cột", "Độ khó", "Câu hỏi (VI)", "Phương án A (VI)", "Phương án B (VI)", "Phương án C (VI)", "Đáp án đúng", "Tên"]
    rows = [
        header,
        ["một lựa chọn", "", "", "Hiến chương ASEAN có hiệu lực năm nào?", "2007", "2008", "", "", "Hiến chương ASEAN"],
        ["trắc nghiệm", "thể thao", "rất khó", "Câu 2", "a", "b", "", "A", ""],
        ["một lựa chọn", "", "", "Câu 3", "a", "", "c", "E", ""],
        ["nhiều lựa chọn", "", "", "", "a", "b", "", "A;B;1", ""],
    ]
    result = read(workbook_bytes(rows), "questions.xlsx")
    assert problems(result) == [
        (2, "correct", "no_correct"),
        (3, "difficulty", "unknown_difficulty"),
        (3, "pillar", "unknown_pillar"),
        (3, "type", "unknown_type"),
        (4, "correct", "correct_out_of_range"),
        (4, "options[1].vi", "option_gap"),
        (5, "correct", "bad_correct"),
        (5, "stem.vi", "empty_text"),
    ]
    first = result.problems[0]
    assert first.describe() == (
        "questions.xlsx, dòng 2, câu «Hiến chương ASEAN», trường «Đáp án đúng»: phải có ít nhất một đáp án đúng"
    )
    pillar = next(p for p in result.problems if p.code == "unknown_pillar")
    assert pillar.message() == (
        "trụ cột «thể thao» không hợp lệ; dùng một trong: Cộng đồng Chính trị - An ninh ASEAN, "
        "Cộng đồng Kinh tế ASEAN, Cộng đồng Văn hóa - Xã hội ASEAN, Lịch sử và thể chế ASEAN"
    )
    assert "«Câu 2»" in pillar.describe()


def test_english_columns_must_be_complete_when_used():
    header = ["Câu hỏi (VI)", "Phương án A (VI)", "Phương án B (VI)", "Đáp án đúng", "Câu hỏi (EN)", "Phương án A (EN)", "Phương án B (EN)"]
    rows = [header, ["Thủ đô Lào?", "Viêng Chăn", "Hà Nội", "A", "Capital of Laos?", "Vientiane", ""]]
    [problem] = read(workbook_bytes(rows), "a.xlsx").problems
    assert (problem.field, problem.code) == ("options[1].en", "empty_text")
    assert problem.describe() == "a.xlsx, dòng 2, câu «Thủ đô Lào?», trường «Phương án B (EN)»: không được để trống"


def test_files_that_are_not_xlsx():
    assert [p.code for p in read(b"PK\x03\x04garbage", "a.xlsx").problems] == ["not_xlsx"]
    assert [p.code for p in read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls").problems] == [
        "xls_not_supported"
    ]
    assert [p.code for p in read(b"", "a.xlsx").problems] == ["empty_file"]


def test_the_instructions_sheet_is_skipped_and_a_renamed_sheet_is_read():
    data = workbook_bytes([["Câu hỏi (VI)", "Phương án A (VI)", "Phương án B (VI)", "Đáp án đúng"], ["x?", "a", "b", "A"]], title="Sheet1")
    assert len(read(data, "a.xlsx").questions) == 1


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                    reason="pure Python and slow: it already ran in the SQLite pass of make test")
def test_ten_thousand_questions_read_with_every_row_counted():
    questions = [
        Question(
            QuestionType.SINGLE,
            {"vi": f"Câu hỏi số {n} về ASEAN?", "en": f"Question {n} about ASEAN?"},
            [Option({"vi": f"Phương án {c} {n}", "en": f"Option {c} {n}"}, c == "B") for c in "ABCD"],
            key=f"q-{n}",
            pillar=Pillar.ECONOMIC,
            tags=["aec"],
        )
        for n in range(10_000)
    ]
    result = read(write(questions, "xlsx"), "big.xlsx")
    assert result.ok
    assert len(result.questions) == 10_000
    assert result.questions[-1][0].row == 10_001
    assert result.questions[-1][1] == questions[-1]


def test_exported_cells_are_text_so_excel_keeps_diacritics_numbers_and_dates_as_written():
    import zipfile

    question = single_question()
    question.options[0].text = {"vi": "8/8/1967", "en": "0123"}
    data = write([question], "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Câu hỏi"]
    cells = {sheet.cell(1, c).value: sheet.cell(2, c) for c in range(1, sheet.max_column + 1)}
    assert all(cell.data_type == "s" for cell in cells.values() if cell.value is not None)
    assert cells["Phương án A (VI)"].value == "8/8/1967" and cells["Phương án A (EN)"].value == "0123"
    assert cells["Trụ cột"].value == "Lịch sử và thể chế ASEAN" and cells["Độ khó"].value == "Dễ"
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "Tuyên bố Bangkok (8/8/1967); asean.org" in xml  # Unicode text, no code page involved
    assert '<dimension ref="A1:AB2"' in xml  # the size comes first: readers need not scan the sheet
    [(_, back)] = read(data, "export.xlsx").questions
    assert back == question
