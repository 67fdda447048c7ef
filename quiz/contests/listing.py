"""Which contests a staff member sees in lists (the contests page, the dashboard), with their status."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, selectinload

from quiz.contests.eligibility import can_manage, contest_state, staff_can_see, staff_contests_query
from quiz.models import Contest, ContestStatus, Round, User


@dataclass
class ContestRow:
    contest: Contest
    state: ContestStatus
    manageable: bool
    current_round: Round | None  # the open round, else the next one to open

    @property
    def organiser(self) -> str:
        name = self.contest.organiser_unit.name
        if self.contest.created_by is not None and self.contest.scope.value == "class":
            return f"{name} — {self.contest.created_by.full_name}"
        return name


def _current_round(contest: Contest, now: datetime) -> Round | None:
    open_now = [r for r in contest.rounds if r.opens_at <= now < r.closes_at]
    if open_now:
        return min(open_now, key=lambda r: r.closes_at)
    later = [r for r in contest.rounds if now < r.opens_at]
    return min(later, key=lambda r: r.opens_at) if later else None


def visible_contests(session: Session, user: User, now: datetime) -> list[ContestRow]:
    """Every contest ``user`` may see, newest first.

    ``staff_contests_query`` is wider than ``staff_can_see`` for school staff (it lists draft province
    contests and those for other schools), so rows are filtered by ``staff_can_see`` as well.
    """
    stmt = staff_contests_query(user).options(selectinload(Contest.organiser_unit), selectinload(Contest.created_by))
    contests = session.scalars(stmt.order_by(Contest.created_at.desc(), Contest.id.desc())).all()
    return [ContestRow(c, contest_state(c, now), can_manage(user, c), _current_round(c, now))
            for c in contests if staff_can_see(user, c)]


def running_and_upcoming(session: Session, user: User, now: datetime, limit: int = 8) -> list[ContestRow]:
    """Open contests first (closing soonest first), then scheduled ones (opening soonest first)."""
    rows = [r for r in visible_contests(session, user, now)
            if r.state in (ContestStatus.OPEN, ContestStatus.SCHEDULED) and r.current_round is not None]

    def order(row: ContestRow):
        rnd = row.current_round
        return (0, rnd.closes_at) if row.state is ContestStatus.OPEN else (1, rnd.opens_at)

    return sorted(rows, key=order)[:limit]
