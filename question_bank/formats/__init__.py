"""Interchange formats: detect, read and write question files.

=============  ==========================================  ===================================
format         read                                         write
=============  ==========================================  ===================================
``json``       native format, everything incl. images       same
``xlsx``       the Vietnamese template (both languages)     same, plus a "Hướng dẫn" sheet
``csv``        the same template, UTF-8, ``,`` or ``;``     UTF-8 with BOM, ``,``
``moodle-xml`` multichoice + truefalse, one language        one language per file
``gift``       multiple choice + true/false, one language   one language per file
``aiken``      single choice, one language                  single choice only
=============  ==========================================  ===================================

Readers never raise on bad input: every problem becomes a located :class:`Problem` in the
:class:`ImportResult`.  ``docs/import-formats.md`` documents each format for content writers.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
from collections.abc import Callable, Iterable

from ..markup import fold
from ..model import LANGUAGES, Question
from ..validation import Location, Problem
from . import aiken, csv_table, gift, moodle_xml, native_json, xlsx
from .exporting import ExportError, export_problems
from .importing import ImportResult, TooManyQuestions, megabytes

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "FORMAT_NAMES",
    "MAX_FILE_BYTES",
    "MAX_QUESTIONS",
    "MEDIA_TYPES",
    "UNKNOWN",
    "ExportError",
    "ImportResult",
    "detect",
    "detect_format",
    "format_from_name",
    "export_problems",
    "read",
    "write",
    "write_template",
]

FORMATS: tuple[str, ...] = ("json", "xlsx", "csv", "moodle-xml", "gift", "aiken")
UNKNOWN = "unknown"
# Files larger than this are refused before any parsing (the web upload limit is 8 MB);
# ``read(..., max_bytes=None)`` lifts the limit.
MAX_FILE_BYTES = 10 * 1024 * 1024
# A file with more questions than this is refused (``too_many_questions``) as soon as the reader reaches the
# question after the limit, before the checks against the bank; ``read(..., max_questions=None)`` lifts it.
MAX_QUESTIONS = 10_000

# What to call each format in the interface.
FORMAT_NAMES: dict[str, str] = {
    "json": "JSON (ASEAN Quiz)",
    "xlsx": "Excel (.xlsx)",
    "csv": "CSV (UTF-8)",
    "moodle-xml": "Moodle XML",
    "gift": "GIFT",
    "aiken": "Aiken",
}

EXTENSIONS: dict[str, str] = {
    "json": ".json",
    "xlsx": ".xlsx",
    "csv": ".csv",
    "moodle-xml": ".xml",
    "gift": ".gift.txt",
    "aiken": ".aiken.txt",
}
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "moodle-xml": "application/xml",
    "gift": "text/plain; charset=utf-8",
    "aiken": "text/plain; charset=utf-8",
}

_BY_EXTENSION = {
    ".json": "json",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xlsx",
    ".csv": "csv",
    ".xml": "moodle-xml",
    ".gift": "gift",
    ".txt": "gift",
}

Reader = Callable[..., ImportResult]
_READERS: dict[str, Reader] = {
    "json": native_json.read,
    "xlsx": xlsx.read,
    "csv": csv_table.read,
    "moodle-xml": moodle_xml.read,
    "gift": gift.read,
    "aiken": aiken.read,
}
_WRITERS: dict[str, Callable[..., bytes]] = {
    "json": native_json.write,
    "xlsx": xlsx.write,
    "csv": csv_table.write,
    "moodle-xml": moodle_xml.write,
    "gift": gift.write,
    "aiken": aiken.write,
}

_AIKEN_ANSWER = re.compile(r"^[ \t]*ANSWER[ \t]*:[ \t]*[A-Za-z][ \t]*$", re.MULTILINE)
_AIKEN_OPTION = re.compile(r"^[ \t]*[A-Z][.)][ \t]", re.MULTILINE)
_GIFT_MARKERS = re.compile(
    r"^[ \t]*(::|\$CATEGORY:)|\{[ \t]*(T|F|TRUE|FALSE)[ \t]*[}#]|\{[^{}]*(?<!\\)[=~][^{}]*\}",
    re.MULTILINE,
)
_JSON_START = re.compile(r"^(\{|\[\s*(\{|\]|$))")

_log = logging.getLogger(__name__)


def detect_format(filename: str, data: bytes) -> str:
    """One of :data:`FORMATS` (or :data:`UNKNOWN`), judged from the content first — ZIP magic
    for XLSX, ``<?xml``/``<quiz>`` for Moodle, a JSON array, Aiken ``ANSWER:`` lines, the CSV
    template header, GIFT markers — then from the file extension.  Content that is not UTF-8
    text (binary, Windows-1258…) is judged by its extension first."""
    head = data[:4]
    if head == b"PK\x03\x04" or head == b"\xd0\xcf\x11\xe0":  # XLSX (zip) or an old .xls
        return "xlsx"
    extension = os.path.splitext(filename or "")[1].lower()
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:65536], final=False)
    except UnicodeDecodeError:
        # not UTF-8 text (binary junk, a legacy encoding): the name is a better guide than
        # patterns found in garbage; the reader then says what is wrong with the content
        if extension in _BY_EXTENSION:
            return _BY_EXTENSION[extension]
    sample = data[:65536].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if sample.startswith("<?xml") or sample[:5].lower() == "<quiz":
        return "moodle-xml"
    if _JSON_START.match(sample):
        return "json"
    if _AIKEN_ANSWER.search(sample) and _AIKEN_OPTION.search(sample):
        return "aiken"
    if csv_table.looks_like_template(sample):
        return "csv"
    if _GIFT_MARKERS.search(sample):
        return "gift"
    return _BY_EXTENSION.get(extension, UNKNOWN)


def detect(filename: str, data: bytes) -> str:
    """Alias of :func:`detect_format`."""
    return detect_format(filename, data)


def read(
    data: bytes,
    filename: str,
    *,
    language: str = "vi",
    skip_unsupported: bool = False,
    format: str | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
    max_questions: int | None = MAX_QUESTIONS,
) -> ImportResult:
    """Read the questions of a file.  ``language`` is the language of single-language formats
    (Moodle XML, GIFT, Aiken); ``skip_unsupported`` moves questions of unsupported types (essay,
    matching, …) from ``problems`` to ``skipped``; ``format`` overrides detection; a file larger
    than ``max_bytes`` is refused with a ``file_too_large`` problem, one of more than ``max_questions``
    questions with a ``too_many_questions`` problem (``None``: no limit)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    source_name = os.path.basename(filename or "") or "?"
    if max_bytes is not None and len(data) > max_bytes:
        params = {"size": megabytes(len(data)), "limit": megabytes(max_bytes)}
        problem = Problem("file", "file_too_large", params, Location(source_name))
        return ImportResult([], [problem], [], format or UNKNOWN)
    fmt = format or detect_format(filename, data)
    reader = _READERS.get(fmt)
    if reader is None:
        problem = Problem("file", "unknown_format", {"formats": ", ".join(FORMATS)}, Location(source_name))
        return ImportResult([], [problem], [], fmt)
    try:
        return reader(data, source_name, language=language, skip_unsupported=skip_unsupported,
                      max_questions=max_questions)
    except TooManyQuestions as error:
        problem = Problem("file", "too_many_questions", {"limit": error.limit}, Location(source_name))
        return ImportResult([], [problem], [], fmt)
    except Exception as error:  # a reader bug must reach the user as a problem, not a crash
        _log.exception("reading %s as %s failed", source_name, fmt)
        problem = Problem("file", "syntax", {"format": fmt, "detail": repr(error)}, Location(source_name))
        return ImportResult([], [problem], [], fmt)


