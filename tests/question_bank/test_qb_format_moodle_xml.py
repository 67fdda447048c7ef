"""Moodle XML: multichoice (single and multiple) and truefalse, categories, images, unsupported types."""

import pathlib
import xml.etree.ElementTree as ET

from qb_formats import carried, line_of, located, to_cp1258
from qb_samples import PNG, multiple_question, single_question, true_false_question

from question_bank.formats import read, write
from question_bank.model import Option, Pillar, Question, QuestionType

FILES = pathlib.Path(__file__).parent / "files"
# Moodle XML carries one language per file, the name, key (idnumber), tags, pillar (category),
# explanation (general feedback) and images; not the difficulty nor the source.
MOODLE_FIELDS = {"type", "texts", "explanation", "pillar", "tags", "name", "key", "images"}


def quiz(*questions: str, category: str | None = None) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    if category is not None:
        parts.append(f'<question type="category"><category><text>{category}</text></category></question>')
    parts += list(questions)
    parts.append("</quiz>")
    return "\n".join(parts).encode("utf-8")


def multichoice(name: str, stem: str, answers: list[tuple[str, str]], single: str = "true", extra: str = "") -> str:
    body = "".join(
        f'\n  <answer fraction="{fraction}" format="html"><text><![CDATA[{text}]]></text></answer>' for fraction, text in answers
    )
    return (
        f'<question type="multichoice">\n  <name><text>{name}</text></name>\n'
        f'  <questiontext format="html"><text><![CDATA[{stem}]]></text></questiontext>\n'
        f"  <single>{single}</single>{extra}{body}\n</question>"
    )


def test_a_moodle_export_reads_with_categories_sanitised_html_and_images():
    data = (FILES / "moodle_aec.xml").read_bytes()
    result = read(data, "moodle_aec.xml", skip_unsupported=True)
    assert result.ok and result.format == "moodle-xml" and result.warnings == []
    (loc1, aec), (loc2, goals), (loc3, bangkok) = result.questions
    assert (loc1.line, loc2.line, loc3.line) == (
        line_of(data, '<question type="multichoice">'),
        line_of(data, '<question type="multichoice">', 2),
        line_of(data, '<question type="truefalse">'),
    )
    # single choice; category "…/Cộng đồng Kinh tế ASEAN/Thương mại hàng hóa" → pillar + tag
    assert aec.type is QuestionType.SINGLE and aec.correct_indexes == [1]
    assert aec.pillar is Pillar.ECONOMIC
    assert aec.tags == ["aec", "lich-su", "thuong-mai-hang-hoa"]
    assert (aec.name, aec.key) == ("AEC ra đời", "aec-2015")
    # HTML sanitised: the script, style, class and size attributes are gone; the image is kept
    assert aec.stem == {
        "vi": "<p>Cộng đồng Kinh tế ASEAN (AEC) chính thức được thành lập vào năm nào?"
        '<br><img src="ban%20do%20aec.png" alt="Bản đồ AEC"></p>'
    }
    assert aec.images == {"ban do aec.png": PNG}
    assert aec.explanation == {"vi": "<p>AEC được thành lập ngày <b>31/12/2015</b>.</p>"}
    # multiple choice: positive fractions are the correct options
    assert goals.type is QuestionType.MULTIPLE and goals.correct_indexes == [0, 2]
    assert goals.tags == ["thuong-mai-hang-hoa"] and goals.explanation == {}
    # true/false in the next category
    assert bangkok.type is QuestionType.TRUE_FALSE and bangkok.correct_indexes == [0]
    assert [option.text for option in bangkok.options] == [{"vi": "Đúng"}, {"vi": "Sai"}]
    assert bangkok.pillar is Pillar.HISTORY and bangkok.tags == []
    assert bangkok.explanation == {"vi": "Ngày 8/8/1967, năm nước ký Tuyên bố Bangkok."}
    # the unsupported questions are listed as skipped, by type, line and name
    assert [(p.location.line, p.location.question_name, p.params["type"]) for p in result.skipped] == [
        (line_of(data, '<question type="essay">'), "Bài luận về ASEAN", "essay"),
        (line_of(data, '<question type="shortanswer">'), "Thủ đô Lào", "shortanswer"),
        (line_of(data, '<question type="multianswer">'), "Điền từ", "cloze (multianswer)"),
    ]


