"""Moodle XML: ``multichoice`` and ``truefalse`` questions, one language per file.

Parsed with defusedxml (no DTD, no entity, no external reference: each is a located problem).
``<category>`` elements give the pillar and tags of the questions after them (see
:mod:`.categories`); ``<tags>`` and ``<idnumber>`` give tags and key; embedded ``<file>``
images are kept in ``Question.images`` and ``@@PLUGINFILE@@/x.png`` becomes ``x.png``.
Other question types are problems naming the type, the question and its line, or go to
``skipped`` with ``skip_unsupported=True``.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..markup import slugify
from ..model import TRUE_FALSE_TEXTS, Option, Pillar, Question, QuestionType
from ..validation import Problem
from .categories import merge_tags, parse_category
from .importing import Collector, ImportResult, clean_html, clean_plain, decode_text
from .moodle_xml_writer import PLUGINFILE, default_name, write

__all__ = ["read", "write"]

SUPPORTED = ("multichoice", "truefalse")
_HTML_FORMATS = ("html", "moodle_auto_format")
# How an unsupported Moodle type is named in messages (others keep their Moodle name).
TYPE_NAMES = {"multianswer": "cloze (multianswer)", "ddwtos": "drag and drop into text (ddwtos)", "gapselect": "select missing words (gapselect)"}
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_UTF8_NAMES = {b"utf-8", b"utf8"}


class _LineTreeBuilder(ET.TreeBuilder):
    """Remembers the line on which each element starts."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: Any = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _parse(data: bytes, collector: Collector) -> tuple[ET.Element | None, dict[int, int]]:
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        return parser.close(), builder.lines
    except ET.ParseError as error:
        line, column = getattr(error, "position", (None, None))
        detail = re.sub(r": line \d+, column \d+$", "", str(error))
        collector.file_problem("xml_malformed", {"detail": detail, "column": column or 0}, line=line)
    except DefusedXmlException:
        collector.file_problem("xml_forbidden", line=parser.parser.CurrentLineNumber)
    return None, {}


def _encoding_ok(data: bytes, collector: Collector) -> bool:
    """A file that declares no encoding, or UTF-8, must be UTF-8 (a byte-order mark is allowed):
    a Windows-1252/1258 file saved without saying so is an ``encoding`` problem, not malformed XML."""
    declared = _DECLARED_ENCODING.match(data.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower() not in _UTF8_NAMES:
        return True  # expat decodes the encodings it knows, and reports the others
    _, problems = decode_text(data, collector.source_name)
    collector.problems += problems
    return not problems


def read(data: bytes, source_name: str, *, language: str = "vi", skip_unsupported: bool = False,
         max_questions: int | None = None) -> ImportResult:
    collector = Collector(source_name, "moodle-xml", max_questions)
    if not data.strip():
        collector.file_problem("empty_file")
        return collector.result()
    if not _encoding_ok(data, collector):
        return collector.result()
    root, lines = _parse(data, collector)
    if root is None:
        return collector.result()
    if root.tag != "quiz":
        collector.file_problem("xml_not_quiz", {"tag": root.tag}, line=lines.get(id(root)))
        return collector.result()
    pillar: Pillar | None = None
    category_tags: list[str] = []
    seen = 0
    for element in root.findall("question"):
        kind = (element.get("type") or "").strip()
        if kind == "category":
            pillar, category_tags = parse_category(element.findtext("category/text") or "")
            continue
        seen += 1
        name = " ".join((element.findtext("name/text") or "").split())
        location = collector.location(line=lines.get(id(element)), question_name=name or None)
        if kind not in SUPPORTED:
            collector.unsupported(TYPE_NAMES.get(kind, kind or "?"), location, skip_unsupported)
            continue
        question, problems = _question(element, kind, language)
        question.pillar = pillar
        question.tags = merge_tags(question.tags, category_tags)
        if question.name and question.name == default_name(question.stem.get(language, "")):
            question.name = ""  # generated by our writer, not a real name
        collector.add(question, location, problems)
    if seen == 0:
        collector.file_problem("empty_file")
    return collector.result()


def _text(element: ET.Element | None, field_name: str, problems: list[Problem]) -> str:
    if element is None:
        return ""
    raw = (element.findtext("text") or "").replace(PLUGINFILE + "/", "")
    if (element.get("format") or "html") in _HTML_FORMATS:
        return clean_html(raw, field_name, problems)
    return clean_plain(raw)


def _images(element: ET.Element, problems: list[Problem]) -> dict[str, bytes]:
    images = {}
    for file in element.iter("file"):
        name = (file.get("name") or "").strip()
        folder = (file.get("path") or "/").strip("/")
        if not name:
            continue
        key = f"{folder}/{name}" if folder else name
        try:
            images[key] = base64.b64decode("".join((file.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            problems.append(Problem("images", "bad_base64", {"name": key}))
    return images


def _fraction(answer: ET.Element, index: int, problems: list[Problem]) -> float:
    raw = (answer.get("fraction") or "0").strip()
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        problems.append(Problem(f"options[{index}]", "bad_number", {"value": raw}))
        return 0.0


def _question(element: ET.Element, kind: str, language: str) -> tuple[Question, list[Problem]]:
    problems: list[Problem] = []
    stem = _text(element.find("questiontext"), f"stem.{language}", problems)
    explanation = _text(element.find("generalfeedback"), f"explanation.{language}", problems)
    answers = element.findall("answer")
    if kind == "truefalse":
        question_type = QuestionType.TRUE_FALSE
        options = [Option({language: texts[language]}) for texts in TRUE_FALSE_TEXTS]
        for index, answer in enumerate(answers):
            if _fraction(answer, index, problems) > 0:
                is_true = (answer.findtext("text") or "").strip().lower() == "true"
                options[0 if is_true else 1].correct = True
    else:
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        question_type = QuestionType.SINGLE if single else QuestionType.MULTIPLE
        options = []
        for index, answer in enumerate(answers):
            fraction = _fraction(answer, index, problems)
            text = _text(answer, f"options[{index}].{language}", problems)
            if single and 0 < fraction < 99.99:
                letter = "ABCDEFGH"[index] if index < 8 else str(index + 1)
                problems.append(Problem("correct", "partial_fraction", {"letter": letter, "fraction": f"{fraction:g}"}))
            options.append(Option({language: text}, correct=fraction >= 99.99 if single else fraction > 0))
    tags = [(tag.findtext("text") or "").strip() for tag in element.findall("tags/tag")]
    question = Question(
        type=question_type,
        stem={language: stem},
        options=options,
        explanation={language: explanation} if explanation else {},
        tags=merge_tags([slugify(tag) for tag in tags]),
        name=" ".join((element.findtext("name/text") or "").split()),
        key=(element.findtext("idnumber") or "").strip() or None,
        images=_images(element, problems),
    )
    return question, problems

