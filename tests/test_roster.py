import io

import openpyxl
from sqlalchemy import func, select
from zip_bombs import zip_bomb

from quiz.models import OneTimePassword, Role, RosterImport, User


def _xlsx(rows, header=("STT", "Họ và tên", "Ngày sinh", "Lớp", "Giới tính")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, school, data, filename):
    return client.post("/admin/roster", data={"school_id": school.id, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _students(db_session):
    return db_session.scalar(select(func.count()).select_from(User).where(User.role == Role.STUDENT))


def test_a_valid_roster_creates_accounts_with_one_time_passwords(app, client, login_as, db_session, world):
    login_as(world.manager1)
    before = _students(db_session)
    data = _xlsx([(1, "Nguyễn Văn An", "25/03/2011", "9A1", "Nam"),
                  (2, "Trần Thị Bích Ngọc", "02/11/2011", "9a1", "Nữ"),
                  (3, "Nguyễn Văn Anh", None, "9A1", None)])
    response = _upload(client, world.school1, data, "lop9a1.xlsx")
    assert response.status_code == 302
    assert _students(db_session) == before + 3
    record = db_session.scalar(select(RosterImport))
    names = {a["full_name"]: a for a in record.accounts}
    assert names["Nguyễn Văn An"]["username"] == "annv1"
    assert names["Trần Thị Bích Ngọc"]["username"] == "ngocttb1"
    otp = db_session.get(OneTimePassword, names["Nguyễn Văn An"]["user_id"]).password
    result = client.get(response.location).get_data(as_text=True)
    assert "Trần Thị Bích Ngọc" in result and otp in result
    # The pupil logs in with the one-time password and must choose their own.
    pupil = app.test_client()
    r = pupil.post("/login", data={"username": "annv1", "password": otp})
    assert r.status_code == 302
    assert pupil.get("/").location.endswith("/account/password")


def test_the_credentials_download_keeps_vietnamese_names(client, login_as, db_session, world):
    login_as(world.manager1)
    _upload(client, world.school1, _xlsx([(1, "Đặng Thùy Dương", "01/01/2011", "9A1", "Nữ")]), "a.xlsx")
    record = db_session.scalar(select(RosterImport))
    response = client.get(f"/admin/roster/{record.id}.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert "Đặng Thùy Dương" in values and "duongdt1" in values
    slips = client.get(f"/admin/roster/{record.id}/slips").get_data(as_text=True)
    assert "Đặng Thùy Dương" in slips and "duongdt1" in slips


def test_a_roster_with_any_bad_row_creates_nothing_and_lists_every_problem(client, login_as, db_session, world):
    login_as(world.manager1)
    before = _students(db_session)
    data = _xlsx([(1, "Lê Văn Tốt", "01/02/2011", "9A1", "Nam"),
                  (2, "", "01/02/2011", "9A1", "Nam"),
                  (3, "Phạm Minh Khang", "01/02/2011", "7C9", "Nam"),
                  (4, "Lê Văn Tốt", "01/02/2011", "9A1", "Nam"),
                  (5, "Hồ Ngọc Hà", "31/02/2011", "9A1", "Nữ")])
    response = _upload(client, world.school1, data, "xau.xlsx")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Dòng 3" in page and "«Họ và tên» đang để trống" in page
    assert "Dòng 6" in page and "31/02/2011" in page
    assert _students(db_session) == before
    assert db_session.scalar(select(func.count()).select_from(RosterImport)) == 0


def test_unknown_classes_and_duplicates_are_reported_by_row(client, login_as, db_session, world):
    login_as(world.manager1)
    before = _students(db_session)
    data = _xlsx([(1, "Lê Văn Tốt", "01/02/2011", "9A1", "Nam"),
                  (2, "Phạm Minh Khang", "01/02/2011", "7C9", "Nam"),
                  (3, "Lê Văn Tốt", "01/02/2011", "9A1", "Nam")])
    page = _upload(client, world.school1, data, "xau.xlsx").get_data(as_text=True)
    assert "Dòng 3" in page and "7C9" in page
    assert "Dòng 4" in page and "dòng 2" in page
    assert _students(db_session) == before


def test_csv_in_utf8_with_bom_and_semicolons_is_accepted(client, login_as, db_session, world):
    login_as(world.manager1)
    text = "\ufeffSTT;Họ và tên;Ngày sinh;Lớp\r\n1;Vũ Hoàng Long;2011-09-09;9A1\r\n"
    response = _upload(client, world.school1, text.encode("utf-8"), "ds.csv")
    assert response.status_code == 302
    assert db_session.scalar(select(User).where(User.full_name == "Vũ Hoàng Long")) is not None


def test_a_csv_that_is_not_utf8_gets_a_clear_message(client, login_as, world):
    login_as(world.manager1)
    text = "Họ và tên,Lớp\r\nNguyễn Văn Bình,9A1\r\n".encode("cp1258", errors="replace")
    response = _upload(client, world.school1, text, "ds.csv")
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)


def test_a_file_without_the_required_columns_is_refused(client, login_as, world):
    login_as(world.manager1)
    response = _upload(client, world.school1, _xlsx([("x", "y")], header=("Tên", "Ngày")), "sai.xlsx")
    assert response.status_code == 400
    assert "«Họ và tên»" in response.get_data(as_text=True)


def test_a_manager_cannot_import_into_another_school(client, login_as, db_session, world):
    login_as(world.manager1)
    response = _upload(client, world.school2, _xlsx([(1, "Lý Thu Thảo", "", "9A1", "")]), "x.xlsx")
    assert response.status_code == 404
    assert db_session.scalar(select(User).where(User.full_name == "Lý Thu Thảo")) is None


def test_the_roster_template_downloads_with_vietnamese_headers(client, login_as, world):
    login_as(world.manager1)
    ws = openpyxl.load_workbook(io.BytesIO(client.get("/admin/roster/template.xlsx").data)).active
    assert [c.value for c in ws[1]] == ["STT", "Họ và tên", "Ngày sinh", "Lớp", "Giới tính"]
    csv_text = client.get("/admin/roster/template.csv").data.decode("utf-8")
    assert csv_text.startswith("\ufeffSTT,Họ và tên")


def test_a_zip_bomb_roster_is_refused_from_its_declared_sizes_without_openpyxl(client, login_as, world, monkeypatch):
    """Issue 15, #12: the roster import checks the workbook's declared sizes and packing before openpyxl."""
    def opened(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called")

    monkeypatch.setattr(openpyxl, "load_workbook", opened)
    login_as(world.manager1)
    too_large = _upload(client, world.school1, zip_bomb(20 * 1024 * 1024), "ds.xlsx")  # under the old 64 MB
    assert too_large.status_code == 400
    assert "more than 16 MB" in too_large.get_data(as_text=True) or "hơn 16 MB" in too_large.get_data(as_text=True)
    packed = _upload(client, world.school1, zip_bomb(8 * 1024 * 1024), "ds.xlsx")
    assert packed.status_code == 400
    assert "zip bomb" in packed.get_data(as_text=True)


def test_a_nul_inside_a_roster_cell_is_a_row_error_and_creates_nothing(client, login_as, db_session, world):
    login_as(world.manager1)
    before = _students(db_session)
    csv_text = "Họ và tên,Ngày sinh,Lớp,Giới tính\nLê Văn Tốt,01/02/2011,9A1,Nam\nLê\x00 Văn Hai,01/02/2011,9A1,Nam\n"
    response = _upload(client, world.school1, csv_text.encode(), "ds.csv")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Dòng 3" in page and "«Họ và tên» có chứa ký tự điều khiển" in page
    assert _students(db_session) == before
