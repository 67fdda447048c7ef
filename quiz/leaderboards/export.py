"""Boards and unit rankings as XLSX workbooks (names that look like formulas stay text)."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from quiz.i18n import XLSX_NUMBER, XLSX_RATE
from quiz.leaderboards import sql_board
from quiz.leaderboards.payload import entry, people
from quiz.leaderboards.units import UnitRanking
from quiz.leaderboards.visibility import Filters, View
from quiz.spreadsheets import append_safe

EVERYONE = 10**9
MS_PER_DAY = 86_400_000  # a spreadsheet duration is a fraction of a day
DURATION_FORMAT = "[m]:ss"


def _finish(wb: Workbook, widths: list[int]) -> bytes:
    sheet = wb.active
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def board_workbook(session: Session, view: View, filters: Filters, title: str) -> bytes:
    """Every row the viewer may see with these filters (the database path: the truth)."""
    unit_id = filters.unit.id if filters.unit is not None else None
    rows = [] if filters.empty else sql_board.page(session, view.board, unit_id, 0, EVERYONE)[0]
    found = people(session, [r.user_id for r in rows])
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("Leaderboard")[:31]
    distance = [_("Prediction distance")] if view.shows_distance else []
    append_safe(sheet, [_("Rank"), _("Full name"), _("School"), _("Class"), _("Score")] + distance
                + [_("Time taken")])
    for row in rows:
        e = entry(row, found.get(row.user_id), view)
        append_safe(sheet, [e["rank"], e["name"], e["school"], e["class"], e["score"]]
                    + ([e["distance"]] if distance else []) + [e["duration_ms"] / MS_PER_DAY])
        sheet.cell(row=sheet.max_row, column=6 + len(distance)).number_format = DURATION_FORMAT
    sheet.append([])
    append_safe(sheet, [title])
    return _finish(wb, [8, 32, 32, 12, 10] + ([18] if distance else []) + [18])


def units_workbook(ranking: UnitRanking) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("Unit ranking")[:31]
    append_safe(sheet, [_("Rank"), _("Unit"), _("Area"), _("Enrolled"), _("Participants"), _("Participation rate"),
                        _("Average score"), _("At or above %(points)s points", points=f"{ranking.threshold.normalize():f}")])
    for group in (ranking.units, ranking.areas):
        for row in group:
            append_safe(sheet, [row.rank, row.unit.name, row.area.name if row.area else "", row.enrolled,
                                row.participants,
                                float(row.participation) if row.participation is not None else None,
                                float(row.average) if row.average is not None else None, row.above])
            sheet.cell(row=sheet.max_row, column=6).number_format = XLSX_RATE
            sheet.cell(row=sheet.max_row, column=7).number_format = XLSX_NUMBER
        if group is ranking.units and ranking.areas:
            sheet.append([])
    sheet.append([])
    append_safe(sheet, [ranking.contest.title])
    return _finish(wb, [8, 36, 24, 12, 14, 18, 16, 24])
