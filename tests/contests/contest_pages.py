"""Helpers for the tests of the organisers' pages of contests (imported as ``contest_pages``)."""
from __future__ import annotations

import re

from sqlalchemy import select

from quiz.models import AuditEntry, Contest, Round


def page_text(response) -> str:
    """The visible text of an HTML page, with spaces collapsed (what a user reads)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"(?s)<(script|style|header)\b.*?</\1>", " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&amp;", "&").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
    return " ".join(text.split())


def field_error(response, field: str) -> str:
    """The error shown beside one field ('' if none)."""
    html = response.get_data(as_text=True)
    m = re.search(rf'<p class="error" id="{re.escape(field)}-error" role="alert">([^<]*)</p>', html)
    return m.group(1) if m else ""


def audit_entries(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def contest_form(**overrides) -> dict:
    data = {"title": "Tìm hiểu ASEAN 2026", "description": "", "attempts_allowed": "1", "points_per_question": "1",
            "scoring_rule": "best", "review_policy": "after_close"}
    data.update(overrides)
    return data


def round_form(**overrides) -> dict:
    data = {"action": "save", "title": "Tuần 1", "opens_at": "20/11/2026 09:00", "closes_at": "27/11/2026 09:00",
            "time_limit_minutes": "30", "paper_mode": "fixed", "shuffle_questions": "y", "shuffle_options": "y"}
    data.update(overrides)
    return data


def latest_contest(session) -> Contest:
    session.expire_all()
    return session.scalars(select(Contest).order_by(Contest.id.desc())).first()


def latest_round(session) -> Round:
    session.expire_all()
    return session.scalars(select(Round).order_by(Round.id.desc())).first()