def test_unsupported_types_reject_the_file_with_their_name_and_line():
    data = (FILES / "moodle_aec.xml").read_bytes()
    result = read(data, "moodle_aec.xml")
    assert not result.ok
    assert result.skipped == []
    line = line_of(data, '<question type="essay">')
    assert [p.describe() for p in result.problems][0] == (
        f"moodle_aec.xml, dòng {line}, câu «Bài luận về ASEAN», trường «Loại»: loại câu hỏi «essay» không được hỗ trợ; "
        "chỉ nhận câu một lựa chọn, nhiều lựa chọn và đúng/sai"
    )
    cloze = line_of(data, '<question type="multianswer">')
    assert result.problems[2].describe("en") == (
        f"moodle_aec.xml, line {cloze}, question “Điền từ”, field “Type”: "
        "question type “cloze (multianswer)” is not supported; only single choice, multiple choice and true/false are"
    )
    assert [p.code for p in result.problems] == ["unsupported_type"] * 3


def test_more_unsupported_types_are_named():
    kinds = ["matching", "numerical", "description", "ddwtos", "calculated"]
    data = quiz(*(f'<question type="{kind}"><name><text>Q {kind}</text></name></question>' for kind in kinds))
    result = read(data, "x.xml")
    assert [p.params["type"] for p in result.problems] == [
        "matching", "numerical", "description", "drag and drop into text (ddwtos)", "calculated"
    ]
    assert [p.location.question_name for p in result.problems] == [f"Q {kind}" for kind in kinds]
    assert [p.location.line for p in result.problems] == [3, 4, 5, 6, 7]
    skipped = read(data, "x.xml", skip_unsupported=True)
    assert skipped.ok and skipped.questions == [] and len(skipped.skipped) == 5


def test_round_trip_keeps_every_field_moodle_xml_carries_in_each_language():
    questions = [single_question(images={"map.png": PNG}), multiple_question(), true_false_question()]
    questions[0].stem["vi"] += '<br><img src="map.png" alt="Bản đồ">'
    questions[0].stem["en"] += '<br><img src="map.png" alt="Map">'
    questions[1].options.append(Option({"vi": "Khu vực hội nhập <i>sâu rộng</i>", "en": "A <i>deeply</i> integrated region"}, True))
    for lang in ("vi", "en"):
        back = read(write(questions, "moodle-xml", language=lang), "bank.xml", language=lang)
        assert back.ok and back.warnings == [], [p.describe() for p in back.problems]
        assert back.question_list == [carried(q, lang, MOODLE_FIELDS) for q in questions]


def test_the_written_file_is_what_moodles_importer_expects():
    question = multiple_question(images={"aec.png": PNG})
    question.options[3].correct = True  # three correct options: 100/3 each, the last absorbs rounding
    question.stem["vi"] += '<img src="aec.png" alt="">'
    root = ET.fromstring(write([question, true_false_question()], "moodle-xml"))
    categories = [element.findtext("category/text") for element in root.iter("question") if element.get("type") == "category"]
    assert categories == [
        "$course$/top/ASEAN Quiz/Cộng đồng Kinh tế ASEAN",
        "$course$/top/ASEAN Quiz/Cộng đồng Văn hóa - Xã hội ASEAN",
    ]
    multi = root.find("question[@type='multichoice']")
    assert multi.findtext("single") == "false" and multi.findtext("idnumber") == "econ-002"
    assert [answer.get("fraction") for answer in multi.findall("answer")] == ["33.33333", "-33.33333", "33.33333", "33.33334"]
    assert '<img src="@@PLUGINFILE@@/aec.png"' in multi.findtext("questiontext/text")
    file = multi.find("questiontext/file")
    assert (file.get("name"), file.get("path"), file.get("encoding")) == ("aec.png", "/", "base64")
    truefalse = root.find("question[@type='truefalse']")
    assert [(a.findtext("text"), a.get("fraction")) for a in truefalse.findall("answer")] == [("true", "100"), ("false", "0")]


