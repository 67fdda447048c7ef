from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from quiz.auth import bp, service
from quiz.auth.forms import ChangePasswordForm, LoginForm
from quiz.auth.session import client_ip
from quiz.errors import ValidationFailed, apply_to_form
from quiz.extensions import cache, db


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.index")


def _policy() -> service.ThrottlePolicy:
    cfg = current_app.config
    return service.ThrottlePolicy(cfg["LOGIN_FAILURE_WINDOW_SECONDS"], cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
                                  cfg["LOGIN_MAX_FAILURES_PER_IP"])


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            user = service.authenticate(db.session, cache, form.username.data, form.password.data, client_ip(), _policy())
        except (service.LoginFailed, service.LoginThrottled) as err:
            error, status = err.message, err.status
        else:
            lang = session.get("lang")
            session.clear()  # a fresh session at login: nothing from before survives
            if lang:
                session["lang"] = lang
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        service.end_sessions(user)
        db.session.commit()
    logout_user()  # also marks the remember-me cookie for deletion (``_remember``): keep that mark
    kept = {key: session[key] for key in ("lang", "_remember") if key in session}
    session.clear()
    session.update(kept)
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.change_password(db.session, current_user, form.current_password.data, form.new_password.data,
                                    form.confirm.data)
        except ValidationFailed as err:
            apply_to_form(form, err)
            status = 400
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # new session token: keep this session, end all others
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.index"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/change_password.html", form=form), status
