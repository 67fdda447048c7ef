import json

import pytest
from qb_samples import PNG, multiple_question, single_question, true_false_question

from question_bank.model import LANGUAGES, Difficulty, Option, Pillar, Question, QuestionType


def test_labels_are_vietnamese_by_default_and_english_on_request():
    assert Pillar.ECONOMIC.label("vi") == "Cộng đồng Kinh tế ASEAN"
    assert Pillar.ECONOMIC.label() == "Cộng đồng Kinh tế ASEAN"
    assert Pillar.HISTORY.label("vi") == "Lịch sử và thể chế ASEAN"
    assert Pillar.HISTORY.label("en") == "ASEAN history & institutions"
    assert Pillar.POLITICAL_SECURITY.label("vi") == "Cộng đồng Chính trị - An ninh ASEAN"
    assert Pillar.SOCIO_CULTURAL.label("vi") == "Cộng đồng Văn hóa - Xã hội ASEAN"
    assert [d.label("vi") for d in Difficulty] == ["Dễ", "Trung bình", "Khó"]
    assert [d.label("en") for d in Difficulty] == ["Easy", "Medium", "Hard"]
    assert QuestionType.TRUE_FALSE.label("vi") == "Đúng/Sai"
    assert LANGUAGES == ("vi", "en")


def test_enums_are_strings_with_the_documented_codes():
    assert [p.value for p in Pillar] == ["political_security", "economic", "socio_cultural", "history"]
    assert [t.value for t in QuestionType] == ["single", "multiple", "true_false"]
    assert QuestionType.SINGLE == "single"
    assert json.dumps(Pillar.ECONOMIC) == '"economic"'


@pytest.mark.parametrize(
    "text, expected",
    [
        ("kinh te", Pillar.ECONOMIC),
        ("Cộng đồng Văn hóa - Xã hội ASEAN", Pillar.SOCIO_CULTURAL),
        ("CỘNG ĐỒNG CHÍNH TRỊ - AN NINH ASEAN", Pillar.POLITICAL_SECURITY),
        ("political_security", Pillar.POLITICAL_SECURITY),
        ("ASEAN history & institutions", Pillar.HISTORY),
        ("lich su", Pillar.HISTORY),
        ("khong co", None),
        ("", None),
    ],
)
def test_pillar_parse_accepts_codes_and_labels_without_accents(text, expected):
    assert Pillar.parse(text) is expected


def test_type_and_difficulty_parse_vietnamese_words():
    assert QuestionType.parse("một lựa chọn") is QuestionType.SINGLE
    assert QuestionType.parse("Nhieu lua chon") is QuestionType.MULTIPLE
    assert QuestionType.parse("đúng sai") is QuestionType.TRUE_FALSE
    assert QuestionType.parse("true_false") is QuestionType.TRUE_FALSE
    assert Difficulty.parse("Trung bình") is Difficulty.MEDIUM
    assert Difficulty.parse("kho") is Difficulty.HARD


def test_defaults_are_not_shared_between_questions():
    a = Question(QuestionType.SINGLE, {"vi": "a"}, [])
    b = Question(QuestionType.SINGLE, {"vi": "b"}, [])
    a.tags.append("x")
    a.images["x.png"] = b"1"
    assert b.tags == [] and b.images == {} and b.explanation == {}
    assert a.difficulty is Difficulty.MEDIUM and a.pillar is None and a.key is None


def test_languages_and_correct_indexes():
    question = single_question()
    assert question.languages == ("vi", "en")
    assert question.correct_indexes == [1]
    assert multiple_question().correct_indexes == [0, 2]
    only_vi = Question(QuestionType.SINGLE, {"vi": "x", "en": " "}, [Option({"vi": "a"}), Option({"vi": "b"})])
    assert only_vi.languages == ("vi",)
    english_option = Question(QuestionType.SINGLE, {"vi": "x"}, [Option({"vi": "a", "en": "A"})])
    assert english_option.languages == ("vi", "en")


def test_to_dict_matches_the_documented_example():
    data = single_question(name="").to_dict()
    assert data == {
        "key": "hist-001",
        "type": "single",
        "pillar": "history",
        "difficulty": "easy",
        "tags": ["bangkok-declaration", "founding"],
        "source": "Tuyên bố Bangkok (8/8/1967); asean.org",
        "stem": {"vi": "ASEAN được thành lập năm nào?", "en": "In which year was ASEAN founded?"},
        "options": [
            {"vi": "1961", "en": "1961"},
            {"vi": "1967", "en": "1967", "correct": True},
            {"vi": "1976", "en": "1976"},
            {"vi": "1984", "en": "1984"},
        ],
        "explanation": {"vi": "ASEAN ra đời ngày 8/8/1967.", "en": "ASEAN was founded on 8 August 1967."},
    }
    assert list(data) == ["key", "type", "pillar", "difficulty", "tags", "source", "stem", "options", "explanation"]


def test_dict_round_trip_keeps_every_field_including_images():
    for question in (single_question(images={"map.png": PNG}), multiple_question(), true_false_question()):
        data = json.loads(json.dumps(question.to_dict()))
        assert Question.from_dict(data) == question
    data = single_question(images={"map.png": PNG}).to_dict()
    assert isinstance(data["images"]["map.png"], str)


def test_from_dict_rejects_unknown_values():
    data = single_question().to_dict()
    with pytest.raises(ValueError):
        Question.from_dict({**data, "pillar": "sports"})
    with pytest.raises(ValueError):
        Question.from_dict({**data, "images": {"x.png": "not base64!"}})
