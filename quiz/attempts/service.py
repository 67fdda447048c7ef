"""The attempt: start or resume, save answers, submit, and finish overdue attempts.

The server is the only clock and the only judge. Deadlines are stored at start:
``min(start + time limit, round close) + extension``. Saves are accepted until the
deadline plus a short network grace (``ATTEMPT_GRACE_SECONDS``, default 10 s); answers
saved in time always count. Writes lock the attempt row (``SELECT … FOR UPDATE`` on
PostgreSQL), so a submit racing an autosave yields one consistent final score.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, cast, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quiz.attempts import review, scoring
from quiz.attempts.standing import may_start_another
from quiz.contests.eligibility import get_student_round
from quiz.contests.paper import build_paper
from quiz.auth.identity import Identity
from quiz.errors import Conflict, NotAllowed, NotFound, NotLoggedIn, ValidationFailed
from quiz.models import Answer, Attempt, AttemptEvent, AttemptQuestion, Round, User

DEFAULT_GRACE_SECONDS = 10
EVENT_KINDS = {"blur", "hidden", "visible", "focus", "offline", "online"}


class AttemptClosed(Conflict):
    """The attempt no longer takes answers (submitted, or past its deadline)."""


@dataclass
class SaveResult:
    seq: int
    stale: bool  # a save with the same or a higher seq had already been stored; this one changed nothing


def _locked_attempt(session: Session, attempt_id: int, user: User) -> Attempt:
    stmt = select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user.id).with_for_update()
    attempt = session.scalar(stmt)
    if attempt is None:
        raise NotFound("attempt not found")
    return attempt


def get_own_attempt(session: Session, attempt_id: int, user: User) -> Attempt:
    attempt = session.scalar(select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user.id))
    if attempt is None:
        raise NotFound("attempt not found")
    return attempt


def latest_attempt(session: Session, rnd: Round, user: User) -> Attempt | None:
    return session.scalar(select(Attempt).where(Attempt.round_id == rnd.id, Attempt.user_id == user.id)
                          .order_by(Attempt.number.desc()).limit(1))


def compute_deadline(rnd: Round, started_at: datetime, extension_seconds: int = 0) -> datetime:
    return min(started_at + timedelta(minutes=rnd.time_limit_minutes), rnd.closes_at) + timedelta(
        seconds=extension_seconds)


def start_or_resume(session: Session, user: User, round_id: int, now: datetime, *, grace: int = DEFAULT_GRACE_SECONDS,
                    ip: str | None = None, user_agent: str | None = None) -> Attempt:
    """The student's attempt at this round: the running one, a new one, or the finished one.

    Exactly one attempt exists per student, round and attempt number (a unique
    constraint): when two start requests race, the loser reads the winner's attempt.
    """
    rnd = get_student_round(session, user, round_id)
    latest = latest_attempt(session, rnd, user)
    if latest is not None and latest.submitted_at is None:
        if now <= latest.deadline + timedelta(seconds=grace):
            return latest
        finish(session, latest, now, by="deadline")
    used = latest.number if latest is not None else 0
    # Not when they have seen the key of this round (its close moved later, more attempts allowed).
    key_seen = latest is not None and review.key_shown_at(session, rnd.id, user.id) is not None
    if not may_start_another(rnd, used, key_seen, now):
        if latest is not None:
            return latest
        if now < rnd.opens_at:
            raise AttemptClosed(str(_l("This round has not opened yet.")))
        raise AttemptClosed(str(_l("This round is closed.")))
    number = (latest.number + 1) if latest else 1
    paper = build_paper(session, rnd, user.id, number)
    points = rnd.contest.points_per_question
    attempt = Attempt(round=rnd, user_id=user.id, number=number, started_at=now,
                      deadline=compute_deadline(rnd, now), seed=rnd.seed, ip=ip, user_agent=(user_agent or "")[:255],
                      paper=[AttemptQuestion(position=i, question_id=item.question_id, revision_id=item.revision_id,
                                             option_order=item.option_order, points=points)
                             for i, item in enumerate(paper)])
    session.add(attempt)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        existing = session.scalar(select(Attempt).where(Attempt.round_id == round_id, Attempt.user_id == user.id,
                                                        Attempt.number == number))
        if existing is None:  # pragma: no cover - the constraint said it exists
            raise
        return existing
    return attempt


def _parse_options(raw: object) -> list[int]:
    if not isinstance(raw, list) or len(raw) > 8 or not all(isinstance(o, int) and not isinstance(o, bool) for o in raw):
        raise ValidationFailed(str(_l("“options” must be a list of option ids.")))
    if len(set(raw)) != len(raw):
        raise ValidationFailed(str(_l("An option is listed twice.")))
    return list(raw)


def save_answer(session: Session, identity: Identity, attempt_id: int, question_id: int, options: object,
                seq: object, now: datetime, *, grace: int = DEFAULT_GRACE_SECONDS, ip: str | None = None,
                user_agent: str | None = None) -> SaveResult:
    """Store the answer unless one with the same or a higher ``seq`` is already stored (then nothing changes and the
    save is answered stale): the first save of a ``seq`` wins, a retry of it changes nothing. Idempotent.

    The hot path of a contest, built once (``_save_statements``): a lookup that checks the session (token,
    active, no pending password change), locks the attempt (``FOR UPDATE OF attempts``: a submit racing this
    save waits, so every acknowledged answer is in the final score) and reads this question's paper item and
    type; then the UPSERT … RETURNING. On PostgreSQL both are one statement, run without a transaction around it
    (docs/performance.md, "Third pass")."""
    option_ids = _parse_options(options)
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2**31:
        raise ValidationFailed(str(_l("“seq” must be a whole number.")))
    bind = session.get_bind()
    dialect = bind.dialect.name
    statements = _save_statements(dialect)
    answer = {"attempt_id": attempt_id, "question_id": question_id, "option_ids": option_ids, "seq": seq,
              "saved_at": now, "ip": ip, "user_agent": (user_agent or "")[:255]}
    identity_params = {"user_id": identity.user_id, "token": identity.token}
    if dialect == "postgresql":  # lookup, lock and UPSERT in one statement; the checks below decide what it meant
        params = {**answer, **identity_params, "not_before": now - timedelta(seconds=grace)}
        if session.in_transaction():  # a caller's transaction (a CLI command, a test): the statement joins it
            locked = session.connection().execute(statements.combined, params).first()
        else:  # one statement needs no transaction around it: no BEGIN, no COMMIT, nor the session's bookkeeping;
            # it commits when it ends, holding its lock until then
            with bind.connect() as connection:
                locked = connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    statements.combined, params).first()
    else:
        connection = session.connection()
        locked = connection.execute(statements.lookup, {"attempt_id": attempt_id, "question_id": question_id,
                                                        **identity_params}).first()
    if locked is None:
        _refuse_identity(session, identity)
        raise NotFound("attempt not found")
    submitted_at, deadline, option_order, question_type = locked[:4]
    if submitted_at is not None:
        raise AttemptClosed(str(_l("This attempt has been submitted; answers can no longer be changed.")))
    if now > deadline + timedelta(seconds=grace):
        attempt = session.scalar(select(Attempt).where(Attempt.id == attempt_id).with_for_update())
        finish(session, attempt, now, by="deadline")
        raise AttemptClosed(str(_l("Time is up: this answer arrived after the deadline and was not saved.")))
    if option_order is None:
        raise ValidationFailed(str(_l("This question is not part of the attempt.")))
    if not set(option_ids) <= set(option_order):
        raise ValidationFailed(str(_l("These options do not belong to this question.")))
    if len(option_ids) > 1 and question_type != "multiple":
        raise ValidationFailed(str(_l("Only one option may be chosen for this question.")))
    if dialect == "postgresql":
        written = locked[4]  # the combined statement wrote exactly when these checks pass
    else:  # the row comes back only when this save was written (a stored equal or higher seq blocks the update)
        written = connection.execute(statements.upsert, answer).first()
    return SaveResult(seq=seq, stale=written is None)


def _refuse_identity(session: Session, identity: Identity) -> None:
    """The save's lookup found nothing: say why when it is the session, not the attempt (401, 403)."""
    users = User.__table__.c
    row = session.connection().execute(
        select(users.is_active, users.session_token, users.must_change_password)
        .where(users.id == identity.user_id)).first()
    if row is None or not row.is_active or row.session_token != identity.token:
        raise NotLoggedIn(str(_l("Please log in first.")))
    if row.must_change_password:
        raise NotAllowed(str(_l("You do not have permission to see this page.")))


