"""Writing Moodle XML that Moodle's "Moodle XML format" import accepts, one language per file.

* a ``<question type="category">`` before each run of questions of the same pillar;
* ``multichoice`` for single (``single=true``, fractions 100/0) and multiple choice
  (``single=false``, each correct option 100/k, each wrong one −100/k: Moodle then grades
  exactly like :func:`question_bank.grading.grade`); ``truefalse`` for true/false;
* images as ``<file encoding="base64">`` inside the field that shows them, referenced as
  ``@@PLUGINFILE@@/name``;
* the key as ``<idnumber>``, tags as ``<tags>``, the explanation as ``<generalfeedback>``.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_EVEN, Decimal
from urllib.parse import unquote

from ..markup import to_plain_text
from ..model import Question, QuestionType
from ..validation import image_references
from .categories import category_path

PLUGINFILE = "@@PLUGINFILE@@"
_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")', re.IGNORECASE)
_STEP = Decimal("0.00001")


def default_name(stem_html: str, limit: int = 60) -> str:
    """The name written for a question that has none (Moodle requires one)."""
    words = " ".join(to_plain_text(stem_html).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def fractions(question: Question) -> list[str]:
    """Moodle ``fraction`` attribute of each option, in percent.  Multiple choice: correct
    options share 100 exactly (the last absorbs the rounding: 33.33333 + 33.33333 + 33.33334),
    wrong options get −100/k."""
    correct = question.correct_indexes
    if question.type is not QuestionType.MULTIPLE or not correct:
        return ["100" if option.correct else "0" for option in question.options]
    share = (Decimal(100) / len(correct)).quantize(_STEP, rounding=ROUND_HALF_EVEN)
    last = Decimal(100) - share * (len(correct) - 1)
    values = []
    for index, option in enumerate(question.options):
        if option.correct:
            values.append(_format(last if index == correct[-1] else share))
        else:
            values.append(_format(-share))
    return values


def _format(value: Decimal) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _field(parent: ET.Element, tag: str, html: str, question: Question, attached: set[str]) -> ET.Element:
    """``<tag format="html"><text>…</text><file …/></tag>`` with the images the text shows."""
    element = _sub(parent, tag, format="html")

    def to_pluginfile(match: re.Match) -> str:
        src = match.group(2)
        if unquote(src) in question.images:
            return f"{match.group(1)}{PLUGINFILE}/{src}{match.group(3)}"
        return match.group(0)

    _sub(element, "text", _SRC.sub(to_pluginfile, html))
    for name in dict.fromkeys(image_references(html)):
        if name in question.images and name not in attached:
            attached.add(name)
            _file(element, name, question.images[name])
    return element


def _file(parent: ET.Element, key: str, blob: bytes) -> None:
    folder, _, name = key.rpartition("/")
    path = f"/{folder}/" if folder else "/"
    _sub(parent, "file", base64.b64encode(blob).decode("ascii"), name=name, path=path, encoding="base64")


def _question(quiz: ET.Element, question: Question, language: str) -> None:
    kind = "truefalse" if question.type is QuestionType.TRUE_FALSE else "multichoice"
    element = _sub(quiz, "question", type=kind)
    stem = question.stem.get(language, "")
    _sub(_sub(element, "name"), "text", question.name or default_name(stem))
    attached: set[str] = set()
    questiontext = _field(element, "questiontext", stem, question, attached)
    _field(element, "generalfeedback", question.explanation.get(language, ""), question, attached)
    _sub(element, "defaultgrade", "1.0000000")
    _sub(element, "penalty", "1.0000000" if kind == "truefalse" else "0.3333333")
    _sub(element, "hidden", "0")
    _sub(element, "idnumber", question.key or "")
    if kind == "truefalse":
        for index, word in enumerate(("true", "false")):
            correct = question.options[index].correct if index < len(question.options) else False
            answer = _sub(element, "answer", fraction="100" if correct else "0", format="moodle_auto_format")
            _sub(answer, "text", word)
            _sub(_sub(answer, "feedback", format="html"), "text", "")
    else:
        _sub(element, "single", "true" if question.type is QuestionType.SINGLE else "false")
        _sub(element, "shuffleanswers", "true")
        _sub(element, "answernumbering", "abc")
        _sub(element, "showstandardinstruction", "0")
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _sub(_sub(element, tag, format="html"), "text", "")
        for option, fraction in zip(question.options, fractions(question)):
            answer = _field(element, "answer", option.text.get(language, ""), question, attached)
            answer.set("fraction", fraction)
            _sub(_sub(answer, "feedback", format="html"), "text", "")
    for name, blob in question.images.items():  # images no text shows: keep them with the stem
        if name not in attached:
            _file(questiontext, name, blob)
    if question.tags:
        tags = _sub(element, "tags")
        for tag in question.tags:
            _sub(_sub(tags, "tag"), "text", tag)


def write(questions: list[Question], *, language: str = "vi") -> bytes:
    quiz = ET.Element("quiz")
    current: object = object()
    for question in questions:
        if question.pillar != current:
            current = question.pillar
            category = _sub(quiz, "question", type="category")
            _sub(_sub(category, "category"), "text", category_path(question.pillar, language))
        _question(quiz, question, language)
    ET.indent(quiz, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8", xml_declaration=False) + b"\n"
