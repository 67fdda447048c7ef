"""Checking questions, and the located, bilingual problems every check and reader reports."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import unquote

from .markup import markup_problems, slugify, stem_fingerprint
from .messages import FIELD_LABELS, LOCATION_WORDS, MESSAGES
from .model import LANGUAGES, MAX_OPTIONS, MIN_OPTIONS, OPTION_LETTERS, Question, QuestionType

SLUG = re.compile(r"^[a-z0-9-]+$")
_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]+)\"", re.IGNORECASE)
# C0 controls except tab, LF and CR; DEL; lone surrogates. A database refuses NUL in text, and nobody types these.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_FIELD = re.compile(r"^(?P<base>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<lang>[a-z]{2,3}))?$")


@dataclass(frozen=True)
class Location:
    """Where a problem is: the file, then a spreadsheet row (as Excel numbers it, header = 1),
    a text line, or a position in a JSON array (1-based), and the question's name if known."""

    source_name: str
    row: int | None = None
    line: int | None = None
    question_name: str | None = None
    index: int | None = None

    def describe(self, lang: str = "vi") -> str:
        parts = [self.source_name] if self.source_name else []
        for attribute in ("row", "line", "index"):
            value = getattr(self, attribute)
            if value is not None:
                parts.append(_word(attribute, lang).format(n=value))
        if self.question_name:
            parts.append(_word("question", lang).format(name=self.question_name))
        return ", ".join(parts)


def _word(name: str, lang: str) -> str:
    words = LOCATION_WORDS[name]
    return words.get(lang, words["vi"])


def letter(index: int) -> str:
    return OPTION_LETTERS[index] if 0 <= index < len(OPTION_LETTERS) else str(index + 1)


def field_label(field_name: str, lang: str = "vi") -> str:
    """``"options[2].en"`` → ``"Phương án C (EN)"``; ``"correct"`` → ``"Đáp án đúng"``; ``""`` for file-level fields."""
    match = _FIELD.match(field_name or "")
    if not match or (match["base"] not in FIELD_LABELS and match["base"] != "options"):
        return ""
    base, index, language = match["base"], match["index"], match["lang"]
    if base == "options" and index is not None:
        labels = FIELD_LABELS["option"]
        text = labels.get(lang, labels["vi"]).format(letter=letter(int(index)))
    else:
        labels = FIELD_LABELS[base]
        text = labels.get(lang, labels["vi"])
    return f"{text} ({language.upper()})" if language else text


def _render(value: Any, lang: str) -> str:
    if isinstance(value, Enum) and hasattr(value, "label"):
        return value.label(lang)
    if isinstance(value, dict):
        return str(value.get(lang, value.get("vi", "")))
    if isinstance(value, (list, tuple)):
        return ", ".join(_render(item, lang) for item in value)
    return str(value)


