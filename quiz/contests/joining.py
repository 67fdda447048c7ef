"""Join codes: a short code a teacher shows large on screen; a pupil types it to join a class contest."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.errors import ValidationFailed
from quiz.models import Contest, ContestEntrant, ContestScope, ContestStatus, Role, User

# No look-alikes (0/O, 1/I/L) so a code read from a projector is typed right.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6


def new_join_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if session.scalar(select(Contest.id).where(Contest.join_code == code)) is None:
            return code


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def join_with_code(session: Session, student: User, raw_code: str, now: datetime) -> Contest:
    code = normalise_code(raw_code)
    contest = session.scalar(select(Contest).where(Contest.join_code == code)) if code else None
    if (contest is None or contest.scope is not ContestScope.CLASS or contest.status is ContestStatus.DRAFT
            or student.role is not Role.STUDENT):
        raise ValidationFailed(str(_l("No open class contest has this code. Check the code on your teacher's screen.")))
    if student.unit.parent_id != contest.organiser_unit_id:
        raise ValidationFailed(str(_l("This code belongs to a contest of another school.")))
    if session.get(ContestEntrant, (contest.id, student.id)) is None:
        session.add(ContestEntrant(contest_id=contest.id, user_id=student.id, joined_at=now))
    return contest
