"""Writing user-supplied text into XLSX workbooks without formula injection.

A name such as ``=HYPERLINK(...)`` must reach Excel as text, never as a formula: every string
cell that Excel or LibreOffice could evaluate is stored as a string with the quote prefix."""
from __future__ import annotations

from typing import Any, Iterable

from question_bank.formats.spreadsheet import needs_protection


def append_safe(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` where text that looks like a formula stays text."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and needs_protection(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
