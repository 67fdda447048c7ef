"""The failed-login limit holds under concurrency (issue 15, #7): a slot is taken atomically before the password
is checked, so 40 simultaneous wrong passwords for one account get at most 5 password checks — with Redis (one
Lua script, atomic across processes), without it and while it is down (the in-process store, under its lock)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from quiz.auth import passwords
from tests.conftest import TEST_DATABASE_URL, TEST_PASSWORD, TEST_REDIS_URL

REQUESTS = 40
REDIS = {"absent": None, "down": "redis://127.0.0.1:1/0", "redis": TEST_REDIS_URL}


@pytest.fixture(params=sorted(REDIS))
def app(request, app_factory, tmp_path):
    """Threads need a database each request reaches on its own connection (a file, not one shared in memory), and
    a pool with a connection for every request that may be let through at once."""
    if request.param == "redis" and not TEST_REDIS_URL:
        pytest.skip("needs Redis (TEST_REDIS_URL)")
    return app_factory(DATABASE_URL=TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'quiz.db'}",
                       REDIS_URL=REDIS[request.param], ENGINE_OPTIONS={"pool_size": 5, "max_overflow": REQUESTS})


class CheckedPasswords:
    """Counts password checks; a check waits (without sleeping) until every request is either checking too or
    answered, so requests that were let through all overlap, as on a busy server."""

    def __init__(self, monkeypatch, expected: int) -> None:
        self.checks = self.answered = 0
        self.expected = expected
        self.changed = threading.Condition()
        real = passwords.verify_password

        def verify(password_hash: str, password: str) -> bool:
            with self.changed:
                self.checks += 1
                self.changed.notify_all()
                self.changed.wait_for(lambda: self.checks + self.answered >= self.expected, timeout=10)
            return real(password_hash, password)

        monkeypatch.setattr(passwords, "verify_password", verify)

    def answer(self) -> None:
        with self.changed:
            self.answered += 1
            self.changed.notify_all()


def _concurrent_logins(app, checked: CheckedPasswords, logins: list[tuple[str, str, str]]) -> list[int]:
    barrier = threading.Barrier(len(logins))

    def login(item: tuple[str, str, str]) -> int:
        username, password, ip = item
        client = app.test_client()
        barrier.wait()
        try:
            return client.post("/login", data={"username": username, "password": password},
                               environ_base={"REMOTE_ADDR": ip}).status_code
        finally:
            checked.answer()

    with ThreadPoolExecutor(len(logins)) as pool:
        return list(pool.map(login, logins))


def test_forty_simultaneous_wrong_passwords_get_five_password_checks(app, world, monkeypatch):
    checked = CheckedPasswords(monkeypatch, REQUESTS)
    statuses = _concurrent_logins(app, checked, [("teacher1", f"doan-{i}", f"10.0.{i}.1") for i in range(REQUESTS)])
    assert checked.checks == 5
    assert sorted(statuses) == [401] * 5 + [429] * (REQUESTS - 5)
    # The account stays paused for the right password too; another account is not affected.
    assert app.test_client().post("/login", data={"username": "teacher1", "password": TEST_PASSWORD}).status_code == 429
    assert app.test_client().post("/login", data={"username": "teacher2", "password": TEST_PASSWORD}).status_code == 302


def test_simultaneous_wrong_passwords_from_one_address_get_the_address_limit(app, world, monkeypatch):
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 3
    checked = CheckedPasswords(monkeypatch, 12)
    statuses = _concurrent_logins(app, checked, [(f"nobody{i}", "x", "203.0.113.5") for i in range(12)])
    assert checked.checks == 3 and sorted(statuses) == [401] * 3 + [429] * 9
