"""Aiken: plain-text single-choice questions, one language per file.

    Hiến chương ASEAN có hiệu lực từ năm nào?
    A. 2007
    B) 2008
    ANSWER: B

The question text may take several lines; options are ``A. text`` or ``A) text`` (A–H), one
per line, in order; ``ANSWER: X`` ends the question.  Blank lines are ignored.  Everything is
plain text (no markup).  Written true/false questions become single choice ("Đúng"/"Sai").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..markup import to_plain_text
from ..model import OPTION_LETTERS, Option, Question, QuestionType
from ..validation import Problem
from .importing import Collector, ImportResult, clean_plain, decode_text

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)


@dataclass
class _Pending:
    line: int
    stem: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _finish(pending: _Pending, answer: str | None, collector: Collector, language: str) -> None:
    problems = list(pending.problems)
    options = [Option({language: clean_plain(text)}) for text in pending.options]
    if answer is None:
        problems.append(Problem("correct", "missing_answer_line"))
    else:
        letter = answer.strip().upper().rstrip(".)")
        if not re.fullmatch(r"[A-Z]", letter):
            problems.append(Problem("correct", "bad_correct", {"value": answer.strip()}))
        elif OPTION_LETTERS.find(letter) < 0 or OPTION_LETTERS.index(letter) >= len(options):
            problems.append(Problem("correct", "correct_out_of_range", {"letter": letter}))
        else:
            options[OPTION_LETTERS.index(letter)].correct = True
    if not pending.stem:
        problems.append(Problem(f"stem.{language}", "empty_text"))
    question = Question(QuestionType.SINGLE, {language: clean_plain("\n".join(pending.stem))}, options)
    collector.add(question, collector.location(line=pending.line), problems)


def read(data: bytes, source_name: str, *, language: str = "vi", skip_unsupported: bool = False,
         max_questions: int | None = None) -> ImportResult:
    collector = Collector(source_name, "aiken", max_questions)
    text, problems = decode_text(data, source_name)
    if text is None:
        collector.problems += problems
        return collector.result()
    pending: _Pending | None = None
    count = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        answer, option = _ANSWER.match(line), _OPTION.match(line)
        if answer:
            if pending is None:
                collector.file_problem("unexpected_line", {"format": "Aiken", "text": line}, field_name="question", line=number)
            else:
                _finish(pending, answer.group(1), collector, language)
                pending, count = None, count + 1
        elif option and pending is not None and (pending.options or pending.stem):
            expected = chr(ord("A") + len(pending.options)) if len(pending.options) < 26 else None
            if expected is not None and option.group(1) != expected:
                params = {"found": option.group(1), "expected": expected}
                pending.problems.append(Problem("options", "option_order", params))
            pending.options.append(option.group(2))
        elif option:
            collector.file_problem("unexpected_line", {"format": "Aiken", "text": line}, field_name="question", line=number)
        else:
            if pending is not None and pending.options:  # a new question began without ANSWER
                _finish(pending, None, collector, language)
                pending, count = None, count + 1
            if pending is None:
                pending = _Pending(number)
            pending.stem.append(line)
    if pending is not None:
        _finish(pending, None, collector, language)
        count += 1
    if count == 0 and not collector.problems:
        collector.file_problem("empty_file")
    return collector.result()


def write(questions: list[Question], *, language: str = "vi") -> bytes:
    chunks = []
    for question in questions:
        lines = [line for line in to_plain_text(question.stem.get(language, "")).split("\n") if line.strip()]
        for letter, option in zip(OPTION_LETTERS, question.options):
            text = " ".join(to_plain_text(option.text.get(language, "")).split())
            lines.append(f"{letter}. {text}")
        correct = question.correct_indexes
        lines.append(f"ANSWER: {OPTION_LETTERS[correct[0]] if correct else 'A'}")
        chunks.append("\n".join(lines))
    return ("\n\n".join(chunks) + "\n").encode("utf-8")
