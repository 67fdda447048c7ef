"""Helpers for the interchange-format tests: what a format carries, legacy encodings, locating lines."""

from __future__ import annotations

import copy
import unicodedata

from question_bank.model import Difficulty, Question

# Fields of Question; "texts" stands for stem, options and explanation in one language.
ALL_FIELDS = {"type", "texts", "explanation", "pillar", "tags", "difficulty", "source", "name", "key", "images"}
_DEFAULTS = {
    "explanation": {},
    "pillar": None,
    "tags": [],
    "difficulty": Difficulty.MEDIUM,
    "source": "",
    "name": "",
    "key": None,
    "images": {},
}


def carried(question: Question, lang: str | None, fields: set[str]) -> Question:
    """``question`` as a format that carries only ``fields`` (and only ``lang``, when given)
    gives it back: every other field at its default value."""
    result = copy.deepcopy(question)
    if lang is not None:
        result.stem = {lang: result.stem[lang]}
        result.explanation = {k: v for k, v in result.explanation.items() if k == lang}
        for option in result.options:
            option.text = {lang: option.text[lang]}
    for name, default in _DEFAULTS.items():
        if name not in fields:
            setattr(result, name, copy.deepcopy(default))
    return result


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 (Vietnamese Windows) writes it: tone marks as separate bytes."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += base.encode("cp1258") + "".join(c for c in parts if c in _TONES).encode("cp1258")
    return bytes(out)


def line_of(text: str | bytes, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the ``occurrence``-th ``needle`` in ``text``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    position = -1
    for _ in range(occurrence):
        position = text.index(needle, position + 1)
    return text.count("\n", 0, position) + 1


def located(result) -> list[tuple]:
    """The problems of an import as sorted ``(row or line, question name, field, code)`` tuples."""
    return sorted(
        (p.location.row or p.location.line or 0, p.location.question_name or "", p.field, p.code) for p in result.problems
    )
