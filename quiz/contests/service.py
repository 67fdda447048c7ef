"""Creating and running contests and rounds (organisers' side)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import access, audit, clock
from quiz.banks.access import visible_banks_query
from quiz.contests import paper
from quiz.contests.eligibility import can_manage
from quiz.contests.joining import new_join_code
from quiz.errors import Conflict, NotAllowed, ValidationFailed
from quiz.models import (Attempt, BlueprintCell, Contest, ContestScope, ContestStatus, ContestUnit, PaperMode,
                         ReviewPolicy, Role, Round, RoundBank, RoundQuestion, ScoringRule, Unit, UnitKind, User)
from question_bank import Difficulty, Pillar


@dataclass
class ContestInput:
    title: str
    scope: ContestScope
    description: str = ""
    unit_ids: list[int] = field(default_factory=list)  # schools (province) or classes (school/class contests)
    grades: list[int] = field(default_factory=list)
    attempts_allowed: int = 1
    scoring_rule: ScoringRule = ScoringRule.BEST
    points_per_question: int = 1
    review_policy: ReviewPolicy = ReviewPolicy.AFTER_CLOSE
    results_public: bool = False
    leaderboard_public: bool = False
    leaderboard_initials: bool = False


@dataclass
class RoundInput:
    title: str
    opens_at: datetime | None
    closes_at: datetime | None
    time_limit_minutes: int | None
    paper_mode: PaperMode = PaperMode.DRAW
    question_ids: list[int] = field(default_factory=list)
    bank_ids: list[int] = field(default_factory=list)
    blueprint: dict[tuple[str, str], int] = field(default_factory=dict)
    shuffle_questions: bool = True
    shuffle_options: bool = True
    prediction_question: str | None = None
    prediction_answer: int | None = None
    freeze_minutes: int | None = None
    confirm_earlier_close: bool = False  # the organiser saw how many running attempts an earlier close cuts short


def allowed_scopes(user: User) -> list[ContestScope]:
    return {Role.ADMIN: [ContestScope.PROVINCE], Role.MANAGER: [ContestScope.SCHOOL, ContestScope.CLASS],
            Role.TEACHER: [ContestScope.CLASS]}.get(user.role, [])


def _organiser_unit(user: User, scope: ContestScope) -> Unit:
    return user.unit  # the Department for admins, the school for managers and teachers


def check_contest(session: Session, actor: User, data: ContestInput) -> list[Unit]:
    """The units a valid contest is for; ``ValidationFailed`` with every field's problem otherwise."""
    errors: dict[str, list[str]] = {}
    if data.scope not in allowed_scopes(actor):
        raise NotAllowed(str(_l("You cannot organise this kind of contest.")))
    if not data.title.strip():
        errors["title"] = [str(_l("Enter a title."))]
    if not 1 <= data.attempts_allowed <= 10:
        errors["attempts_allowed"] = [str(_l("Allow from 1 to 10 attempts."))]
    elif data.attempts_allowed > 1 and data.review_policy is ReviewPolicy.AFTER_SUBMIT:
        # The key would wait for the last attempt anyway (quiz/attempts/review.py): say so instead of a setting
        # that does not do what it says.
        errors["review_policy"] = [str(_l(
            "With several attempts per round the answers cannot be shown right after submitting: a student would "
            "copy them into the next attempt. Choose “After the round closes” or “Never”, or allow 1 attempt."))]
    if not 1 <= data.points_per_question <= 100:
        errors["points_per_question"] = [str(_l("Points per question must be from 1 to 100."))]
    if any(not 1 <= g <= 12 for g in data.grades):
        errors["grades"] = [str(_l("Grades are 1 to 12."))]
    units: list[Unit] = []
    if data.unit_ids:
        wanted_kind = UnitKind.SCHOOL if data.scope is ContestScope.PROVINCE else UnitKind.CLASS
        units = list(session.scalars(access.units_query(actor).where(Unit.id.in_(data.unit_ids),
                                                                     Unit.kind == wanted_kind)))
        if data.scope is ContestScope.CLASS and actor.role is Role.TEACHER:
            taught = {c.id for c in actor.classes}
            units = [u for u in units if u.id in taught]
        if len(units) != len(set(data.unit_ids)):
            errors["unit_ids"] = [str(_l("Choose only schools or classes you organise contests for."))]
    elif data.scope is ContestScope.CLASS:
        errors["unit_ids"] = [str(_l("Choose at least one class."))]
    if errors:
        raise ValidationFailed(str(_l("Please correct the marked fields.")), errors)
    return units


