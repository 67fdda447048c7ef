"""GIFT: choice and true/false questions, categories, comments with key and tags, escapes, unsupported types."""

import pathlib

from qb_formats import carried, line_of, located, to_cp1258
from qb_samples import PNG, multiple_question, single_question, true_false_question

from question_bank.formats import read, write
from question_bank.model import Option, Pillar, Question, QuestionType

FILES = pathlib.Path(__file__).parent / "files"
# GIFT carries one language per file, the name, key and tags (in a comment), pillar (category)
# and explanation (general feedback); not the difficulty, the source, nor image files.
GIFT_FIELDS = {"type", "texts", "explanation", "pillar", "tags", "name", "key"}


def test_a_gift_file_reads_choice_true_false_and_missing_word_questions():
    data = (FILES / "gift_asean.txt").read_bytes()
    result = read(data, "gift_asean.txt", skip_unsupported=True)
    assert result.ok and result.format == "gift"
    lines = [location.line for location, _ in result.questions]
    assert lines == [
        line_of(data, "::Hiến chương ASEAN::"),
        line_of(data, "::Thành viên sáng lập::"),
        line_of(data, "::Ngày ASEAN::"),
        line_of(data, "Câu hỏi nhanh"),
        line_of(data, "::Điền từ::"),
    ]
    charter, founders, day, quick, blank = result.question_list
    assert charter.type is QuestionType.SINGLE and charter.correct_indexes == [1]
    assert [option.text["vi"] for option in charter.options] == ["2007", "2008", "2015"]  # feedback dropped
    assert charter.explanation == {"vi": "Hiến chương ASEAN có hiệu lực từ ngày 15/12/2008."}
    assert (charter.key, charter.name, charter.pillar) == ("hien-chuong-01", "Hiến chương ASEAN", Pillar.HISTORY)
    assert charter.tags == ["the-che", "hien-chuong"]  # from the comment, then from the category
    assert founders.type is QuestionType.MULTIPLE and founders.correct_indexes == [0, 1]
    assert founders.stem == {"vi": "Những nước nào là <b>thành viên sáng lập</b> ASEAN?"}
    assert day.type is QuestionType.TRUE_FALSE and day.correct_indexes == [0]
    assert day.explanation == {"vi": "Ngày ký Tuyên bố Bangkok, 8/8/1967."}
    assert quick.type is QuestionType.TRUE_FALSE and quick.correct_indexes == [1]
    assert quick.stem == {"vi": "Câu hỏi nhanh: Hiến chương ASEAN được ký năm 1967."}  # "\:" unescaped
    assert quick.name == "" and result.questions[3][0].question_name == quick.stem["vi"]
    assert blank.stem == {"vi": "ASEAN được thành lập năm _____ tại Bangkok."} and blank.correct_indexes == [1]
    assert [(p.location.line, p.location.question_name, p.params["type"]) for p in result.skipped] == [
        (line_of(data, "::Tự luận::"), "Tự luận", "essay"),
        (line_of(data, "::Thủ đô Lào::"), "Thủ đô Lào", "short answer"),
        (line_of(data, "::Năm gia nhập::"), "Năm gia nhập", "numerical"),
        (line_of(data, "::Ghép thủ đô::"), "Ghép thủ đô", "matching"),
        (line_of(data, "Đây là phần giới thiệu"), "Đây là phần giới thiệu, không phải câu hỏi.", "description"),
    ]


def test_unsupported_questions_reject_the_file_unless_skipped():
    data = (FILES / "gift_asean.txt").read_bytes()
    result = read(data, "gift_asean.txt")
    assert not result.ok and result.skipped == []
    assert [p.code for p in result.problems] == ["unsupported_type"] * 5
    assert result.problems[1].describe() == (
        f"gift_asean.txt, dòng {line_of(data, '::Thủ đô Lào::')}, câu «Thủ đô Lào», trường «Loại»: "
        "loại câu hỏi «short answer» không được hỗ trợ; chỉ nhận câu một lựa chọn, nhiều lựa chọn và đúng/sai"
    )
    assert result.problems[3].describe("en").endswith(
        "question “Ghép thủ đô”, field “Type”: question type “matching” is not supported; "
        "only single choice, multiple choice and true/false are"
    )
    cloze = read("A {~a =b} và {~c =d}\n".encode(), "c.gift")
    assert [(p.location.line, p.params["type"]) for p in cloze.problems] == [(1, "cloze")]


def test_round_trip_keeps_every_field_gift_carries_in_each_language():
    questions = [single_question(), multiple_question(), true_false_question()]
    questions[0].stem["vi"] = "Tuyên bố Bangkok {1967} = ~ # : \\ ký ở đâu?"
    questions[0].options[0].text["vi"] = "Băng Cốc = Bangkok ~ #1"
    questions[0].explanation["vi"] = "Dòng một<br>Dòng hai"
    questions[1].name = "Mục tiêu: AEC {2025}"
    questions[2].explanation = {"en": "On 8 August 1967 the <b>Bangkok Declaration</b> was signed."}
    for lang in ("vi", "en"):
        data = write(questions, "gift", language=lang)
        back = read(data, "bank.gift", language=lang)
        assert back.ok and back.warnings == [], [p.describe() for p in back.problems]
        assert back.question_list == [carried(q, lang, GIFT_FIELDS) for q in questions]