_ANSWER_COLUMNS = ("attempt_id", "question_id", "option_ids", "seq", "saved_at", "ip", "user_agent")


@dataclass(frozen=True)
class _SaveStatements:
    lookup: Any  # session check, lock, paper item and type
    upsert: Any  # UPSERT … RETURNING seq
    combined: Any  # PostgreSQL: both in one statement (the lookup's row + the written seq or NULL)


_SAVE_STATEMENTS: dict[str, _SaveStatements] = {}


def _save_statements(dialect: str) -> _SaveStatements:
    """The autosave's statements, plain Core on the tables, built once per dialect with bound parameters (not
    once per save, and without the ORM's per-statement work).

    On PostgreSQL the lookup is a CTE locked ``FOR UPDATE OF attempts`` and the UPSERT a data-modifying CTE that
    inserts only when the same checks ``save_answer`` makes in Python pass (not submitted, deadline + grace not
    past, the question on the paper, the options among its options, one option unless multiple choice): one
    round trip per save. Python still makes every check and raises on failure, which rolls the request back."""
    built = _SAVE_STATEMENTS.get(dialect)
    if built is None:
        from quiz.models import QuestionRevision

        attempts, users = Attempt.__table__, User.__table__
        paper, revisions = AttemptQuestion.__table__, QuestionRevision.__table__
        lookup = (
            select(attempts.c.submitted_at, attempts.c.deadline, paper.c.option_order, revisions.c.type)
            .select_from(attempts)
            .join(users, (users.c.id == attempts.c.user_id) & (users.c.session_token == bindparam("token"))
                  & users.c.is_active.is_(True) & users.c.must_change_password.is_(False))
            .outerjoin(paper, (paper.c.attempt_id == attempts.c.id)
                       & (paper.c.question_id == bindparam("question_id")))
            .outerjoin(revisions, revisions.c.id == paper.c.revision_id)
            .where(attempts.c.id == bindparam("attempt_id"), attempts.c.user_id == bindparam("user_id"))
            .with_for_update(of=attempts))
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        columns = Answer.__table__.c
        base = insert(Answer.__table__).values({c: bindparam(c, type_=columns[c].type) for c in _ANSWER_COLUMNS})
        conflict = {"index_elements": [columns.attempt_id, columns.question_id],
                    "set_": {k: base.excluded[k] for k in ("option_ids", "seq", "saved_at", "ip", "user_agent")},
                    "where": columns.seq < base.excluded.seq}  # a lower or equal seq is stale (docs/api.md)
        upsert = base.on_conflict_do_update(**conflict).returning(columns.seq)
        combined = None
        if dialect == "postgresql":
            locked = lookup.cte("locked")
            values = {c: cast(bindparam(c, type_=columns[c].type), columns[c].type) for c in _ANSWER_COLUMNS}
            checked = (select(*values.values()).select_from(locked)
                       .where(locked.c.submitted_at.is_(None),
                              locked.c.deadline >= bindparam("not_before", type_=columns.saved_at.type),
                              locked.c.option_order.is_not(None),
                              locked.c.option_order.op("@>")(values["option_ids"]),
                              or_(func.jsonb_array_length(values["option_ids"]) <= 1, locked.c.type == "multiple")))
            into = pg_insert(Answer.__table__).from_select(list(_ANSWER_COLUMNS), checked)
            written = into.on_conflict_do_update(
                index_elements=conflict["index_elements"],
                set_={k: into.excluded[k] for k in ("option_ids", "seq", "saved_at", "ip", "user_agent")},
                where=columns.seq < into.excluded.seq).returning(columns.seq).cte("written")
            combined = select(locked.c.submitted_at, locked.c.deadline, locked.c.option_order, locked.c.type,
                              select(written.c.seq).scalar_subquery())
        built = _SAVE_STATEMENTS[dialect] = _SaveStatements(lookup, upsert, combined)
    return built


