"""Aiken: plain-text single-choice questions, one language per file."""

import pytest
from qb_formats import carried, located, to_cp1258
from qb_samples import multiple_question, single_question, true_false_question

from question_bank.formats import ExportError, read, write
from question_bank.model import Option, Question, QuestionType

# Aiken carries only the stem, the options and the one correct answer, as plain text, in one language.
AIKEN_FIELDS = {"type", "texts"}

VALID = """Hiến chương ASEAN có hiệu lực từ năm nào?
A. 2007
B. 2008
C. 2015
ANSWER: B

Thủ đô của Lào là thành phố nào?
(chọn một đáp án)
A) Viêng Chăn
B) Phnôm Pênh
answer: a
"""


def test_a_valid_aiken_file_reads_single_choice_questions():
    result = read(VALID.encode(), "aiken.txt")
    assert result.ok and result.format == "aiken"
    (loc1, charter), (loc2, laos) = result.questions
    assert (loc1.line, loc2.line) == (1, 7)
    assert loc1.question_name == "Hiến chương ASEAN có hiệu lực từ năm nào?"
    assert charter.type is QuestionType.SINGLE and charter.correct_indexes == [1]
    assert [option.text for option in charter.options] == [{"vi": "2007"}, {"vi": "2008"}, {"vi": "2015"}]
    assert laos.stem == {"vi": "Thủ đô của Lào là thành phố nào?<br>(chọn một đáp án)"}
    assert laos.correct_indexes == [0]
    assert (laos.pillar, laos.tags, laos.key, laos.explanation) == (None, [], None, {})


def test_everything_is_plain_text():
    data = "Is 1 < 2 & <b>3</b> > 2?\nA. <i>yes</i>\nB. no\nANSWER: A\n".encode()
    [question] = read(data, "en.txt", language="en").question_list
    assert question.stem == {"en": "Is 1 &lt; 2 &amp; &lt;b&gt;3&lt;/b&gt; &gt; 2?"}
    assert question.options[0].text == {"en": "&lt;i&gt;yes&lt;/i&gt;"}


def test_round_trip_keeps_stem_options_and_answer_in_each_language():
    first = single_question()
    first.stem["vi"] = "Tuyên bố Bangkok &amp; Hiến chương:<br>văn kiện nào ra đời trước?"  # stored texts are HTML
    first.options[0].text["vi"] = "1 &lt; 2"
    questions = [first, single_question(key="hist-002", options=[Option({"vi": "Có", "en": "Yes"}, True), Option({"vi": "Không", "en": "No"})])]
    for lang in ("vi", "en"):
        back = read(write(questions, "aiken", language=lang), "bank.txt", language=lang)
        assert back.ok, [p.describe() for p in back.problems]
        assert back.question_list == [carried(q, lang, AIKEN_FIELDS) for q in questions]


def test_true_false_is_written_as_single_choice_and_multiple_choice_is_refused():
    back = read(write([true_false_question()], "aiken"), "tf.txt").question_list
    assert back[0].type is QuestionType.SINGLE
    assert [option.text["vi"] for option in back[0].options] == ["Đúng", "Sai"] and back[0].correct_indexes == [0]
    with pytest.raises(ExportError) as raised:
        write([single_question(), multiple_question()], "aiken")
    [problem] = raised.value.problems
    assert (problem.code, problem.location.index, problem.location.question_name) == ("export_unsupported_type", 2, "Mục tiêu AEC")
    assert problem.describe() == "câu số 2, câu «Mục tiêu AEC», trường «Loại»: định dạng aiken không chứa được câu nhiều lựa chọn"
    assert problem.describe("en") == (
        "question #2, question “Mục tiêu AEC”, field “Type”: the aiken format cannot hold a multiple choice question"
    )


def test_every_broken_question_is_located_by_line_and_field():
    text = "\n".join(
        [
            "A. một phương án trước câu hỏi",  # 1: an option with no question
            "Câu thiếu đáp án?",  # 2
            "A. x",
            "B. y",
            "Câu đáp án ngoài phạm vi?",  # 5: the previous question had no ANSWER line
            "A. x",
            "B. y",
            "ANSWER: E",
            "Câu đáp án sai dạng?",  # 9
            "A. x",
            "B. y",
            "ANSWER: 2",
            "Câu sai thứ tự?",  # 13
            "A. x",
            "C. y",
            "ANSWER: A",
            "Câu một phương án?",  # 17
            "A. x",
            "ANSWER: A",
            "ANSWER: B",  # 20: an answer with no question
            "Chín phương án?",  # 21
            *[f"{letter}. {letter.lower()}" for letter in "ABCDEFGHI"],
            "ANSWER: A",
            "Câu cuối không có ANSWER",  # 32
            "A. x",
            "B. y",
        ]
    )
    result = read(text.encode(), "loi.txt", format="aiken")
    assert not result.ok and result.questions == []
    assert located(result) == [
        (1, "", "question", "unexpected_line"),
        (2, "Câu thiếu đáp án?", "correct", "missing_answer_line"),
        (5, "Câu đáp án ngoài phạm vi?", "correct", "correct_out_of_range"),
        (9, "Câu đáp án sai dạng?", "correct", "bad_correct"),
        (13, "Câu sai thứ tự?", "options", "option_order"),
        (17, "Câu một phương án?", "options", "too_few_options"),
        (20, "", "question", "unexpected_line"),
        (21, "Chín phương án?", "options", "too_many_options"),
        (32, "Câu cuối không có ANSWER", "correct", "missing_answer_line"),
    ]
    messages = {(p.location.line or 0): p for p in result.problems}
    assert messages[1].describe() == "loi.txt, dòng 1, trường «Câu hỏi»: dòng này không đúng cú pháp Aiken: «A. một phương án trước câu hỏi»"
    assert messages[2].message() == "thiếu dòng «ANSWER: X» cho biết đáp án đúng"
    assert messages[5].message() == "đáp án đúng là «E» nhưng không có phương án E"
    assert messages[13].message() == "phương án «C» không đúng thứ tự (cần «B»)"
    assert messages[13].message("en") == "option “C” is out of order (expected “B”)"


def test_encoding_and_empty_files():
    data = to_cp1258("Thủ đô của Lào?\nA. Viêng Chăn\nB. Hà Nội\nANSWER: A\n")
    [problem] = read(data, "cp.txt", format="aiken").problems
    assert problem.code == "encoding" and problem.location.line == 1
    for empty in (b"", b"\n\n  \n"):
        assert [p.code for p in read(empty, "rong.txt", format="aiken").problems] == ["empty_file"]


def test_a_one_language_export_needs_that_language():
    question = Question(QuestionType.SINGLE, {"en": "Capital of Laos?"}, [Option({"en": "Vientiane"}, True), Option({"en": "Hanoi"})])
    with pytest.raises(ExportError) as raised:
        write([question], "aiken", language="vi")
    assert [p.code for p in raised.value.problems] == ["export_missing_language"]
    assert write([question], "aiken", language="en").decode() == "Capital of Laos?\nA. Vientiane\nB. Hanoi\nANSWER: A\n"
