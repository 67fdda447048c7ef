"""The live monitor of a round, per-student time extensions and reopening, and cheating signals."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from quiz import access, audit
from quiz.attempts.service import compute_deadline
from quiz.contests.eligibility import can_manage, student_may_take
from quiz.errors import Conflict, NotFound, ValidationFailed
from quiz.models import (Answer, Attempt, AttemptQuestion, ContestEntrant, ContestScope, Role, Round, Unit, UnitKind,
                         User)

FOCUS_LOSS_FLAG = 5  # tab switches before an attempt is flagged
FAST_SECONDS_PER_QUESTION = 3  # faster than this on average is implausible


@dataclass
class StudentRow:
    user: User
    attempt: Attempt | None
    state: str  # not_started | in_progress | submitted
    flags: list[str] = field(default_factory=list)


@dataclass
class Monitor:
    rnd: Round
    rows: list[StudentRow]
    counts: dict[str, int]


def _students_for(session: Session, viewer: User, rnd: Round, school: Unit | None = None) -> list[User]:
    """Students who may take this round and whom the viewer may see (their school/classes; only ``school``'s
    when given), by school, class and name. The organiser of a class contest also sees the pupils who joined
    it with the code."""
    contest = rnd.contest
    stmt = (access.users_query(viewer).where(User.role == Role.STUDENT, User.is_active.is_(True))
            .options(selectinload(User.unit).selectinload(Unit.parent)))
    if school is not None:
        stmt = stmt.where(Unit.path.startswith(school.path))
    candidates = list(session.scalars(stmt))
    if contest.scope is ContestScope.CLASS and can_manage(viewer, contest) and school is None:
        seen = {u.id for u in candidates}
        candidates += [u for u in session.scalars(
            select(User).join(ContestEntrant, ContestEntrant.user_id == User.id)
            .where(ContestEntrant.contest_id == contest.id, User.is_active.is_(True))) if u.id not in seen]
    students = [u for u in candidates if student_may_take(session, u, contest)]

    def order(u: User):
        klass = u.unit
        return (klass.parent.name if klass.parent else "", klass.grade or 0, klass.name, u.full_name, u.id)

    return sorted(students, key=order)


def may_see_student(session: Session, viewer: User, rnd: Round, student: User) -> bool:
    """Whether ``student`` is a row of the viewer's monitor of ``rnd``."""
    if student.role is not Role.STUDENT or not student_may_take(session, student, rnd.contest):
        return False
    if session.scalar(access.users_query(viewer).where(User.id == student.id)) is not None:
        return True
    contest = rnd.contest
    return (contest.scope is ContestScope.CLASS and can_manage(viewer, contest)
            and session.get(ContestEntrant, (contest.id, student.id)) is not None)


def monitor_schools(session: Session, viewer: User, rnd: Round) -> list[Unit]:
    """The schools an administrator may narrow the monitor of a province round to (empty for school staff)."""
    contest = rnd.contest
    if viewer.role is not Role.ADMIN or contest.scope is not ContestScope.PROVINCE:
        return []
    stmt = access.units_query(viewer).where(Unit.kind == UnitKind.SCHOOL).order_by(Unit.name)
    chosen = [cu.unit_id for cu in contest.units]
    if chosen:
        stmt = stmt.where(Unit.id.in_(chosen))
    return list(session.scalars(stmt))


def monitor(session: Session, viewer: User, rnd: Round, now: datetime, school: Unit | None = None) -> Monitor:
    """The students of the round the viewer may see (only ``school``'s when given: province rounds are big)."""
    students = _students_for(session, viewer, rnd, school)
    ids = [s.id for s in students]
    attempts: dict[int, Attempt] = {}
    for a in session.scalars(select(Attempt).where(Attempt.round_id == rnd.id, Attempt.user_id.in_(ids))
                             .order_by(Attempt.number)):
        attempts[a.user_id] = a  # the latest attempt wins
    flags = cheating_flags(session, rnd, list(attempts.values()))
    rows = []
    counts = {"not_started": 0, "in_progress": 0, "submitted": 0}
    for s in students:
        a = attempts.get(s.id)
        state = "not_started" if a is None else ("submitted" if a.submitted_at else "in_progress")
        counts[state] += 1
        rows.append(StudentRow(s, a, state, flags.get(a.id, []) if a else []))
    return Monitor(rnd, rows, counts)


