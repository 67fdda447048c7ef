"""GIFT (Moodle's text format): multiple choice and true/false, one language per file.

Read: ``// comments`` (``// [id:KEY] [tag:TAG]`` give key and tags), ``$CATEGORY:``,
``::name::``, ``[html]``/``[moodle]``/``[plain]``/``[markdown]``, ``{=right ~wrong}``,
``{~%50%a ~%50%b ~%-50%c}`` (several correct: multiple choice), ``{T}``/``{F}``/``{TRUE}``/
``{FALSE}``, ``#feedback`` (dropped), ``####general feedback`` (the explanation), and the
escapes ``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``.  A choice in the middle of the text ("missing
word") is a choice question whose stem has ``_____`` in place of the braces, as Moodle reads it.
Short answer, numerical, matching, essay, description, several blanks ("cloze") and a true/false
blank are reported as unsupported with their line and name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..markup import slugify
from ..model import TRUE_FALSE_TEXTS, Option, Pillar, Question, QuestionType
from ..validation import Problem
from .categories import merge_tags, parse_category
from .gift_escapes import unescape, unescaped_positions
from .gift_writer import write
from .importing import Collector, ImportResult, clean_html, clean_plain, decode_text

__all__ = ["read", "write"]

_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.DOTALL)
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:[.,]\d+)?)%")
_ID = re.compile(r"\[id:([^\]]*)\]")
_TAG = re.compile(r"\[tag:([^\]]*)\]")
MISSING_WORD = "_____"
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)


@dataclass
class _Block:
    line: int
    lines: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    comments: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            (current.comments if current else comments).append(stripped[2:])
            continue
        if not stripped:
            if current is not None:
                blocks.append(current)
                current = None
            continue
        if current is None:
            current = _Block(number, comments=comments)
            comments = []
        current.lines.append(line)
    if current is not None:
        blocks.append(current)
    return blocks


class _Unsupported(Exception):
    def __init__(self, kind: str) -> None:
        self.kind = kind


def read(data: bytes, source_name: str, *, language: str = "vi", skip_unsupported: bool = False,
         max_questions: int | None = None) -> ImportResult:
    collector = Collector(source_name, "gift", max_questions)
    text, problems = decode_text(data, source_name)
    if text is None:
        collector.problems += problems
        return collector.result()
    pillar: Pillar | None = None
    category_tags: list[str] = []
    seen = 0
    for block in _blocks(text):
        lines = block.lines
        if lines[0].strip().startswith("$CATEGORY:"):
            pillar, category_tags = parse_category(lines[0].strip()[len("$CATEGORY:") :].strip())
            lines = lines[1:]
            if not lines:
                continue
        seen += 1
        body = "\n".join(lines)
        name = _name(body)
        location = collector.location(line=block.line, question_name=name or None)
        try:
            question, problems = _question(body, language)
        except _Unsupported as unsupported:
            if not name:  # name it by the start of its text, as supported questions are
                location = collector.location(line=block.line, question_name=_preview(body))
            collector.unsupported(unsupported.kind, location, skip_unsupported)
            continue
        if question is not None:
            comments = " ".join(block.comments)
            key = next(iter(_ID.findall(comments)), "").strip()
            question.key = key or None
            question.pillar = pillar
            question.tags = merge_tags([slugify(tag) for tag in _TAG.findall(comments)], category_tags)
        collector.add(question, location, problems)
    if seen == 0 and not collector.problems:
        collector.file_problem("empty_file")
    return collector.result()


def _preview(body: str, limit: int = 60) -> str | None:
    words = " ".join(unescape(body.split("{", 1)[0]).split())
    return (words if len(words) <= limit else words[: limit - 1].rstrip() + "…") or None


def _name(body: str) -> str:
    stripped = body.lstrip()
    if not stripped.startswith("::"):
        return ""
    ends = unescaped_positions(stripped, "::", 2)
    return " ".join(unescape(stripped[2 : ends[0]]).split()) if ends else ""


def _split_text(body: str, problems: list[Problem]) -> tuple[str, str, str, str]:
    """name, stem, answers and trailing text of a question block."""
    name, rest = "", body.lstrip()
    if rest.startswith("::"):
        ends = unescaped_positions(rest, "::", 2)
        if not ends:
            problems.append(Problem("name", "gift_unclosed_name"))
            return "", "", "", ""
        name, rest = rest[2 : ends[0]], rest[ends[0] + 2 :]
    opens = unescaped_positions(rest, "{")
    if not opens:
        raise _Unsupported("description")
    closes = unescaped_positions(rest, "}", opens[0])
    if not closes:
        problems.append(Problem("options", "gift_unclosed_answers"))
        return name, rest[: opens[0]], "", ""
    return name, rest[: opens[0]], rest[opens[0] + 1 : closes[0]], rest[closes[0] + 1 :]


def _clean(raw: str, text_format: str, field_name: str, problems: list[Problem]) -> str:
    text = unescape(raw).strip()
    if text_format in ("plain", "markdown"):
        return clean_plain(text)
    return clean_html(text, field_name, problems)


def _question(body: str, language: str) -> tuple[Question | None, list[Problem]]:
    problems: list[Problem] = []
    name, stem, answers, trailing = _split_text(body, problems)
    if problems:
        return None, problems
    blank = bool(trailing.strip())  # "missing word": the answers stand in the middle of the text
    if blank and unescaped_positions(trailing, "{"):
        raise _Unsupported("cloze")  # several blanks
    text_format = "moodle"
    marker = _FORMAT.match(stem)
    if marker:
        text_format, stem = marker.group(1).lower(), stem[marker.end() :]
    if blank:
        stem = f"{stem}{MISSING_WORD}{trailing}"  # as Moodle's GIFT import writes it
    feedback = unescaped_positions(answers, "####")
    explanation = answers[feedback[0] + 4 :] if feedback else ""
    answers = (answers[: feedback[0]] if feedback else answers).strip()
    if not answers:
        raise _Unsupported("essay")
    if answers.startswith("#"):
        raise _Unsupported("numerical")
    if unescaped_positions(answers, "->"):
        raise _Unsupported("matching")
    question = Question(
        type=QuestionType.SINGLE,
        stem={language: _clean(stem, text_format, f"stem.{language}", problems)},
        options=[],
        name=" ".join(unescape(name).split()),
    )
    if explanation.strip():
        question.explanation = {language: _clean(explanation, text_format, f"explanation.{language}", problems)}
    true_false = _TRUE_FALSE.match(answers)
    if true_false and blank:
        raise _Unsupported("missing word")
    if true_false:
        question.type = QuestionType.TRUE_FALSE
        question.options = [Option({language: texts[language]}) for texts in TRUE_FALSE_TEXTS]
        question.options[0 if true_false.group(1).startswith("T") else 1].correct = True
        return question, problems
    if not _choices(question, answers, text_format, language, problems):
        return None, problems  # answers that cannot be read: the rules on them would only repeat it
    return question, problems


def _choices(question: Question, answers: str, text_format: str, language: str, problems: list[Problem]) -> bool:
    markers = sorted(unescaped_positions(answers, "=") + unescaped_positions(answers, "~"))
    if not markers or answers[: markers[0]].strip():
        problems.append(Problem("options", "gift_answer_marker"))
        return False
    kinds = [answers[position] for position in markers]
    if "~" not in kinds:
        raise _Unsupported("short answer")
    single = "=" in kinds
    question.type = QuestionType.SINGLE if single else QuestionType.MULTIPLE
    for index, start in enumerate(markers):
        end = markers[index + 1] if index + 1 < len(markers) else len(answers)
        chunk = answers[start + 1 : end]
        weight = 100.0 if kinds[index] == "=" else 0.0
        match = _WEIGHT.match(chunk)
        if match:
            weight = float(match.group(1).replace(",", "."))
            chunk = chunk[match.end() :]
        hashes = unescaped_positions(chunk, "#")
        chunk = chunk[: hashes[0]] if hashes else chunk  # per-answer feedback is not kept
        if single and 0 < weight < 99.99:
            letter = "ABCDEFGH"[index] if index < 8 else str(index + 1)
            problems.append(Problem("correct", "partial_fraction", {"letter": letter, "fraction": f"{weight:g}"}))
        text = _clean(chunk, text_format, f"options[{index}].{language}", problems)
        correct = weight >= 99.99 if single else weight > 0
        question.options.append(Option({language: text}, correct))
    return True

