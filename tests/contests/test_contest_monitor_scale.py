"""The live monitor at scale: counts per school (Department) or per class (school) from SQL, a paged and
filtered table with a bounded page size, the round's state in the poll, and narrowing to an area and a school
(a school's staff see only their school). Timings are measured by tests/contests/monitor_scale_bench.py."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from quiz.models import Role

JSON = {"Accept": "application/json"}


@pytest.fixture
def big(world, clock, make_area, make_school, make_class, make_student, make_user, make_question, make_round,
        db_session):
    """world + a second area with a school of two classes (12 + 3 pupils) and its manager; a province round."""
    world.area2 = make_area("Khu vực Hòa Thành")
    world.school3 = make_school("Trường THCS Hòa Thành", area=world.area2)
    world.class3a = make_class("8A1", school=world.school3, grade=8)
    world.class3b = make_class("8A2", school=world.school3, grade=8)
    world.pupils3 = [make_student(world.class3a, username=f"h{n:02d}", full_name=f"Trần Thị Hoa {n:02d}")
                     for n in range(12)]
    world.pupils3 += [make_student(world.class3b, username=f"k{n:02d}", full_name=f"Lê Văn Khoa {n:02d}")
                      for n in range(3)]
    world.manager3 = make_user(Role.MANAGER, unit=world.school3, username="manager3")
    world.rnd = make_round([make_question() for _ in range(5)], time_limit=30, duration_minutes=120)
    db_session.commit()
    return world


def feed(client, rnd, query=""):
    r = client.get(f"/contests/rounds/{rnd.id}/monitor.json{query}", headers=JSON)
    assert r.status_code == 200, r.status_code
    return r.get_json()


def start(client, login_as, student, rnd):
    login_as(student)
    assert client.post(f"/api/rounds/{rnd.id}/attempt").status_code == 200


def test_the_department_sees_counts_per_school_and_one_bounded_page(client, login_as, big):
    start(client, login_as, big.pupils3[0], big.rnd)
    start(client, login_as, big.student1, big.rnd)
    login_as(big.admin)
    body = feed(client, big.rnd, "?per_page=10")
    assert body["counts"] == {"not_started": 17, "in_progress": 2, "submitted": 0, "total": 19, "flagged": 0}
    assert body["group_by"] == "school"
    groups = {g[0]: g[1:] for g in body["groups"]}
    assert groups[big.school3.id] == [14, 1, 0, 0] and groups[big.school1.id] == [1, 1, 0, 0]
    assert body["page"] == {"number": 1, "per_page": 10, "pages": 2, "total": 19} and len(body["rows"]) == 10
    second = feed(client, big.rnd, "?per_page=10&page=2")
    assert len(second["rows"]) == 9
    assert not {r["student_id"] for r in body["rows"]} & {r["student_id"] for r in second["rows"]}
    assert feed(client, big.rnd, "?per_page=100000")["page"]["per_page"] == 200  # bounded
    assert feed(client, big.rnd, "?page=999")["page"]["number"] == 1  # past the end: the last page
    html = client.get(f"/contests/rounds/{big.rnd.id}/monitor?per_page=10").get_data(as_text=True)
    assert "Số liệu theo trường" in html and "Trang 1/2 · 19 học sinh" in html and 'rel="next"' in html


def test_the_table_filters_by_state_and_name_while_the_counts_stay_whole(client, login_as, big):
    start(client, login_as, big.pupils3[1], big.rnd)
    login_as(big.admin)
    body = feed(client, big.rnd, "?state=in_progress")
    assert [r["username"] for r in body["rows"]] == ["h01"] and body["counts"]["total"] == 19
    assert body["page"]["total"] == 1
    found = feed(client, big.rnd, "?q=khoa")
    assert [r["username"] for r in found["rows"]] == ["k00", "k01", "k02"]
    assert feed(client, big.rnd, "?q=h05")["rows"][0]["name"] == "Trần Thị Hoa 05"
    none = client.get(f"/contests/rounds/{big.rnd.id}/monitor?q=zzz").get_data(as_text=True)
    assert "Không có học sinh nào phù hợp." in none


def test_the_name_search_ignores_accents_and_case_and_takes_the_words_in_any_order(client, login_as, big,
                                                                                   make_student, db_session):
    duc = make_student(big.class3a, username="duc01", full_name="Nguyễn Đức Anh")
    db_session.commit()
    login_as(big.admin)
    for typed in ("nguyen duc", "NGUYỄN ĐỨC", "duc nguyen", "Đức Anh", "le van khoa 01"):
        rows = feed(client, big.rnd, "?q=" + quote(typed))["rows"]
        assert rows and all(r["username"] in ("duc01", "k01") for r in rows), typed
    assert feed(client, big.rnd, "?q=" + quote("le van khoa 01"))["rows"][0]["username"] == "k01"
    assert feed(client, big.rnd, "?q=nguyen%20khoa")["rows"] == []  # every word must match the same pupil
    assert feed(client, big.rnd, "?q=%25")["rows"] == feed(client, big.rnd, "?q=_")["rows"] == []  # text, not wildcards
    duc.full_name = "Phạm Đức Anh"  # a renamed pupil is found by the new name only
    db_session.commit()
    assert feed(client, big.rnd, "?q=nguyen%20duc")["rows"] == []
    assert [r["username"] for r in feed(client, big.rnd, "?q=pham%20duc")["rows"]] == ["duc01"]


def test_the_department_narrows_to_an_area_then_a_school_and_sees_its_classes(client, login_as, big):
    login_as(big.admin)
    page = client.get(f"/contests/rounds/{big.rnd.id}/monitor").get_data(as_text=True)
    assert f'<option value="{big.area2.id}">Khu vực Hòa Thành</option>' in page
    area = feed(client, big.rnd, f"?area={big.area2.id}")
    assert area["counts"]["total"] == 15 and [g[0] for g in area["groups"]] == [big.school3.id]
    school = feed(client, big.rnd, f"?area={big.area2.id}&school={big.school3.id}")
    assert school["group_by"] == "class" and [g[0] for g in school["groups"]] == [big.class3a.id, big.class3b.id]
    klass = feed(client, big.rnd, f"?school={big.school3.id}&class={big.class3b.id}")
    assert klass["counts"]["total"] == 3 and {r["class"] for r in klass["rows"]} == {"8A2"}
    html = client.get(f"/contests/rounds/{big.rnd.id}/monitor?school={big.school3.id}").get_data(as_text=True)
    assert "Số liệu theo lớp" in html and f'<option value="{big.class3a.id}">8A1</option>' in html
    for bad in (f"?area={big.school3.id}", f"?class={big.class1.id}&school={big.school3.id}"):
        assert client.get(f"/contests/rounds/{big.rnd.id}/monitor.json{bad}", headers=JSON).status_code == 404


def test_a_school_manager_sees_only_their_school_counted_per_class(client, login_as, big):
    login_as(big.manager3)
    body = feed(client, big.rnd)
    assert body["counts"]["total"] == 15 and body["group_by"] == "class"
    assert {r["school"] for r in body["rows"]} == {"Trường THCS Hòa Thành"}
    page = client.get(f"/contests/rounds/{big.rnd.id}/monitor").get_data(as_text=True)
    assert 'name="area"' not in page and 'name="school"' not in page and 'name="class"' in page
    for other in (f"?school={big.school1.id}", f"?area={big.area2.id}", f"?class={big.class1.id}"):
        assert client.get(f"/contests/rounds/{big.rnd.id}/monitor.json{other}", headers=JSON).status_code == 404


def test_the_poll_carries_the_round_state_so_the_badge_updates_live(client, login_as, big, clock):
    login_as(big.admin)
    body = feed(client, big.rnd)
    assert (body["state"], body["state_label"]) == ("open", "Đang mở")
    clock.advance(minutes=200)  # past the close
    after = feed(client, big.rnd)
    assert (after["state"], after["state_label"]) == ("closed", "Đã đóng")
