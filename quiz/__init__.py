"""ASEAN Quiz: online contests about ASEAN for a provincial Department of Education and Training."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application factory. ``config`` overrides what the ``QUIZ_*`` variables say."""
    app = Flask(
        __name__,
        instance_path=str((config or {}).get("INSTANCE_PATH") or ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from quiz.config import load_config

    app.config.update(load_config(Path(app.instance_path), config))

    from quiz.auth import passwords

    passwords.configure(app.config["PASSWORD_HASH_METHOD"])

    from quiz.extensions import babel, cache, csrf, db, login_manager
    from quiz.i18n import select_locale, select_timezone

    db.init_app(app)
    cache.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    login_manager.init_app(app)

    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The client's address and scheme from one proxy; never its X-Forwarded-Host: absolute links come from
        # QUIZ_PUBLIC_URL (quiz/public_url.py), and nginx passes on whatever Host header a client sends.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]

    from quiz.errors import register_error_handlers
    from quiz.i18n import register_template_helpers
    from quiz.auth.session import register_session_hooks
    from quiz.request_input import register_input_checks
    from quiz.security import RememberingCookieSessionInterface, register_bounded_ids, register_security_headers

    app.session_interface = RememberingCookieSessionInterface()
    register_error_handlers(app)
    register_input_checks(app)  # before the session hooks: nothing reads the request's text before it
    register_security_headers(app)
    register_bounded_ids(app)
    register_template_helpers(app)
    register_session_hooks(app)

    from quiz.admin import bp as admin_bp
    from quiz.attempts import bp as attempts_bp
    from quiz.auth import bp as auth_bp
    from quiz.banks import bp as banks_bp
    from quiz.certificates import bp as certificates_bp
    from quiz.contests import bp as contests_bp
    from quiz.leaderboards import bp as leaderboards_bp
    from quiz.main import bp as main_bp
    from quiz.reports import bp as reports_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(contests_bp)
    app.register_blueprint(attempts_bp)
    app.register_blueprint(banks_bp)
    app.register_blueprint(leaderboards_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(reports_bp)

    from quiz.cli import register_commands

    register_commands(app)

    from quiz.attempts import overdue

    overdue.register(app)  # the in-process scheduler, only when QUIZ_SCHEDULER=1 (make run)
    return app
