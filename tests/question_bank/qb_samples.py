"""Sample questions for the question_bank tests, covering every type and field."""

from __future__ import annotations

from question_bank.model import Difficulty, Option, Pillar, Question, QuestionType

# 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def single_question(**changes) -> Question:
    question = Question(
        type=QuestionType.SINGLE,
        key="hist-001",
        pillar=Pillar.HISTORY,
        difficulty=Difficulty.EASY,
        tags=["bangkok-declaration", "founding"],
        source="Tuyên bố Bangkok (8/8/1967); asean.org",
        name="Năm thành lập ASEAN",
        stem={"vi": "ASEAN được thành lập năm nào?", "en": "In which year was ASEAN founded?"},
        options=[
            Option({"vi": "1961", "en": "1961"}),
            Option({"vi": "1967", "en": "1967"}, correct=True),
            Option({"vi": "1976", "en": "1976"}),
            Option({"vi": "1984", "en": "1984"}),
        ],
        explanation={"vi": "ASEAN ra đời ngày 8/8/1967.", "en": "ASEAN was founded on 8 August 1967."},
    )
    for name, value in changes.items():
        setattr(question, name, value)
    return question


def multiple_question(**changes) -> Question:
    question = Question(
        type=QuestionType.MULTIPLE,
        key="econ-002",
        pillar=Pillar.ECONOMIC,
        difficulty=Difficulty.HARD,
        tags=["aec"],
        source="Kế hoạch tổng thể AEC 2025",
        name="Mục tiêu AEC",
        stem={
            "vi": "Những mục tiêu nào thuộc <b>Cộng đồng Kinh tế ASEAN</b>?",
            "en": "Which goals belong to the <b>ASEAN Economic Community</b>?",
        },
        options=[
            Option({"vi": "Thị trường và cơ sở sản xuất thống nhất", "en": "A single market and production base"}, True),
            Option({"vi": "Đồng tiền chung", "en": "A common currency"}),
            Option({"vi": "Khu vực kinh tế cạnh tranh", "en": "A competitive economic region"}, True),
            Option({"vi": "Quân đội chung", "en": "A common army"}),
        ],
        explanation={"vi": "Xem Kế hoạch tổng thể AEC 2025.", "en": "See the AEC Blueprint 2025."},
    )
    for name, value in changes.items():
        setattr(question, name, value)
    return question


def true_false_question(**changes) -> Question:
    question = Question(
        type=QuestionType.TRUE_FALSE,
        key="socio-003",
        pillar=Pillar.SOCIO_CULTURAL,
        difficulty=Difficulty.MEDIUM,
        tags=["asean-day"],
        name="Ngày ASEAN",
        stem={"vi": "Ngày ASEAN là ngày 8 tháng 8.", "en": "ASEAN Day is 8 August."},
        options=[Option({"vi": "Đúng", "en": "True"}, True), Option({"vi": "Sai", "en": "False"})],
    )
    for name, value in changes.items():
        setattr(question, name, value)
    return question
