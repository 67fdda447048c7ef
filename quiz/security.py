"""Security headers on every response: a strict Content-Security-Policy (no inline script or style)."""
from __future__ import annotations

from flask import Flask, Response
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