def create_contest(session: Session, actor: User, data: ContestInput, ip: str | None = None) -> Contest:
    units = check_contest(session, actor, data)
    contest = Contest(title=data.title.strip(), description=data.description.strip(), scope=data.scope,
                      organiser_unit=_organiser_unit(actor, data.scope), created_by_id=actor.id,
                      status=ContestStatus.DRAFT, grades=sorted(set(data.grades)), created_at=clock.now(),
                      join_code=new_join_code(session) if data.scope is ContestScope.CLASS else None)
    _apply(contest, data)
    contest.units = [ContestUnit(unit_id=u.id) for u in units]
    session.add(contest)
    session.flush()
    audit.record(session, actor, "contest.create", f"«{contest.title}»", target=contest, ip=ip)
    return contest


def _apply(contest: Contest, data: ContestInput) -> None:
    contest.attempts_allowed = data.attempts_allowed
    contest.scoring_rule = data.scoring_rule
    contest.points_per_question = data.points_per_question
    contest.review_policy = data.review_policy
    contest.results_public = data.results_public
    contest.leaderboard_public = data.leaderboard_public
    contest.leaderboard_initials = data.leaderboard_initials


def update_contest(session: Session, actor: User, contest: Contest, data: ContestInput, ip: str | None = None) -> Contest:
    if not can_manage(actor, contest):
        raise NotAllowed(str(_l("You cannot change this contest.")))
    data.scope = contest.scope
    units = check_contest(session, actor, data)
    started = has_attempts(session, contest)
    if started and (data.points_per_question != contest.points_per_question):
        raise Conflict(str(_l("Points cannot change once students have started.")))
    contest.title, contest.description = data.title.strip(), data.description.strip()
    contest.grades = sorted(set(data.grades))
    _apply(contest, data)
    contest.units = [ContestUnit(unit_id=u.id) for u in units]
    audit.record(session, actor, "contest.update", f"«{contest.title}»", target=contest, ip=ip)
    return contest


def has_attempts(session: Session, contest: Contest) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Attempt).join(Round)
                               .where(Round.contest_id == contest.id)))


def round_has_attempts(session: Session, rnd: Round) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Attempt).where(Attempt.round_id == rnd.id)))


def check_round(session: Session, actor: User, data: RoundInput) -> None:
    """``ValidationFailed`` with every field's problem, or nothing when the round can be saved."""
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [str(_l("Enter a title."))]
    if data.opens_at is None:
        errors["opens_at"] = [str(_l("Enter when the round opens."))]
    if data.closes_at is None:
        errors["closes_at"] = [str(_l("Enter when the round closes."))]
    elif data.opens_at is not None and data.closes_at <= data.opens_at:
        errors["closes_at"] = [str(_l("The round must close after it opens."))]
    if data.time_limit_minutes is None or not 1 <= data.time_limit_minutes <= 600:
        errors["time_limit_minutes"] = [str(_l("The time limit must be from 1 to 600 minutes."))]
    if data.freeze_minutes is not None and not 0 <= data.freeze_minutes <= 600:
        errors["freeze_minutes"] = [str(_l("Freeze from 0 to 600 minutes before the close."))]
    visible = {b.id for b in session.scalars(visible_banks_query(actor))}
    if data.paper_mode is PaperMode.FIXED:
        errors.update(paper.fixed_problems(session, data.question_ids, visible))
    else:
        cells = {}
        for (p, d), n in data.blueprint.items():
            if n < 0 or Pillar.parse(p) is None or Difficulty.parse(d) is None:
                errors["blueprint"] = [str(_l("The blueprint has an invalid cell."))]
            elif n:
                cells[(p, d)] = n
        data.blueprint = cells
        if not set(data.bank_ids) <= visible:
            errors["bank_ids"] = [str(_l("Choose only banks you can use."))]
        else:
            errors.update(paper.blueprint_problems(session, data.bank_ids, cells))
    if errors:
        raise ValidationFailed(str(_l("Please correct the marked fields.")), errors)


