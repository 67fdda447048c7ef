"""CSV with the spreadsheet template columns: UTF-8 with or without BOM, written with a BOM for Excel."""

import csv
import io

from qb_formats import carried, located, to_cp1258
from qb_samples import PNG, multiple_question, single_question, true_false_question

from question_bank.formats import read, write, write_template
from question_bank.formats.spreadsheet import HEADERS
from question_bank.model import Difficulty, Pillar, QuestionType

BOM = b"\xef\xbb\xbf"
# CSV carries every field in both languages; image files cannot travel in it (references stay).
CSV_FIELDS = {"type", "texts", "explanation", "pillar", "tags", "difficulty", "source", "name", "key"}


def table(rows, delimiter=",", bom=False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (BOM if bom else b"") + buffer.getvalue().encode("utf-8")


def test_the_template_is_the_vietnamese_header_in_utf8_with_bom():
    data = write_template("csv")
    assert data.startswith(BOM)
    text = data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header == list(HEADERS)
    assert header[:7] == ["Mã", "Loại", "Trụ cột", "Chủ đề", "Độ khó", "Câu hỏi (VI)", "Phương án A (VI)"]
    assert "Đáp án đúng" in header and "Giải thích (EN)" in header and header[-2:] == ["Nguồn", "Tên"]
    [problem] = read(data, "mau.csv").problems
    assert problem.code == "empty_file" and problem.message() == "tệp rỗng, không có câu hỏi nào"


def test_export_has_a_bom_and_keeps_vietnamese_diacritics_for_excel():
    data = write([single_question()], "csv")
    assert data.startswith(BOM)  # without it Excel shows "Nguá»“n" instead of "Nguồn"
    text = data[3:].decode("utf-8")
    assert "Tuyên bố Bangkok (8/8/1967); asean.org" in text and "Lịch sử và thể chế ASEAN" in text
    assert text.endswith("\r\n")


def test_round_trip_keeps_every_field_but_image_files():
    questions = [single_question(images={"x.png": PNG}), multiple_question(), true_false_question()]
    questions[0].stem["vi"] += '<br><img src="x.png" alt="Bản đồ">'
    questions[1].explanation["vi"] = "Dòng 1<br>Dòng 2 &amp; <i>nghiêng</i>, \"trích dẫn\""
    questions[2].stem["en"] = "ASEAN Day is 8 August; the flag is blue, red, white and yellow."
    result = read(write(questions, "csv"), "export.csv")
    assert result.ok, [p.describe() for p in result.problems]
    assert result.question_list == [carried(q, None, CSV_FIELDS) for q in questions]
    [warning] = result.warnings  # the picture is referenced but its file cannot travel in CSV
    assert (warning.code, warning.location.row) == ("missing_image", 2)


def test_hand_made_files_with_or_without_bom_and_with_semicolons_or_tabs():
    rows = [
        ["Loại", "Trụ cột", "Độ khó", "Câu hỏi (VI)", "Phương án A (VI)", "Phương án B (VI)", "Phương án C (VI)", "Đáp án đúng", "Chủ đề"],
        ["Một lựa chọn", "Kinh tế", "Khó", "Năm nào AEC ra đời?", "2008", "2015", "2020", "B", "AEC; Thương mại"],
        ["", "", "", "", "", "", "", "", ""],
        ["Đúng/Sai", "history", "dễ", "Việt Nam gia nhập ASEAN năm 1995.", "", "", "", "Đúng", ""],
        ["", "", "", "Chọn các nước sáng lập ASEAN", "Thái Lan", "Việt Nam", "Indonesia", "A;C", ""],
    ]
    for delimiter, bom in ((",", False), (",", True), (";", True), ("\t", False)):
        result = read(table(rows, delimiter, bom), "cau-hoi.csv")
        assert result.ok, (delimiter, bom, [p.describe() for p in result.problems])
        (loc1, aec), (loc2, vietnam), (loc3, founders) = result.questions
        assert (loc1.row, loc2.row, loc3.row) == (2, 4, 5)
        assert aec.type is QuestionType.SINGLE and aec.pillar is Pillar.ECONOMIC and aec.difficulty is Difficulty.HARD
        assert aec.tags == ["aec", "thuong-mai"] and aec.correct_indexes == [1]
        assert vietnam.type is QuestionType.TRUE_FALSE and [o.text["vi"] for o in vietnam.options] == ["Đúng", "Sai"]
        assert vietnam.correct_indexes == [0] and vietnam.difficulty is Difficulty.EASY
        assert founders.type is QuestionType.MULTIPLE and founders.correct_indexes == [0, 2]


def test_line_breaks_inside_cells_keep_the_excel_row_numbers():
    rows = [
        ["Câu hỏi (VI)", "Phương án A (VI)", "Phương án B (VI)", "Đáp án đúng"],
        ["Dòng một\nDòng hai?", "a", "b", "A"],
        ["Câu thứ hai", "a", "", "A"],
    ]
    result = read(table(rows), "a.csv")
    [problem] = result.problems
    assert (problem.location.row, problem.field, problem.code) == (3, "options", "too_few_options")
    assert result.question_list[0].stem == {"vi": "Dòng một<br>Dòng hai?"}


def test_cells_that_look_like_formulas_are_written_as_text_and_read_back_unchanged():
    question = single_question(source="=HYPERLINK(\"http://evil.example\",\"x\")", name="+84 giờ")
    question.options[0].text = {"vi": "-1961", "en": "@1961"}
    question.options[2].text = {"vi": "'=1976", "en": "'1976"}
    data = write([question], "csv")
    row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1]
    cells = dict(zip(HEADERS, row))
    assert cells["Nguồn"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert (cells["Tên"], cells["Phương án A (VI)"], cells["Phương án A (EN)"]) == ("'+84 giờ", "'-1961", "'@1961")
    assert (cells["Phương án C (VI)"], cells["Phương án C (EN)"]) == ("''=1976", "'1976")
    [(_, back)] = read(data, "export.csv").questions
    assert back == question


def test_every_problem_of_every_row_is_reported_with_its_row_question_and_field():
    header = ["Mã", "Loại", "Trụ cột", "Độ khó", "Câu hỏi (VI)", "Phương án A (VI)", "Phương án B (VI)", "Phương án C (VI)", "Đáp án đúng", "Tên"]
    rows = [
        header,
        ["", "Một lựa chọn", "", "", "Hiến chương ASEAN có hiệu lực năm nào?", "2007", "2008", "", "", "Hiến chương"],
        ["", "trắc nghiệm", "thể thao", "rất khó", "Câu 2", "a", "b", "", "A", ""],
        ["", "", "", "", "Câu 3", "a", "", "c", "E", ""],
        ["", "Một lựa chọn", "", "", "Câu 4", "a", "b", "c", "A;B", ""],
        ["", "", "", "", "Câu 5 <b>đậm", "a", "b", "", "A", ""],
        ["Mã Lỗi", "", "", "", "Câu 6", "a", "A", "", "A", ""],
        ["hien-chuong", "", "", "", "Câu 7", "a", "b", "", "A", ""],
        ["hien-chuong", "", "", "", "Câu 8", "a", "b", "", "B", ""],
    ]
    result = read(table(rows), "cau-hoi.csv")
    assert not result.ok and len(result.questions) == 1  # only "Câu 7"; nothing may be imported
    assert located(result) == [
        (2, "Hiến chương", "correct", "no_correct"),
        (3, "Câu 2", "difficulty", "unknown_difficulty"),
        (3, "Câu 2", "pillar", "unknown_pillar"),
        (3, "Câu 2", "type", "unknown_type"),
        (4, "Câu 3", "correct", "correct_out_of_range"),
        (4, "Câu 3", "options[1].vi", "option_gap"),
        (5, "Câu 4", "correct", "one_correct_only"),
        (6, "Câu 5 đậm", "stem.vi", "broken_markup"),
        (7, "Mã Lỗi", "key", "bad_key"),
        (7, "Mã Lỗi", "options", "duplicate_option"),
        (9, "hien-chuong", "key", "duplicate_key"),
    ]
    by_code = {p.code: p for p in result.problems}
    assert by_code["unknown_type"].describe() == (
        "cau-hoi.csv, dòng 3, câu «Câu 2», trường «Loại»: loại câu hỏi «trắc nghiệm» không hợp lệ; "
        "dùng một trong: Một lựa chọn, Nhiều lựa chọn, Đúng/Sai"
    )
    assert by_code["unknown_type"].describe("en") == (
        "cau-hoi.csv, row 3, question “Câu 2”, field “Type”: “trắc nghiệm” is not a valid question type; "
        "use one of: Single choice, Multiple choice, True/False"
    )
    assert by_code["option_gap"].message() == "phương án B bị bỏ trống trong khi các phương án sau nó có nội dung"
    assert by_code["duplicate_key"].message() == "mã «hien-chuong» đã được dùng cho một câu khác trong tệp (dòng 8, câu «hien-chuong»)"


def test_header_problems_and_a_ninth_option_column():
    rows = [["Câu hỏi (VI)", "Phương án A (VI)", "Phương án I (VI)", "Ghi chú"], ["x", "a", "b", ""]]
    result = read(table(rows), "a.csv", format="csv")
    assert located(result) == [
        (1, "", "header", "missing_column"),
        (1, "", "header", "missing_column"),
        (1, "", "header", "unknown_column"),
        (1, "", "header", "unknown_column"),
    ]
    assert sorted(p.message() for p in result.problems) == [
        "cột «Ghi chú» không có trong mẫu (kiểm tra lại chính tả tên cột)",
        "cột «Phương án I (VI)» không có trong mẫu (kiểm tra lại chính tả tên cột)",
        "thiếu cột «Phương án B (VI)»",
        "thiếu cột «Đáp án đúng»",
    ]


def test_a_windows_1258_csv_is_an_encoding_problem_with_advice():
    text = "Câu hỏi (VI),Phương án A (VI),Phương án B (VI),Đáp án đúng\r\nThủ đô Lào?,Viêng Chăn,Hà Nội,A\r\n"
    [problem] = read(to_cp1258(text), "cp1258.csv").problems
    assert problem.code == "encoding" and problem.location.line == 1
    assert problem.describe() == (
        "cp1258.csv, dòng 1: tệp không được mã hóa UTF-8 (byte lỗi ở vị trí 2), có thể là Windows-1258 hoặc "
        "Windows-1252; hãy lưu lại tệp với mã hóa UTF-8 (trong Excel chọn «CSV UTF-8 (Comma delimited)», "
        "trong Notepad chọn Encoding «UTF-8»)"
    )
    [problem] = read(text.encode("utf-16"), "utf16.csv", format="csv").problems
    assert problem.code == "encoding"


def test_an_unclosed_quote_and_an_overlong_cell_are_clear_problems():
    header = "Câu hỏi (VI),Phương án A (VI),Phương án B (VI),Đáp án đúng\n"
    [problem] = read((header + 'ok?,a,b,A\n"Câu chưa đóng?,a,b,A\nCâu sau?,a,b,A\n').encode(), "a.csv").problems
    assert (problem.code, problem.location.row) == ("csv_unclosed_quote", 3)
    assert problem.message().startswith("dấu ngoặc kép (\") mở ở dòng này không được đóng")
    [problem] = read((header + '"' + "x" * 200_000 + '",a,b,A\n').encode(), "b.csv").problems
    assert (problem.code, problem.location.row) == ("cell_too_long", 2)
    assert problem.message() == "có một ô dài hơn 131072 ký tự; hãy kiểm tra lại tệp (có thể thiếu dấu ngoặc kép đóng)"