def finish(session: Session, attempt: Attempt, now: datetime, *, by: str) -> Attempt:
    """Score and close the attempt. Past the deadline, it counts as submitted at the deadline."""
    if attempt.submitted_at is not None:
        return attempt
    end = min(now, attempt.deadline)
    attempt.submitted_at = end
    attempt.finished_by = by
    attempt.duration_ms = max(0, int((end - attempt.started_at).total_seconds() * 1000))
    attempt.score, attempt.max_score = scoring.score(session, attempt)
    session.flush()
    from quiz.leaderboards.live import attempt_changed  # the Redis boards follow, after the commit of this request
    attempt_changed(session, attempt)
    return attempt


def submit(session: Session, user: User, attempt_id: int, now: datetime) -> Attempt:
    """Submit once; submitting again returns the same result."""
    attempt = _locked_attempt(session, attempt_id, user)
    return finish(session, attempt, now, by="student")


def set_prediction(session: Session, user: User, attempt_id: int, value: object, now: datetime,
                   *, grace: int = DEFAULT_GRACE_SECONDS) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**9:
        raise ValidationFailed(str(_l("The prediction must be a whole number.")))
    attempt = _locked_attempt(session, attempt_id, user)
    if attempt.submitted_at is not None or now > attempt.deadline + timedelta(seconds=grace):
        raise AttemptClosed(str(_l("This attempt has been submitted; answers can no longer be changed.")))
    if not attempt.round.prediction_question:
        raise ValidationFailed(str(_l("This round has no prediction question.")))
    attempt.prediction = value
    return value


def record_event(session: Session, user: User, attempt_id: int, kind: object, now: datetime) -> None:
    """Anti-cheat signal; never blocks the student."""
    if not isinstance(kind, str) or kind not in EVENT_KINDS:
        raise ValidationFailed(str(_l("Unknown event.")))
    attempt = get_own_attempt(session, attempt_id, user)
    if attempt.submitted_at is not None:
        return
    session.add(AttemptEvent(attempt_id=attempt.id, kind=str(kind), at=now))
    if kind in ("blur", "hidden"):
        attempt.focus_losses = (attempt.focus_losses or 0) + 1


def finish_overdue(session: Session, now: datetime, *, grace: int = DEFAULT_GRACE_SECONDS, batch: int = 500) -> int:
    """Score every attempt whose deadline (plus grace) has passed. Safe to run every minute, concurrently."""
    cutoff = now - timedelta(seconds=grace)
    stmt = (select(Attempt).where(Attempt.submitted_at.is_(None), Attempt.deadline < cutoff)
            .order_by(Attempt.id).limit(batch))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    done = 0
    for attempt in session.scalars(stmt).all():
        finish(session, attempt, now, by="deadline")
        done += 1
    return done