def test_written_gift_has_categories_comments_weights_and_escapes():
    question = multiple_question()
    question.options[3].correct = True
    text = write([single_question(), question, true_false_question()], "gift").decode()
    assert text.startswith("$CATEGORY: $course$/top/ASEAN Quiz/Lịch sử và thể chế ASEAN\n\n")
    assert "// [id:hist-001] [tag:bangkok-declaration] [tag:founding]\n::Năm thành lập ASEAN::" in text
    assert "\t=1967\n" in text and "\t~1961\n" in text
    assert "\t~%33.33333%Thị trường" in text and "\t~%-33.33333%Đồng tiền chung" in text and "~%33.33334%" in text
    assert "::Ngày ASEAN::Ngày ASEAN là ngày 8 tháng 8. {T}" in text
    assert "####ASEAN ra đời ngày 8/8/1967." in text


def test_images_are_not_carried_and_their_absence_is_a_warning():
    question = single_question(images={"map.png": PNG})
    question.stem["vi"] += '<br><img src="map.png" alt="Bản đồ">'
    result = read(write([question], "gift"), "a.gift")
    assert result.ok and result.question_list[0].images == {}
    [warning] = result.warnings
    assert warning.code == "missing_image"
    assert warning.message() == "ảnh «map.png» được chèn vào nội dung nhưng không có tệp ảnh đi kèm"


def test_every_broken_question_is_located_by_line_name_and_field():
    text = "\n".join(
        [
            "::Không đáp án:: Thủ đô Lào? {~%0%Viêng Chăn ~Hà Nội}",
            "",
            "::Một phương án:: Chọn {~%100%Viêng Chăn}",
            "",
            "::Chín:: Chọn một {=a ~b ~c ~d ~e ~f ~g ~h ~i}",
            "",
            "::Thẻ lỗi::[html]<b>Thủ đô Lào? {=Viêng Chăn ~Hà Nội}",
            "",
            "::Điểm lẻ:: Chọn {=a ~%50%b}",
            "",
            "::Thiếu ngoặc:: Chọn {=a ~b",
            "",
            "::Tên chưa đóng Chọn {=a ~b}",
            "",
            "::Không dấu:: Chọn {a b}",
            "",
            "::Trùng:: Chọn {=Hà Nội ~hà nội}",
        ]
    )
    result = read(text.encode(), "loi.gift")
    assert not result.ok and result.questions == []
    assert located(result) == [
        (1, "Không đáp án", "correct", "no_correct"),
        (3, "Một phương án", "options", "too_few_options"),
        (5, "Chín", "options", "too_many_options"),
        (7, "Thẻ lỗi", "stem.vi", "broken_markup"),
        (9, "Điểm lẻ", "correct", "partial_fraction"),
        (11, "Thiếu ngoặc", "options", "gift_unclosed_answers"),
        (13, "", "name", "gift_unclosed_name"),
        (15, "Không dấu", "options", "gift_answer_marker"),
        (17, "Trùng", "options", "duplicate_option"),
    ]
    by_name = {p.location.question_name: p for p in result.problems}
    assert by_name["Thiếu ngoặc"].describe() == (
        "loi.gift, dòng 11, câu «Thiếu ngoặc», trường «Phương án»: thiếu dấu «}» đóng phần đáp án"
    )
    assert by_name["Không dấu"].message() == "mỗi phương án phải bắt đầu bằng «=» (đúng) hoặc «~» (sai)"
    assert by_name["Không dấu"].message("en") == "each answer must start with “=” (right) or “~” (wrong)"
    assert by_name["Trùng"].message() == "phương án A và B có nội dung trùng nhau"


def test_encoding_and_empty_files():
    data = to_cp1258("// Câu hỏi\n::Thủ đô:: Thủ đô của Lào? {=Viêng Chăn ~Hà Nội}\n")
    [problem] = read(data, "cp.gift").problems
    assert problem.code == "encoding" and problem.location.line == 1
    assert problem.describe().startswith("cp.gift, dòng 1: tệp không được mã hóa UTF-8")
    bom = "\ufeff::Thủ đô:: Thủ đô của Lào? {=Viêng Chăn ~Hà Nội}\r\n".encode()
    assert read(bom, "bom.gift").question_list[0].stem == {"vi": "Thủ đô của Lào?"}
    for empty in (b"", b"// only a comment\n", b"$CATEGORY: $course$/top/X\n"):
        assert [p.code for p in read(empty, "rong.gift", format="gift").problems] == ["empty_file"]


def test_plain_and_markdown_texts_are_not_read_as_html():
    question = Question(QuestionType.SINGLE, {"en": "x"}, [Option({"en": "a"}, True), Option({"en": "b"})])
    data = "[plain]Is 1 <b>2</b>? {=yes ~no}\n\n[markdown]**Bold** claim {T}\n".encode()
    first, second = read(data, "p.gift", language="en").question_list
    assert first.stem == {"en": "Is 1 &lt;b&gt;2&lt;/b&gt;?"}
    assert second.stem == {"en": "**Bold** claim"} and second.type is QuestionType.TRUE_FALSE
    assert question.languages == ("en",)
