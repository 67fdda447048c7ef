"""Request text the database or the parser cannot take is refused where it enters the application
(``quiz/request_input.py``), for every route: control characters (NUL) anywhere in the request, deeply nested
JSON, integers beyond the database's range. Each gets a 4xx, never a 500, and changes nothing.

NUL is a PostgreSQL failure (SQLite stores it): run these with ``TEST_DATABASE_URL`` too.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from quiz.models import Bank, Contest, Unit, User
from tests.conftest import TEST_PASSWORD
from tests.security.test_authorization_matrix import MATRIX, USERS, _url, route_methods

NUL = "\x00"
HUGE = "99999999999999999999"


def _client(app, user=None):
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
    return client


def _count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def _refused(response) -> str:
    """The request was refused with a 400 that says what is wrong; returns the message."""
    assert response.status_code == 400, (response.status_code, response.get_data(as_text=True)[:300])
    if response.is_json:
        return response.get_json()["error"]
    text = response.get_data(as_text=True)
    assert "NUL" in text, text[:500]
    return text


# -- the routes the probe named -------------------------------------------------------------------
def test_a_login_with_a_nul_is_refused_without_counting_as_a_failure(app, world, client):
    for _ in range(25):
        _refused(client.post("/login", data={"username": "s101" + NUL, "password": "sai"}))
    # refused before any password is checked: no failure counted, the owner still logs in
    response = client.post("/login", data={"username": "s101", "password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("url", ["/verify/%00", "/certificates/%00.pdf", "/verify/ABC%00DEF", "/login%00"])
def test_a_nul_in_the_address_is_refused(app, world, url):
    _refused(_client(app, world.admin).get(url))
    _refused(_client(app).get(url))


@pytest.mark.parametrize("where", ["admin.users_index", "admin.audit_index", "banks.questions",
                                   "contests.round_monitor", "contests.round_monitor_json",
                                   "certificates.contest_page"])
def test_a_nul_in_a_search_is_refused(app, scene, where):
    user = scene.world.teacher1 if where == "banks.questions" else scene.world.admin
    url = _url(app, scene, where, "GET", MATRIX[(where, "GET")])
    message = _refused(_client(app, user).get(url + "?q=%00"))
    assert "q" in message


def test_a_nul_in_a_name_field_saves_nothing(app, world, db_session, make_bank):
    admin = _client(app, world.admin)
    bank = make_bank()
    db_session.commit()
    before = {m: _count(db_session, m) for m in (Bank, Contest, Unit, User)}
    posts = [
        ("/banks/new", {"name": "Ngân hàng" + NUL, "visibility": "province"}),
        (f"/banks/{bank.id}/edit", {"name": "Ngân hàng" + NUL}),
        (f"/banks/{bank.id}/questions/new", {"type": "single", "stem_vi": "Câu hỏi" + NUL, "option_0_vi": "A",
                                             "option_1_vi": "B", "correct_0": "on"}),
        ("/contests/new", {"title": "Cuộc thi" + NUL}),
        ("/admin/users/new", {"full_name": "Nguyễn Văn" + NUL, "role": "student",
                              "unit_id": str(world.class1.id)}),
        (f"/admin/users/{world.student1.id}/edit", {"full_name": "Nguyễn" + NUL, "role": "student",
                                                    "unit_id": str(world.class1.id)}),
        ("/admin/units/new/class", {"name": "9A" + NUL, "parent_id": str(world.school1.id)}),
        (f"/admin/units/{world.class1.id}/edit", {"name": "9A" + NUL, "parent_id": str(world.school1.id)}),
    ]
    for url, data in posts:
        message = _refused(admin.post(url, data=data))
        assert re.search(r"name|stem_vi|title", message), (url, message[:300])
    db_session.expire_all()
    assert {m: _count(db_session, m) for m in before} == before
    assert NUL not in db_session.get(User, world.student1.id).full_name
    assert NUL not in db_session.get(Unit, world.class1.id).name


def test_a_nul_in_an_uploaded_file_name_is_refused(app, world):
    import io

    response = _client(app, world.admin).post(
        "/admin/roster", data={"school_id": world.school1.id, "file": (io.BytesIO(b"Ho va ten,Lop\n"), "d\x00s.csv")},
        content_type="multipart/form-data")
    _refused(response)


def test_a_tab_and_line_breaks_in_a_multi_line_field_are_kept(app, world, db_session):
    response = _client(app, world.admin).post("/banks/new", data={
        "name": "Ngân hàng có mô tả", "visibility": "province", "description": "Dòng 1\r\n\tDòng 2\nDòng 3"})
    assert response.status_code == 302
    bank = db_session.scalar(select(Bank).where(Bank.name == "Ngân hàng có mô tả"))
    assert "\tDòng 2" in bank.description


# -- JSON ----------------------------------------------------------------------------------------------
@pytest.fixture
def attempt(app, scene):
    return scene.attempt.id, scene.attempt_question_id, scene.attempt_option_id


@pytest.mark.parametrize("body", ["[" * 3000, '{"kind": ' + "[" * 3000 + "]" * 3000 + "}", "{" * 3000,
                                  '{"kind": "' + "[" * 3000 + '"}'])
def test_deeply_nested_json_is_refused_with_a_json_400(app, scene, attempt, body):
    aid, qid, _option = attempt
    student = _client(app, scene.world.student1)
    for method, url in (("POST", f"/api/attempts/{aid}/events"), ("PUT", f"/api/attempts/{aid}/answers/{qid}"),
                        ("PUT", f"/api/attempts/{aid}/prediction")):
        response = student.open(url, method=method, data=body, content_type="application/json")
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert response.is_json and response.get_json()["error"]


def test_a_nul_in_a_json_string_is_refused(app, scene, attempt, db_session):
    aid, qid, option = attempt
    student = _client(app, scene.world.student1)
    for method, url, body in (("POST", f"/api/attempts/{aid}/events", '{"kind": "blur\\u0000"}'),
                              ("PUT", f"/api/attempts/{aid}/prediction", '{"value": "4\\u00002"}'),
                              ("PUT", f"/api/attempts/{aid}/answers/{qid}",
                               '{"options": [%d], "seq": 1, "x\\u0000": 1}' % option),
                              ("POST", f"/api/attempts/{aid}/events", '{"kind": "blur\\ud800"}')):
        _refused(student.open(url, method=method, data=body, content_type="application/json"))
    db_session.expire_all()
    assert scene.attempt.prediction is None


# -- integers ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["unit=2147483648", f"unit={HUGE}", f"page={HUGE}", "page=2147483648",
                                   "page=-3", "unit=-1", "unit=1e3", "unit=%EF%BC%91"])
def test_absurd_numbers_in_the_account_list_are_not_an_error(app, world, query):
    response = _client(app, world.admin).get(f"/admin/users?{query}")
    assert response.status_code == 200


def test_extending_an_absurd_student_id_is_a_form_error(app, scene, db_session):
    organiser = _client(app, scene.world.manager1)
    url = f"/contests/rounds/{scene.school_round.id}/monitor/extend"
    deadline = scene.attempt.deadline
    for student_id in ("99999999999", HUGE, "2147483648", "-1"):
        response = organiser.post(url, data={"student_id": student_id, "minutes": "5"})
        assert response.status_code in (302, 400, 404), (student_id, response.status_code)
    db_session.expire_all()
    assert scene.attempt.deadline == deadline


@pytest.mark.parametrize("query", [f"page={HUGE}", f"area={HUGE}", f"school={HUGE}", f"class={HUGE}",
                                   "per_page=99999999999", "area=2147483648"])
def test_absurd_numbers_in_the_monitor_are_not_an_error(app, scene, query):
    staff = _client(app, scene.world.admin)
    for path in ("monitor", "monitor.json"):
        response = staff.get(f"/contests/rounds/{scene.school_round.id}/{path}?{query}")
        assert response.status_code in (200, 404), (path, query, response.status_code)


# -- every route of the URL map --------------------------------------------------------------------------
WALKERS = ("admin", "student")
BODYLESS = {"attempts.api_start", "attempts.api_submit"}  # never read their (JSON) body: nothing enters
NUMBER_ARGS = ("page", "unit", "parent", "area", "school", "class", "round", "sample", "per_page", "bank_ids",
               "limit", "offset", "question_id", "rule_id", "after")
FIELD = re.compile(r'name="([A-Za-z_][\w\-]*)"')


def _fields(client, url: str) -> set[str]:
    """The names of the inputs of the page at ``url`` (the form a POST to it would send), if there is one."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.content_type:
        return set()
    return set(FIELD.findall(response.get_data(as_text=True))) - {"csrf_token"}


