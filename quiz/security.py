"""Security headers on every response (a strict Content-Security-Policy: no inline script or style), bounded ids
in URLs, the CSRF protection (Flask-WTF, with accepted JSON header tokens remembered), the signed session
cookie (Flask's, with verified cookies remembered) and the remember-me cookie's deletion."""
from __future__ import annotations

import time

from flask import Flask, Request, Response, current_app, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import LoginManager
from flask_login.config import COOKIE_NAME
from flask_wtf.csrf import CSRFProtect, same_origin
from itsdangerous import BadSignature
from werkzeug.routing import IntegerConverter

from quiz.bounded_numbers import MAX_ID


class BoundedIdConverter(IntegerConverter):
    """``<int:…>`` in every URL: ids outside the database's integer range are simply not found
    (a 404 from routing, never an overflow error in a query)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


def register_bounded_ids(app: Flask) -> None:
    """Must run before any blueprint is registered."""
    app.url_map.converters["int"] = BoundedIdConverter

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


_DEFAULT_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
_HSTS = ("Strict-Transport-Security", "max-age=31536000")


def register_security_headers(app: Flask) -> None:
    defaults = _DEFAULT_HEADERS + ((_HSTS,) if app.config.get("SESSION_COOKIE_SECURE") else ())
    wanted = tuple((name.lower(), name, value) for name, value in defaults)

    @app.after_request
    def _headers(response: Response) -> Response:
        # one pass over the response's headers (``setdefault`` per header scanned them five times)
        headers = response.headers
        present = {key.lower() for key in headers.keys()}
        for lowered, name, value in wanted:
            if lowered not in present:
                headers.add(name, value)
        return response


class RememberingCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection, with the signature check of a JSON request's header token remembered.

    The autosave sends the same ``X-CSRFToken`` with every answer; checking its signature (and parsing the body
    as a form first, to look for a token field) was ~8 % of the request's CPU. A pair (the signed header token,
    the session's raw token) that Flask-WTF has accepted once is accepted again without the HMAC, as long as
    tokens do not expire (``WTF_CSRF_TIME_LIMIT`` None, this app's setting) and under the same secret key; the
    HTTPS referrer check (``WTF_CSRF_SSL_STRICT``) still runs on every request. Anything else — forms, a new
    pair, a wrong token — goes through Flask-WTF unchanged. The memory is per process and bounded."""

    MAX_PAIRS = 100_000

    def __init__(self, app: Flask | None = None) -> None:
        self._accepted: set[tuple[str, str, str]] = set()
        super().__init__(app)

    def protect(self, apply_exemptions: bool = False) -> None:
        config = current_app.config
        pair = None
        if config.get("WTF_CSRF_TIME_LIMIT") is None and request.is_json and request.method in config["WTF_CSRF_METHODS"]:
            header = next((request.headers.get(h) for h in config["WTF_CSRF_HEADERS"] if request.headers.get(h)), None)
            raw = session.get(config["WTF_CSRF_FIELD_NAME"])
            if header and isinstance(raw, str):
                pair = (header, raw, str(current_app.secret_key))
        if pair is None or pair not in self._accepted:
            super().protect(apply_exemptions)  # raises (400) when the token is wrong
            if pair is not None and g.get("csrf_valid"):
                if len(self._accepted) >= self.MAX_PAIRS:
                    self._accepted.clear()
                self._accepted.add(pair)
            return
        if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:  # as Flask-WTF does on every request
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True


class RememberingCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with a verified cookie's contents remembered per process.

    Every request of a logged-in student carries the same cookie until the session changes; Flask decodes it
    afresh each time (a new serializer, the key derived again, the HMAC checked, base64 and tagged JSON: about a
    tenth of an autosave's CPU). A cookie this process has verified is taken from memory while it is not older
    than the session lifetime (the same age check as itsdangerous') and under the same secret keys; its contents
    are copied into a new session object, so a request that changes its session changes only its own (and gets a
    new cookie). Only flat sessions are remembered (strings, numbers, booleans): one with flashed messages or
    other nested values is decoded every time. The memory is per process and bounded."""

    MAX_COOKIES = 50_000

    def __init__(self) -> None:
        self._verified: dict[tuple[str, str, tuple], tuple[dict, int]] = {}

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not app.secret_key:
            return super().open_session(app, request)
        key = (value, str(app.secret_key), tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        max_age = int(app.permanent_session_lifetime.total_seconds())
        found = self._verified.get(key)
        if found is not None and 0 <= int(time.time()) - found[1] <= max_age:
            return self.session_class(found[0])
        serializer = self.get_signing_serializer(app)
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(isinstance(v, _FLAT) for v in data.values()):
            if len(self._verified) >= self.MAX_COOKIES:
                self._verified.clear()
            self._verified[key] = (dict(data), int(signed_at.timestamp()))
        return self.session_class(data)


_FLAT = (str, int, float, bool, type(None))


class RememberCookieLoginManager(LoginManager):
    """Flask-Login's manager, deleting the remember-me cookie (at logout) with the attributes it was set with.

    Flask-Login 0.6 deletes it without ``Secure``, ``HttpOnly`` or ``SameSite``: the one ``Set-Cookie`` of the
    application without them. The attributes come from the same settings as when it is set (``quiz/config.py``)."""

    def _clear_cookie(self, response: Response) -> None:
        config = current_app.config
        response.delete_cookie(config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME),
                               path=config.get("REMEMBER_COOKIE_PATH", "/"),
                               domain=config.get("REMEMBER_COOKIE_DOMAIN"),
                               secure=bool(config.get("REMEMBER_COOKIE_SECURE")),
                               httponly=bool(config.get("REMEMBER_COOKIE_HTTPONLY")),
                               samesite=config.get("REMEMBER_COOKIE_SAMESITE"))