def test_every_invalid_question_is_located_by_line_name_and_field():
    nine = [("100" if i == 0 else "0", f"Phương án {i}") for i in range(9)]
    data = quiz(
        multichoice("Không đáp án", "Thủ đô Lào?", [("0", "Viêng Chăn"), ("0", "Hà Nội")]),
        multichoice("Một phương án", "Thủ đô Lào?", [("100", "Viêng Chăn")]),
        multichoice("Chín phương án", "Chọn một", nine),
        multichoice("Thẻ lỗi", "<b>Thủ đô</i> Lào?", [("100", "Viêng Chăn"), ("0", "Hà Nội")]),
        multichoice("Điểm lẻ", "Chọn một", [("50", "A"), ("50", "B")]),
        multichoice("Hai đúng", "Chọn một", [("100", "A"), ("100", "B")]),
        multichoice("Điểm sai", "Chọn", [("x", "A"), ("100", "B")]),
        '<question type="truefalse"><name><text>Đúng sai</text></name><questiontext><text>ASEAN?</text></questiontext>'
        '<answer fraction="0"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>',
        '<question type="multichoice"><name><text>Ảnh hỏng</text></name><questiontext><text>Q</text>'
        '<file name="x.png" encoding="base64">@@@</file></questiontext>'
        '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>',
        category="$course$/top/Lịch sử",
    )
    result = read(data, "loi.xml")
    assert not result.ok and result.questions == []
    line = [line_of(data, '<question type="multichoice">', n) for n in range(1, 8)]
    line.insert(7, line_of(data, '<question type="truefalse">'))
    line.append(line_of(data, '<question type="multichoice">', 8))
    assert located(result) == [
        (line[0], "Không đáp án", "correct", "no_correct"),
        (line[1], "Một phương án", "options", "too_few_options"),
        (line[2], "Chín phương án", "options", "too_many_options"),
        (line[3], "Thẻ lỗi", "stem.vi", "broken_markup"),
        (line[4], "Điểm lẻ", "correct", "partial_fraction"),
        (line[4], "Điểm lẻ", "correct", "partial_fraction"),
        (line[5], "Hai đúng", "correct", "one_correct_only"),
        (line[6], "Điểm sai", "options[0]", "bad_number"),
        (line[7], "Đúng sai", "correct", "no_correct"),
        (line[8], "Ảnh hỏng", "images", "bad_base64"),
    ]
    messages = {p.location.question_name: p for p in result.problems}
    assert messages["Chín phương án"].message() == "chỉ được có tối đa 8 phương án (hiện có 9)"
    assert messages["Chín phương án"].message("en") == "there can be at most 8 options (found 9)"
    assert messages["Thẻ lỗi"].describe() == (
        f"loi.xml, dòng {line[3]}, câu «Thẻ lỗi», trường «Câu hỏi (VI)»: "
        "mã HTML bị lỗi (thẻ chưa đóng, đóng sai thứ tự hoặc thừa): </i> <b>"
    )
    assert messages["Hai đúng"].message() == "câu một lựa chọn chỉ được có đúng một đáp án đúng (đang đánh dấu: A, B)"
    assert messages["Điểm lẻ"].message() == (
        "phương án B được 50% số điểm; câu một lựa chọn không hỗ trợ điểm từng phần (chỉ 100% hoặc 0%)"
    )
    assert messages["Ảnh hỏng"].message() == "dữ liệu của ảnh «x.png» không phải base64 hợp lệ"


