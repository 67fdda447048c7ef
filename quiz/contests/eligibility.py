"""Who may manage a contest, and which students may take its rounds."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session, joinedload, selectinload

from quiz.errors import NotFound
from quiz.models import Contest, ContestEntrant, ContestScope, ContestStatus, ContestUnit, Role, Round, Unit, User


class RoundState(str, enum.Enum):
    DRAFT = "draft"
    UPCOMING = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


def round_state(rnd: Round, now: datetime) -> RoundState:
    status = rnd.contest.status
    if status is ContestStatus.DRAFT:
        return RoundState.DRAFT
    if now < rnd.opens_at:
        return RoundState.UPCOMING
    if now < rnd.closes_at:
        return RoundState.OPEN
    published = status is ContestStatus.PUBLISHED or rnd.results_published_at is not None
    return RoundState.PUBLISHED if published else RoundState.CLOSED


def contest_state(contest: Contest, now: datetime) -> ContestStatus:
    """The status shown to users: draft and published are set by the organiser, the rest follows the clock."""
    if contest.status in (ContestStatus.DRAFT, ContestStatus.PUBLISHED):
        return contest.status
    if any(r.opens_at <= now < r.closes_at for r in contest.rounds):
        return ContestStatus.OPEN
    if contest.rounds and all(now >= r.closes_at for r in contest.rounds):
        return ContestStatus.CLOSED
    return ContestStatus.SCHEDULED


# -- staff -----------------------------------------------------------------------
def staff_contests_query(user: User):
    """Contests a staff member may see (admins: all; school staff: theirs and the scheduled province contests
    their school takes part in). Exactly the contests for which ``staff_can_see`` is true."""
    stmt = select(Contest).options(selectinload(Contest.rounds), selectinload(Contest.units))
    if user.role is Role.ADMIN:
        return stmt
    # Province contests once scheduled, for every school or for this one (same rule as ``staff_can_see``).
    province = ((Contest.scope == ContestScope.PROVINCE) & (Contest.status != ContestStatus.DRAFT)
                & or_(~Contest.units.any(), Contest.units.any(ContestUnit.unit_id == user.unit_id)))
    if user.role is Role.MANAGER:
        return stmt.where(or_(province, (Contest.scope != ContestScope.PROVINCE)
                              & (Contest.organiser_unit_id == user.unit_id)))
    if user.role is Role.TEACHER:
        return stmt.where(or_(
            province,
            (Contest.scope == ContestScope.SCHOOL) & (Contest.organiser_unit_id == user.unit_id),
            (Contest.scope == ContestScope.CLASS) & (Contest.created_by_id == user.id),
        ))
    return stmt.where(False)


def staff_can_see(user: User, contest: Contest) -> bool:
    if user.role is Role.ADMIN:
        return True
    if user.role not in (Role.MANAGER, Role.TEACHER):
        return False
    if contest.scope is ContestScope.PROVINCE:
        return contest.status is not ContestStatus.DRAFT and _school_included(contest, user.unit_id)
    if contest.scope is ContestScope.SCHOOL:
        return contest.organiser_unit_id == user.unit_id
    return contest.created_by_id == user.id or (user.role is Role.MANAGER and contest.organiser_unit_id == user.unit_id)


def can_manage(user: User, contest: Contest) -> bool:
    if contest.scope is ContestScope.PROVINCE:
        return user.role is Role.ADMIN
    if contest.scope is ContestScope.SCHOOL:
        return user.role is Role.MANAGER and contest.organiser_unit_id == user.unit_id
    return contest.organiser_unit_id == user.unit_id and (
        contest.created_by_id == user.id or user.role is Role.MANAGER)


def get_staff_contest(session: Session, user: User, contest_id: int) -> Contest:
    contest = session.get(Contest, contest_id)
    if contest is None or not staff_can_see(user, contest):
        raise NotFound("contest not found")
    return contest


def get_managed_contest(session: Session, user: User, contest_id: int) -> Contest:
    contest = session.get(Contest, contest_id)
    if contest is None or not can_manage(user, contest):
        raise NotFound("contest not found")
    return contest


def _school_included(contest: Contest, school_id: int | None) -> bool:
    unit_ids = {cu.unit_id for cu in contest.units}
    return not unit_ids or school_id in unit_ids


# -- students --------------------------------------------------------------------
def student_may_take(session: Session, student: User, contest: Contest) -> bool:
    if student.role is not Role.STUDENT or contest.status is ContestStatus.DRAFT:
        return False
    klass: Unit = student.unit
    if contest.grades and klass.grade not in contest.grades:
        if contest.scope is not ContestScope.CLASS:
            return False
    unit_ids = {cu.unit_id for cu in contest.units}
    if contest.scope is ContestScope.PROVINCE:
        return student.unit.path.startswith(contest.organiser_unit.path) and (
            not unit_ids or klass.parent_id in unit_ids)
    if contest.scope is ContestScope.SCHOOL:
        return klass.parent_id == contest.organiser_unit_id and (not unit_ids or klass.id in unit_ids)
    if klass.id in unit_ids:
        return True
    return session.get(ContestEntrant, (contest.id, student.id)) is not None


def may_take_condition(contest: Contest, user=User, klass=Unit) -> ColumnElement[bool]:
    """``student_may_take`` as one SQL condition on a student (``user``) joined with their class (``klass``):
    the pupils a report lists as eligible are exactly those who may open the round (inactive accounts, who
    cannot log in, are left out)."""
    if contest.status is ContestStatus.DRAFT:
        return false()
    unit_ids = [cu.unit_id for cu in contest.units]
    cond = [user.role == Role.STUDENT, user.is_active.is_(True)]
    if contest.grades and contest.scope is not ContestScope.CLASS:
        cond.append(klass.grade.in_(list(contest.grades)))
    if contest.scope is ContestScope.PROVINCE:
        cond += [klass.path.startswith(contest.organiser_unit.path),
                 klass.parent_id.in_(unit_ids) if unit_ids else true()]
    elif contest.scope is ContestScope.SCHOOL:
        cond += [klass.parent_id == contest.organiser_unit_id, klass.id.in_(unit_ids) if unit_ids else true()]
    else:
        joined = select(ContestEntrant.user_id).where(ContestEntrant.contest_id == contest.id)
        cond.append(or_(klass.id.in_(unit_ids) if unit_ids else false(), user.id.in_(joined)))
    return and_(*cond)


def student_rounds(session: Session, student: User) -> list[Round]:
    """Every round of every non-draft contest this student may take, newest first."""
    contests = session.scalars(select(Contest).where(Contest.status != ContestStatus.DRAFT)
                               .options(selectinload(Contest.rounds), selectinload(Contest.units))).all()
    rounds = [r for c in contests if student_may_take(session, student, c) for r in c.rounds]
    return sorted(rounds, key=lambda r: (r.opens_at, r.id), reverse=True)


def get_student_round(session: Session, student: User, round_id: int) -> Round:
    # The round with what ``student_may_take`` reads (contest, organiser, units) in two statements, not four:
    # every student of a start storm comes through here.
    rnd = session.scalar(select(Round).where(Round.id == round_id)
                         .options(joinedload(Round.contest).joinedload(Contest.organiser_unit),
                                  joinedload(Round.contest).selectinload(Contest.units)))
    if rnd is None or not student_may_take(session, student, rnd.contest):
        raise NotFound("round not found")
    return rnd
