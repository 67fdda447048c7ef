"""Fixtures for the bank tests: sample questions, files, the CLI runner."""
from __future__ import annotations

import pytest

import question_bank as qb
from question_bank import formats

# 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def sample_questions() -> list[qb.Question]:
    """One question of each type, both languages, every field filled."""
    return [
        qb.Question(type=qb.QuestionType.SINGLE, key="hien-chuong-1", pillar=qb.Pillar.HISTORY,
                    difficulty=qb.Difficulty.EASY, tags=["hien-chuong", "the-che"], source="Hiến chương ASEAN (2007)",
                    name="Hiến chương ASEAN", stem={"vi": "Hiến chương ASEAN được ký năm nào?",
                                                    "en": "In which year was the ASEAN Charter signed?"},
                    options=[qb.Option({"vi": "2005", "en": "2005"}), qb.Option({"vi": "2007", "en": "2007"}, True),
                             qb.Option({"vi": "2008", "en": "2008"}), qb.Option({"vi": "2015", "en": "2015"})],
                    explanation={"vi": "Hiến chương được ký ngày 20/11/2007 tại Singapore.",
                                 "en": "The Charter was signed on 20 November 2007 in Singapore."}),
        qb.Question(type=qb.QuestionType.MULTIPLE, key="thanh-vien-sang-lap", pillar=qb.Pillar.HISTORY,
                    difficulty=qb.Difficulty.MEDIUM, tags=["thanh-lap"], source="Tuyên bố Bangkok (1967)",
                    name="Thành viên sáng lập",
                    stem={"vi": "Những nước nào là thành viên <b>sáng lập</b> ASEAN?",
                          "en": "Which countries are <b>founding</b> members of ASEAN?"},
                    options=[qb.Option({"vi": "Thái Lan", "en": "Thailand"}, True),
                             qb.Option({"vi": "Việt Nam", "en": "Viet Nam"}),
                             qb.Option({"vi": "Indonesia", "en": "Indonesia"}, True),
                             qb.Option({"vi": "Lào", "en": "Laos"})],
                    explanation={"vi": "Năm nước sáng lập: Indonesia, Malaysia, Philippines, Singapore, Thái Lan.",
                                 "en": "The five founders: Indonesia, Malaysia, the Philippines, Singapore, Thailand."}),
        qb.Question(type=qb.QuestionType.TRUE_FALSE, key="viet-nam-1995", pillar=qb.Pillar.POLITICAL_SECURITY,
                    difficulty=qb.Difficulty.HARD, tags=["viet-nam"], source="asean.org", name="Việt Nam gia nhập",
                    stem={"vi": "Việt Nam gia nhập ASEAN năm 1995.", "en": "Viet Nam joined ASEAN in 1995."},
                    options=[qb.Option({"vi": "Đúng", "en": "True"}, True), qb.Option({"vi": "Sai", "en": "False"})],
                    explanation={"vi": "Ngày 28/7/1995.", "en": "On 28 July 1995."}),
    ]


def sample_file(fmt: str, questions: list[qb.Question] | None = None) -> tuple[bytes, str]:
    questions = questions if questions is not None else sample_questions()
    if fmt == "aiken":
        questions = [q for q in questions if q.type is not qb.QuestionType.MULTIPLE]
    return formats.write(questions, fmt), "cau-hoi" + formats.EXTENSIONS[fmt]


@pytest.fixture
def cli(app):
    """Run ``flask bank …`` in the test app (same database); ``result.stdout`` / ``result.stderr``."""
    runner = app.test_cli_runner()

    def run(*args: str):
        return runner.invoke(args=list(args), catch_exceptions=False)
    return run
