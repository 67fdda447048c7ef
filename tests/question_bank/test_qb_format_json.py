import json

from qb_samples import PNG, multiple_question, single_question, true_false_question

from question_bank.formats import read, write
from question_bank.model import Difficulty, Pillar, QuestionType

DOC_EXAMPLE = """[
  {
    "key": "hist-001",
    "type": "single",
    "pillar": "history",
    "difficulty": "easy",
    "tags": ["bangkok-declaration", "founding"],
    "source": "Tuyên bố Bangkok (8/8/1967); asean.org",
    "stem":        {"vi": "ASEAN được thành lập năm nào?", "en": "In which year was ASEAN founded?"},
    "options": [
      {"vi": "1961", "en": "1961"},
      {"vi": "1967", "en": "1967", "correct": true},
      {"vi": "1976", "en": "1976"},
      {"vi": "1984", "en": "1984"}
    ],
    "explanation": {"vi": "ASEAN ra đời ngày 8/8/1967 ...", "en": "ASEAN was founded on 8 August 1967 ..."}
  }
]"""


def describe(result):
    return [problem.describe() for problem in result.problems]


def test_the_documented_example_reads_without_problems():
    result = read(DOC_EXAMPLE.encode(), "bank.json")
    assert result.ok and result.format == "json"
    [(location, question)] = result.questions
    assert (location.index, location.line, location.question_name) == (1, 2, "hist-001")
    assert question.type is QuestionType.SINGLE and question.pillar is Pillar.HISTORY
    assert question.difficulty is Difficulty.EASY
    assert question.correct_indexes == [1]
    assert question.stem["vi"] == "ASEAN được thành lập năm nào?"


def test_round_trip_keeps_everything_including_images():
    questions = [single_question(images={"map.png": PNG}), multiple_question(), true_false_question()]
    questions[0].stem["vi"] += '<br><img src="map.png" alt="Bản đồ">'
    data = write(questions, "json")
    assert "Bản đồ" in data.decode("utf-8")  # readable UTF-8, not \u escapes
    result = read(data, "bank.json")
    assert result.ok and result.warnings == []
    assert result.question_list == questions


def test_syntax_error_is_located_by_line():
    data = b'[\n  {"type": "single",\n   "stem": {"vi": "x"}\n   "options": []}\n]'
    [problem] = read(data, "bank.json").problems
    assert problem.code == "json_syntax" and problem.location.line == 4
    assert problem.describe().startswith("bank.json, dòng 4: lỗi cú pháp JSON ở cột 4:")


def test_top_level_must_be_an_array_and_items_objects():
    assert [p.code for p in read(b'{"type": "single"}', "a.json").problems] == ["json_not_list"]
    result = read(b'[1, "x"]', "a.json")
    assert [(p.code, p.location.index) for p in result.problems] == [("json_not_object", 1), ("json_not_object", 2)]


def test_empty_files():
    for data in (b"", b"   \n", b"[]"):
        assert [p.code for p in read(data, "a.json", format="json").problems] == ["empty_file"]


def test_every_problem_of_every_question_is_reported_with_its_position():
    items = [
        single_question().to_dict(),
        {**single_question(key="hist-002").to_dict(), "pillar": "sports", "difficulty": "very hard"},
        {**multiple_question().to_dict(), "type": "essay", "colour": "red"},
        {**true_false_question().to_dict(), "tags": "asean-day"},
    ]
    items[0]["options"][1]["correct"] = False
    text = json.dumps(items, ensure_ascii=False, indent=1)
    result = read(text.encode(), "bank.json")
    found = sorted((p.location.index, p.field, p.code) for p in result.problems)
    assert found == [
        (1, "correct", "no_correct"),
        (2, "difficulty", "unknown_difficulty"),
        (2, "pillar", "unknown_pillar"),
        (3, "colour", "unknown_field"),
        (3, "type", "unknown_type"),
        (4, "tags", "not_list"),
    ]
    assert result.questions == []
    pillar = next(p for p in result.problems if p.code == "unknown_pillar")
    line = pillar.location.line
    assert text.split("\n")[line - 1] == " {" and text.split("\n")[line].startswith('  "key": "hist-002"')
    assert pillar.describe() == (
        f"bank.json, dòng {line}, câu số 2, câu «Năm thành lập ASEAN», trường «Trụ cột»: trụ cột «sports» không hợp lệ; "
        "dùng một trong: political_security, economic, socio_cultural, history"
    )


def test_wrong_value_types_and_bad_images():
    item = single_question().to_dict()
    item["stem"] = {"vi": 5}
    item["options"][0] = "1961"
    item["options"][1]["correct"] = "yes"
    item["images"] = {"x.png": "%%%"}
    codes = sorted((p.field, p.code) for p in read(json.dumps([item]).encode(), "a.json").problems)
    assert ("stem.vi", "not_text") in codes
    assert ("options[0]", "not_object") in codes
    assert ("options[1]", "not_bool") in codes
    assert ("images", "bad_base64") in codes


def test_html_is_sanitised_and_broken_markup_reported():
    item = single_question().to_dict()
    item["stem"]["vi"] = "ASEAN <script>alert(1)</script>được thành lập năm nào?"
    item["explanation"]["vi"] = "<b>8/8/1967"
    result = read(json.dumps([item]).encode(), "a.json")
    [problem] = result.problems
    assert (problem.field, problem.code) == ("explanation.vi", "broken_markup")
    item["explanation"]["vi"] = "<b>8/8/1967</b>"
    [(_, question)] = read(json.dumps([item]).encode(), "a.json").questions
    assert question.stem["vi"] == "ASEAN được thành lập năm nào?"


def test_duplicate_keys_in_one_file_are_rejected():
    data = write([single_question(), single_question(name="Khác")], "json")
    result = read(data, "bank.json")
    [problem] = result.problems
    assert problem.code == "duplicate_key" and problem.location.index == 2
    assert "câu số 1" in problem.message()
    assert len(result.questions) == 1


def test_non_utf8_json_is_an_encoding_problem():
    data = b'[{"type": "single",\n "stem": {"vi": "C\xe2u ho\xd2i"}}]'  # "Câu hỏi" in CP1258
    [problem] = read(data, "a.json").problems
    assert problem.code == "encoding" and problem.location.line == 2
    assert "UTF-8" in problem.message()