def _fill_round(rnd: Round, data: RoundInput) -> None:
    rnd.title = data.title.strip()
    rnd.opens_at, rnd.closes_at = data.opens_at, data.closes_at
    rnd.time_limit_minutes = data.time_limit_minutes
    rnd.paper_mode = data.paper_mode
    rnd.shuffle_questions, rnd.shuffle_options = data.shuffle_questions, data.shuffle_options
    rnd.prediction_question = (data.prediction_question or "").strip() or None
    rnd.freeze_minutes = data.freeze_minutes
    rnd.fixed_questions = [RoundQuestion(position=i, question_id=q) for i, q in enumerate(data.question_ids)] \
        if data.paper_mode is PaperMode.FIXED else []
    rnd.banks = [RoundBank(bank_id=b) for b in sorted(set(data.bank_ids))] if data.paper_mode is PaperMode.DRAW else []
    rnd.blueprint = [BlueprintCell(pillar=p, difficulty=d, count=n) for (p, d), n in sorted(data.blueprint.items())] \
        if data.paper_mode is PaperMode.DRAW else []


def add_round(session: Session, actor: User, contest: Contest, data: RoundInput, ip: str | None = None) -> Round:
    if not can_manage(actor, contest):
        raise NotAllowed(str(_l("You cannot change this contest.")))
    if contest.status is ContestStatus.PUBLISHED:
        raise Conflict(str(_l("The results of this contest are published; it can no longer change.")))
    check_round(session, actor, data)
    number = (max((r.number for r in contest.rounds), default=0)) + 1
    rnd = Round(contest=contest, number=number, seed=secrets.randbelow(2**31), created_at=clock.now(),
                title="", opens_at=data.opens_at, closes_at=data.closes_at, time_limit_minutes=1,
                paper_mode=data.paper_mode)
    _fill_round(rnd, data)
    session.add(rnd)
    session.flush()
    audit.record(session, actor, "round.create", f"«{contest.title}» — {rnd.title}", target=rnd, ip=ip)
    return rnd


def running_attempts(session: Session, rnd: Round, now: datetime) -> list[Attempt]:
    """The attempts of the round still running at ``now`` (not submitted, deadline not passed), locked."""
    return list(session.scalars(select(Attempt).where(Attempt.round_id == rnd.id, Attempt.submitted_at.is_(None),
                                                      Attempt.deadline >= now)
                                .order_by(Attempt.id).with_for_update()))


def _move_close(session: Session, rnd: Round, closes_at: datetime, now: datetime, confirmed: bool) -> None:
    """Move the close; the running attempts' stored deadlines follow the rule of ``compute_deadline``
    (start + time limit, never after the close, plus any extension), so an earlier close ends them
    earlier — but never before ``now`` — and a later one gives back time the old close took. Cutting
    attempts short needs ``confirmed``: otherwise ``ValidationFailed`` says how many and until when."""
    from quiz.attempts.service import compute_deadline

    if closes_at == rnd.closes_at:
        return
    running = running_attempts(session, rnd, now)
    old_close, rnd.closes_at = rnd.closes_at, closes_at
    moved = [(a, max(now, compute_deadline(rnd, a.started_at, a.extension_seconds))) for a in running]
    cut = [(a, d) for a, d in moved if d < a.deadline]
    if cut and not confirmed:
        rnd.closes_at = old_close
        from quiz.i18n import format_dt

        ends = sorted({d for _, d in cut})
        if len(ends) == 1:
            warning = str(_l("%(n)d students are taking this round now; their attempts will end at %(time)s. Tick "
                             "the box to confirm the earlier close.", n=len(cut), time=format_dt(ends[0])))
        else:
            warning = str(_l("%(n)d students are taking this round now; their attempts will end between %(first)s "
                             "and %(last)s (some have extra time). Tick the box to confirm the earlier close.",
                             n=len(cut), first=format_dt(ends[0]), last=format_dt(ends[-1])))
        raise ValidationFailed(warning, {"confirm_earlier_close": [warning]})
    for attempt, deadline in moved:
        attempt.deadline = deadline


def update_round(session: Session, actor: User, rnd: Round, data: RoundInput, ip: str | None = None,
                 now: datetime | None = None) -> Round:
    contest = rnd.contest
    if not can_manage(actor, contest):
        raise NotAllowed(str(_l("You cannot change this contest.")))
    if round_has_attempts(session, rnd):
        # Papers are frozen once students started; only the window, the prediction answer and freezing may change.
        errors: dict[str, list[str]] = {}
        if data.closes_at is None or data.closes_at <= rnd.opens_at:
            errors["closes_at"] = [str(_l("The round must close after it opens."))]
        if errors:
            raise ValidationFailed(str(_l("Please correct the marked fields.")), errors)
        _move_close(session, rnd, data.closes_at, now or clock.now(), data.confirm_earlier_close)
        rnd.prediction_answer = data.prediction_answer
        rnd.freeze_minutes = data.freeze_minutes
        rnd.title = data.title.strip() or rnd.title
    else:
        check_round(session, actor, data)
        _fill_round(rnd, data)
        rnd.prediction_answer = data.prediction_answer
    audit.record(session, actor, "round.update", f"«{contest.title}» — {rnd.title}", target=rnd, ip=ip)
    return rnd


