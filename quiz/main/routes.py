from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, jsonify, redirect, render_template, request, send_file, session, url_for
from flask_login import current_user

from quiz import clock
from quiz.extensions import cache, db
from quiz.main import bp
from quiz.main.dashboard import dashboard_for
from quiz.main.health import health


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("index.html")
    grace = int(current_app.config.get("ATTEMPT_GRACE_SECONDS", 10))
    return render_template("dashboard.html", dash=dashboard_for(db.session, current_user, clock.now(), grace=grace))


OPENAPI = Path(__file__).with_name("openapi.json")  # the description of the JSON API (docs/api.md)


@bp.route("/api/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of ``/api/…``: a static file of the repository, sent as it is."""
    return send_file(OPENAPI, mimetype="application/json", max_age=0)


@bp.route("/healthz")
def healthz():
    report, ok = health(db.session, cache)
    return jsonify(report), 200 if ok else 503


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.language = lang
            db.session.commit()
    target = request.form.get("next") or request.referrer or ""
    parts = urlsplit(target)
    if parts.netloc and parts.netloc != request.host:
        target = ""
    path = parts.path if target else ""
    if not path.startswith("/") or path.startswith("//"):
        path = url_for("main.index")
    return redirect(path + (f"?{parts.query}" if target and parts.query else ""))