def write(questions: Iterable[Question], fmt: str, *, language: str = "vi") -> bytes:
    """The file bytes of ``questions`` in ``fmt``; ``language`` chooses the text written by
    single-language formats (and the labels of the spreadsheet).  Raises :class:`ExportError`
    when the format cannot carry a question (e.g. a multiple-choice question in Aiken)."""
    if fmt not in _WRITERS:
        raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    questions = list(questions)
    problems = export_problems(questions, fmt, language=language)
    if problems:
        raise ExportError(problems)
    return _WRITERS[fmt](questions, language=language)


def write_template(fmt: str = "xlsx") -> bytes:
    """An empty import template: XLSX (with a "Hướng dẫn" instructions sheet) or CSV."""
    if fmt == "xlsx":
        return xlsx.write_template()
    if fmt == "csv":
        return csv_table.write([])
    raise ValueError("templates exist for 'xlsx' and 'csv' only")


def format_from_name(name: str) -> str | None:
    """``"Moodle XML"``, ``"moodle_xml"``, ``"GIFT"`` → the format code, or ``None``."""
    wanted = re.sub(r"[^a-z0-9]", "", fold(name))
    return next((fmt for fmt in FORMATS if re.sub(r"[^a-z0-9]", "", fmt) == wanted), None)
