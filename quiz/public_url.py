"""Absolute links: the public address users open (``QUIZ_PUBLIC_URL``) followed by a route's path.

Certificates (the printed address and the QR code), the certificates API, credential slips and the join-code
page carry links that leave the request: they are printed, scanned, sent on. They start with the configured
address, never with the request's ``Host`` or ``X-Forwarded-Host``, which any client can set (and nginx passes
on). Relative links (``url_for`` without ``_external``) stay as they are. The same function serves requests and
the certificate jobs, which run outside any request (a thread or an RQ worker, in an app context)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values, _external=True)`` on the configured public address (with its path prefix,
    if any); ``endpoint`` is the full name (``certificates.verify``)."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
