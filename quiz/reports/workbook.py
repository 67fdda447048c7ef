"""The round's XLSX workbook: results, by school, by area, item analysis (openpyxl, write-only mode).

Text is written as Unicode strings, so Vietnamese diacritics survive. Any text a user typed (names,
units, question texts) that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with an apostrophe so a spreadsheet never runs it as a formula; characters XML forbids are
dropped.
"""
from __future__ import annotations

import io
import re
from datetime import datetime
from html import unescape
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from question_bank.formats.spreadsheet import needs_protection
from quiz.contests.localtime import to_local
from quiz.i18n import XLSX_NUMBER, XLSX_RATE
from quiz.reports import summary
from quiz.reports.participation import results_query
from quiz.reports.population import counted_attempts, pupils_without_result
from quiz.reports.scope import Scope

def safe_text(value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if needs_protection(value) else value


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime):
        return to_local(value).replace(tzinfo=None)
    return value


def sheet_names() -> dict[str, str]:
    return {"results": _("Results"), "by_school": _("By school"), "by_area": _("By area"),
            "items": _("Item analysis")}


def plain_text(texts: dict[str, str] | None, lang: str) -> str:
    """A question's text (stored as sanitised HTML per language) as plain text in ``lang`` (or any)."""
    texts = texts or {}
    html = texts.get(lang) or next((t for t in texts.values() if t), "")
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def build_workbook(session: Session, scope: Scope, now: datetime, lang: str) -> bytes:
    data = summary.overview(session, scope, now)
    stats = summary.item_stats(session, scope, now)
    names = sheet_names()
    wb = Workbook(write_only=True)

    def sheet(title: str, header: list[str], widths: list[int]):
        ws = wb.create_sheet(title[:31])
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(65 + i)].width = w
        row = []
        for h in header:
            cell = WriteOnlyCell(ws, value=safe_text(h))
            cell.font = Font(bold=True)
            row.append(cell)
        ws.append(row)
        return ws

    ws = sheet(names["results"], [_("Rank"), _("Student"), _("Username"), _("Class"), _("School"), _("Area"),
                                  _("Score"), _("Maximum"), _("Time (seconds)"), _("Submitted at"), _("Attempt"),
                                  _("State")],
               [8, 30, 16, 10, 34, 24, 10, 10, 14, 20, 10, 16])
    states = pupil_states()

    def area_of(r) -> str:
        return r.area_name if r.area_kind is not None and r.area_kind.value == "area" else ""

    counted = counted_attempts(scope)
    rows = session.execute(results_query(scope, counted).execution_options(yield_per=2000))
    for r in rows:
        submitted = WriteOnlyCell(ws, value=_cell(r.submitted_at))
        submitted.number_format = "dd/mm/yyyy hh:mm:ss"
        ws.append([r.rank, _cell(r.full_name), _cell(r.username), _cell(r.class_name), _cell(r.school),
                   _cell(area_of(r)), float(r.score), float(r.max_score), round(int(r.duration_ms) / 1000, 1),
                   submitted, r.number, states["submitted"]])
    # then everyone else who may take the round, so that a class teacher sees who is missing
    for r in session.execute(pupils_without_result(scope, counted).execution_options(yield_per=2000)):
        ws.append([None, _cell(r.full_name), _cell(r.username), _cell(r.class_name), _cell(r.school),
                   _cell(area_of(r)), None, None, None, None, None,
                   states["in_progress" if r.in_progress else "not_started"]])

    for key, groups, first in (("by_school", data["by_school"], _("School")), ("by_area", data["by_area"], _("Area"))):
        header = [first] + ([_("Area")] if key == "by_school" else []) + [
            _("Participants"), _("Enrolled"), _("Participation rate"), _("Mean score")]
        ws = sheet(names[key], header, [34] + ([24] if key == "by_school" else []) + [14, 12, 18, 12])
        for g in groups:
            name = g["name"] or _("(no area)")
            rate, mean = WriteOnlyCell(ws, value=g["rate"]), WriteOnlyCell(ws, value=g["mean_score"])
            rate.number_format, mean.number_format = XLSX_RATE, XLSX_NUMBER
            ws.append([_cell(name)] + ([_cell(g["parent"])] if key == "by_school" else []) + [
                g["participants"], g["enrolled"], rate, mean])

    letters = "ABCDEFGH"
    ws = sheet(names["items"], [_("No."), _("Question id"), _("Question"), _("Facility"), _("Discrimination"),
                                _("Answers"), _("Blank"), _("Answer key"), _("Flag")]
               + [_("Chose %(letter)s", letter=ch) for ch in letters[:_max_options(stats)]],
               [6, 12, 60, 10, 14, 10, 8, 8, 24])
    flag_labels = flag_names()
    for item in stats:
        key = ", ".join(o["letter"] for o in item["options"] if o["correct"])
        ws.append([item["position"], item["question_id"], _cell(plain_text(item["stem"], lang)), item["facility"],
                   item["discrimination"], item["answers"], item["blank"], key,
                   ", ".join(str(flag_labels[f]) for f in item["flags"])]
                  + [o["chosen"] for o in item["options"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _max_options(stats: list[dict]) -> int:
    return max((len(i["options"]) for i in stats), default=4)


def pupil_states() -> dict[str, str]:
    return {"submitted": _("Submitted"), "in_progress": _("In progress"), "not_started": _("Not started")}


def flag_names() -> dict[str, str]:
    return {"negative_discrimination": _("negative discrimination"), "too_hard": _("too hard (facility < 0.10)"),
            "too_easy": _("too easy (facility > 0.95)")}
