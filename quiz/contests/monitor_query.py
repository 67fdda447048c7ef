"""The live monitor's SQL: who may take a round (and whom the viewer may see), the latest attempt of each,
counts per school or per class with GROUP BY, and one page of students — never every row in Python.

A province round can have 50,000 students: everything here is one aggregate query or one bounded page.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from question_bank.markup import fold
from quiz import access
from quiz.contests.eligibility import can_manage
from quiz.models import (Attempt, ContestEntrant, ContestScope, ContestStatus, Role, Round, Unit,
                         User)

FOCUS_LOSS_FLAG = 5  # tab switches before an attempt is flagged
FAST_SECONDS_PER_QUESTION = 3  # faster than this on average is implausible
STATES = ("not_started", "in_progress", "submitted")
PER_PAGE = 50
MAX_PER_PAGE = 200

School = aliased(Unit, name="school")  # the parent of the student's class (``Unit`` is the class itself)


@dataclass
class MonitorFilter:
    """What the table shows: unit filters narrow the counts too; ``state`` and ``q`` only the table."""
    area: Unit | None = None
    school: Unit | None = None
    klass: Unit | None = None
    state: str = ""  # "" | not_started | in_progress | submitted | flagged
    q: str = ""
    page: int = 1
    per_page: int = PER_PAGE

    def __post_init__(self) -> None:
        self.per_page = max(10, min(MAX_PER_PAGE, self.per_page or PER_PAGE))
        self.page = max(1, self.page or 1)
        self.q = (self.q or "").strip()[:80]
        if self.state not in STATES + ("flagged",):
            self.state = ""


def _base(viewer: User, rnd: Round):
    """Students who may take the round and whom the viewer may see, outer-joined with their latest attempt.
    Same rules as ``eligibility.student_may_take`` and ``access.users_query``, as SQL."""
    contest = rnd.contest
    unit_ids = [cu.unit_id for cu in contest.units]
    entrants = select(ContestEntrant.user_id).where(ContestEntrant.contest_id == contest.id)
    stmt = select().select_from(User).join(Unit, Unit.id == User.unit_id).where(
        User.role == Role.STUDENT, User.is_active.is_(True))
    if contest.status is ContestStatus.DRAFT:
        stmt = stmt.where(false())
    if contest.grades and contest.scope is not ContestScope.CLASS:
        stmt = stmt.where(Unit.grade.in_(contest.grades))
    if contest.scope is ContestScope.PROVINCE:
        stmt = stmt.where(Unit.path.startswith(contest.organiser_unit.path))
        if unit_ids:
            stmt = stmt.where(Unit.parent_id.in_(unit_ids))
    elif contest.scope is ContestScope.SCHOOL:
        stmt = stmt.where(Unit.parent_id == contest.organiser_unit_id)
        if unit_ids:
            stmt = stmt.where(Unit.id.in_(unit_ids))
    else:
        stmt = stmt.where(or_(Unit.id.in_(unit_ids), User.id.in_(entrants)))
    seen = access.users_query(viewer).whereclause  # the viewer's scope over User and their class ``Unit``
    if contest.scope is ContestScope.CLASS and can_manage(viewer, contest):
        seen = or_(seen, User.id.in_(entrants))  # pupils of other classes who joined with the code
    stmt = stmt.where(seen).outerjoin(School, School.id == Unit.parent_id)
    if contest.attempts_allowed <= 1:
        on = and_(Attempt.round_id == rnd.id, Attempt.user_id == User.id, Attempt.number == 1)
    else:
        latest = (select(Attempt.user_id, func.max(Attempt.number).label("number"))
                  .where(Attempt.round_id == rnd.id).group_by(Attempt.user_id).subquery())
        stmt = stmt.outerjoin(latest, latest.c.user_id == User.id)
        on = and_(Attempt.round_id == rnd.id, Attempt.user_id == User.id, Attempt.number == latest.c.number)
    return stmt.outerjoin(Attempt, on)


STATE = case((Attempt.id.is_(None), "not_started"), (Attempt.submitted_at.is_(None), "in_progress"),
             else_="submitted")


def flagged(rnd: Round):
    """The signals SQL can see across the whole round: many tab switches, or implausibly fast — a submitted
    attempt's ``max_score`` is its number of questions × the contest's points per question, so no per-attempt
    subquery is needed. Identical answers are checked for the visible page only (``monitor.page_flags``)."""
    points = max(1, rnd.contest.points_per_question or 1)
    return or_(Attempt.focus_losses >= FOCUS_LOSS_FLAG,
               and_(Attempt.submitted_at.is_not(None), Attempt.duration_ms.is_not(None),
                    Attempt.max_score.is_not(None),
                    Attempt.duration_ms * points < Attempt.max_score * (FAST_SECONDS_PER_QUESTION * 1000)))


def _narrow(stmt, rnd: Round, flt: MonitorFilter, *, table: bool):
    if flt.area is not None:
        stmt = stmt.where(Unit.path.startswith(flt.area.path))
    if flt.school is not None:
        stmt = stmt.where(Unit.parent_id == flt.school.id)
    if flt.klass is not None:
        stmt = stmt.where(Unit.id == flt.klass.id)
    if table:
        if flt.state == "flagged":
            stmt = stmt.where(flagged(rnd))
        elif flt.state:
            stmt = stmt.where(STATE == flt.state)
        if flt.q:  # every word, without accents or case ("nguyen van" finds "Nguyễn Văn An"), or the text as typed
            typed = [User.full_name.icontains(flt.q, autoescape=True),
                     User.username.icontains(flt.q, autoescape=True)]
            words = [User.search_name.contains(word, autoescape=True) for word in fold(flt.q).split()]
            stmt = stmt.where(or_(*([and_(*words)] if words else []), *typed))
    return stmt


def _counted(rnd: Round, *columns):
    return (*columns, *(func.sum(case((STATE == s, 1), else_=0)).label(s) for s in STATES),
            func.sum(case((flagged(rnd), 1), else_=0)).label("flagged"))


def group_counts(session: Session, viewer: User, rnd: Round, flt: MonitorFilter, by: str) -> list[dict[str, Any]]:
    """Not started / in progress / submitted / flagged per school (``by="school"``) or per class, by name."""
    unit = School if by == "school" else Unit
    stmt = _narrow(_base(viewer, rnd), rnd, flt, table=False).add_columns(
        *_counted(rnd, unit.id.label("id"), unit.name.label("name"))).group_by(unit.id, unit.name)
    if by == "class":
        stmt = stmt.add_columns(School.name.label("school")).group_by(School.name, Unit.grade).order_by(
            School.name, func.coalesce(Unit.grade, 0), Unit.name)
    else:
        stmt = stmt.order_by(School.name)
    out = []
    for row in session.execute(stmt).mappings():
        item = {"id": row["id"], "name": row["name"] or "", **{k: int(row[k] or 0) for k in STATES + ("flagged",)}}
        item["total"] = sum(item[s] for s in STATES)
        out.append(item)
    return out


def totals(groups: list[dict[str, Any]]) -> dict[str, int]:
    out = {k: sum(g[k] for g in groups) for k in STATES}
    return dict(out, total=sum(out.values()), flagged=sum(g["flagged"] for g in groups))


def table_total(session: Session, viewer: User, rnd: Round, flt: MonitorFilter) -> int:
    stmt = _narrow(_base(viewer, rnd), rnd, flt, table=True).add_columns(func.count())
    return session.scalar(stmt) or 0


ROW_COLUMNS = (User.id.label("student_id"), User.full_name.label("name"), User.username.label("username"),
               Unit.id.label("class_id"), Unit.name.label("class"), School.name.label("school"),
               Attempt.id.label("attempt_id"), Attempt.number.label("number"), Attempt.started_at.label("started_at"),
               Attempt.deadline.label("deadline"), Attempt.extension_seconds.label("extension_seconds"),
               Attempt.submitted_at.label("submitted_at"), Attempt.score.label("score"),
               Attempt.max_score.label("max_score"), Attempt.duration_ms.label("duration_ms"),
               Attempt.focus_losses.label("focus_losses"), STATE.label("state"))


def page_rows(session: Session, viewer: User, rnd: Round, flt: MonitorFilter) -> list[dict[str, Any]]:
    """One page of students, by school, grade, class and name."""
    stmt = (_narrow(_base(viewer, rnd), rnd, flt, table=True).add_columns(*ROW_COLUMNS)
            .order_by(School.name, func.coalesce(Unit.grade, 0), Unit.name, User.full_name, User.id)
            .limit(flt.per_page).offset((flt.page - 1) * flt.per_page))
    return [dict(r) for r in session.execute(stmt).mappings()]


def classmates_answers(session: Session, viewer: User, rnd: Round, class_ids: set[int]) -> list[dict[str, Any]]:
    """The latest attempts (id, student name, class) in these classes that the viewer may see."""
    if not class_ids:
        return []
    stmt = (_base(viewer, rnd).where(Unit.id.in_(class_ids), Attempt.id.is_not(None))
            .add_columns(Attempt.id.label("attempt_id"), User.full_name.label("name"), Unit.id.label("class_id")))
    return [dict(r) for r in session.execute(stmt).mappings()]
