"""The live monitor of a round, per-student time extensions and reopening, and cheating signals."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import access, audit
# modules, not names: quiz.attempts.service imports quiz.contests (eligibility, paper), whose package imports this
from quiz.attempts import review as key_rule
from quiz.attempts import service as attempt_service
from quiz.contests import monitor_query
from quiz.contests.monitor_query import FAST_SECONDS_PER_QUESTION, FOCUS_LOSS_FLAG, MonitorFilter
from quiz.contests.eligibility import can_manage, student_may_take
from quiz.errors import Conflict, NotFound, ValidationFailed
from quiz.i18n import format_dt
from quiz.models import Answer, Attempt, ContestEntrant, ContestScope, Role, Round, Unit, UnitKind, User


@dataclass
class Monitor:
    """What the monitor shows: totals, counts per school or per class, and one page of students."""
    rnd: Round
    flt: MonitorFilter
    counts: dict[str, int]
    group_by: str  # "school" | "class"
    groups: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    total: int  # students matching the table's filters

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.flt.per_page))


def may_see_student(session: Session, viewer: User, rnd: Round, student: User) -> bool:
    """Whether ``student`` is a row of the viewer's monitor of ``rnd``."""
    if student.role is not Role.STUDENT or not student_may_take(session, student, rnd.contest):
        return False
    if session.scalar(access.users_query(viewer).where(User.id == student.id)) is not None:
        return True
    contest = rnd.contest
    return (contest.scope is ContestScope.CLASS and can_manage(viewer, contest)
            and session.get(ContestEntrant, (contest.id, student.id)) is not None)


@dataclass
class UnitChoices:
    """The areas, schools and classes the viewer may narrow the monitor to."""
    areas: list[Unit] = field(default_factory=list)
    schools: list[Unit] = field(default_factory=list)
    classes: list[Unit] = field(default_factory=list)


def unit_choices(session: Session, viewer: User, rnd: Round, area: Unit | None = None,
                 school: Unit | None = None) -> UnitChoices:
    """Areas and schools for the Department's monitor of a province round (schools of the chosen area); the
    classes of the chosen school, or of the viewer's own school (a teacher: the classes they teach)."""
    contest = rnd.contest
    out = UnitChoices()
    province_admin = viewer.role is Role.ADMIN and contest.scope is ContestScope.PROVINCE
    if province_admin:
        stmt = access.units_query(viewer).where(Unit.kind == UnitKind.SCHOOL).order_by(Unit.name)
        chosen = [cu.unit_id for cu in contest.units]
        if chosen:
            stmt = stmt.where(Unit.id.in_(chosen))
        every_school = list(session.scalars(stmt))
        area_ids = {s.parent_id for s in every_school}
        out.areas = list(session.scalars(access.units_query(viewer).where(
            Unit.kind == UnitKind.AREA, Unit.id.in_(area_ids)).order_by(Unit.name))) if area_ids else []
        out.schools = [s for s in every_school if area is None or s.path.startswith(area.path)]
    if school is not None or not province_admin:
        stmt = access.units_query(viewer).where(Unit.kind == UnitKind.CLASS)
        if school is not None:
            stmt = stmt.where(Unit.parent_id == school.id)
        out.classes = list(session.scalars(stmt.order_by(func.coalesce(Unit.grade, 0), Unit.name)))
    return out


