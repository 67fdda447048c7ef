"""Formats are detected from the content first, then from the file extension."""

import io

import openpyxl
import pytest
from qb_samples import single_question, true_false_question

from question_bank.formats import FORMATS, UNKNOWN, detect, detect_format, format_from_name, read, write, write_template


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_written_format_is_recognised_by_its_content_whatever_its_name(fmt):
    data = write([single_question(), true_false_question()], fmt)
    for name in ("upload", "cau-hoi.bin", "cau-hoi.txt", f"x{'.csv' if fmt != 'csv' else '.xml'}"):
        assert detect_format(name, data) == fmt, name
    result = read(data, "upload")
    assert result.ok and result.format == fmt and len(result.questions) == 2


def test_templates_and_hand_made_files_are_recognised():
    assert detect_format("mau", write_template("xlsx")) == "xlsx"
    assert detect_format("mau", write_template("csv")) == "csv"
    no_bom = "Câu hỏi (VI);Phương án A (VI);Phương án B (VI);Đáp án đúng\nx;a;b;A\n".encode()
    assert detect_format("data", no_bom) == "csv"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Câu hỏi (VI)", "Phương án A (VI)", "Phương án B (VI)", "Đáp án đúng"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert detect_format("Book1.XLSX", buffer.getvalue()) == "xlsx"
    moodle = b'\xef\xbb\xbf  <?xml version="1.0" encoding="UTF-8"?>\n<quiz></quiz>'
    assert detect_format("export.txt", moodle) == "moodle-xml"
    assert detect_format("q", b"<quiz>\n</quiz>") == "moodle-xml"
    assert detect_format("q", "Thủ đô Lào?\nA) Viêng Chăn\nB) Hà Nội\nANSWER: A\n".encode()) == "aiken"
    assert detect_format("q", "::Q1:: Thủ đô Lào? {=Viêng Chăn ~Hà Nội}".encode()) == "gift"
    assert detect_format("q", "Hiến chương ASEAN có hiệu lực năm 2008. {T}".encode()) == "gift"
    assert detect_format("q", b'[\n  {"type": "single"}\n]') == "json"
    assert detect_format("q", b"[]") == "json"


def test_the_extension_decides_when_the_content_says_nothing():
    plain = "Một đoạn văn bản không có câu hỏi.".encode()
    assert detect_format("a.gift", plain) == "gift"
    assert detect_format("a.txt", plain) == "gift"
    assert detect_format("a.csv", plain) == "csv"
    assert detect_format("a.json", plain) == "json"
    assert detect_format("a.xml", plain) == "moodle-xml"
    assert detect_format("a.XLSX", plain) == "xlsx"
    assert detect_format("a.pdf", plain) == UNKNOWN
    assert detect_format("", b"") == UNKNOWN


def test_an_unknown_format_is_a_problem_that_lists_the_supported_ones():
    result = read(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "de-thi.pdf")
    assert not result.ok and result.format == UNKNOWN
    [problem] = result.problems
    assert problem.describe() == (
        "de-thi.pdf: không nhận ra định dạng của tệp; các định dạng được hỗ trợ: json, xlsx, csv, moodle-xml, gift, aiken"
    )
    assert problem.describe("en") == "de-thi.pdf: unrecognised file format; supported formats: json, xlsx, csv, moodle-xml, gift, aiken"


def test_an_old_xls_workbook_is_recognised_and_refused_with_advice():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert detect_format("cu.xls", data) == "xlsx"
    [problem] = read(data, "cu.xls").problems
    assert problem.message() == (
        "tệp Excel cũ (.xls) không được hỗ trợ; hãy mở tệp và lưu lại dưới dạng Excel Workbook (.xlsx)"
    )


def test_format_given_by_the_caller_wins_over_detection():
    data = "Thủ đô Lào?\nA. Viêng Chăn\nB. Hà Nội\nANSWER: A\n".encode()
    assert read(data, "a.gift", format="aiken").format == "aiken"
    result = read(data, "a.txt", format="gift")
    assert result.format == "gift" and not result.ok  # read as GIFT, the same text is a description


def test_format_names_and_the_detect_alias():
    assert format_from_name("Moodle XML") == "moodle-xml"
    assert format_from_name("moodle_xml") == "moodle-xml"
    assert format_from_name("GIFT") == "gift"
    assert format_from_name("excel") is None
    data = write([single_question()], "gift")
    assert detect("a.txt", data) == detect_format("a.txt", data) == "gift"


def test_text_that_is_not_utf8_goes_by_its_extension_and_gets_the_encoding_advice():
    from qb_formats import to_cp1258

    csv_text = to_cp1258("Câu hỏi (VI),Phương án A (VI),Phương án B (VI),Đáp án đúng\nThủ đô Lào?,Viêng Chăn,Hà Nội,A\n")
    xml_text = to_cp1258('<?xml version="1.0"?>\n<quiz><question type="truefalse"><name><text>Hà Nội</text></name></question></quiz>')
    for name, data, fmt in (("a.csv", csv_text, "csv"), ("a.xml", xml_text, "moodle-xml"), ("a.json", b'[{"a": "\xe2\xd2"}]', "json")):
        assert detect_format(name, data) == fmt
        [problem] = read(data, name).problems
        assert problem.code == "encoding", name
