"""What each role sees first after logging in."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import access
from quiz.attempts.standing import Standing, standings
from quiz.contests.eligibility import RoundState
from quiz.models import Role, Unit, UnitKind, User


@dataclass
class Dashboard:
    role: Role
    unit: Unit
    school: Unit | None
    counts: dict[str, int] = field(default_factory=dict)
    classes: list[Unit] = field(default_factory=list)
    # A pupil's rounds (the rounds of "My contests", by the same rule): open now, opening later, finished.
    open_rounds: list[Standing] = field(default_factory=list)
    upcoming: list[Standing] = field(default_factory=list)
    results: list[Standing] = field(default_factory=list)


RECENT_RESULTS = 5


def dashboard_for(session: Session, user: User, now: datetime, *, grace: int) -> Dashboard:
    school = None
    if user.role in (Role.MANAGER, Role.TEACHER):
        school = user.unit
    elif user.role is Role.STUDENT:
        school = user.unit.parent
    dash = Dashboard(role=user.role, unit=user.unit, school=school)
    if user.role in (Role.ADMIN, Role.MANAGER):
        units = access.units_query(user).subquery()
        for kind in (UnitKind.AREA, UnitKind.SCHOOL, UnitKind.CLASS):
            dash.counts[kind.value] = session.scalar(
                select(func.count()).select_from(units).where(units.c.kind == kind.value)) or 0
        users = access.users_query(user).subquery()
        for role in Role:
            dash.counts[role.value] = session.scalar(
                select(func.count()).select_from(users).where(users.c.role == role.value)) or 0
    if user.role is Role.TEACHER:
        dash.classes = list(user.classes)
    if user.role is Role.STUDENT:
        rounds = standings(session, user, now, grace=grace)
        dash.open_rounds = sorted((s for s in rounds if s.running is not None or s.can_start),
                                  key=lambda s: (s.running is None, s.round.closes_at, s.round.id))
        dash.upcoming = sorted((s for s in rounds if s.state is RoundState.UPCOMING),
                               key=lambda s: (s.round.opens_at, s.round.id))
        finished = [s for s in rounds if s.submitted is not None and s.submitted.submitted_at is not None]
        dash.results = sorted(finished, key=lambda s: s.submitted.submitted_at, reverse=True)[:RECENT_RESULTS]
    return dash
