"""Class roster import: one XLSX/CSV file creates a school's student accounts, all or nothing."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from question_bank.formats.archive import check_archive
from question_bank.validation import CONTROL_CHARACTERS
from quiz import audit, clock
from quiz.auth import passwords
from quiz.auth.usernames import UsernameAllocator, ascii_fold
from quiz.db import in_batches
from quiz.errors import NotAllowed, ValidationFailed
from quiz.models import OneTimePassword, Role, RosterImport, Unit, UnitKind, User
from quiz.spreadsheets import append_safe

# Column headers of the template (matched without accents or case).
COLUMNS = {
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "class_name": "Lớp",
    "gender": "Giới tính",
}
REQUIRED = ("full_name", "class_name")
MAX_ROWS = 5000


@dataclass
class RosterRow:
    row: int
    full_name: str
    date_of_birth: date | None
    class_name: str
    gender: str | None


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", ascii_fold(str(text)).strip().lower())


# A roster of MAX_ROWS pupils unpacks to about 1.5 MB: the declared sizes and packing of the workbook's parts are
# checked before openpyxl opens it (question_bank.formats.archive, the same rule as question files).
MAX_UNZIPPED_BYTES = 16 * 1024 * 1024


def _check_zip(data: bytes, filename: str) -> None:
    """Refuse a workbook that would unpack to far more than any roster needs (a zip bomb)."""
    refusal = check_archive(data, max_bytes=MAX_UNZIPPED_BYTES)
    if refusal is None:
        return
    if refusal.code == "xlsx_too_large":
        raise ValidationFailed(str(_l("%(file)s unpacks to more than %(mb)d MB: it is not a class roster.",
                                      file=filename, mb=MAX_UNZIPPED_BYTES // (1024 * 1024))))
    if refusal.code == "xlsx_compression_ratio":
        raise ValidationFailed(str(_l("%(file)s is packed abnormally (one part unpacks to %(size)s MB, more than "
                                      "%(ratio)d times its packed size): it is damaged or unsafe (a “zip bomb”).",
                                      file=filename, size=refusal.params["size"], ratio=refusal.params["ratio"])))
    raise ValidationFailed(str(_l("%(file)s is not a readable XLSX file.", file=filename)))


def _read_cells(data: bytes, filename: str) -> list[list[object]]:
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        import openpyxl

        _check_zip(data, filename)
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise ValidationFailed(str(_l("%(file)s is not a readable XLSX file.", file=filename)))
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
        wb.close()
        return rows
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(str(_l("%(file)s is not UTF-8 text. Save the CSV as “CSV UTF-8” in Excel and try again.",
                                      file=filename)))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _parse_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_roster(data: bytes, filename: str) -> list[RosterRow]:
    """Read the file; raise ``ValidationFailed`` listing every bad row (numbered as in Excel)."""
    rows = _read_cells(data, filename)
    while rows and not any(str(c or "").strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise ValidationFailed(str(_l("%(file)s is empty.", file=filename)))
    header = [_key(c or "") for c in rows[0]]
    positions: dict[str, int] = {}
    for field, title in COLUMNS.items():
        if _key(title) in header:
            positions[field] = header.index(_key(title))
    missing = [COLUMNS[f] for f in REQUIRED if f not in positions]
    if missing:
        raise ValidationFailed(str(_l("%(file)s has no column %(cols)s. Use the template.", file=filename,
                                      cols=", ".join(f"«{m}»" for m in missing))))
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationFailed(str(_l("%(file)s has more than %(n)d rows; split it by class.", file=filename, n=MAX_ROWS)))
    errors: dict[str, list[str]] = {}
    result: list[RosterRow] = []

    def cell(values: list[object], field: str) -> object:
        i = positions.get(field)
        return values[i] if i is not None and i < len(values) else None

    for number, values in enumerate(rows[1:], start=2):
        if not any(str(v or "").strip() for v in values):
            continue
        where = str(_l("Row %(n)d", n=number))
        name = re.sub(r"\s+", " ", str(cell(values, "full_name") or "")).strip()
        class_name = str(cell(values, "class_name") or "").strip()
        row_errors = []
        if not name:
            row_errors.append(str(_l("«Họ và tên» is empty.")))
        if not class_name:
            row_errors.append(str(_l("«Lớp» is empty.")))
        try:
            dob = _parse_date(cell(values, "date_of_birth"))
        except ValueError as bad:
            dob = None
            row_errors.append(str(_l("«Ngày sinh» “%(value)s” is not a date like 25/03/2011.", value=str(bad))))
        if dob is not None and not date(1900, 1, 1) < dob < clock.now().date():
            row_errors.append(str(_l("«Ngày sinh» %(value)s is not a plausible date of birth.", value=dob.strftime("%d/%m/%Y"))))
        gender = str(cell(values, "gender") or "").strip() or None
        for field in ("full_name", "class_name", "gender"):
            if CONTROL_CHARACTERS.search(str(cell(values, field) or "")):
                row_errors.append(str(_l("«%(column)s» contains a control character (such as a NUL byte).",
                                         column=COLUMNS[field])))
        if row_errors:
            errors[where] = row_errors
        else:
            result.append(RosterRow(number, name, dob, class_name, gender))
    if not result and not errors:
        raise ValidationFailed(str(_l("%(file)s has no students.", file=filename)))
    if errors:
        raise ValidationFailed(str(_l("%(file)s was not imported: correct these rows and upload it again.", file=filename)), errors)
    return result


def import_roster(session: Session, actor: User, school: Unit, data: bytes, filename: str,
                  ip: str | None = None) -> RosterImport:
    """Create one student account per row, or nothing at all when any row is wrong."""
    if school.kind is not UnitKind.SCHOOL:
        raise NotAllowed(str(_l("Choose a school.")))
    if actor.role is Role.MANAGER and school.id != actor.unit_id:
        raise NotAllowed(str(_l("You can only import students into your own school.")))
    if actor.role not in (Role.ADMIN, Role.MANAGER):
        raise NotAllowed(str(_l("You cannot import rosters.")))
    rows = parse_roster(data, filename)
    classes = {_key(c.name): c for c in session.scalars(select(Unit).where(Unit.parent_id == school.id,
                                                                            Unit.kind == UnitKind.CLASS))}
    existing = {
        (_key(u.full_name), u.date_of_birth, u.unit_id)
        for u in session.scalars(select(User).where(User.unit_id.in_([c.id for c in classes.values()]),
                                                    User.role == Role.STUDENT))
    }
    errors: dict[str, list[str]] = {}
    seen: dict[tuple, int] = {}
    for r in rows:
        where = str(_l("Row %(n)d", n=r.row))
        klass = classes.get(_key(r.class_name))
        if klass is None:
            errors.setdefault(where, []).append(str(_l("class «%(cls)s» does not exist in %(school)s.",
                                                       cls=r.class_name, school=school.name)))
            continue
        ident = (_key(r.full_name), r.date_of_birth, klass.id)
        if ident in seen:
            errors.setdefault(where, []).append(str(_l("the same student as row %(n)d.", n=seen[ident])))
        elif ident in existing:
            errors.setdefault(where, []).append(str(_l("%(name)s is already a student of class %(cls)s.",
                                                       name=r.full_name, cls=klass.name)))
        seen.setdefault(ident, r.row)
    if errors:
        raise ValidationFailed(str(_l("%(file)s was not imported: correct these rows and upload it again.", file=filename)), errors)
    allocator = UsernameAllocator(session)
    now = clock.now()
    accounts = []
    for r in rows:
        klass = classes[_key(r.class_name)]
        otp = passwords.one_time_password()
        user = User(username=allocator.allocate(r.full_name), full_name=r.full_name, role=Role.STUDENT, unit=klass,
                    date_of_birth=r.date_of_birth, gender=r.gender, password_hash=passwords.hash_password(otp),
                    must_change_password=True, created_at=now)
        session.add(user)
        accounts.append((user, klass, otp))
    session.flush()
    session.add_all(OneTimePassword(user_id=u.id, password=otp, created_at=now) for u, _k, otp in accounts)
    record = RosterImport(school_id=school.id, created_by_id=actor.id, created_at=now, filename=filename[:255],
                          accounts=[{"user_id": u.id, "username": u.username, "full_name": u.full_name,
                                     "class": k.name, "date_of_birth": u.date_of_birth.isoformat() if u.date_of_birth else None}
                                    for u, k, _otp in accounts])
    session.add(record)
    session.flush()
    audit.record(session, actor, "roster.import", f"{len(accounts)} học sinh — {school.name} ({filename})",
                 target=record, details={"school_id": school.id, "count": len(accounts)}, ip=ip)
    return record


# What the school sees of each imported account's one-time password (``credentials(…)[i]["state"]``).
VALID, ACTIVATED, RESET = "valid", "activated", "reset"


def credentials(session: Session, record: RosterImport) -> list[dict]:
    """The import's accounts, each with ``password`` (the one-time password while it is still the account's
    password, else None) and ``state``: ``VALID``, ``ACTIVATED`` (the pupil chose their own password) or ``RESET``
    (staff gave a new one-time password since, shown to them once and not kept)."""
    ids = [a["user_id"] for a in record.accounts]
    kept: dict[int, str] = {}
    waiting: set[int] = set()
    for batch in in_batches(ids):
        kept.update(session.execute(select(OneTimePassword.user_id, OneTimePassword.password)
                                    .where(OneTimePassword.user_id.in_(batch))).all())
        waiting.update(session.scalars(select(User.id).where(User.id.in_(batch),
                                                             User.must_change_password.is_(True))))
    rows = []
    for a in record.accounts:
        password = kept.get(a["user_id"])
        state = VALID if password else RESET if a["user_id"] in waiting else ACTIVATED
        rows.append(dict(a, password=password, state=state))
    return rows


def printable_credentials(session: Session, record: RosterImport) -> list[dict]:
    """The accounts whose one-time password is still valid: the only ones a slip or the export may show."""
    return [a for a in credentials(session, record) if a["state"] == VALID]


def credentials_xlsx(rows: list[dict], school_name: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tài khoản"
    ws.append([f"Tài khoản học sinh — {school_name}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Lớp", "Tên đăng nhập", "Mật khẩu lần đầu"])
    for c in ws[2]:
        c.font = Font(bold=True)
    for i, a in enumerate(rows, start=1):
        dob = date.fromisoformat(a["date_of_birth"]).strftime("%d/%m/%Y") if a["date_of_birth"] else ""
        append_safe(ws, [i, a["full_name"], dob, a["class"], a["username"], a["password"] or "(đã đổi)"])
    for col, width in zip("ABCDEF", (6, 32, 12, 8, 18, 18)):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_xlsx() -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Lớp", "Giới tính"])
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.append([1, "Nguyễn Văn An", "25/03/2011", "9A1", "Nam"])
    ws.append([2, "Trần Thị Bích Ngọc", "02/11/2011", "9A1", "Nữ"])
    for col, width in zip("ABCDE", (6, 32, 14, 8, 10)):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
