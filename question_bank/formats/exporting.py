"""What a format cannot carry, checked before writing so that nothing is dropped silently."""

from __future__ import annotations

from ..model import LANGUAGES, Question, QuestionType
from ..validation import Location, Problem

# Formats that hold one language per file.
SINGLE_LANGUAGE = {"moodle-xml", "gift", "aiken"}
# Question types each format can hold (all, when not listed).
TYPES = {"aiken": {QuestionType.SINGLE, QuestionType.TRUE_FALSE}}


class ExportError(ValueError):
    """The questions cannot be written in the requested format; ``problems`` says which and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.describe("en") for problem in problems[:5]))


def export_problems(questions: list[Question], fmt: str, *, language: str = "vi") -> list[Problem]:
    """Problems that stop ``questions`` from being written in ``fmt`` (``[]`` when they all fit).
    Located by position in the list (``câu số N``) and the question's name."""
    problems = []
    for number, question in enumerate(questions, start=1):
        location = Location("", index=number, question_name=question.display_name())
        allowed = TYPES.get(fmt)
        if allowed is not None and question.type not in allowed:
            params = {"format": fmt, "type": {lang: question.type.label(lang).lower() for lang in LANGUAGES}}
            problems.append(Problem("type", "export_unsupported_type", params, location))
        if fmt in SINGLE_LANGUAGE and not (question.stem.get(language) or "").strip():
            problems.append(Problem(f"stem.{language}", "export_missing_language", {"format": fmt, "lang": language}, location))
    return problems
