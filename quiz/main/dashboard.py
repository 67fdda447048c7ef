"""What each role sees first after logging in."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import access
from quiz.models import Role, Unit, UnitKind, User


@dataclass
class Dashboard:
    role: Role
    unit: Unit
    school: Unit | None
    counts: dict[str, int] = field(default_factory=dict)
    classes: list[Unit] = field(default_factory=list)


def dashboard_for(session: Session, user: User) -> Dashboard:
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
    return dash
