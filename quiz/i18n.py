"""Language and time-zone selection, and the date formats shown to users."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, has_request_context, session
from flask_babel import format_decimal, format_datetime, format_percent, get_locale
from flask_login import current_user


def select_locale() -> str:
    if not has_request_context():  # CLI commands and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    lang = session.get("lang")
    if lang in languages:
        return lang
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def format_dt(value: datetime | None, with_seconds: bool = False) -> str:
    """Vietnamese style date and time in Asia/Ho_Chi_Minh: 21/11/2026 14:05."""
    if value is None:
        return ""
    return format_datetime(value, "dd/MM/yyyy HH:mm:ss" if with_seconds else "dd/MM/yyyy HH:mm")


def format_d(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "dd/MM/yyyy")
    return value.strftime("%d/%m/%Y")


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["dt"] = format_dt
    app.jinja_env.filters["d"] = format_d
    app.jinja_env.filters["isodate"] = _isodate
    app.jinja_env.filters["points"] = format_points
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["percent"] = format_rate

    @app.context_processor
    def _inject() -> dict:
        return {"current_locale": str(get_locale() or "vi"), "languages": app.config["LANGUAGES"]}


def format_points(value) -> str:
    """A score as people write it: 80, 12,5 (Vietnamese) or 12.5 (English); at most two decimals."""
    if value is None:
        return ""
    number = round(float(value), 2)
    if number == int(number):
        return str(int(number))
    return format_decimal(number, format="#,##0.##")


def format_number(value, digits: int = 2) -> str:
    """A figure with a fixed number of decimals as the language writes it: 72,95 (vi), 72.95 (en); "—" for none.
    Every page prints averages and other decimals through this (the ``number`` filter)."""
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0" + ("." + "0" * digits if digits else ""))


def format_rate(rate, digits: int = 1) -> str:
    """A share (0.308) as a percentage: "30,8 %" (vi), "30.8 %" (en); "—" for none (the ``percent`` filter)."""
    if rate is None:
        return "—"
    return format_percent(rate, format="#,##0" + ("." + "0" * digits if digits else "") + " %")


# XLSX cells stay numbers; these number formats show them like the pages (the spreadsheet's locale decides the
# decimal mark).
XLSX_RATE = "0.0%"
XLSX_NUMBER = "0.00"


def _isodate(value: str | None) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""
