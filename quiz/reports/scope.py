"""Whose results a report covers: the round, and the part of the province the viewer may see.

* an admin sees the whole Department;
* a school manager sees their school and its classes;
* a teacher sees the classes they teach, and every participant of a class contest they organise
  (pupils who joined it with its code included).

A round of a contest the viewer may not see is a ``NotFound`` (404), as everywhere else.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session, aliased

from quiz.contests.eligibility import can_manage, get_staff_contest
from quiz.errors import NotFound
from quiz.models import Attempt, ContestUnit, Role, Round, Unit, UnitKind, User, teacher_classes


@dataclass(frozen=True)
class Scope:
    rnd: Round
    viewer: User
    kind: str  # "contest" | "department" | "school" | "classes"
    path: str | None = None  # units below this path (department, school)
    class_ids: tuple[int, ...] = ()  # a teacher's classes
    organiser: bool = False
    # no student finished more than one attempt: every finished attempt counts (no ranking window needed)
    single_attempts: bool = True

    @property
    def covers_everyone(self) -> bool:
        """True when the unit filter keeps every student (the Department admin, a contest's organiser)."""
        return self.kind in ("contest", "department")

    @property
    def key(self) -> str:
        """Identifies the part of the province this scope covers (for cached figures)."""
        if self.kind == "classes":
            return "classes:" + ",".join(map(str, self.class_ids))
        return f"{self.kind}:{self.path or ''}"

    @property
    def whole_schools(self) -> bool:
        """True when every class of a visible school is visible (not a teacher's subset)."""
        return self.kind != "classes"

    def class_filter(self, klass) -> ColumnElement[bool]:
        """A condition on a class unit (an aliased ``Unit``) that keeps the classes in this scope."""
        if self.kind == "contest":
            return true()
        if self.kind == "classes":
            return klass.id.in_(self.class_ids) if self.class_ids else false()
        return klass.path.startswith(self.path or "/")

    def analysis_visible(self, now: datetime) -> bool:
        """Item statistics (question texts and option counts) are shown to organisers at any time and
        to other staff once the round has closed, so they cannot leak a running paper."""
        return self.organiser or now >= self.rnd.closes_at


def single_attempts(session: Session, rnd: Round) -> bool:
    """True when nobody finished a second attempt at the round (every finished attempt is the counted one)."""
    return session.scalar(select(Attempt.id).where(Attempt.round_id == rnd.id, Attempt.number > 1,
                                                   Attempt.submitted_at.is_not(None)).limit(1)) is None


def whole_round(session: Session, rnd: Round) -> Scope:
    """Everybody who took the round, whoever looks (for work done on behalf of the round itself)."""
    return Scope(rnd, rnd.contest.created_by, "contest", organiser=True, single_attempts=single_attempts(session, rnd))


def report_scope(session: Session, viewer: User, round_id: int) -> Scope:
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound("round not found")
    contest = get_staff_contest(session, viewer, rnd.contest_id)  # NotFound for other schools' contests
    organiser = can_manage(viewer, contest)
    single = single_attempts(session, rnd)
    if viewer.role is Role.ADMIN:
        return Scope(rnd, viewer, "department", path=viewer.unit.path, organiser=organiser, single_attempts=single)
    if viewer.role is Role.MANAGER:
        return Scope(rnd, viewer, "school", path=viewer.unit.path, organiser=organiser, single_attempts=single)
    if viewer.role is Role.TEACHER:
        if organiser:  # their own class contest: everyone who took it, also pupils who joined with the code
            return Scope(rnd, viewer, "contest", organiser=True, single_attempts=single)
        ids = session.scalars(select(teacher_classes.c.class_id)
                              .where(teacher_classes.c.teacher_id == viewer.id)).all()
        return Scope(rnd, viewer, "classes", class_ids=tuple(sorted(ids)), single_attempts=single)
    raise NotFound("round not found")


def visible_class(session: Session, scope: Scope, class_id: int) -> Unit:
    """A class of this scope (404 otherwise). For a whole-contest scope: a class of the contest or one
    with a participant in the round (students who joined a class contest with its code)."""
    klass = aliased(Unit)
    stmt = select(klass).where(klass.id == class_id, klass.kind == UnitKind.CLASS, scope.class_filter(klass))
    if scope.kind == "contest":
        taking = select(User.unit_id).join(Attempt, Attempt.user_id == User.id).where(Attempt.round_id == scope.rnd.id)
        listed = select(ContestUnit.unit_id).where(ContestUnit.contest_id == scope.rnd.contest_id)
        stmt = stmt.where(or_(klass.id.in_(taking), klass.id.in_(listed), klass.parent_id.in_(listed)))
    found = session.scalar(stmt)
    if found is None:
        raise NotFound("class not found")
    return found