def monitor(session: Session, viewer: User, rnd: Round, now: datetime, flt: MonitorFilter | None = None) -> Monitor:
    """Counts (SQL GROUP BY) and one page of the students the viewer may see, narrowed by ``flt``."""
    flt = flt or MonitorFilter()
    province_admin = viewer.role is Role.ADMIN and rnd.contest.scope is ContestScope.PROVINCE
    by = "school" if province_admin and flt.school is None and flt.klass is None else "class"
    groups = monitor_query.group_counts(session, viewer, rnd, flt, by)
    counts = monitor_query.totals(groups)
    if flt.state or flt.q:
        total = monitor_query.table_total(session, viewer, rnd, flt)
    else:
        total = counts["total"]
    flt.page = min(flt.page, max(1, -(-total // flt.per_page)))
    rows = monitor_query.page_rows(session, viewer, rnd, flt)
    flags = page_flags(session, viewer, rnd, rows)
    for row in rows:
        row["flags"] = flags.get(row["attempt_id"], []) if row["attempt_id"] else []
    return Monitor(rnd, flt, counts, by, groups, rows, total)


def page_flags(session: Session, viewer: User, rnd: Round, rows: list[dict[str, Any]]) -> dict[int, list[str]]:
    """Signals for the teacher on the visible page, never blocking: many tab switches, implausibly fast,
    identical answers to a classmate's (compared with every classmate the viewer may see)."""
    out: dict[int, list[str]] = defaultdict(list)
    mine = [r for r in rows if r["attempt_id"]]
    if not mine:
        return out
    points = max(1, rnd.contest.points_per_question or 1)
    for r in mine:
        if (r["focus_losses"] or 0) >= FOCUS_LOSS_FLAG:
            out[r["attempt_id"]].append(str(_l("left the page %(n)d times", n=r["focus_losses"])))
        n = int(r["max_score"] or 0) // points  # questions of the paper (same rule as monitor_query.flagged)
        ms = r["duration_ms"]
        if r["submitted_at"] and ms is not None and n and ms < n * FAST_SECONDS_PER_QUESTION * 1000:
            out[r["attempt_id"]].append(str(_l("implausibly fast (%(s)d s for %(n)d questions)", s=ms // 1000, n=n)))
    mates = monitor_query.classmates_answers(session, viewer, rnd, {r["class_id"] for r in mine})
    by_id = {m["attempt_id"]: m for m in mates}
    answers: dict[int, list[tuple[int, tuple[int, ...]]]] = defaultdict(list)
    for attempt_id, qid, opts in session.execute(
            select(Answer.attempt_id, Answer.question_id, Answer.option_ids).where(Answer.attempt_id.in_(by_id))):
        answers[attempt_id].append((qid, tuple(sorted(opts or []))))
    groups: dict[tuple, list[int]] = defaultdict(list)
    for attempt_id, pairs in answers.items():
        if len(pairs) >= 5:
            groups[(by_id[attempt_id]["class_id"], tuple(sorted(pairs)))].append(attempt_id)
    visible = {r["attempt_id"] for r in mine}
    for same in groups.values():
        if len(same) > 1:
            for a in same:
                if a not in visible:
                    continue
                others = [by_id[k]["name"] for k in same if k != a]
                shown = ", ".join(others[:3]) + (f" (+{len(others) - 3})" if len(others) > 3 else "")
                out[a].append(str(_l("identical answers to %(names)s", names=shown)))
    return out


def _managed_attempt(session: Session, actor: User, rnd: Round, student_id: int) -> Attempt:
    """The student's latest attempt. Only the contest's organisers may change attempts (a school's staff
    watch their pupils in a province contest but may not give them more time); others get a 404."""
    if not can_manage(actor, rnd.contest):
        raise NotFound("contest not found")
    student = session.get(User, student_id)
    if student is None or not may_see_student(session, actor, rnd, student):
        raise NotFound("student not found")
    attempt = session.scalar(select(Attempt).where(Attempt.round_id == rnd.id, Attempt.user_id == student.id)
                             .order_by(Attempt.number.desc()).limit(1).with_for_update())
    if attempt is None:
        raise Conflict(str(_l("This student has not started the round.")))
    return attempt


def _key_seen(session: Session, rnd: Round, attempt: Attempt) -> str | None:
    """When the student saw the answer key of this round (quiz/attempts/review.py), as shown; from then on they
    may not answer it again."""
    seen = key_rule.key_shown_at(session, rnd.id, attempt.user_id)
    return format_dt(seen) if seen is not None else None


class AfterClose(Conflict):
    """The extension would let the student answer after the round closes; the organiser must say so
    (``after_close=True``). ``details``: name, deadline and closes_at, as shown."""


def extend(session: Session, actor: User, rnd: Round, student_id: int, minutes: int, now: datetime,
           ip: str | None = None, *, after_close: bool = False) -> Attempt:
    """Give one student extra minutes. Beyond the round's close only when ``after_close`` confirms it
    (``AfterClose`` otherwise): the student then answers while the round is closed to everyone else."""
    if not 1 <= minutes <= 240:
        raise ValidationFailed(str(_l("Extend by 1 to 240 minutes.")))
    attempt = _managed_attempt(session, actor, rnd, student_id)
    if attempt.submitted_at is not None:
        raise Conflict(str(_l("This attempt is finished; reopen it instead.")))
    seen = _key_seen(session, rnd, attempt)
    if seen:
        raise Conflict(str(_l("%(name)s saw the answer key of this round at %(time)s: more time would let them "
                              "answer with it.", name=attempt.user.full_name, time=seen)))
    deadline = attempt_service.compute_deadline(rnd, attempt.started_at, attempt.extension_seconds + minutes * 60)
    if deadline > rnd.closes_at and not after_close:
        raise AfterClose(str(_l("%(name)s would have until %(deadline)s, after the round closes at %(close)s: they "
                                "would answer while the round is closed to everyone else.",
                                name=attempt.user.full_name, deadline=format_dt(deadline),
                                close=format_dt(rnd.closes_at))),
                         name=attempt.user.full_name, deadline=format_dt(deadline), closes_at=format_dt(rnd.closes_at))
    attempt.extension_seconds += minutes * 60
    attempt.deadline = deadline
    from quiz.leaderboards.live import attempt_changed  # keep the Redis boards in step
    attempt_changed(session, attempt)
    audit.record(session, actor, "attempt.extend", f"{attempt.user.full_name} — {rnd.title}: +{minutes} phút",
                 target=attempt, details={"minutes": minutes, "deadline": attempt.deadline.isoformat(),
                                          "after_close": deadline > rnd.closes_at}, ip=ip)
    return attempt


def reopen(session: Session, actor: User, rnd: Round, student_id: int, minutes: int, now: datetime,
           ip: str | None = None) -> Attempt:
    """Let one student continue a finished attempt for ``minutes`` from now (answers are kept)."""
    if not 1 <= minutes <= 240:
        raise ValidationFailed(str(_l("Reopen for 1 to 240 minutes.")))
    attempt = _managed_attempt(session, actor, rnd, student_id)
    if attempt.submitted_at is None:
        raise Conflict(str(_l("This attempt is still running; extend it instead.")))
    seen = _key_seen(session, rnd, attempt)
    if seen:
        raise Conflict(str(_l("%(name)s saw the answer key of this round at %(time)s: reopening the attempt would "
                              "let them answer with it.", name=attempt.user.full_name, time=seen)))
    base = attempt_service.compute_deadline(rnd, attempt.started_at, 0)
    attempt.extension_seconds = max(0, int((now + timedelta(minutes=minutes) - base).total_seconds()))
    attempt.deadline = attempt_service.compute_deadline(rnd, attempt.started_at, attempt.extension_seconds)
    attempt.submitted_at = None
    attempt.finished_by = "reopened"
    attempt.score = attempt.max_score = attempt.duration_ms = None
    from quiz.leaderboards.live import attempt_changed  # the reopened result leaves the boards until finished again
    attempt_changed(session, attempt)
    audit.record(session, actor, "attempt.reopen", f"{attempt.user.full_name} — {rnd.title}: {minutes} phút",
                 target=attempt, details={"minutes": minutes, "deadline": attempt.deadline.isoformat()}, ip=ip)
    return attempt
