"""The XLSX workbook opens, has the four sheets with the right figures, keeps diacritics and is formula-safe."""
from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from quiz.reports.workbook import safe_text


def open_workbook(client, rnd):
    response = client.get(f"/rounds/{rnd.id}/report.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data))


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_workbook_has_four_sheets_with_the_figures(small, client, login_as, clock):
    clock.set(small.round.closes_at + timedelta(hours=1))
    login_as(small.admin)
    wb = open_workbook(client, small.round)
    assert wb.sheetnames == ["Kết quả", "Theo trường", "Theo khu vực", "Phân tích câu hỏi"]
    results = rows(wb["Kết quả"])
    assert results[0][:3] == ["Hạng", "Học sinh", "Tên đăng nhập"]
    assert [r[0] for r in results[1:]] == [1, 2, 3, 4, 5]
    assert results[1][1:7] == ["Trần Thị Ánh", "s1", "9A1", "Trường THCS Nguyễn Trãi", "Khu vực Trảng Bàng", 3]
    assert results[5][1] == "Đỗ Minh Khôi" and results[5][6] == 1
    schools = {r[0]: r[2:] for r in rows(wb["Theo trường"])[1:]}
    assert schools["Trường THCS Nguyễn Trãi"] == [3, 80, 0.0375, round(8 / 3, 4)]
    assert schools["Trường THCS Võ Thị Sáu"] == [0, 30, 0, None]
    areas = {r[0]: r[1:] for r in rows(wb["Theo khu vực"])[1:]}
    assert areas["Khu vực Trảng Bàng"][:2] == [5, 130] and areas["(không thuộc khu vực)"][:2] == [0, 30]
    items = rows(wb["Phân tích câu hỏi"])
    assert [r[3] for r in items[1:]] == [0.8, 0.4, 0.4, 0.6]
    assert items[4][4] == -0.7206 and items[4][1] == small.questions[3].id
    assert items[1][9:13] == [4, 1, 0, 0]  # options A–D of question 1


def test_english_sheet_names(small, client, login_as, clock):
    login_as(small.admin)
    client.post("/language", data={"lang": "en", "next": "/"})
    wb = open_workbook(client, small.round)
    assert wb.sheetnames == ["Results", "By school", "By area", "Item analysis"]


def test_a_name_that_looks_like_a_formula_is_written_as_text(small, client, login_as, db_session):
    small.students["s1"].full_name = '=HYPERLINK("http://evil.example","Nhấn vào đây")'
    db_session.commit()
    login_as(small.manager_a)
    wb = open_workbook(client, small.round)
    cell = wb["Kết quả"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")
    assert safe_text("+1") == "'+1" and safe_text("@x") == "'@x" and safe_text("Bình thường") == "Bình thường"


def test_workbook_is_scoped(small, client, login_as):
    login_as(small.teacher_b)
    wb = open_workbook(client, small.round)
    assert [r[1] for r in rows(wb["Kết quả"])[1:]] == ["Nguyễn Thị Hồng", "Đỗ Minh Khôi"]
    assert [r[0] for r in rows(wb["Theo trường"])[1:]] == ["Trường THCS Lê Lợi"]


def test_the_results_sheet_lists_every_pupil_who_may_take_the_round_with_their_state(small, client, login_as, clock,
                                                                                   make_user, db_session):
    from quiz.attempts.service import compute_deadline
    from quiz.models import Attempt, Role

    started = small.round.opens_at + timedelta(minutes=30)
    working = make_user(Role.STUDENT, unit=small.a1, username="s6", full_name="Vũ Thu Trang")
    make_user(Role.STUDENT, unit=small.a2, username="s7", full_name="Hoàng Anh Tuấn")  # has not started
    make_user(Role.STUDENT, unit=small.b1, username="s8", full_name="Bùi Gia Bảo")  # another school
    db_session.add(Attempt(round_id=small.round.id, user_id=working.id, number=1, started_at=started,
                           deadline=compute_deadline(small.round, started), seed=1))
    db_session.commit()
    clock.set(started + timedelta(minutes=5))
    login_as(small.manager_a)  # sees the pupils of their school only
    results = rows(open_workbook(client, small.round)["Kết quả"])
    state = results[0].index("Trạng thái")
    by_user = {r[2]: r for r in results[1:]}
    assert set(by_user) == {"s1", "s2", "s3", "s6", "s7"}
    assert [by_user[u][state] for u in ("s1", "s2", "s3")] == ["Đã nộp"] * 3
    assert by_user["s6"][state] == "Đang làm bài" and by_user["s7"][state] == "Chưa bắt đầu"
    assert by_user["s6"][0] is None and by_user["s6"][6] is None  # no rank, no score
    assert [r[2] for r in results[1:4]] == ["s1", "s2", "s3"]  # the ranked pupils first
