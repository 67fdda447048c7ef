"""The native JSON format (``docs/question-format.md``): everything a question has, images included.

Problems are located by the question's position in the array ("câu số N") and its line.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from ..model import Difficulty, Option, Pillar, Question, QuestionType
from ..validation import Problem
from .importing import Collector, ImportResult, clean_html, decode_text

FIELDS = ("key", "type", "pillar", "difficulty", "tags", "source", "name", "stem", "options", "explanation", "images")


def write(questions: list[Question], *, language: str = "vi") -> bytes:
    """A JSON array, UTF-8 without BOM, two-space indent, non-ASCII kept readable."""
    payload = [question.to_dict() for question in questions]
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read(data: bytes, source_name: str, *, language: str = "vi", skip_unsupported: bool = False,
         max_questions: int | None = None) -> ImportResult:
    collector = Collector(source_name, "json", max_questions)
    text, problems = decode_text(data, source_name)
    if text is None:
        collector.problems += problems
        return collector.result()
    if not text.strip():
        collector.file_problem("empty_file")
        return collector.result()
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        collector.file_problem("json_syntax", {"detail": error.msg, "column": error.colno}, line=error.lineno)
        return collector.result()
    if not isinstance(payload, list):
        collector.file_problem("json_not_list", line=1)
        return collector.result()
    if not payload:
        collector.file_problem("empty_file")
        return collector.result()
    lines = _element_lines(text, len(payload))
    for number, item in enumerate(payload, start=1):
        location = collector.location(index=number, line=lines[number - 1])
        if not isinstance(item, dict):
            collector.add(None, location, [Problem("question", "json_not_object")])
            continue
        question, problems = parse_question(item)
        collector.add(question, location, problems)
    return collector.result()


def _element_lines(text: str, count: int) -> list[int | None]:
    """Line on which each element of the top-level array starts."""
    decoder = json.JSONDecoder()
    lines: list[int | None] = []
    position = text.index("[") + 1
    try:
        for _ in range(count):
            while text[position] in " \t\n\r,":
                position += 1
            lines.append(text.count("\n", 0, position) + 1)
            _, position = decoder.raw_decode(text, position)
    except (ValueError, IndexError):
        pass
    return lines + [None] * (count - len(lines))


def _texts(value: Any, field_name: str, problems: list[Problem]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(field_name, "not_object"))
        return {}
    texts: dict[str, str] = {}
    for lang, text in value.items():
        if not isinstance(text, str):
            problems.append(Problem(f"{field_name}.{lang}", "not_text"))
            continue
        texts[lang] = clean_html(text, f"{field_name}.{lang}", problems)
    return texts


def _string(item: dict, name: str, problems: list[Problem]) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(Problem(name, "not_text"))
        return ""
    return value.strip()


def _enum(item: dict, name: str, enum: type, code: str, problems: list[Problem], default: Any) -> Any:
    value = item.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    problems.append(Problem(name, code, {"value": value, "allowed": ", ".join(member.value for member in enum)}))
    return default


def _options(value: Any, problems: list[Problem]) -> list[Option]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem("options", "not_list"))
        return []
    options = []
    for index, entry in enumerate(value):
        field_name = f"options[{index}]"
        if not isinstance(entry, dict):
            problems.append(Problem(field_name, "not_object"))
            options.append(Option({}))
            continue
        correct = entry.get("correct", False)
        if not isinstance(correct, bool):
            problems.append(Problem(field_name, "not_bool"))
            correct = False
        texts = _texts({k: v for k, v in entry.items() if k != "correct"}, field_name, problems)
        options.append(Option(texts, correct))
    return options


def _tags(value: Any, problems: list[Problem]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem("tags", "not_list"))
        return []
    if not all(isinstance(tag, str) for tag in value):
        problems.append(Problem("tags", "not_text"))
    return [tag for tag in value if isinstance(tag, str)]


def _images(value: Any, problems: list[Problem]) -> dict[str, bytes]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem("images", "not_object"))
        return {}
    images = {}
    for name, blob in value.items():
        try:
            images[name] = base64.b64decode(blob, validate=True)
        except (binascii.Error, TypeError, ValueError):
            problems.append(Problem("images", "bad_base64", {"name": name}))
    return images


def parse_question(item: dict[str, Any]) -> tuple[Question, list[Problem]]:
    """A question from one native-format object, and every problem found while reading it."""
    problems = [Problem(name, "unknown_field", {"name": name}) for name in item if name not in FIELDS]
    question_type = _enum(item, "type", QuestionType, "unknown_type", problems, None)
    if "type" not in item or item.get("type") in (None, ""):
        problems.append(Problem("type", "empty_text"))
    key = item.get("key")
    if key is not None and not isinstance(key, str):
        problems.append(Problem("key", "not_text"))
        key = None
    question = Question(
        type=question_type or QuestionType.SINGLE,
        stem=_texts(item.get("stem"), "stem", problems),
        options=_options(item.get("options"), problems),
        explanation=_texts(item.get("explanation"), "explanation", problems),
        pillar=_enum(item, "pillar", Pillar, "unknown_pillar", problems, None),
        tags=_tags(item.get("tags"), problems),
        difficulty=_enum(item, "difficulty", Difficulty, "unknown_difficulty", problems, Difficulty.MEDIUM),
        source=_string(item, "source", problems),
        name=_string(item, "name", problems),
        key=key,
        images=_images(item.get("images"), problems),
    )
    return question, problems
