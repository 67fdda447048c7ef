"""Whole numbers taken from a request (query string, form fields, cursors), within the database's INTEGER range
like ``<int:…>`` in URLs (``quiz/security.py::BoundedIdConverter``): one parser for every view.

Each raises ``ValueError`` for text that is not such a number, so they serve as werkzeug's
``request.args.get(name, type=db_id)`` (the default then: an id out of range is an absent id, a missing row)
and as WTForms ``coerce=`` (a form error). Python's ``int()`` alone accepts ``1_000``, non-ASCII digits and
numbers no database column holds (PostgreSQL then fails the whole request: "integer out of range").
"""
from __future__ import annotations

import re
from typing import Any

MAX_ID = 2**31 - 1  # the database's INTEGER range
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")


def whole_number(raw: Any, low: int = -MAX_ID, high: int = MAX_ID) -> int:
    """``raw`` (ASCII digits, an optional sign, spaces around) as an int in ``low..high``; else ``ValueError``."""
    text = str(raw).strip()
    if not _INTEGER.fullmatch(text):
        raise ValueError(f"not a whole number: {text[:30]!r}")
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"out of range {low}..{high}: {value}")
    return value


def db_id(raw: Any) -> int:
    """An id of a database row (1 … 2³¹−1); anything else is ``ValueError`` (so: no such row)."""
    return whole_number(raw, 1, MAX_ID)


def page_number(raw: Any) -> int:
    """A page number ≥ 1; a number beyond the range is the largest page (the listing shows its last or an empty
    page), anything that is not a number is ``ValueError`` (the default page)."""
    text = str(raw).strip().removeprefix("+")
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"not a page number: {text[:30]!r}")
    if len(text) > 10:
        return MAX_ID
    return max(1, min(int(text), MAX_ID))
