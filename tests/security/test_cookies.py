"""Every cookie the application sets, over HTTPS with ``QUIZ_SECURE_COOKIES=1``: ``Secure``, ``HttpOnly``,
``SameSite=Lax`` — the session (language, CSRF token, login) and the remember-me cookie, a credential that
outlives the session on the pupils' shared phones."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from flask import g

from tests.conftest import TEST_PASSWORD

HOST = "thi-asean.example.edu.vn"
HTTPS = f"https://{HOST}"
REFERER = {"Referer": f"{HTTPS}/"}  # Flask-WTF checks it over HTTPS


@pytest.fixture
def app(app_factory, monkeypatch):
    """The app as production runs it: secure cookies from the environment variable, CSRF protection on."""
    monkeypatch.setenv("QUIZ_SECURE_COOKIES", "1")
    app = app_factory(WTF_CSRF_ENABLED=True)

    @app.before_request
    def _token_of_this_request() -> None:
        # The test's requests share the app context of ``db_session``, where Flask-WTF keeps the token it
        # generated; a browser's request has its own, so the page stores its token in the session.
        g.pop("csrf_token", None)
    return app


def _csrf(page) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)


def _set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def _log_in_remembered(client):
    page = client.get("/login", base_url=HTTPS)
    return client.post("/login", base_url=HTTPS, headers=REFERER, data={
        "username": "s101", "password": TEST_PASSWORD, "remember": "y", "csrf_token": _csrf(page)})


def test_every_cookie_the_app_sets_is_secure_httponly_and_samesite(client, db_session, world):
    seen: list[str] = []

    def get(path, **kw):
        response = client.get(path, base_url=HTTPS, headers=REFERER, **kw)
        seen.extend(_set_cookies(response))
        return response

    def post(path, data, **kw):
        response = client.post(path, base_url=HTTPS, headers=REFERER, data=data, **kw)
        seen.extend(_set_cookies(response))
        return response

    login_page = get("/login")  # the CSRF token goes into the session
    post("/language", {"lang": "en", "csrf_token": _csrf(login_page)})  # the language too
    logged_in = post("/login", {"username": "s101", "password": TEST_PASSWORD, "remember": "y",
                                "csrf_token": _csrf(get("/login"))})
    assert logged_in.status_code == 302 and client.get_cookie("remember_token", domain=HOST) is not None
    page = get("/")
    post("/language", {"lang": "vi", "csrf_token": _csrf(page)})
    client.delete_cookie("session", domain=HOST)  # the browser was closed: the remember-me cookie logs in again
    assert get("/certificates/mine").status_code == 200 and client.get_cookie("session", domain=HOST) is not None
    assert post("/logout", {"csrf_token": _csrf(get("/"))}).status_code == 302

    names = {cookie.split("=", 1)[0] for cookie in seen}
    assert names == {"session", "remember_token"}
    for cookie in seen:
        flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
        assert "secure" in flags and "httponly" in flags, cookie
        assert flags.get("samesite") == "SameSite=Lax", cookie


def test_logging_out_removes_the_remember_me_cookie(client, db_session, world):
    _log_in_remembered(client)
    assert client.get_cookie("remember_token", domain=HOST) is not None
    home = client.get("/", base_url=HTTPS)
    assert client.post("/logout", base_url=HTTPS, headers=REFERER, data={"csrf_token": _csrf(home)}).status_code == 302
    assert client.get_cookie("remember_token", domain=HOST) is None


def test_the_remember_me_cookie_lasts_fourteen_days(client, db_session, world):
    [cookie] = [c for c in _set_cookies(_log_in_remembered(client)) if c.startswith("remember_token=")]
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert abs(expires - datetime.now(timezone.utc) - timedelta(days=14)) < timedelta(minutes=1)


def test_quiz_remember_days_sets_how_long_the_remember_me_cookie_lasts(tmp_path, monkeypatch):
    from quiz.config import ConfigError, load_config

    monkeypatch.setenv("QUIZ_REMEMBER_DAYS", "3")
    assert load_config(tmp_path, {"SECRET_KEY": "x"})["REMEMBER_COOKIE_DURATION"] == timedelta(days=3)
    monkeypatch.setenv("QUIZ_REMEMBER_DAYS", "0")
    with pytest.raises(ConfigError, match="QUIZ_REMEMBER_DAYS"):
        load_config(tmp_path, {"SECRET_KEY": "x"})
