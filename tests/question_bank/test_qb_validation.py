import pytest
from qb_samples import multiple_question, single_question, true_false_question

from question_bank.messages import FIELD_LABELS, MESSAGES
from question_bank.model import Option, Question, QuestionType
from question_bank.validation import Location, Problem, field_label, validate


def codes(question):
    return sorted((p.field, p.code) for p in validate(question))


def test_sample_questions_are_valid():
    for question in (single_question(), multiple_question(), true_false_question()):
        assert validate(question) == []


def test_problem_describe_in_vietnamese_and_english():
    question = single_question(name="Hiến chương ASEAN")
    question.options[1].correct = False
    [problem] = validate(question, Location("questions.xlsx", row=7, question_name=question.name))
    assert problem.field == "correct" and problem.code == "no_correct"
    assert problem.describe() == (
        "questions.xlsx, dòng 7, câu «Hiến chương ASEAN», trường «Đáp án đúng»: phải có ít nhất một đáp án đúng"
    )
    assert problem.describe("en") == (
        "questions.xlsx, row 7, question “Hiến chương ASEAN”, field “Correct answer”: "
        "there must be at least one correct answer"
    )
    assert problem.message() == "phải có ít nhất một đáp án đúng"


def test_field_labels():
    assert field_label("stem.vi") == "Câu hỏi (VI)"
    assert field_label("options[2].en", "en") == "Option C (EN)"
    assert field_label("options[7].vi") == "Phương án H (VI)"
    assert field_label("correct") == "Đáp án đúng"
    assert field_label("file") == ""


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    import string

    def placeholders(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for code, texts in MESSAGES.items():
        assert set(texts) == {"vi", "en"}, code
        assert placeholders(texts["vi"]) == placeholders(texts["en"]), code
    for texts in FIELD_LABELS.values():
        assert set(texts) == {"vi", "en"}


def test_option_count_limits():
    question = single_question()
    question.options = question.options[:1]
    question.options[0].correct = True
    assert ("options", "too_few_options") in codes(question)
    question.options = [Option({"vi": str(i), "en": str(i)}, i == 0) for i in range(9)]
    assert ("options", "too_many_options") in codes(question)


def test_single_and_true_false_need_exactly_one_correct():
    question = single_question()
    question.options[0].correct = True
    [problem] = validate(question)
    assert problem.code == "one_correct_only"
    assert problem.message() == "câu một lựa chọn chỉ được có đúng một đáp án đúng (đang đánh dấu: A, B)"
    tf = true_false_question()
    tf.options[1].correct = True
    assert codes(tf) == [("correct", "one_correct_only")]
    tf.options[0].correct = tf.options[1].correct = False
    assert codes(tf) == [("correct", "no_correct")]


def test_multiple_needs_at_least_one_correct():
    question = multiple_question()
    for option in question.options:
        option.correct = False
    assert codes(question) == [("correct", "no_correct")]
    question.options[3].correct = True
    assert codes(question) == []


def test_true_false_has_exactly_two_options():
    question = true_false_question()
    question.options.append(Option({"vi": "Không biết", "en": "Don't know"}))
    assert codes(question) == [("options", "true_false_options")]


def test_every_language_of_the_question_needs_stem_and_options():
    question = single_question()
    question.stem["en"] = ""
    question.options[2].text["en"] = "  "
    assert codes(question) == [("options[2].en", "empty_text"), ("stem.en", "empty_text")]


def test_options_must_use_the_languages_of_the_stem():
    question = single_question(stem={"vi": "Câu hỏi?"}, explanation={})
    assert codes(question) == [("stem.en", "empty_text")]
    vi_only = Question(QuestionType.SINGLE, {"vi": "Câu hỏi?"}, [Option({"vi": "a"}, True), Option({"vi": "b"})])
    assert codes(vi_only) == []


def test_a_question_needs_a_language_and_known_languages():
    empty = Question(QuestionType.SINGLE, {}, [Option({}, True), Option({})])
    assert ("stem", "no_language") in codes(empty)
    french = Question(QuestionType.SINGLE, {"fr": "Quoi?"}, [Option({"fr": "a"}, True), Option({"fr": "b"})])
    problems = validate(french)
    assert ("stem", "unknown_language") in [(p.field, p.code) for p in problems]
    assert "«fr»" in next(p for p in problems if p.code == "unknown_language").message()


def test_duplicate_option_texts_are_rejected_ignoring_case_and_accents():
    question = single_question()
    question.options[3].text = {"vi": "1 9 6 7", "en": "1984"}
    assert codes(question) == []  # fingerprints differ: digits grouped differently
    question.options[3].text = {"vi": "1961.", "en": "1961"}
    [problem] = validate(question)
    assert problem.code == "duplicate_option"
    assert problem.message() == "phương án A và D có nội dung trùng nhau"


def test_tags_and_keys_must_be_slugs():
    question = single_question(tags=["Hiến chương"], key="Hist 1")
    problems = {p.code: p for p in validate(question)}
    assert set(problems) == {"bad_tag", "bad_key"}
    assert "«hien-chuong»" in problems["bad_tag"].message()


def test_broken_markup_is_an_error_located_at_the_field():
    question = single_question()
    question.stem["vi"] = "ASEAN được thành lập <b>năm nào?"
    [problem] = validate(question)
    assert (problem.field, problem.code) == ("stem.vi", "broken_markup")
    assert problem.message() == "mã HTML bị lỗi (thẻ chưa đóng, đóng sai thứ tự hoặc thừa): <b>"


def test_explanation_in_a_language_the_question_lacks():
    question = Question(
        QuestionType.SINGLE, {"vi": "?"}, [Option({"vi": "a"}, True), Option({"vi": "b"})], explanation={"en": "x"}
    )
    assert codes(question) == [("explanation.en", "explanation_language")]


def test_location_describe_for_lines_and_json_indexes():
    assert Location("bank.gift", line=12, question_name="Q1").describe() == "bank.gift, dòng 12, câu «Q1»"
    assert Location("bank.json", index=3).describe("en") == "bank.json, question #3"
    problem = Problem("file", "empty_file", location=Location("a.csv"))
    assert problem.describe() == "a.csv: tệp rỗng, không có câu hỏi nào"
    assert str(problem) == problem.describe("vi")


def test_control_characters_in_any_text_are_an_error_located_at_the_field():
    question = single_question(source="asean.org\x00", name="Năm\x01 thành lập",
                               stem={"vi": "ASEAN được thành lập\x00 năm nào?", "en": "In which year was ASEAN founded?"})
    question.options[2] = Option({"vi": "1976\x7f", "en": "1976"})
    question.explanation = {"vi": "Dòng 1\r\n\tDòng 2\x0b", "en": "Line 1\n\tline 2"}
    problems = {(p.field, p.code) for p in validate(question)}
    assert problems == {(field, "control_character") for field in
                        ("stem.vi", "options[2].vi", "explanation.vi", "source", "name")}
    described = [p.describe("vi") for p in validate(question, Location("cau-hoi.csv", row=7))]
    assert described[0].startswith("cau-hoi.csv, dòng 7, trường «Câu hỏi (VI)»: có ký tự điều khiển")


def test_tab_and_line_breaks_are_not_control_characters():
    question = single_question(explanation={"vi": "Dòng 1\r\n\tDòng 2", "en": "Line 1\n\tline 2"})
    assert validate(question) == []
