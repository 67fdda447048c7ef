"""A real gunicorn serving the application, and a small HTTP client that logs in like a browser."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, database_url: str, workers: int = 2, redis_url: str | None = None) -> None:
        self.port = free_port()
        env = {**os.environ, "QUIZ_ENV": "development", "QUIZ_DATABASE_URL": database_url,
               "QUIZ_SECRET_KEY": "fault-test-secret", "QUIZ_PASSWORD_HASH": "pbkdf2:sha256:1000"}
        env.pop("QUIZ_REDIS_URL", None)
        if redis_url:
            env["QUIZ_REDIS_URL"] = redis_url
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.proc = subprocess.Popen(
            [gunicorn, "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--worker-class", "sync",
             "--timeout", "30", "--graceful-timeout", "2", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2)
                if len(self.workers()) >= workers:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start: " + (self.proc.stderr.read() or b"").decode()[-2000:])

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Browser:
    """Cookies, the CSRF token of the pages, JSON calls."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def login(self, username: str, password: str) -> None:
        page = self.get("/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page)
        data = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrf_token": token.group(1) if token else ""}).encode()
        self.opener.open(self.base + "/login", data=data, timeout=10).read()
        home = self.get("/")
        meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', home)
        assert meta, "no csrf-token meta tag after logging in as " + username
        self.csrf = meta.group(1)

    def call(self, method: str, path: str, body: dict | None = None, timeout: float = 10) -> tuple[int, dict]:
        request = urllib.request.Request(self.base + path, method=method,
                                         data=json.dumps(body or {}).encode(),
                                         headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")
