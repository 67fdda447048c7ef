"""Where request text enters the application: what the database and the parsers cannot take is refused here,
once, for every route.

- Control characters (NUL and the other C0 controls except tab, line feed and carriage return; DEL; and lone
  UTF-16 surrogates, which only a JSON ``\\ud800`` escape can produce) in the URL path, a query-string or form
  field (name or value), an uploaded file's name, the ``User-Agent`` (stored with attempts) or a JSON string:
  the request is refused with a 400 saying where, before any view runs (PostgreSQL refuses NUL in text, and
  nobody types the others). Tab, CR and LF stay allowed: multi-line fields need them.
- JSON bodies nested deeper than ``MAX_JSON_DEPTH``: 400 (Python's parser would raise ``RecursionError``).
  ``QuizRequest.json_module`` is the one JSON loader of request bodies (``request.get_json``).
- Integers from the query string and forms are parsed by ``quiz/bounded_numbers.py`` (within the database's
  INTEGER range, like ``<int:…>`` in URLs).
"""
from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, Request, request
from flask_babel import gettext as _

from question_bank.validation import CONTROL_CHARACTERS
from quiz.errors import ValidationFailed

MAX_JSON_DEPTH = 32
_CONTROL = CONTROL_CHARACTERS  # the one rule, shared with the question imports
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


# -- control characters --------------------------------------------------------------------------
def _shown(name: str) -> str:
    return _CONTROL.sub("?", name)[:60]


def _refuse(message: str, where: str) -> None:
    raise ValidationFailed(message, {where: [message]})


def refuse_control_characters(req: Request) -> None:
    """Refuse (400) a request whose path, query string, form, file names or User-Agent hold a control character."""
    if _CONTROL.search(req.path):
        _refuse(_("The address contains a control character (such as a NUL byte). Remove it and try again."),
                "path")
    for name, value in req.args.items(multi=True):
        if _CONTROL.search(name) or _CONTROL.search(value):
            _refuse(_("The parameter “%(name)s” of the address contains a control character (such as a NUL "
                      "byte). Remove it and try again.", name=_shown(name)), _shown(name))
    if _CONTROL.search(req.headers.get("User-Agent", "")):
        _refuse(_("The header “%(name)s” of the request contains a control character.", name="User-Agent"),
                "User-Agent")
    if req.mimetype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return  # JSON is checked by its loader; other bodies are read by nobody as text
    for name, value in req.form.items(multi=True):
        if _CONTROL.search(name) or _CONTROL.search(value):
            _refuse(_("The field “%(name)s” contains a control character (such as a NUL byte). Remove it and try "
                      "again.", name=_shown(name)), _shown(name))
    for name, upload in req.files.items(multi=True):
        if _CONTROL.search(name) or _CONTROL.search(upload.filename or ""):
            _refuse(_("The name of the file uploaded in “%(name)s” contains a control character (such as a NUL "
                      "byte). Rename the file and try again.", name=_shown(name)), _shown(name))


# -- JSON ----------------------------------------------------------------------------------------
def _too_deep(data: bytes) -> bool:
    """Whether the brackets of ``data`` (outside strings) nest deeper than ``MAX_JSON_DEPTH``. Cheap for the
    usual small bodies: with no more brackets than the limit they cannot."""
    if data.count(b"[") + data.count(b"{") <= MAX_JSON_DEPTH:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub(b'""', data)):
        depth += 1 if bracket in b"[{" else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def _has_control(value: Any) -> bool:
    if isinstance(value, str):
        return _CONTROL.search(value) is not None
    if isinstance(value, dict):
        return any(_has_control(k) or _has_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_control(v) for v in value)
    return False


class BoundedJSON:
    """The loader of request bodies: refuses deep nesting and control characters in strings (400) around the
    app's JSON provider; a body that is not JSON raises ``ValueError`` as before (``get_json(silent=True)``
    gives None)."""

    def __init__(self, provider: Any = json) -> None:
        self.provider = provider

    def loads(self, data: str | bytes, **kwargs: Any) -> Any:
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        if _too_deep(raw):
            _refuse(_("The JSON body is nested too deeply (more than %(depth)d levels).", depth=MAX_JSON_DEPTH),
                    "body")
        value = self.provider.loads(data, **kwargs)
        if _has_control(value):
            _refuse(_("The JSON body contains a control character (such as a NUL byte) in a text. Remove it and "
                      "try again."), "body")
        return value

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self.provider.dumps(obj, **kwargs)


class QuizRequest(Request):
    """Flask's request; ``get_json`` parses through ``BoundedJSON``. (Flask hands each request the app's JSON
    provider, ``request.json_module = app.json``: it is wrapped, not replaced.)"""

    _bounded_json = BoundedJSON()

    @property
    def json_module(self) -> BoundedJSON:  # type: ignore[override]
        return self._bounded_json

    @json_module.setter
    def json_module(self, provider: Any) -> None:
        self._bounded_json = BoundedJSON(provider)


def register_input_checks(app: Flask) -> None:
    """The request class, and the check of the request's text before the views and the session hooks (call it
    before ``register_session_hooks``; only Flask-WTF's CSRF check, which reads no database, runs earlier)."""
    app.request_class = QuizRequest

    @app.before_request
    def _refuse_control_characters() -> None:
        refuse_control_characters(request)
