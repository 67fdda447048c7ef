"""What every reader shares: the import result, decoding text files, cleaning texts, and
collecting located problems for all questions of a file."""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass, field

from ..duplicates import near_duplicates
from ..markup import markup_problems, plain_to_html, sanitize
from ..model import Question
from ..validation import Location, Problem, missing_images, validate

SIMILAR_STEM_THRESHOLD = 0.9


@dataclass
class ImportResult:
    """The questions a file holds, each with where it was found, and what is wrong with it.

    ``questions`` holds only questions without problems; ``problems`` are errors (the import
    should be refused while there are any), ``skipped`` the questions of unsupported types left
    out because ``skip_unsupported=True`` was asked, ``warnings`` things worth a look that do not
    block the import (near-duplicate stems, images whose file is missing)."""

    questions: list[tuple[Location, Question]]
    problems: list[Problem]
    skipped: list[Problem]
    format: str
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def question_list(self) -> list[Question]:
        return [question for _, question in self.questions]


def megabytes(size: int) -> str:
    """``10485760`` → ``"10"``, ``11010048`` → ``"10.5"``, one byte more than 10 MB → ``"10.1"``:
    a size for messages, rounded up to a tenth so that a size over a limit never reads equal to it."""
    tenths = -(-size * 10 // (1024 * 1024))
    return f"{tenths / 10:.1f}".removesuffix(".0")


def decode_text(data: bytes, source_name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a byte-order mark is allowed) with ``\\n`` line ends, or a located ``encoding`` problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problem = Problem("file", "encoding", {"position": error.start + 1}, Location(source_name, line=line))
        return None, [problem]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def clean_html(raw: str, field_name: str, problems: list[Problem]) -> str:
    """Sanitised ``raw`` (HTML or plain text); broken markup in ``raw`` is added to ``problems``."""
    raw = raw or ""
    broken = markup_problems(raw)
    if broken:
        problems.append(Problem(field_name, "broken_markup", {"tags": " ".join(broken)}))
    return sanitize(raw)


def clean_plain(raw: str) -> str:
    """``raw`` is plain text whatever it contains (Aiken, plain-text Moodle fields)."""
    return plain_to_html(raw or "")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text) if isinstance(text, str) and not text.isascii() else text


def compose(question: Question) -> None:
    """Put every text of ``question`` in Unicode NFC, in place: Vietnamese typed on a Mac or
    decoded from Windows-1258 arrives with separate tone marks (``a`` + U+0301), which would
    neither compare equal to nor search like the composed ``á`` the rest of the bank uses."""
    question.stem = {lang: _nfc(text) for lang, text in question.stem.items()}
    question.explanation = {lang: _nfc(text) for lang, text in question.explanation.items()}
    for option in question.options:
        option.text = {lang: _nfc(text) for lang, text in option.text.items()}
    question.source, question.name = _nfc(question.source), _nfc(question.name)


class TooManyQuestions(Exception):
    """A file holds more than ``limit`` questions: :meth:`Collector.add` raises it at question ``limit + 1``, so
    reading stops there (``formats.read`` turns it into a ``too_many_questions`` problem)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} questions")
        self.limit = limit


class Collector:
    """Gathers the questions and problems of one file, then builds the :class:`ImportResult`.
    ``max_questions``: the most questions (good or bad) the file may hold (``None``: no limit)."""

    def __init__(self, source_name: str, fmt: str, max_questions: int | None = None) -> None:
        self.source_name = source_name
        self.format = fmt
        self.max_questions = max_questions
        self._seen = 0
        self.questions: list[tuple[Location, Question]] = []
        self.problems: list[Problem] = []
        self.skipped: list[Problem] = []
        self.warnings: list[Problem] = []

    def location(self, **where) -> Location:
        return Location(self.source_name, **where)

    def file_problem(self, code: str, params: dict | None = None, *, field_name: str = "file", **where) -> None:
        self.problems.append(Problem(field_name, code, params or {}, self.location(**where)))

    def _count(self) -> None:
        self._seen += 1
        if self.max_questions is not None and self._seen > self.max_questions:
            raise TooManyQuestions(self.max_questions)

    def unsupported(self, type_name: str, location: Location, skip: bool) -> None:
        self._count()
        problem = Problem("type", "unsupported_type", {"type": type_name}, location)
        (self.skipped if skip else self.problems).append(problem)

    def add(self, question: Question | None, location: Location, problems: list[Problem]) -> None:
        """Record a parsed question: its reading ``problems`` plus whatever :func:`validate` finds
        in fields that reading did not already complain about, all located at ``location``."""
        self._count()
        if question is not None:
            compose(question)
        if question is not None and not location.question_name:
            location = dataclasses.replace(location, question_name=question.display_name())
        elif location.question_name:
            location = dataclasses.replace(location, question_name=_nfc(location.question_name))
        found = list(problems)
        if question is not None:
            reported = {problem.field for problem in problems}
            if "type" in reported:  # the rules on options and answers depend on the type
                reported |= {"options", "correct"}
            found += [p for p in validate(question) if p.field not in reported]
        if found:
            self.problems += [problem.at(location) for problem in found]
        elif question is not None:
            self.questions.append((location, question))

    def result(self) -> ImportResult:
        self._check_keys()
        self._check_stems()
        for location, question in self.questions:
            self.warnings += missing_images(question, location)
        return ImportResult(self.questions, self.problems, self.skipped, self.format, self.warnings)

    def _check_keys(self) -> None:
        first: dict[str, Location] = {}
        kept = []
        for location, question in self.questions:
            if question.key and question.key in first:
                other = _short_location(first[question.key])
                self.problems.append(Problem("key", "duplicate_key", {"key": question.key, "other": other}, location))
                continue
            if question.key:
                first[question.key] = location
            kept.append((location, question))
        self.questions = kept

    def _check_stems(self) -> None:
        texts = [question.text("vi") for _, question in self.questions]
        for i, j, score in near_duplicates(texts, SIMILAR_STEM_THRESHOLD):
            other = _short_location(self.questions[i][0])
            location = self.questions[j][0]
            if score >= 1.0:
                self.warnings.append(Problem("stem", "duplicate_stem", {"other": other}, location))
            else:
                params = {"other": other, "percent": int(score * 100)}
                self.warnings.append(Problem("stem", "similar_stem", params, location))


def _short_location(location: Location) -> dict[str, str]:
    """The other question of a duplicate pair, without repeating the file name."""
    short = dataclasses.replace(location, source_name="")
    return {lang: short.describe(lang) for lang in ("vi", "en")}