def cheating_flags(session: Session, rnd: Round, attempts: list[Attempt]) -> dict[int, list[str]]:
    """Signals for the teacher, never blocking: many tab switches, implausibly fast, identical answers in a class."""
    out: dict[int, list[str]] = defaultdict(list)
    sizes = dict(session.execute(select(AttemptQuestion.attempt_id, func.count()).where(
        AttemptQuestion.attempt_id.in_([a.id for a in attempts])).group_by(AttemptQuestion.attempt_id)).all())
    for a in attempts:
        if (a.focus_losses or 0) >= FOCUS_LOSS_FLAG:
            out[a.id].append(str(_l("left the page %(n)d times", n=a.focus_losses)))
        n = sizes.get(a.id, 0)
        if a.submitted_at and a.duration_ms is not None and n and a.duration_ms < n * FAST_SECONDS_PER_QUESTION * 1000:
            out[a.id].append(str(_l("implausibly fast (%(s)d s for %(n)d questions)", s=a.duration_ms // 1000, n=n)))
    by_id = {a.id: a for a in attempts}
    answers: dict[int, list[tuple[int, tuple[int, ...]]]] = defaultdict(list)
    for attempt_id, qid, opts in session.execute(
            select(Answer.attempt_id, Answer.question_id, Answer.option_ids).where(Answer.attempt_id.in_(by_id))):
        answers[attempt_id].append((qid, tuple(sorted(opts or []))))
    groups: dict[tuple, list[int]] = defaultdict(list)
    for attempt_id, pairs in answers.items():
        if len(pairs) >= 5:
            klass = by_id[attempt_id].user.unit_id
            groups[(klass, tuple(sorted(pairs)))].append(attempt_id)
    for (_klass, _pairs), same in groups.items():
        if len(same) > 1:
            names = {a: by_id[a].user.full_name for a in same}
            for a in same:
                others = [n for k, n in names.items() if k != a]
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


def extend(session: Session, actor: User, rnd: Round, student_id: int, minutes: int, now: datetime,
           ip: str | None = None) -> Attempt:
    """Give one student extra minutes (beyond the round's close, if need be)."""
    if not 1 <= minutes <= 240:
        raise ValidationFailed(str(_l("Extend by 1 to 240 minutes.")))
    attempt = _managed_attempt(session, actor, rnd, student_id)
    if attempt.submitted_at is not None:
        raise Conflict(str(_l("This attempt is finished; reopen it instead.")))
    attempt.extension_seconds += minutes * 60
    attempt.deadline = compute_deadline(rnd, attempt.started_at, attempt.extension_seconds)
    from quiz.leaderboards.live import attempt_changed  # keep the Redis boards in step
    attempt_changed(session, attempt)
    audit.record(session, actor, "attempt.extend", f"{attempt.user.full_name} — {rnd.title}: +{minutes} phút",
                 target=attempt, details={"minutes": minutes, "deadline": attempt.deadline.isoformat()}, ip=ip)
    return attempt


def reopen(session: Session, actor: User, rnd: Round, student_id: int, minutes: int, now: datetime,
           ip: str | None = None) -> Attempt:
    """Let one student continue a finished attempt for ``minutes`` from now (answers are kept)."""
    if not 1 <= minutes <= 240:
        raise ValidationFailed(str(_l("Reopen for 1 to 240 minutes.")))
    attempt = _managed_attempt(session, actor, rnd, student_id)
    if attempt.submitted_at is None:
        raise Conflict(str(_l("This attempt is still running; extend it instead.")))
    base = compute_deadline(rnd, attempt.started_at, 0)
    attempt.extension_seconds = max(0, int((now + timedelta(minutes=minutes) - base).total_seconds()))
    attempt.deadline = compute_deadline(rnd, attempt.started_at, attempt.extension_seconds)
    attempt.submitted_at = None
    attempt.finished_by = "reopened"
    attempt.score = attempt.max_score = attempt.duration_ms = None
    from quiz.leaderboards.live import attempt_changed  # the reopened result leaves the boards until finished again
    attempt_changed(session, attempt)
    audit.record(session, actor, "attempt.reopen", f"{attempt.user.full_name} — {rnd.title}: {minutes} phút",
                 target=attempt, details={"minutes": minutes, "deadline": attempt.deadline.isoformat()}, ip=ip)
    return attempt
