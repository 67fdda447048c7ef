"""Loading the logged-in user, role checks, and the forced first-login password change."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import bindparam, select

from quiz.auth.identity import Identity, Viewer
from quiz.extensions import db, login_manager
from quiz.models import Role, User

# Endpoints a user who must change their password may still reach.
_OPEN_ENDPOINTS = {"auth.change_password", "auth.logout", "main.set_language", "static", "main.healthz"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        ident, token = user_id.split(":", 1)
        uid = int(ident)
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


def register_session_hooks(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.unauthorized_handler
    def _unauthorized():
        if request.path.startswith("/api/"):
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))

    @app.before_request
    def _load_user_afresh() -> None:
        # Flask-Login caches the user in ``g``; a request that runs inside an app context
        # pushed by someone else (a CLI command, a test) must not inherit that user.
        g.pop("_login_user", None)

    @app.before_request
    def _force_password_change():
        if getattr(current_app.view_functions.get(request.endpoint or ""), "checks_identity_itself", False):
            return None  # its service checks the password rule in its own query (``identity_required``)
        if (current_user.is_authenticated and current_user.must_change_password
                and request.endpoint not in _OPEN_ENDPOINTS):
            if request.path.startswith("/api/"):
                abort(403)
            return redirect(url_for("auth.change_password"))
        return None


def identity_required(view: Callable) -> Callable:
    """For the hot JSON endpoints (the autosave): the view gets ``identity`` (user id and session token from
    the signed session cookie) without loading the user, and its service checks that identity against
    ``users`` in the query it runs anyway — the session token (logout and password changes end old
    sessions), ``is_active`` and ``must_change_password`` — raising ``NotLoggedIn`` (401) or ``NotAllowed``
    (403) as ``login_required`` and the password rule would. Without an id in the session (only a
    remember-me cookie) the usual loader runs first."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        identity = Identity.parse(session.get("_user_id"))
        if identity is None:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.must_change_password:
                abort(403)
            identity = Identity(current_user.id, current_user.session_token)
        return view(*args, identity=identity, **kwargs)

    wrapped.checks_identity_itself = True  # type: ignore[attr-defined]
    return wrapped


def viewer_required_or_anonymous(view: Callable) -> Callable:
    """For the polled read-only JSON (leaderboards): the view gets ``viewer`` — a ``Viewer`` (id, role, unit) read
    with one narrow query that checks the session token, ``is_active`` and the password rule (403 while a new
    password is pending, as for every API), or Flask-Login's anonymous user for a visitor or an ended session —
    instead of Flask-Login loading the ORM ``User`` (with its unit) on every poll. Without an id in the session
    (only a remember-me cookie) the usual loader runs."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        identity = Identity.parse(session.get("_user_id"))
        if identity is None:
            viewer = current_user._get_current_object()
            if viewer.is_authenticated and viewer.must_change_password:
                abort(403)
            return view(*args, viewer=viewer, **kwargs)
        row = db.session.connection().execute(
            _VIEWER_QUERY, {"user_id": identity.user_id, "token": identity.token}).first()
        if row is None:  # an ended session or a turned-off account: a visitor, as Flask-Login would say
            return view(*args, viewer=login_manager.anonymous_user(), **kwargs)
        if row.must_change_password:
            abort(403)
        return view(*args, viewer=Viewer(row.id, row.role, row.unit_id), **kwargs)

    wrapped.checks_identity_itself = True  # type: ignore[attr-defined]
    return wrapped


_USERS = User.__table__.c
_VIEWER_QUERY = (select(_USERS.id, _USERS.role, _USERS.unit_id, _USERS.must_change_password)
                 .where(_USERS.id == bindparam("user_id"), _USERS.session_token == bindparam("token"),
                        _USERS.is_active.is_(True)))


def role_required(*roles: Role) -> Callable:
    """Allow only logged-in users with one of ``roles``; others get 403 (anonymous: the login page)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def client_ip() -> str:
    return request.remote_addr or "unknown"
