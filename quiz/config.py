"""Configuration from environment variables with the ``QUIZ_`` prefix."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ENVIRONMENTS = ("development", "production", "testing")
DEVELOPMENT_PUBLIC_URL = "http://127.0.0.1:5000"  # what ``make run`` serves


class ConfigError(RuntimeError):
    """The configuration cannot be used (e.g. production without a secret key)."""


def _env_bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _dev_secret_key(instance_path: Path) -> str:
    """A random key kept in instance/ so restarts do not log everyone out."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _env_positive_int(env: os._Environ | dict, name: str, default: int) -> int:
    value = env.get(name) or str(default)
    if not value.strip().isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def public_url_setting(value: str) -> str:
    """``QUIZ_PUBLIC_URL`` checked (http or https, a host, optionally a port and a path) and written without a
    trailing slash; the absolute links of the application start with it (``quiz/public_url.py``)."""
    parts = urlsplit(value.strip())
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        usable = (parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query
                  and not parts.fragment and parts.username is None)
    except ValueError:
        usable = False
    if not usable:
        raise ConfigError(f"QUIZ_PUBLIC_URL must be the address users open, such as https://thi-asean.example.edu.vn "
                          f"(http or https, a host, optionally a port and a path), not {value!r}")
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the app configuration: defaults, then ``QUIZ_*`` variables, then ``overrides``."""
    env = os.environ
    overrides = dict(overrides or {})
    quiz_env = overrides.get("ENV") or env.get("QUIZ_ENV", "development")
    if quiz_env not in ENVIRONMENTS:
        raise ConfigError(f"QUIZ_ENV must be one of {', '.join(ENVIRONMENTS)}, not {quiz_env!r}")
    production = quiz_env == "production"
    cfg: dict[str, Any] = {
        "ENV": quiz_env,
        "DATABASE_URL": env.get("QUIZ_DATABASE_URL") or f"sqlite:///{instance_path / 'quiz.sqlite3'}",
        "REDIS_URL": env.get("QUIZ_REDIS_URL") or None,
        "SECRET_KEY": env.get("QUIZ_SECRET_KEY") or None,
        "PUBLIC_URL": env.get("QUIZ_PUBLIC_URL") or None,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool(env.get("QUIZ_SECURE_COOKIES"), production),
        # "Keep me logged in": a credential that outlives the session (pupils share phones), so the session
        # cookie's flags (``Secure`` follows it, below) and two weeks rather than Flask-Login's year.
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=_env_positive_int(env, "QUIZ_REMEMBER_DAYS", 14)),
        "MAX_CONTENT_LENGTH": int(env.get("QUIZ_MAX_UPLOAD_MB", "8")) * 1024 * 1024,
        "BANK_IMPORT_MAX_QUESTIONS": int(env.get("QUIZ_IMPORT_MAX_QUESTIONS", "10000")),
        "IMPORT_CPU_BUDGET": env.get("QUIZ_IMPORT_CPU_BUDGET", "60/10 minutes"),
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_HASH_METHOD": env.get("QUIZ_PASSWORD_HASH", "scrypt:16384:8:1"),
        "LOGIN_FAILURE_WINDOW_SECONDS": int(env.get("QUIZ_LOGIN_FAILURE_WINDOW", "900")),
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(env.get("QUIZ_LOGIN_MAX_FAILURES_PER_ACCOUNT", "5")),
        "LOGIN_MAX_FAILURES_PER_IP": int(env.get("QUIZ_LOGIN_MAX_FAILURES_PER_IP", "200")),
        "RATELIMIT_ENABLED": _env_bool(env.get("QUIZ_RATELIMIT_ENABLED"), True),
        "PROXY_FIX": _env_bool(env.get("QUIZ_PROXY_FIX"), production),
        "ATTEMPT_GRACE_SECONDS": int(env.get("QUIZ_ATTEMPT_GRACE_SECONDS", "10")),
        # finish overdue attempts in-process every SCHEDULER_SECONDS (quiz/attempts/overdue.py; ``make run``)
        "SCHEDULER": _env_bool(env.get("QUIZ_SCHEDULER"), False) and quiz_env != "testing",
        "SCHEDULER_SECONDS": _env_positive_int(env, "QUIZ_SCHEDULER_SECONDS", 30),
        "DEPARTMENT_PLACE": env.get("QUIZ_DEPARTMENT_PLACE", "Tây Ninh"),
        "TESTING": quiz_env == "testing",
        "DEBUG": False,
    }
    cfg.update(overrides)
    if "REMEMBER_COOKIE_SECURE" not in overrides:
        cfg["REMEMBER_COOKIE_SECURE"] = cfg["SESSION_COOKIE_SECURE"]  # one setting for both cookies
    cfg["DATABASE_URL"] = normalise_database_url(cfg["DATABASE_URL"])
    if not cfg.get("SECRET_KEY"):
        if production:
            raise ConfigError(
                "QUIZ_SECRET_KEY is not set: production refuses to start without a secret key "
                "(generate one with: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        cfg["SECRET_KEY"] = _dev_secret_key(instance_path)
    if not cfg.get("PUBLIC_URL"):
        if production:
            raise ConfigError(
                "QUIZ_PUBLIC_URL is not set: production refuses to start without the address users open "
                "(such as https://thi-asean.example.edu.vn); certificates, their QR codes, credential slips and "
                "join links are built from it, never from the request's Host or X-Forwarded-Host"
            )
        cfg["PUBLIC_URL"] = DEVELOPMENT_PUBLIC_URL
    cfg["PUBLIC_URL"] = public_url_setting(cfg["PUBLIC_URL"])
    return cfg
