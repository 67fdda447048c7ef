"""When a student may see the answer key of an attempt: the one rule, for every page and JSON that shows it.

The key is which options were right, the explanations, and the points earned per question (with two to four
options, a per-question right/wrong mark of a single-choice question is the key, so it goes with it). It is shown
only when all of these hold:

- the attempt is submitted;
- the contest's review policy has been reached: "right after submitting", or "after the round closes" and the
  round has closed ("never": never);
- the student can no longer answer this round: none of their attempts still takes answers (started, not
  submitted, deadline + grace not past; a started attempt counts as used), and they cannot start another one
  (every allowed attempt used, or the round no longer open).

So with several attempts and "right after submitting" (refused by the contest form since, but contests stored
before may have it) the key waits for the last attempt or the close. Until then the student sees their total
score only. Once the key has been shown, the attempt records it (``key_shown_at``) and the student never answers
this round again: no new attempt (``service.start_or_resume``), no reopening or extension (``contests.monitor``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.i18n import format_dt
from quiz.models import Attempt, ReviewPolicy

@dataclass(frozen=True)
class KeyDecision:
    allowed: bool
    reason: str = ""  # for the student: why not, and when it will be


def policy_reached(attempt: Attempt, now: datetime) -> bool:
    """Whether the contest's review policy alone lets this submitted attempt be reviewed now (staff reports,
    which show the key to teachers who know it anyway; a student's page needs ``key_decision``)."""
    if attempt.submitted_at is None:
        return False
    policy = attempt.round.contest.review_policy
    if policy is ReviewPolicy.AFTER_SUBMIT:
        return True
    if policy is ReviewPolicy.AFTER_CLOSE:
        return now >= attempt.round.closes_at  # closed or published (a draft contest has no attempts)
    return False


def key_decision(session: Session, attempt: Attempt, now: datetime, *, grace: int, lock: bool = False) -> KeyDecision:
    """May the owner of ``attempt`` see its key now? ``grace`` is the network grace after a deadline during which
    an attempt still takes answers (``ATTEMPT_GRACE_SECONDS``). ``lock`` (when the key is about to be served) locks the
    student's attempts of the round, so a reopen from the monitor cannot slip between this check and
    ``mark_key_shown``."""
    rnd, contest = attempt.round, attempt.round.contest
    if contest.review_policy is ReviewPolicy.NEVER:
        return KeyDecision(False, str(_l("This contest does not show the answers for review.")))
    if attempt.submitted_at is None:
        return KeyDecision(False, str(_l("The answers are not available for review yet.")))
    closes = format_dt(rnd.closes_at)
    if contest.review_policy is ReviewPolicy.AFTER_CLOSE and now < rnd.closes_at:
        return KeyDecision(False, str(_l("The answers are shown after the round closes at %(time)s.", time=closes)))
    stmt = select(Attempt).where(Attempt.round_id == rnd.id, Attempt.user_id == attempt.user_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    attempts = list(session.scalars(stmt))
    if attempt.submitted_at is None:  # reopened meanwhile (seen once the lock was granted)
        return KeyDecision(False, str(_l("The answers are not available for review yet.")))
    cutoff = now - timedelta(seconds=grace)
    running = [a for a in attempts if a.submitted_at is None and a.deadline >= cutoff]
    if running:
        return KeyDecision(False, str(_l(
            "You are still answering attempt %(n)d of this round. The answers are shown only when you can no "
            "longer answer this round.", n=running[0].number)))
    used = max((a.number for a in attempts), default=0)
    if used < contest.attempts_allowed and rnd.is_open(now):
        return KeyDecision(False, str(_l(
            "The answers are shown when you have used every attempt of this round, or after the round closes "
            "at %(time)s (attempts left: %(n)d).", time=closes, n=contest.attempts_allowed - used)))
    return KeyDecision(True)


def mark_key_shown(attempt: Attempt, now: datetime) -> None:
    """Record that the key of this attempt reached its owner (the first time counts)."""
    if attempt.key_shown_at is None:
        attempt.key_shown_at = now


def key_shown_at(session: Session, round_id: int, user_id: int) -> datetime | None:
    """When the student first saw the key of one of their attempts of this round (None: never)."""
    times = [t for t in session.scalars(select(Attempt.key_shown_at).where(
        Attempt.round_id == round_id, Attempt.user_id == user_id, Attempt.key_shown_at.is_not(None)))]
    return min(times) if times else None
