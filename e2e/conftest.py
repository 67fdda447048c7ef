"""End-to-end fixtures: the app served by gunicorn on a free port, Debian's Chromium driven by Playwright.

- A fresh SQLite database seeded with ``flask --app wsgi demo`` (PostgreSQL / Redis instead when
  ``E2E_DATABASE_URL`` / ``E2E_REDIS_URL`` are set: that database is emptied first, so never point
  them at data you want to keep).
- Chromium is ``/usr/bin/chromium`` (``E2E_CHROMIUM`` to override); no browser is ever downloaded.
- Every test writes its screenshots to ``e2e-screenshots/<test name>/`` and prints that folder.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "e2e-screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# Console messages the browser prints by itself for every failed or 4xx request (the network is cut on
# purpose, a wrong join code is refused with 400): server errors are caught from the responses instead.
EXPECTED_CONSOLE = re.compile(r"ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR_|Failed to load resource")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from quiz.config import normalise_database_url

    engine = create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


class Server:
    def __init__(self, base_url: str, env: dict[str, str]):
        self.base_url = base_url
        self.env = env

    def url(self, path: str) -> str:
        return self.base_url + path

    def seed(self, *args: str) -> str:
        """Run e2e/seed.py against the server's database; returns what it printed."""
        out = subprocess.run([sys.executable, str(ROOT / "e2e" / "seed.py"), *args], cwd=ROOT, env=self.env,
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"e2e/seed.py {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout.strip()


@pytest.fixture(scope="session")
def server():
    tmp = Path(tempfile.mkdtemp(prefix="quiz-e2e-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
    db_url = os.environ.get("E2E_DATABASE_URL") or f"sqlite:///{tmp / 'e2e.sqlite3'}"
    redis_url = os.environ.get("E2E_REDIS_URL")
    if db_url.startswith("postgres"):
        _reset_postgres(db_url)
    if redis_url:
        _flush_redis(redis_url)
        env["QUIZ_REDIS_URL"] = redis_url
    env.update({"QUIZ_ENV": "development", "QUIZ_SECRET_KEY": secrets.token_hex(32), "QUIZ_DATABASE_URL": db_url,
                "PYTHONUNBUFFERED": "1"})
    flask = str(Path(sys.executable).with_name("flask"))
    demo = subprocess.run([flask, "--app", "wsgi", "demo"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    if demo.returncode != 0:
        raise RuntimeError(f"flask --app wsgi demo failed:\n{demo.stdout}\n{demo.stderr}")
    port = _free_port()
    env["QUIZ_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    log = open(tmp / "gunicorn.log", "w")
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen([gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
                             "--timeout", "60", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/api/time", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.close()
            raise RuntimeError("gunicorn did not start:\n" + (tmp / "gunicorn.log").read_text())
        time.sleep(0.2)
    print(f"\n[e2e] serving {base} from {db_url}; server log {tmp / 'gunicorn.log'}")
    yield Server(base, env)
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver", returncode=3)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots():
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)


class Shots:
    def __init__(self, folder: Path):
        self.folder = folder
        self.n = 0

    def __call__(self, page, name: str, full_page: bool = False) -> Path:
        self.n += 1
        path = self.folder / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def shots(request):
    folder = SHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\n[e2e] screenshots: {folder}")
    return Shots(folder)


class Browsing:
    """Opens browser contexts (phone or desktop) and fails the test on page errors or CSP violations."""

    def __init__(self, browser, server: Server):
        self.browser = browser
        self.server = server
        self.contexts = []
        self.problems: list[str] = []

    def context(self, viewport=PHONE, **options):
        if viewport == PHONE:
            options.setdefault("is_mobile", True)
            options.setdefault("has_touch", True)
            options.setdefault("device_scale_factor", 2)
        ctx = self.browser.new_context(viewport=viewport, base_url=self.server.base_url, locale="vi-VN",
                                       timezone_id="Asia/Ho_Chi_Minh", **options)
        ctx.set_default_timeout(15_000)
        ctx.on("page", self._watch)
        self.contexts.append(ctx)
        return ctx

    def _watch(self, page) -> None:
        base = self.server.base_url
        page.on("response", lambda r: r.status >= 500 and self.problems.append(f"server error {r.status}: {r.url}"))
        page.on("request", lambda req: req.url.startswith((base, "data:", "blob:", "about:"))
                or self.problems.append(f"external request: {req.url}"))
        page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        page.on("console", lambda msg: msg.type == "error" and not EXPECTED_CONSOLE.search(msg.text)
                and self.problems.append(f"console: {msg.text}"))

    def page(self, viewport=PHONE, **options):
        return self.context(viewport, **options).new_page()

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def browsing(browser, server):
    b = Browsing(browser, server)
    yield b
    b.close()
    assert not b.problems, "the browser reported problems:\n" + "\n".join(b.problems)


def run_axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the current page."""
    if not AXE.exists():
        pytest.exit("node_modules/axe-core is missing: run `npm ci` (make e2e does)", returncode=3)
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # runs through the DevTools protocol: the CSP stays on
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
          .map(v => ({id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")
    return result
