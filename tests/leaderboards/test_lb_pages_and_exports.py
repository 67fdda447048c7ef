"""The board pages, the unit ranking and the XLSX exports."""
import io
import re

import pytest
from openpyxl import load_workbook

from lb_requests import name


@pytest.fixture
def scored(rnd, students, finish, db_session):
    for k, student in enumerate(students):
        finish(rnd, student, 10 - k, 60_000 + k)
    db_session.commit()
    return rnd


def sheet_rows(response):
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_round_page_shows_the_board_with_live_polling_and_no_inline_script(client, login_as, scored, world):
    login_as(world.admin)
    page = client.get(f"/rounds/{scored.id}/leaderboard")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert name(0) in html and name(9) in html and "1:00" in html and "1:00.009" not in html
    assert 'src="/static/js/leaderboard.js"' in html and 'data-poll-seconds="5"' in html
    assert f'data-json-url="/api/rounds/{scored.id}/leaderboard"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html
    assert f"/rounds/{scored.id}/leaderboard.xlsx" in html and f"/contests/{scored.contest.id}/units" in html


def test_a_student_sees_their_rank_on_the_page_even_outside_the_top(client, login_as, scored, students):
    login_as(students[8])
    html = client.get(f"/rounds/{scored.id}/leaderboard?limit=3").get_data(as_text=True)
    assert "Thứ hạng của em" in html and '<span class="lb-me-rank">9</span>' in html
    assert name(8) not in html.split('id="lb-rows"')[1]  # not in the top three
    assert 'rel="next"' in html


def test_the_contest_page_and_its_filters(client, login_as, scored, world):
    login_as(world.manager1)  # a school's staff on a public board: everybody, filterable by class
    html = client.get(f"/contests/{scored.contest.id}/leaderboard?class={world.class1.id}").get_data(as_text=True)
    assert name(0) in html and name(5) not in html


def test_the_board_exports_to_xlsx_with_what_the_viewer_may_see(client, app, login_as, scored, students, world,
                                                                db_session):
    students[3].full_name = '=HYPERLINK("http://evil.example","bấm")'
    scored.contest.leaderboard_initials = True
    db_session.commit()
    login_as(world.admin)
    sheet, rows = sheet_rows(client.get(f"/rounds/{scored.id}/leaderboard.xlsx"))
    assert rows[0] == ["Hạng", "Họ và tên", "Trường", "Lớp", "Điểm", "Thời gian làm bài"]
    assert rows[1][:5] == [1, name(0), "Trường THCS Thử Nghiệm 1", "9A1", 10]
    assert rows[1][5].total_seconds() == 60 and sheet.cell(row=2, column=6).number_format == "[m]:ss"
    assert [r[0] for r in rows[1:11]] == list(range(1, 11))
    evil = sheet.cell(row=5, column=2)
    assert evil.value == '=HYPERLINK("http://evil.example","bấm")' and evil.data_type == "s"
    _, public = sheet_rows(app.test_client().get(f"/rounds/{scored.id}/leaderboard.xlsx?school={world.school2.id}"))
    assert [r[1] for r in public[1:6]] == ["T. T. H. S. 05", "T. T. H. S. 06", "T. T. H. S. 07", "T. T. H. S. 08",
                                          "T. T. H. S. 09"]
    assert [r[0] for r in public[1:6]] == [6, 7, 8, 9, 10]
    _, whole = sheet_rows(client.get(f"/contests/{scored.contest.id}/leaderboard.xlsx"))
    assert len([r for r in whole[1:] if isinstance(r[0], int)]) == 10


@pytest.fixture
def unit_results(rnd, students, finish, db_session):
    """School 1: four participants (5, 4, 3, 1 points); school 2: two (4.5 and 4.5). 40 enrolled in each."""
    for student, score in zip(students[:4] + students[5:7], [5, 4, 3, 1, "4.5", "4.5"]):
        finish(rnd, student, score)
    db_session.commit()
    return rnd


def test_the_unit_ranking_figures(client, login_as, unit_results, world):
    login_as(world.admin)
    data = client.get(f"/api/contests/{unit_results.contest.id}/units").get_json()
    assert data["max_score"] == 5 and data["threshold"] == 4 and data["level"] == "school"
    assert [(u["rank"], u["name"], u["enrolled"], u["participants"], u["participation"], u["average_score"],
             u["above_threshold"]) for u in data["units"]] == [
        (1, "Trường THCS Thử Nghiệm 1", 80, 4, 0.05, 3.25, 2),  # sĩ số: the school's own 80 (whole-school contest)
        (2, "Trường THCS Thử Nghiệm 2", 80, 2, 0.025, 4.5, 2)]
    assert [(a["name"], a["enrolled"], a["participants"], a["participation"], a["average_score"], a["above_threshold"])
            for a in data["areas"]] == [("Khu vực Tây Ninh", 160, 6, 0.0375, 3.67, 4)]
    by_average = client.get(f"/api/contests/{unit_results.contest.id}/units?sort=average&threshold=4.5").get_json()
    assert [(u["rank"], u["name"], u["above_threshold"]) for u in by_average["units"]] == [
        (1, "Trường THCS Thử Nghiệm 2", 2), (2, "Trường THCS Thử Nghiệm 1", 1)]
    assert client.get(f"/api/contests/{unit_results.contest.id}/units?threshold=abc").status_code == 400


def test_a_school_manager_sees_only_their_schools_position(client, app, login_as, unit_results, world, students):
    login_as(world.manager2)
    data = client.get(f"/api/contests/{unit_results.contest.id}/units").get_json()
    assert [(u["rank"], u["name"]) for u in data["units"]] == [(2, "Trường THCS Thử Nghiệm 2")]
    assert data["total_units"] == 2 and data["areas"] == []
    html = client.get(f"/contests/{unit_results.contest.id}/units").get_data(as_text=True)
    assert "Trường THCS Thử Nghiệm 2" in html and "Trường THCS Thử Nghiệm 1" not in html
    for who in (world.teacher1, students[0]):
        login_as(who)
        assert client.get(f"/api/contests/{unit_results.contest.id}/units").status_code == 404
    assert app.test_client().get(f"/api/contests/{unit_results.contest.id}/units").status_code == 404


def test_the_unit_ranking_page_and_export(client, login_as, unit_results, world):
    login_as(world.admin)
    html = client.get(f"/contests/{unit_results.contest.id}/units").get_data(as_text=True)
    assert "5,0 %" in html and "3,25" in html and "Khu vực Tây Ninh" in html
    _, rows = sheet_rows(client.get(f"/contests/{unit_results.contest.id}/units.xlsx"))
    assert rows[1][:8] == [1, "Trường THCS Thử Nghiệm 1", "Khu vực Tây Ninh", 80, 4, 0.05, 3.25, 2]