def test_malformed_xml_and_wrong_root_are_located():
    data = b'<?xml version="1.0"?>\n<quiz>\n<question type="multichoice">\n<name><text>A</name>\n</quiz>'
    [problem] = read(data, "hong.xml").problems
    assert problem.code == "xml_malformed" and problem.location.line == 4
    assert problem.describe().startswith("hong.xml, dòng 4: XML không hợp lệ (cột ")
    [problem] = read(b"<?xml version='1.0'?>\n<questions/>", "khac.xml").problems
    assert problem.code == "xml_not_quiz" and problem.location.line == 2
    assert problem.message() == "phần tử gốc của tệp Moodle XML phải là <quiz> (đang là <questions>)"
    for empty in (b"", b"<quiz></quiz>", quiz(category="$course$/top/X")):
        assert [p.code for p in read(empty, "rong.xml", format="moodle-xml").problems] == ["empty_file"]


def test_a_windows_1258_file_that_claims_utf8_is_an_encoding_problem():
    text = quiz(multichoice("Thủ đô", "Thủ đô của Lào là gì?", [("100", "Viêng Chăn"), ("0", "Hà Nội")])).decode()
    [problem] = read(to_cp1258(text), "cp1258.xml").problems
    assert problem.code == "encoding" and problem.location.line == line_of(text, "<name>")
    assert "UTF-8" in problem.message() and "Windows-1258" in problem.message()
    # a file that says which legacy encoding it uses is decoded, and its texts are composed (NFC)
    declared = to_cp1258(text.replace('encoding="UTF-8"', 'encoding="windows-1258"'))
    [question] = read(declared, "cp1258.xml").question_list
    assert question.stem == {"vi": "Thủ đô của Lào là gì?"} and question.options[1].text == {"vi": "Hà Nội"}


def test_english_file_and_plain_text_fields():
    data = quiz(
        '<question type="multichoice"><name><text>Capital</text></name>'
        '<questiontext format="plain_text"><text>Is 1 &lt; 2?\nPick one</text></questiontext>'
        '<single>1</single><answer fraction="100" format="plain_text"><text>Yes &amp; sure</text></answer>'
        '<answer fraction="0" format="plain_text"><text>No</text></answer></question>'
    )
    [question] = read(data, "en.xml", language="en").question_list
    assert question.stem == {"en": "Is 1 &lt; 2?<br>Pick one"}
    assert [option.text for option in question.options] == [{"en": "Yes &amp; sure"}, {"en": "No"}]
    assert question.type is QuestionType.SINGLE


def test_questions_without_a_pillar_category_keep_the_last_category_as_a_tag():
    data = quiz(
        multichoice("A", "Thủ đô Lào?", [("100", "Viêng Chăn"), ("0", "Hà Nội")]),
        category="$course$/top/Default for Lớp 10/Ôn tập học kỳ",
    )
    [question] = read(data, "x.xml").question_list
    assert question.pillar is None and question.tags == ["on-tap-hoc-ky"]


def test_only_one_language_is_written_and_missing_text_is_refused():
    question = Question(QuestionType.SINGLE, {"vi": "Thủ đô Lào?"}, [Option({"vi": "Viêng Chăn"}, True), Option({"vi": "Hà Nội"})])
    data = write([question], "moodle-xml", language="vi")
    assert "Thủ đô Lào?" in data.decode()
    try:
        write([question], "moodle-xml", language="en")
    except ValueError as error:
        [problem] = error.problems
        assert problem.code == "export_missing_language" and problem.field == "stem.en"
        assert problem.message() == "câu hỏi chưa có nội dung bằng ngôn ngữ «en» để xuất ra định dạng moodle-xml"
    else:
        raise AssertionError("an English export of a Vietnamese-only question must be refused")