def schedule(session: Session, actor: User, contest: Contest, ip: str | None = None) -> None:
    """Draft → scheduled: students see it and its rounds open by their windows."""
    if not can_manage(actor, contest):
        raise NotAllowed(str(_l("You cannot change this contest.")))
    if contest.status is not ContestStatus.DRAFT:
        raise Conflict(str(_l("Only a draft contest can be scheduled.")))
    if not contest.rounds:
        raise ValidationFailed(str(_l("Add at least one round before scheduling the contest.")))
    contest.status = ContestStatus.SCHEDULED
    audit.record(session, actor, "contest.schedule", f"«{contest.title}»", target=contest, ip=ip)


def unschedule(session: Session, actor: User, contest: Contest, ip: str | None = None) -> None:
    if not can_manage(actor, contest):
        raise NotAllowed(str(_l("You cannot change this contest.")))
    if contest.status is not ContestStatus.SCHEDULED or has_attempts(session, contest):
        raise Conflict(str(_l("Only a scheduled contest that nobody has started can go back to draft.")))
    contest.status = ContestStatus.DRAFT
    audit.record(session, actor, "contest.unschedule", f"«{contest.title}»", target=contest, ip=ip)


def publish_results(session: Session, actor: User, contest: Contest, ip: str | None = None) -> None:
    if not can_manage(actor, contest):
        raise NotAllowed(str(_l("You cannot change this contest.")))
    now = clock.now()
    if contest.status is not ContestStatus.SCHEDULED or any(now < r.closes_at for r in contest.rounds):
        raise Conflict(str(_l("Results can be published once every round has closed.")))
    missing = [r.title for r in contest.rounds if r.prediction_question and r.prediction_answer is None]
    if missing:
        raise ValidationFailed(str(_l("Enter the true answer of the prediction question of: %(rounds)s.",
                                      rounds=", ".join(missing))))
    from quiz.attempts.service import finish

    unfinished = select(Attempt).join(Round).where(Round.contest_id == contest.id, Attempt.submitted_at.is_(None))
    for attempt in session.scalars(unfinished).all():  # every round has closed: score what is left
        finish(session, attempt, now, by="deadline")
    contest.status = ContestStatus.PUBLISHED
    for rnd in contest.rounds:
        rnd.results_published_at = rnd.results_published_at or now
    _prepare_reports(session, contest.rounds, now)
    audit.record(session, actor, "contest.publish", f"«{contest.title}»", target=contest, ip=ip)


def _prepare_reports(session: Session, rounds, now) -> None:
    """Store each round's item statistics now, so the first report after publication is fast."""
    from quiz.reports.summary import prepare_round

    session.flush()
    for rnd in rounds:
        prepare_round(session, rnd, now)


def publish_round_results(session: Session, actor: User, rnd: Round, ip: str | None = None) -> None:
    """Publish one closed round's results (weekly rounds announce their winners week by week)."""
    contest = rnd.contest
    if not can_manage(actor, contest):
        raise NotAllowed(str(_l("You cannot change this contest.")))
    now = clock.now()
    if contest.status is ContestStatus.DRAFT or now < rnd.closes_at:
        raise Conflict(str(_l("Results can be published once the round has closed.")))
    if rnd.prediction_question and rnd.prediction_answer is None:
        raise ValidationFailed(str(_l("Enter the true answer of the prediction question of: %(rounds)s.",
                                      rounds=rnd.title)))
    from quiz.attempts.service import finish

    for attempt in session.scalars(select(Attempt).where(Attempt.round_id == rnd.id,
                                                         Attempt.submitted_at.is_(None))).all():
        finish(session, attempt, now, by="deadline")
    rnd.results_published_at = rnd.results_published_at or now
    _prepare_reports(session, [rnd], now)
    audit.record(session, actor, "round.publish", f"«{contest.title}» — {rnd.title}", target=rnd, ip=ip)


def new_code(session: Session, actor: User, contest: Contest, ip: str | None = None) -> str:
    if not can_manage(actor, contest) or contest.scope is not ContestScope.CLASS:
        raise NotAllowed(str(_l("You cannot change this contest.")))
    contest.join_code = new_join_code(session)
    audit.record(session, actor, "contest.join_code", f"«{contest.title}»", target=contest, ip=ip)
    return contest.join_code
