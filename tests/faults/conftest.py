"""Fault tests: real processes and real connection cuts against PostgreSQL and Redis."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from fault_proxy import TEST_DATABASE_URL, TEST_REDIS_URL, Proxy


def _proxy_for(url: str, default_port: int) -> Proxy:
    parts = urlsplit(url)
    return Proxy(parts.hostname or "127.0.0.1", parts.port or default_port)


@pytest.fixture
def pg_proxy():
    if not TEST_DATABASE_URL.startswith("postgres"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    proxy = _proxy_for(TEST_DATABASE_URL, 5432)
    yield proxy
    proxy.restore()  # the app fixture empties the tables through it afterwards


@pytest.fixture
def redis_proxy():
    if not TEST_REDIS_URL:
        pytest.skip("needs Redis (TEST_REDIS_URL)")
    proxy = _proxy_for(TEST_REDIS_URL, 6379)
    yield proxy
    proxy.restore()
