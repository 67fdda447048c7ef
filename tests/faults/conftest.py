"""Fault tests: real processes and real connection cuts against PostgreSQL and Redis."""
from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from fault_proxy import Proxy

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or ""
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL") or ""


def through(proxy: Proxy, url: str) -> str:
    """``url`` with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    auth = netloc[0] + "@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{auth}127.0.0.1:{proxy.port}"))


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
