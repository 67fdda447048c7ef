"""Domain errors raised by services, and the one place that maps them to HTTP."""
from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """Base of the errors services raise; ``status`` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The object does not exist *or the current user may not see it* (no existence leak)."""

    status = 404


class NotAllowed(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class NotLoggedIn(DomainError):
    """The session cookie names nobody, or a session that was ended (logout, password change, account
    turned off)."""

    status = 401


class RateLimited(DomainError):
    """Too many requests for one key in a window; ``retry_after`` seconds until the window ends."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ValidationFailed(DomainError):
    """Bad input. ``errors`` maps a field (or a location such as "dòng 7") to messages."""

    status = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _error_response(status: int, message: str, extra: dict[str, Any] | None = None):
    if wants_json():
        body = {"error": message}
        body.update(extra or {})
        return jsonify(body), status
    template = f"errors/{status}.html" if status in (400, 403, 404, 409, 413, 429, 500, 503) else "errors/generic.html"
    return render_template(template, status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        extra = {"errors": err.errors} if isinstance(err, ValidationFailed) and err.errors else None
        message = err.message
        if isinstance(err, NotFound):  # internal wording; users get the standard sentence
            message = _("The page you asked for does not exist or you cannot see it.")
        response = _error_response(err.status, message, extra)
        if isinstance(err, RateLimited):
            response = app.make_response(response)
            response.headers["Retry-After"] = str(err.retry_after)
        return response

    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError):
        return _error_response(400, _("The form expired or the security token is missing. Reload the page and try again."))

    @app.errorhandler(OperationalError)
    def _db_down(err: OperationalError):
        if not database_unreachable(err):  # the statement itself was refused: retrying cannot help
            app.logger.error("database refused the statement: %s", err, exc_info=err)
            return _error_response(500, _("Something went wrong on our side. The error has been logged."))
        app.logger.error("database unavailable: %s", err)
        _forget_database_state(app)
        response, status = _error_response(503, _("The service is temporarily unavailable. Please try again in a few seconds."))
        response = app.make_response((response, status))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        messages = {
            400: _("The request could not be understood."),
            401: _("Please log in first."),
            403: _("You do not have permission to see this page."),
            404: _("The page you asked for does not exist or you cannot see it."),
            405: _("This action is not allowed here."),
            413: _("The upload is too large."),
            429: _("Too many requests. Please wait a moment and try again."),
        }
        status = err.code or 500
        response = _error_response(status, messages.get(status, err.description or err.name))
        if status == 429 and isinstance(response, tuple):
            response = app.make_response(response)
            response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(500)
    def _server_error(err: Exception):
        return _error_response(500, _("Something went wrong on our side. The error has been logged."))


# SQLSTATE classes of a server that cannot serve now: connection exception, insufficient resources (too many
# connections, disk full), operator intervention (shutdown, cancel), system error.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57", "58")


def database_unreachable(err: OperationalError) -> bool:
    """An outage worth a 503 and Retry-After: no connection could be made (no statement ran), the connection
    broke during the statement, the server says it cannot serve now, or SQLite's file is locked. Not a statement
    the database refuses whatever the moment (more than 65,535 parameters, too many SQL variables)."""
    if err.statement is None or err.connection_invalidated:
        return True
    sqlstate = getattr(err.orig, "sqlstate", None) or ""
    if sqlstate[:2] in _UNAVAILABLE_SQLSTATES:
        return True
    return "database is locked" in str(err.orig)


def _forget_database_state(app: Flask) -> None:
    """The database is gone: drop the request's session and render the error page as an anonymous
    visitor, so that drawing it (navigation, language) does not need the database again."""
    from flask import g

    g.database_down = True
    session = request.environ.pop("quiz.db_session", None)
    if session is not None:
        try:
            session.close()
        except Exception:  # noqa: BLE001 - the connection is already broken
            pass
    login_manager = getattr(app, "login_manager", None)
    if login_manager is not None:
        g._login_user = login_manager.anonymous_user()


def apply_to_form(form: Any, err: ValidationFailed) -> None:
    """Show a service's field errors beside the form's fields (others at the top of the form)."""
    general = []
    for name, messages in err.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
        else:
            general.extend(messages)
    form.form_errors = list(getattr(form, "form_errors", []) or []) + ([err.message] if not err.errors else []) + general
