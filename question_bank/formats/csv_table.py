"""CSV with the spreadsheet template columns.

Read: UTF-8 with or without BOM, delimiter ``,`` ``;`` or tab (guessed from the header row).
Write: UTF-8 with BOM and ``,`` so that Excel shows Vietnamese diacritics; cells that Excel
could evaluate as a formula get a leading apostrophe, which the reader strips again.
Rows are numbered as Excel shows them (header = row 1).
"""

from __future__ import annotations

import csv
import io

from ..markup import fold
from ..model import Question
from .importing import Collector, ImportResult, decode_text
from .spreadsheet import HEADERS, header_score, is_blank, parse_header, protect, question_to_row, row_to_question, unprotect

_DELIMITERS = (",", ";", "\t")


def looks_like_template(text: str) -> bool:
    """True when the first non-empty line is a template header (used by format detection)."""
    for line in text.split("\n"):
        if line.strip():
            cells = []
            for delimiter in _DELIMITERS:
                cells = max(cells, line.split(delimiter), key=len)
            folded = fold(line)
            return header_score([cell.strip().strip('"') for cell in cells]) >= 2 and "cau hoi" in folded
    return False


def _delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in _DELIMITERS}
    return max(_DELIMITERS, key=lambda delimiter: counts[delimiter])


def read(data: bytes, source_name: str, *, language: str = "vi", skip_unsupported: bool = False,
         max_questions: int | None = None) -> ImportResult:
    collector = Collector(source_name, "csv", max_questions)
    text, problems = decode_text(data, source_name)
    if text is None:
        collector.problems += problems
        return collector.result()
    if not text.strip():
        collector.file_problem("empty_file")
        return collector.result()
    records = _records(text, collector)
    if records is None:
        return collector.result()
    mapping = None
    count = 0
    for row_number, raw in records:
        cells = [unprotect(cell) for cell in raw]
        if is_blank(cells):
            continue
        if mapping is None:
            mapping, header_problems = parse_header(cells)
            collector.problems += [p.at(collector.location(row=row_number)) for p in header_problems]
            if header_problems or not mapping:
                return collector.result()  # rows read against a broken header would only repeat its problems
            continue
        count += 1
        values = {column.field: cells[i] for i, column in mapping.items() if i < len(cells)}
        question, row_problems = row_to_question(values)
        collector.add(question, collector.location(row=row_number), row_problems)
    if mapping is not None and count == 0 and not collector.problems:
        collector.file_problem("empty_file")
    return collector.result()


def _records(text: str, collector: Collector) -> list[tuple[int, list[str]]] | None:
    """The records of ``text`` numbered as Excel numbers rows, or ``None`` after a problem."""
    first_line = next(line for line in text.split("\n") if line.strip())
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    records: list[tuple[int, list[str]]] = []
    try:
        for row_number, raw in enumerate(rows, start=1):
            records.append((row_number, raw))
    except csv.Error as error:
        row = len(records) + 1
        if "field larger than field limit" in str(error):
            collector.file_problem("cell_too_long", {"limit": csv.field_size_limit()}, row=row)
        else:
            collector.file_problem("syntax", {"format": "CSV", "detail": str(error)}, row=row)
        return None
    if text.count('"') % 2 and records:
        # an opening quote never closed: the rest of the file was read as one cell
        collector.file_problem("csv_unclosed_quote", row=records[-1][0])
        return None
    return records


def write(questions: list[Question], *, language: str = "vi") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for question in questions:
        writer.writerow([protect(cell) for cell in question_to_row(question, language)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

