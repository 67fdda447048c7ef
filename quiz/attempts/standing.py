"""Where a pupil stands in each round they may take: the attempts used and left, the one running, and whether
they may start another now — for the home page, My contests, the start screen and ``service.start_or_resume``.

Which rounds: ``contests.eligibility.student_rounds`` (the one eligibility rule). When another attempt may be
started: ``may_start_another`` (the one start rule). Times left are counted here, on the server's clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.contests.eligibility import RoundState, round_state, student_rounds
from quiz.i18n import format_dt
from quiz.models import Attempt, Round, User


def may_start_another(rnd: Round, used: int, key_seen: bool, now: datetime) -> bool:
    """A new attempt may start: the round is open, an allowed attempt is left, and the pupil has not seen the
    key of this round (``review.py``). ``used``: attempts started so far (a running one counts)."""
    return rnd.is_open(now) and used < rnd.contest.attempts_allowed and not key_seen


@dataclass
class Standing:
    round: Round
    state: RoundState
    attempts: list[Attempt]  # this pupil's, oldest first
    running: Attempt | None  # still takes answers (deadline + grace not past)
    can_start: bool
    now: datetime

    @property
    def latest(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def submitted(self) -> Attempt | None:
        """The latest attempt that is finished (submitted, or its time is over)."""
        done = [a for a in self.attempts if a is not self.running]
        return done[-1] if done else None

    @property
    def attempts_allowed(self) -> int:
        return self.round.contest.attempts_allowed

    @property
    def attempts_left(self) -> int:
        if self.running is None and not self.can_start:
            return 0
        return max(0, self.attempts_allowed - len(self.attempts))

    @property
    def round_closes_in(self) -> str:
        return time_left_text(self.round.closes_at - self.now)

    @property
    def attempt_ends_in(self) -> str:
        return time_left_text(self.running.deadline - self.now) if self.running is not None else ""

    @property
    def why_not(self) -> str:
        """Why there is no start button (empty when there is one, or an attempt is running)."""
        if self.can_start or self.running is not None:
            return ""
        if self.state is RoundState.UPCOMING:
            return str(_l("This round opens at %(time)s.", time=format_dt(self.round.opens_at)))
        if self.state not in (RoundState.OPEN,):
            return str(_l("This round closed at %(time)s.", time=format_dt(self.round.closes_at)))
        if len(self.attempts) >= self.attempts_allowed:
            return str(_l("You have used every attempt of this round (%(n)d of %(n)d).", n=self.attempts_allowed))
        return str(_l("You have seen the answers of this round, so you cannot take it again."))


def time_left_text(left: timedelta) -> str:
    """"2 days 3 h", "1 h 5 min", "12 min", "under a minute": what is left, counted by the server."""
    seconds = max(0, int(left.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return str(_l("%(d)d days %(h)d h left", d=days, h=hours))
    if hours:
        return str(_l("%(h)d h %(m)d min left", h=hours, m=minutes))
    if minutes:
        return str(_l("%(m)d min left", m=minutes))
    return str(_l("under a minute left"))


def _standing(rnd: Round, attempts: list[Attempt], now: datetime, grace: int) -> Standing:
    latest = attempts[-1] if attempts else None
    running = latest if latest is not None and latest.submitted_at is None \
        and now <= latest.deadline + timedelta(seconds=grace) else None
    key_seen = any(a.key_shown_at is not None for a in attempts)
    can_start = running is None and may_start_another(rnd, len(attempts), key_seen, now)
    return Standing(rnd, round_state(rnd, now), attempts, running, can_start, now)


def standings(session: Session, student: User, now: datetime, *, grace: int) -> list[Standing]:
    """Every round the pupil may take (``student_rounds``, newest first), with their attempts in one query."""
    rounds = student_rounds(session, student)
    by_round: dict[int, list[Attempt]] = {r.id: [] for r in rounds}
    if rounds:
        for a in session.scalars(select(Attempt).where(Attempt.user_id == student.id,
                                                       Attempt.round_id.in_(list(by_round)))
                                 .order_by(Attempt.number)):
            by_round[a.round_id].append(a)
    return [_standing(r, by_round[r.id], now, grace) for r in rounds]


def standing_in(session: Session, student: User, rnd: Round, now: datetime, *, grace: int) -> Standing:
    """The pupil's standing in one round (``rnd`` from ``eligibility.get_student_round``)."""
    attempts = list(session.scalars(select(Attempt).where(Attempt.user_id == student.id, Attempt.round_id == rnd.id)
                                    .order_by(Attempt.number)))
    return _standing(rnd, attempts, now, grace)