@dataclass
class Problem:
    """One thing wrong with an input: ``field`` (``"options"``, ``"stem.vi"``, ``"options[2].en"``,
    ``"file"``…), a ``code`` from :data:`question_bank.messages.MESSAGES`, the values the message
    needs, and where it is."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    location: Location | None = None

    def message(self, lang: str = "vi") -> str:
        templates = MESSAGES[self.code]
        template = templates.get(lang, templates["vi"])
        return template.format(**{name: _render(value, lang) for name, value in self.params.items()})

    def describe(self, lang: str = "vi") -> str:
        """``"questions.xlsx, dòng 7, câu «Hiến chương ASEAN», trường «Đáp án đúng»: phải có ít nhất một đáp án đúng"``."""
        parts = []
        if self.location is not None:
            where = self.location.describe(lang)
            if where:
                parts.append(where)
        label = field_label(self.field, lang)
        if label:
            parts.append(_word("field", lang).format(label=label))
        prefix = ", ".join(parts)
        return f"{prefix}: {self.message(lang)}" if prefix else self.message(lang)

    def at(self, location: Location) -> "Problem":
        return dataclasses.replace(self, location=location)

    def __str__(self) -> str:
        return self.describe("vi")


def _filled(text: Any) -> bool:
    return isinstance(text, str) and bool(text.strip())


def _check_markup(text: Any, field_name: str, problems: list[Problem]) -> None:
    if isinstance(text, str):
        broken = markup_problems(text)
        if broken:
            problems.append(Problem(field_name, "broken_markup", {"tags": " ".join(broken)}))


def image_references(text: str) -> list[str]:
    """Relative image names used by ``<img src=…>`` in ``text`` (URL-decoded)."""
    names = []
    for src in _IMG_SRC.findall(text or ""):
        if not src.lower().startswith("data:"):
            names.append(unquote(src))
    return names


def _language_problems(question: Question) -> list[Problem]:
    problems: list[Problem] = []
    allowed = ", ".join(LANGUAGES)
    fields = [("stem", question.stem), ("explanation", question.explanation)]
    fields += [(f"options[{i}]", option.text) for i, option in enumerate(question.options)]
    reported: set[str] = set()
    for field_name, texts in fields:
        for lang in texts:
            if lang not in LANGUAGES and lang not in reported:
                reported.add(lang)
                problems.append(Problem(field_name, "unknown_language", {"value": lang, "allowed": allowed}))
    return problems


def _option_problems(question: Question, languages: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    count = len(question.options)
    if count < MIN_OPTIONS:
        problems.append(Problem("options", "too_few_options", {"count": count}))
    if count > MAX_OPTIONS:
        problems.append(Problem("options", "too_many_options", {"count": count}))
    if question.type is QuestionType.TRUE_FALSE and count != 2:
        problems.append(Problem("options", "true_false_options", {"count": count}))
    duplicates: set[tuple[int, int]] = set()
    for lang in languages:
        seen: dict[str, int] = {}
        for index, option in enumerate(question.options):
            text = option.text.get(lang)
            if not _filled(text):
                problems.append(Problem(f"options[{index}].{lang}", "empty_text"))
                continue
            _check_markup(text, f"options[{index}].{lang}", problems)
            key = stem_fingerprint(text) or text.strip()
            if key in seen and (seen[key], index) not in duplicates:
                duplicates.add((seen[key], index))
                problems.append(
                    Problem("options", "duplicate_option", {"first": letter(seen[key]), "second": letter(index)})
                )
            seen.setdefault(key, index)
    correct = question.correct_indexes
    if not correct:
        problems.append(Problem("correct", "no_correct"))
    elif len(correct) > 1 and question.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        letters = ", ".join(letter(i) for i in correct)
        problems.append(Problem("correct", "one_correct_only", {"type": _lower_labels(question.type), "letters": letters}))
    return problems


def _lower_labels(member: QuestionType) -> dict[str, str]:
    return {lang: member.label(lang).lower() for lang in LANGUAGES}


def _control_problems(question: Question) -> list[Problem]:
    texts = [(f"stem.{lang}", text) for lang, text in question.stem.items()]
    texts += [(f"options[{i}].{lang}", text) for i, option in enumerate(question.options)
              for lang, text in option.text.items()]
    texts += [(f"explanation.{lang}", text) for lang, text in question.explanation.items()]
    texts += [("source", question.source), ("name", question.name)]
    return [Problem(field_name, "control_character") for field_name, text in texts
            if isinstance(text, str) and CONTROL_CHARACTERS.search(text)]


def validate(question: Question, location: Location | None = None) -> list[Problem]:
    """Every rule of the question format that ``question`` breaks ([] when it is valid)."""
    problems = _language_problems(question) + _control_problems(question)
    languages = [lang for lang in question.languages if lang in LANGUAGES]
    if not languages:
        problems.append(Problem("stem", "no_language"))
    for lang in languages:
        text = question.stem.get(lang)
        if not _filled(text):
            problems.append(Problem(f"stem.{lang}", "empty_text"))
        _check_markup(text, f"stem.{lang}", problems)
    problems += _option_problems(question, languages)
    for lang, text in question.explanation.items():
        if _filled(text) and lang in LANGUAGES and languages and lang not in languages:
            problems.append(Problem(f"explanation.{lang}", "explanation_language", {"lang": lang}))
        _check_markup(text, f"explanation.{lang}", problems)
    for tag in question.tags:
        if not isinstance(tag, str) or not SLUG.match(tag):
            problems.append(Problem("tags", "bad_tag", {"tag": tag, "suggestion": slugify(str(tag)) or "chu-de"}))
    if question.key is not None and not SLUG.match(question.key):
        problems.append(Problem("key", "bad_key", {"key": question.key}))
    if location is not None:
        problems = [problem.at(location) for problem in problems]
    return problems


def missing_images(question: Question, location: Location | None = None) -> list[Problem]:
    """Images used by ``<img src="name">`` whose file the question does not carry.  A warning,
    not an error: formats without images (XLSX, CSV, GIFT) keep the references."""
    texts = [*question.stem.values(), *question.explanation.values()]
    texts += [text for option in question.options for text in option.text.values()]
    used = {name for text in texts if isinstance(text, str) for name in image_references(text)}
    return [
        Problem("images", "missing_image", {"name": name}, location) for name in sorted(used - set(question.images))
    ]
