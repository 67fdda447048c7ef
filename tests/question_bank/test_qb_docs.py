"""The format documentation stays true: its examples read without problems, its grading table is
what grade() does, and every problem code has a row in the messages table."""

import pathlib
import re
from fractions import Fraction

import pytest
from qb_samples import multiple_question

from question_bank.formats import read
from question_bank.grading import grade
from question_bank.messages import MESSAGES

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
IMPORT_FORMATS = (DOCS / "import-formats.md").read_text(encoding="utf-8")
QUESTION_FORMAT = (DOCS / "question-format.md").read_text(encoding="utf-8")


def example(language: str) -> str:
    [block] = re.findall(rf"```{language}\n(.*?)```", IMPORT_FORMATS, re.DOTALL)
    return block


@pytest.mark.parametrize(("language", "fmt", "count"), [("csv", "csv", 2), ("xml", "moodle-xml", 1), ("gift", "gift", 3), ("aiken", "aiken", 1)])
def test_every_documented_example_reads_without_problems(language, fmt, count):
    result = read(example(language).encode("utf-8"), f"example.{language}")
    assert result.format == fmt and result.ok, [p.describe() for p in result.problems]
    assert len(result.questions) == count


def test_the_documented_grading_table_is_what_grade_does():
    question = multiple_question()  # A and C correct of A–D
    assert question.correct_indexes == [0, 2]
    rows = re.findall(r"^\| [^|]+ \| ([A-D, –]+) \| (\d(?:/\d)?) \|$", QUESTION_FORMAT, re.MULTILINE)
    assert len(rows) == 5
    for letters, score in rows:
        selected = ["ABCD".index(letter) for letter in re.findall(r"[A-D]", letters)]
        assert grade(question, selected) == Fraction(score), letters


def test_every_problem_code_is_in_the_messages_table():
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", IMPORT_FORMATS, re.MULTILINE))
    assert set(MESSAGES) <= documented
