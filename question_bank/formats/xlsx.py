"""Excel workbooks (.xlsx) with the spreadsheet template columns.

The questions sheet ("Câu hỏi", or the first sheet that is not "Hướng dẫn") has the header in
its first non-empty row; rows are numbered as Excel shows them.  Reading uses openpyxl's
read-only mode, so ten thousand questions read in a few seconds.  Written cells that Excel
could evaluate as a formula (``=``, ``+``, ``-``, ``@``…) are stored as text with Excel's
quote prefix, never as formulas.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..markup import fold
from ..model import Difficulty, Pillar, Question, QuestionType
from .archive import check_archive
from .importing import Collector, ImportResult, TooManyQuestions
from .spreadsheet import COLUMNS, HEADERS, is_blank, needs_protection, parse_header, protect, question_to_row, row_to_question, unprotect

SHEET_TITLE = "Câu hỏi"
GUIDE_TITLE = "Hướng dẫn"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# A workbook's parts, once uncompressed, may not exceed this (a 10,000-question bilingual
# sheet is about 15 MB), nor be packed more than ``archive.MAX_RATIO`` to one: the declared
# sizes are checked before openpyxl opens anything (``archive.check_archive``).
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
_WORKBOOK_PART = "xl/workbook.xml"
_REQUIRED = {"stem.vi", "options[0].vi", "options[1].vi", "correct"}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def cell_text(value: Any) -> str:
    """The text a person sees in a cell (numbers without a useless ``.0``, dates as d/m/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return f"{value.day}/{value.month}/{value.year}"
        return f"{value.day}/{value.month}/{value.year} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, datetime.date):
        return f"{value.day}/{value.month}/{value.year}"
    return str(value)


def _questions_sheet(workbook: Any) -> Any:
    sheets = list(workbook.worksheets)
    for sheet in sheets:
        if fold(sheet.title) == fold(SHEET_TITLE):
            return sheet
    return next((sheet for sheet in sheets if fold(sheet.title) != fold(GUIDE_TITLE)), sheets[0] if sheets else None)


def read(data: bytes, source_name: str, *, language: str = "vi", skip_unsupported: bool = False,
         max_questions: int | None = None) -> ImportResult:
    collector = Collector(source_name, "xlsx", max_questions)
    if not data:
        collector.file_problem("empty_file")
        return collector.result()
    if data.startswith(_OLE_MAGIC):
        collector.file_problem("xls_not_supported")
        return collector.result()
    if not _archive_ok(data, collector):
        return collector.result()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # BadZipFile, KeyError, InvalidFileException, XML errors…
        collector.file_problem("bad_xlsx", {"detail": _error_text(error)})
        return collector.result()
    try:
        _read_rows(workbook, collector)
    except TooManyQuestions:
        raise
    except Exception as error:  # a damaged sheet part
        collector.file_problem("bad_xlsx", {"detail": _error_text(error)})
    finally:
        workbook.close()
    return collector.result()


def _archive_ok(data: bytes, collector: Collector) -> bool:
    """A ZIP holding a workbook within :data:`MAX_UNCOMPRESSED_BYTES` and ``archive.MAX_RATIO``."""
    refusal = check_archive(data, max_bytes=MAX_UNCOMPRESSED_BYTES, required=_WORKBOOK_PART)
    if refusal is not None:
        collector.file_problem(refusal.code, refusal.params)
        return False
    return True


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _read_rows(workbook: Any, collector: Collector) -> None:
    sheet = _questions_sheet(workbook)
    if sheet is None:
        collector.file_problem("empty_file")
        return
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers store a wrong <dimension>; read every row
    mapping = None
    count = 0
    for row_number, raw in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [unprotect(cell_text(value)) for value in raw]
        if is_blank(cells):
            continue
        if mapping is None:
            mapping, problems = parse_header(cells)
            collector.problems += [problem.at(collector.location(row=row_number)) for problem in problems]
            if problems or not mapping:
                return  # rows read against a broken header would only repeat its problems
            continue
        count += 1
        values = {column.field: cells[i] for i, column in mapping.items() if i < len(cells)}
        question, problems = row_to_question(values)
        collector.add(question, collector.location(row=row_number), problems)
    if mapping is None or count == 0:
        collector.file_problem("empty_file")


def _text_cell(sheet: Any, value: str) -> Any:
    value = protect(value) if value.startswith("'") else value
    if not needs_protection(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text, never a formula
    cell.quotePrefix = True
    return cell


def _add_dropdowns(sheet: Any, last_row: int) -> None:
    lists = {
        "type": [member.label("vi") for member in QuestionType],
        "pillar": [member.label("vi") for member in Pillar],
        "difficulty": [member.label("vi") for member in Difficulty],
    }
    for index, column in enumerate(COLUMNS, start=1):
        if column.field in lists:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(lists[column.field]) + '"', allow_blank=True, showErrorMessage=False
            )
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{max(last_row, 1000)}")
            sheet.data_validations.append(validation)


def _write_questions_sheet(workbook: Any, questions: list[Question], language: str) -> None:
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "B2"
    # Written before the rows, the sheet size lets readers (openpyxl's read-only mode among
    # them) skip a full pass over the sheet to measure it; write-only mode omits it otherwise.
    size = f"A1:{get_column_letter(len(COLUMNS))}{len(questions) + 1}"
    sheet.calculate_dimension = lambda: size
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    _add_dropdowns(sheet, len(questions) + 1)
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    for question in questions:
        sheet.append([_text_cell(sheet, value) if value else None for value in question_to_row(question, language)])


def _write_guide_sheet(workbook: Any) -> None:
    sheet = workbook.create_sheet(GUIDE_TITLE)
    for letter, width in (("A", 22), ("B", 11), ("C", 110)):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)

    def row(*values: str, font: Font | None = None) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if font is not None:
                cell.font = font
            cells.append(cell)
        sheet.append(cells)

    row("HƯỚNG DẪN NHẬP CÂU HỎI", font=Font(bold=True, size=14))
    for line in (
        "Mỗi dòng của trang «Câu hỏi» là một câu hỏi. Không đổi tên, không xóa dòng tiêu đề (dòng 1); "
        "có thể xóa các cột không dùng (trừ các cột bắt buộc), không thêm cột lạ.",
        "Câu hỏi có thể viết bằng tiếng Việt, tiếng Anh hoặc cả hai. Nếu có tiếng Anh thì phải điền đủ câu hỏi "
        "và các phương án (EN) giống như phần (VI).",
        "Mỗi câu có từ 2 đến 8 phương án (A–H), điền liên tiếp từ A, không bỏ trống ở giữa. "
        "Câu đúng/sai có thể để trống các phương án: hệ thống tự điền «Đúng», «Sai».",
        "Khi tải lên, hệ thống kiểm tra toàn bộ tệp và báo mọi lỗi kèm số dòng; chưa có câu nào được lưu "
        "cho đến khi tệp hết lỗi.",
        "Lưu tệp ở dạng Excel Workbook (.xlsx). Nếu dùng CSV, hãy chọn «CSV UTF-8 (Comma delimited)».",
    ):
        row(line)
    row("")
    row("Cột", "Bắt buộc", "Cách điền", font=bold)
    for column in COLUMNS:
        if column.field.startswith("options[") and column.field[8] not in "01":
            continue
        required = "Có" if column.field in _REQUIRED else "Không"
        row(column.header, required, column.guide)
    row("Phương án C … H", "Không", "Các phương án tiếp theo (VI và EN), điền liên tiếp.")
    row("")
    row("Ví dụ (một dòng của trang «Câu hỏi»)", font=bold)
    example = {
        "Mã": "hien-chuong-01",
        "Loại": "Một lựa chọn",
        "Trụ cột": "Lịch sử và thể chế ASEAN",
        "Chủ đề": "hiến chương; thể chế",
        "Độ khó": "Dễ",
        "Câu hỏi (VI)": "Hiến chương ASEAN có hiệu lực từ năm nào?",
        "Phương án A (VI)": "2007",
        "Phương án B (VI)": "2008",
        "Phương án C (VI)": "2015",
        "Đáp án đúng": "B",
        "Giải thích (VI)": "Hiến chương ASEAN có hiệu lực từ ngày 15/12/2008.",
        "Nguồn": "Hiến chương ASEAN; asean.org",
        "Tên": "Hiến chương ASEAN",
    }
    for header, value in example.items():
        row(header, "", value)


def write(questions: list[Question], *, language: str = "vi") -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    _write_questions_sheet(workbook, list(questions), language)
    _write_guide_sheet(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_template() -> bytes:
    """The empty template: the header row, drop-down lists, and the "Hướng dẫn" sheet."""
    return write([])
