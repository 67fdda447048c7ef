"""Session cookies and usernames: the settings an attacker would probe first."""
from __future__ import annotations

import pytest

from quiz.admin.accounts import AccountInput, create_account
from quiz.errors import ValidationFailed
from quiz.models import Role
from tests.conftest import TEST_PASSWORD


def _cookie_flags(response) -> str:
    cookies = [v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session=")]
    assert cookies, "the login sets the session cookie"
    return cookies[-1].lower()


def test_the_session_cookie_is_httponly_and_samesite_lax(client, world):
    response = client.post("/login", data={"username": "manager1", "password": TEST_PASSWORD})
    flags = _cookie_flags(response)
    assert "httponly" in flags and "samesite=lax" in flags


def test_the_session_cookie_is_secure_in_production(app_factory, db_session, world):
    app = app_factory(SESSION_COOKIE_SECURE=True)  # what QUIZ_ENV=production sets (see test_config_and_health)
    response = app.test_client().post("/login", data={"username": "manager1", "password": TEST_PASSWORD},
                                      base_url="https://quiz.example")
    flags = _cookie_flags(response)
    assert "secure" in flags and "httponly" in flags
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"  # browsers keep to HTTPS


def test_production_settings_turn_on_secure_cookies(tmp_path, monkeypatch):
    from quiz.config import load_config

    monkeypatch.setenv("QUIZ_ENV", "production")
    monkeypatch.setenv("QUIZ_SECRET_KEY", "k" * 32)
    monkeypatch.setenv("QUIZ_PUBLIC_URL", "https://thi-asean.example.edu.vn")
    assert load_config(tmp_path)["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("look_alike", ["Manager1 ", "MANAGER1", "manager\u0031", "m\u0430nager1", "manager1\u200b"])
def test_look_alike_usernames_cannot_make_a_second_account(db_session, world, look_alike):
    data = AccountInput(username=look_alike, full_name="Kẻ Giả Mạo", role=Role.TEACHER, unit_id=world.school1.id,
                        password="mat-khau-rat-dai-2026")
    with pytest.raises(ValidationFailed) as caught:
        create_account(db_session, world.admin, data)
    assert "username" in caught.value.errors
