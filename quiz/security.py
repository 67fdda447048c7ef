"""Security headers on every response (a strict Content-Security-Policy: no inline script or style), bounded ids
in URLs, and the CSRF protection (Flask-WTF, with accepted JSON header tokens remembered)."""
from __future__ import annotations

from flask import Flask, Response, current_app, g, request, session
from flask_wtf.csrf import CSRFProtect, same_origin
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the database's INTEGER range


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


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
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
