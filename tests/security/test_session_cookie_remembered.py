"""The session cookie: a verified cookie is remembered per process (quiz/security.py), which must never accept what
Flask's own check would refuse — an expired, tampered or re-keyed cookie — nor share one request's changes."""
import time

import pytest
from flask import request

from quiz.security import RememberingCookieSessionInterface


@pytest.fixture
def logged_in(app, db_session, world):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = world.student1.get_id()
        sess["_fresh"] = True
    assert client.get("/api/rounds").status_code == 200  # Flask-Login marks the session not fresh: a new cookie
    return client


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _who(client) -> int:
    """200: the API knows the student; 401: logged out."""
    return client.get("/api/rounds").status_code


def _remembered(app, cookie: str) -> bool:
    return any(key[0] == cookie for key in app.session_interface._verified)


def test_a_remembered_cookie_logs_in_as_before(app, logged_in):
    assert isinstance(app.session_interface, RememberingCookieSessionInterface)
    cookie = _cookie(logged_in)
    assert _who(logged_in) == 200
    assert _remembered(app, cookie) and _cookie(logged_in) == cookie
    assert _who(logged_in) == 200


def test_a_remembered_cookie_still_expires_with_the_session_lifetime(app, logged_in, monkeypatch):
    assert _who(logged_in) == 200 and _remembered(app, _cookie(logged_in))
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert _who(logged_in) == 401


def test_a_tampered_cookie_is_refused_even_when_the_genuine_one_is_remembered(app, logged_in, world):
    assert _who(logged_in) == 200
    genuine = _cookie(logged_in)
    assert _remembered(app, genuine)
    payload, _, signature = genuine.rpartition(".")
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    logged_in.set_cookie("session", forged)
    assert _who(logged_in) == 401


def test_a_new_secret_key_ends_remembered_sessions(app, logged_in):
    assert _who(logged_in) == 200 and _remembered(app, _cookie(logged_in))
    app.secret_key = "rotated-" + str(app.secret_key)
    assert _who(logged_in) == 401


def test_one_requests_change_to_its_session_is_not_seen_by_another_request_with_the_same_cookie(app, logged_in):
    assert _who(logged_in) == 200
    cookie = _cookie(logged_in)
    assert _remembered(app, cookie)
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        first = app.session_interface.open_session(app, request)
        first["_user_id"] = "999:forged"
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        second = app.session_interface.open_session(app, request)
    assert second["_user_id"] != "999:forged" and not second.modified


def test_sessions_with_nested_values_are_decoded_every_time(app, logged_in):
    with logged_in.session_transaction() as sess:
        sess["_flashes"] = [("info", "Đã lưu.")]
    cookie = _cookie(logged_in)
    assert _who(logged_in) == 200
    assert not _remembered(app, cookie)
