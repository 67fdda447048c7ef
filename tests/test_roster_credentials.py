"""One-time passwords of a roster import are kept only while they are the pupil's password: once the pupil has
chosen their own (or staff reset it) no slip, export or database row holds the old one (issue 15, #13)."""
from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from quiz.models import Base, RosterImport, User

from test_roster import _upload, _xlsx


def _import(client, login_as, world, rows):
    login_as(world.manager1)
    response = _upload(client, world.school1, _xlsx(rows), "lop9a1.xlsx")
    assert response.status_code == 302
    return int(response.location.rsplit("/", 1)[1])


def _export(client, import_id) -> list[tuple]:
    response = client.get(f"/admin/roster/{import_id}.xlsx")
    assert response.status_code == 200
    return [row for row in openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]


def _passwords(client, import_id) -> dict[str, str]:
    """username → one-time password, as the export gives them to the school."""
    return {row[4]: row[5] for row in _export(client, import_id)[2:]}


def _everything_stored(db_session) -> str:
    """Every value of every table, as text: what someone reading the database would see."""
    db_session.expire_all()
    connection = db_session.connection()
    return "\n".join(str(tuple(row)) for table in Base.metadata.sorted_tables
                     for row in connection.execute(select(table)))


def _activate(app, username, otp, new="mat-khau-cua-em"):
    pupil = app.test_client()
    assert pupil.post("/login", data={"username": username, "password": otp}).status_code == 302
    response = pupil.post("/account/password", data={"current_password": otp, "new_password": new, "confirm": new})
    assert response.status_code == 302


TWO = [(1, "Nguyễn Văn An", "25/03/2011", "9A1", "Nam"), (2, "Trần Thị Bích Ngọc", "02/11/2011", "9A1", "Nữ")]


def test_the_import_record_keeps_no_password_in_plain_text(client, login_as, db_session, world):
    import_id = _import(client, login_as, world, TWO)
    record = db_session.get(RosterImport, import_id)
    assert all("password" not in account for account in record.accounts)
    otp = _passwords(client, import_id)["annv1"]
    assert otp not in str(record.accounts)


def test_once_the_pupil_sets_their_own_password_no_slip_export_or_row_holds_the_one_time_one(
        app, client, login_as, db_session, world):
    import_id = _import(client, login_as, world, TWO)
    otps = _passwords(client, import_id)
    assert otps["annv1"] in _everything_stored(db_session)  # kept while it is valid, so slips can be reprinted

    _activate(app, "annv1", otps["annv1"])

    slips = client.get(f"/admin/roster/{import_id}/slips").get_data(as_text=True)
    assert otps["annv1"] not in slips and "annv1" not in slips  # nothing printed for that pupil
    assert otps["ngocttb1"] in slips and "ngocttb1" in slips
    assert "1 tài khoản đã được kích hoạt" in slips
    exported = str(_export(client, import_id))
    assert otps["annv1"] not in exported and "annv1" not in exported
    assert otps["ngocttb1"] in exported
    result = client.get(f"/admin/roster/{import_id}").get_data(as_text=True)
    assert otps["annv1"] not in result and "đã kích hoạt" in result
    assert otps["annv1"] not in _everything_stored(db_session)
    assert otps["ngocttb1"] in _everything_stored(db_session)


def test_a_reset_by_staff_leaves_no_old_one_time_password_to_print(app, client, login_as, db_session, world):
    import_id = _import(client, login_as, world, TWO)
    otps = _passwords(client, import_id)
    pupil = db_session.scalar(select(User).where(User.username == "annv1"))
    page = client.post(f"/admin/users/{pupil.id}/reset-password")
    assert page.status_code == 200
    slips = client.get(f"/admin/roster/{import_id}/slips").get_data(as_text=True)
    assert otps["annv1"] not in slips and "annv1" not in slips
    assert otps["annv1"] not in str(_export(client, import_id))
    stored = _everything_stored(db_session)
    assert otps["annv1"] not in stored
    # the new password is shown once to the staff member and stored only as a hash
    new = page.get_data(as_text=True).split('class="otp"><code>', 1)[1].split("<", 1)[0]
    assert len(new) == 8 and new not in stored and new not in slips


def test_when_every_pupil_has_activated_the_slips_print_nothing(app, client, login_as, db_session, world):
    import_id = _import(client, login_as, world, TWO[:1])
    otp = _passwords(client, import_id)["annv1"]
    _activate(app, "annv1", otp)
    slips = client.get(f"/admin/roster/{import_id}/slips")
    assert slips.status_code == 200
    html = slips.get_data(as_text=True)
    assert otp not in html and 'class="slip"' not in html
    assert "Không còn phiếu nào để in" in html
    assert len(_export(client, import_id)) == 2  # the title and the header, no pupil