def _routes(blueprint: str):
    return sorted(key for key in MATRIX if key[0].split(".")[0] == blueprint)


BLUEPRINTS = sorted({endpoint.split(".")[0] for endpoint, _method in MATRIX})


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_a_nul_anywhere_in_any_request_is_refused(app, scene, blueprint):
    """Every (route, method) of the blueprint, as the admin and a student: a NUL in the query string is refused
    with a 400, and so is a NUL in every field of the route's form (or JSON body)."""
    wrong = []
    present = route_methods(app)
    for endpoint, method in _routes(blueprint):
        if (endpoint, method) not in present:
            continue
        url = _url(app, scene, endpoint, method, MATRIX[(endpoint, method)])
        for role in WALKERS:
            client = _client(app, getattr(scene.world, USERS[role]))
            fields = (_fields(client, url) if method == "POST" else set()) | {"q", "name", "title", "username"}
            sent = {"json": {name: "x" + NUL for name in fields}} if url.startswith("/api/") and method != "GET" \
                else {"data": {name: "x" + NUL for name in fields}} if method != "GET" else {}
            for variant in ("query", "body"):
                if variant == "body" and method == "GET":
                    continue
                target = url + ("&" if "?" in url else "?") + "q=%00" if variant == "query" else url
                response = client.open(target, method=method, **({} if variant == "query" else sent))
                if response.status_code != 400 and not (variant == "body" and endpoint in BODYLESS
                                                        and response.status_code < 500):
                    wrong.append(f"{method} {target} ({variant}) as {role}: {response.status_code}")
    assert not wrong, "not refused:\n" + "\n".join(wrong)


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_absurd_numbers_in_any_request_are_never_a_server_error(app, scene, blueprint):
    """Every (route, method) of the blueprint, as the admin and a student, with numbers beyond the database's
    range in the usual query parameters and in every field of the route's form: never a 5xx."""
    wrong = []
    present = route_methods(app)
    query = "&".join(f"{name}={HUGE}" for name in NUMBER_ARGS)
    for endpoint, method in _routes(blueprint):
        if (endpoint, method) not in present or endpoint == "auth.logout":
            continue
        url = _url(app, scene, endpoint, method, MATRIX[(endpoint, method)])
        for role in WALKERS:
            client = _client(app, getattr(scene.world, USERS[role]))
            for number in (HUGE, "2147483648"):
                fields = _fields(client, url) if method == "POST" else set()
                body = {name: number for name in fields | set(NUMBER_ARGS) | {"student_id", "ids", "minutes"}}
                kwargs = {} if method == "GET" else {"json": {k: int(v) for k, v in body.items()}} \
                    if url.startswith("/api/") else {"data": body}
                target = url + ("&" if "?" in url else "?") + query.replace(HUGE, number)
                response = client.open(target, method=method, **kwargs)
                if response.status_code >= 500:
                    wrong.append(f"{method} {target} as {role}: {response.status_code}")
    assert not wrong, "server errors:\n" + "\n".join(wrong)
