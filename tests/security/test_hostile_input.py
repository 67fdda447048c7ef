"""Hostile input: every one gets a clear 4xx and changes nothing; never a 500."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from quiz.models import Answer, Attempt, User


@pytest.fixture
def paper(client, login_as, world, make_round, make_question, db_session, clock):
    rnd = make_round([make_question() for _ in range(2)], prediction_question="Bao nhiêu bạn đạt điểm tối đa?")
    db_session.commit()
    login_as(world.student1)
    response = client.post(f"/api/rounds/{rnd.id}/attempt")
    assert response.status_code == 200
    return response.get_json()


def _count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_hostile_json_bodies_get_a_json_4xx_and_save_nothing(client, paper, db_session):
    aid = paper["attempt_id"]
    q = paper["questions"][0]
    url = f"/api/attempts/{aid}/answers/{q['id']}"
    bodies = [
        (b"\xff\xfe\x00{bad utf-8", "application/json"),
        (b'{"options": [' * 5000 + b"]" * 5000 + b"}", "application/json"),  # deep nesting (too large)
        (b"[" * 3000, "application/json"),  # deep nesting within the size limit: 3 KB
        (b'{"options": ' + b"[" * 1000 + b"]" * 1000 + b', "seq": 1}', "application/json"),
        (b'{"options": [], "seq": 1, "note": "a\\u0000b"}', "application/json"),  # NUL in a JSON string
        (b'{"options": [], "seq": "1\\ud800"}', "application/json"),  # a lone surrogate
        (b'{"options": [NaN], "seq": 1}', "application/json"),
        (b'{"options": [1e309], "seq": Infinity}', "application/json"),
        (json.dumps({"options": [True], "seq": 1}).encode(), "application/json"),
        (json.dumps({"options": [None], "seq": 1}).encode(), "application/json"),
        (json.dumps({"options": [q["options"][0]["id"]], "seq": 2**70}).encode(), "application/json"),
        (json.dumps({"options": [2**70], "seq": 1}).encode(), "application/json"),
        (json.dumps({"options": [q["options"][0]["id"]] * 500, "seq": 1}).encode(), "application/json"),
        (b"options=1&seq=1", "application/x-www-form-urlencoded"),
        (b"", "application/json"),
    ]
    for body, content_type in bodies:
        response = client.put(url, data=body, content_type=content_type)
        assert 400 <= response.status_code < 500, (body[:40], response.status_code)
        assert response.is_json and response.get_json()["error"], body[:40]
    assert _count(db_session, Answer) == 0


@pytest.mark.parametrize("url", [
    "/api/attempts/99999999999999999999999",
    "/api/attempts/2147483648",
    "/api/attempts/-1",
    "/api/attempts/0",
    "/api/attempts/1e3",
    "/api/rounds/99999999999999999999/leaderboard",
    "/contests/99999999999999999999",
    "/contests/rounds/2147483648/monitor?page=99999999999999999999",
])
def test_absurd_ids_are_not_found(client, paper, url):
    response = client.get(url)
    assert response.status_code == 404


def test_hostile_prediction_and_event_bodies_are_refused(client, paper, db_session):
    aid = paper["attempt_id"]
    for body in ({"value": "NaN"}, {"value": "1e400"}, {"value": -5}, {"value": [1]}, {"value": "x" * 5000},
                 {"value": 2**80}, {"answer": 3}):
        response = client.put(f"/api/attempts/{aid}/prediction", json=body)
        assert 400 <= response.status_code < 500, (body, response.status_code)
    for body in ({"kind": "x" * 1000}, {"kind": ["blur"]}, {"kind": "blur", "extra": "y" * 20000}, {}):
        response = client.post(f"/api/attempts/{aid}/events", json=body)
        assert 400 <= response.status_code < 500, (body, response.status_code)
    assert db_session.get(Attempt, aid).prediction is None


def test_a_ten_megabyte_upload_is_refused_with_a_clear_message(client, login_as, world, db_session):
    login_as(world.admin)
    before = _count(db_session, User)
    big = io.BytesIO(b"Ho va ten,Lop\n" + b"x" * (10 * 1024 * 1024))
    response = client.post("/admin/roster", data={"school_id": world.school1.id, "file": (big, "ds.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "quá lớn" in response.get_data(as_text=True)
    assert _count(db_session, User) == before


def test_a_zip_bomb_posing_as_a_roster_is_refused(client, login_as, world, db_session):
    login_as(world.admin)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b"A" * (100 * 1024 * 1024) + b"</sst>")
    assert len(buffer.getvalue()) < 1024 * 1024  # small on the wire
    before = _count(db_session, User)
    response = client.post("/admin/roster", data={"school_id": world.school1.id,
                                                  "file": (io.BytesIO(buffer.getvalue()), "ds.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 400)
    assert "ds.xlsx" in response.get_data(as_text=True)
    assert _count(db_session, User) == before


def test_roster_cells_that_look_like_formulas_are_stored_as_plain_text(client, login_as, world, db_session):
    login_as(world.admin)
    csv_text = "Họ và tên,Lớp\n\"=HYPERLINK(\"\"http://x\"\",\"\"a\"\")\",9A1\n"
    response = client.post("/admin/roster", data={"school_id": world.school1.id,
                                                  "file": (io.BytesIO(csv_text.encode()), "ds.csv")},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 302, 400)
    evil = db_session.scalar(select(User).where(User.full_name.like("=HYPERLINK%")))
    assert evil is not None  # a strange name is still a name; what matters is how it is written out
    from quiz.admin.roster import credentials_xlsx
    import openpyxl

    data = credentials_xlsx([{"full_name": evil.full_name, "username": evil.username, "password": "x",
                              "class": "9A1", "date_of_birth": None}], "Trường")
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    written = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert written and all(c.data_type == "s" for c in written)
