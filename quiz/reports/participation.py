"""Participation: who took part, per area, school and class; completion over time; the top students.

Participants, sĩ số (enrolled) and the rate follow ``quiz.reports.enrolment`` (the one definition); here
per round, per area, school and class. Every figure is one grouped SQL query.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import CTE, Float, cast, func, select
from sqlalchemy.orm import Session, aliased

from quiz.models import Attempt, Unit, UnitKind, User
from quiz.reports.enrolment import participation_rate, school_enrolment
from quiz.reports.population import (class_rows, contest_schools, counted_attempts, rank_column, ranking_key,
                                     whole_school_enrolment)
from quiz.reports.scope import Scope
from quiz.reports.sql import epoch_seconds, floor_int

COMPLETION_STEPS = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=3), timedelta(hours=6),
                    timedelta(days=1), timedelta(days=7))
MAX_COMPLETION_BUCKETS = 60
TOP = 10


@dataclass(frozen=True)
class Group:
    id: int | None
    name: str
    participants: int
    enrolled: int
    mean_score: float | None
    parent: str = ""  # the school of a class, the area of a school

    @property
    def rate(self) -> float | None:
        return participation_rate(self.participants, self.enrolled)


@dataclass
class Participation:
    participants: int
    enrolled: int
    by_area: list[Group]
    by_school: list[Group]
    by_class: list[Group]

    @property
    def rate(self) -> float | None:
        return participation_rate(self.participants, self.enrolled)


class _Sum:
    def __init__(self, name: str, parent: str = "", enrolled: int | None = None) -> None:
        self.name, self.parent, self.declared = name, parent, enrolled
        self.participants, self.score_sum, self.class_enrolled = 0, 0.0, 0

    def add(self, participants: int, score_sum: float, enrolled: int) -> None:
        self.participants += participants
        self.score_sum += score_sum
        self.class_enrolled += enrolled

    def group(self, id_: int | None, use_declared: bool) -> Group:
        enrolled = school_enrolment(self.declared, self.class_enrolled, use_declared)
        mean = round(self.score_sum / self.participants, 4) if self.participants else None
        return Group(id_, self.name, self.participants, int(enrolled or 0), mean, self.parent)


def participation(session: Session, scope: Scope, counted: CTE | None = None) -> Participation:
    """Per class (one grouped query over the counted attempts), then summed up per school and area
    (over those few rows, never over attempts)."""
    counted = counted if counted is not None else counted_attempts(scope)
    rows = class_rows(scope, counted).subquery("class_rows")
    klass, school, parent = aliased(Unit), aliased(Unit), aliased(Unit)
    class_q = (select(rows, klass.name.label("class_name"), school.name.label("school_name"),
                      school.enrolled.label("school_enrolled"), parent.id.label("parent_id"),
                      parent.name.label("parent_name"), parent.kind.label("parent_kind"))
               .join(klass, klass.id == rows.c.class_id).join(school, school.id == rows.c.school_id)
               .outerjoin(parent, parent.id == school.parent_id)
               .order_by(school.name, klass.name, klass.id))
    whole = whole_school_enrolment(scope)
    schools: dict[int, _Sum] = {}
    areas: dict[int | None, str] = {}
    area_of: dict[int, int | None] = {}

    def school_sum(school_id, name, declared, parent_id, parent_name, parent_kind) -> _Sum:
        if school_id not in schools:
            is_area = parent_kind is UnitKind.AREA
            schools[school_id] = _Sum(name, parent_name if is_area else "", declared)
            area_of[school_id] = parent_id if is_area else None
            areas[area_of[school_id]] = parent_name if is_area else ""
        return schools[school_id]

    by_class = []
    for r in session.execute(class_q):
        participants, score_sum = int(r.participants), float(r.score_sum or 0)
        mean = round(score_sum / participants, 4) if participants else None
        by_class.append(Group(r.class_id, r.class_name, participants, int(r.enrolled or 0), mean, r.school_name))
        school_sum(r.school_id, r.school_name, r.school_enrolled, r.parent_id, r.parent_name,
                   r.parent_kind).add(participants, score_sum, int(r.enrolled or 0))
    if whole:
        listed = contest_schools(scope).subquery("listed")
        for r in session.execute(select(school.id, school.name, school.enrolled, parent.id, parent.name, parent.kind)
                                 .join(listed, listed.c.id == school.id)
                                 .outerjoin(parent, parent.id == school.parent_id)):
            school_sum(*r)
    by_school = sorted((s.group(sid, whole) for sid, s in schools.items()), key=lambda g: (g.name, g.id))
    area_sums: dict[int | None, _Sum] = {}
    for sid, group in zip(schools, (s.group(sid, whole) for sid, s in schools.items())):
        key = area_of[sid]
        area_sums.setdefault(key, _Sum(areas[key])).add(group.participants,
                                                        schools[sid].score_sum, group.enrolled)
    by_area = sorted((a.group(aid, False) for aid, a in area_sums.items()), key=lambda g: (g.id is None, g.name))
    return Participation(sum(g.participants for g in by_school), sum(g.enrolled for g in by_school),
                         by_area, by_school, by_class)


# -- completion over time ---------------------------------------------------------------
@dataclass(frozen=True)
class CompletionPoint:
    start: datetime
    end: datetime
    completed: int  # first submissions in this interval
    cumulative: int


def completion_step(opens_at: datetime, closes_at: datetime) -> timedelta:
    span = closes_at - opens_at
    for step in COMPLETION_STEPS:
        if span / step <= MAX_COMPLETION_BUCKETS:
            return step
    return COMPLETION_STEPS[-1]


def completion(session: Session, scope: Scope) -> list[CompletionPoint]:
    """How many students had finished by the end of each interval of the round (first submission)."""
    rnd = scope.rnd
    step = completion_step(rnd.opens_at, rnd.closes_at)
    klass = aliased(Unit)
    first_at = Attempt.submitted_at if scope.single_attempts else func.min(Attempt.submitted_at)
    firsts = select(Attempt.user_id, first_at.label("first_at")).where(
        Attempt.round_id == rnd.id, Attempt.submitted_at.is_not(None))
    if not scope.covers_everyone:
        firsts = firsts.join(User, User.id == Attempt.user_id).join(klass, klass.id == User.unit_id) \
            .where(scope.class_filter(klass))
    if not scope.single_attempts:
        firsts = firsts.group_by(Attempt.user_id)
    firsts = firsts.subquery("firsts")
    opens = rnd.opens_at.timestamp()
    dialect = session.get_bind().dialect.name
    offset = epoch_seconds(firsts.c.first_at, dialect) - opens
    bucket = floor_int(cast(offset, Float) / step.total_seconds(), dialect)
    buckets = (select(bucket.label("bucket"), func.count().label("n")).group_by(bucket).subquery("buckets"))
    running = func.sum(buckets.c.n).over(order_by=buckets.c.bucket)
    rows = session.execute(select(buckets.c.bucket, buckets.c.n, running).order_by(buckets.c.bucket)).all()
    counts = {int(b): (int(n), int(c)) for b, n, c in rows}
    intervals = max(1, math.ceil((rnd.closes_at - rnd.opens_at) / step))
    last = max([intervals - 1] + list(counts))  # extensions may finish after the close
    first = min([0] + list(counts))
    out, cumulative = [], 0
    for b in range(first, last + 1):
        n, c = counts.get(b, (0, cumulative))
        cumulative = c
        start = rnd.opens_at + step * b
        out.append(CompletionPoint(start.astimezone(timezone.utc), (start + step).astimezone(timezone.utc), n, c))
    return out


# -- top students ------------------------------------------------------------------------
@dataclass(frozen=True)
class TopStudent:
    rank: int
    user_id: int
    name: str
    username: str
    class_name: str
    school: str
    score: float
    max_score: float
    duration_ms: int
    submitted_at: datetime


def results_query(scope: Scope, counted: CTE | None = None, limit: int | None = None):
    """Counted results in scope with their rank, student, class and school, best first. With ``limit``
    the best rows are cut first (a top-N sort) and ranked afterwards: the rank of a row of a best-first
    prefix only depends on the rows before it, so it equals the rank among everybody. The class is the
    student's (``users.unit_id``), joined after the cut, so ``counted`` needs no ``class_id``."""
    counted = counted if counted is not None else counted_attempts(scope)
    source = counted
    if limit is not None:
        source = select(counted).order_by(*ranking_key(counted), counted.c.attempt_id).limit(limit).subquery("best")
    klass, school, area = aliased(Unit), aliased(Unit), aliased(Unit)
    rank = rank_column(source).label("rank")
    return (select(rank, source.c.user_id, User.full_name, User.username, klass.name.label("class_name"),
                   school.name.label("school"), area.name.label("area_name"), area.kind.label("area_kind"),
                   source.c.score, source.c.max_score, source.c.duration_ms, source.c.submitted_at,
                   source.c.number, source.c.attempt_id)
            .join(User, User.id == source.c.user_id).join(klass, klass.id == User.unit_id)
            .join(school, school.id == klass.parent_id).outerjoin(area, area.id == school.parent_id)
            .order_by(*ranking_key(source), User.full_name))


def top_students(session: Session, scope: Scope, counted: CTE | None = None, limit: int = TOP) -> list[TopStudent]:
    counted = counted if counted is not None else counted_attempts(scope, units=False)
    rows = session.execute(results_query(scope, counted, limit=limit)).all()
    return [TopStudent(r.rank, r.user_id, r.full_name, r.username, r.class_name, r.school, float(r.score),
                       float(r.max_score), int(r.duration_ms), r.submitted_at) for r in rows]
