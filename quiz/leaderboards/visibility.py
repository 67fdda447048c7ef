"""Who may see which board, as what: the organiser's live board, a school's part, or the public board.

- Organisers (the Department admin, or whoever ``can_manage`` the contest) always see the whole
  live board with full names, never frozen.
- School staff who can see the contest (a manager or teacher of a school taking part) see their
  school's students — or the whole board when it is visible to everyone — with full names for
  their school's students; they see it frozen like the public.
- Students taking part see the board when it is public (``leaderboard_public``) or once the
  results are published; their own row ("me") always shows their full name.
- Everyone else, logged in or not, sees it when ``leaderboard_public``, or when
  ``results_public`` and the results are published.
- Otherwise the board does not exist for the viewer (404). Draft contests: organisers only.

Public views show other students' names as initials when ``Contest.leaderboard_initials``.
Freeze: with ``Round.freeze_minutes`` the board everyone but the organisers sees stops at
``closes_at − freeze_minutes`` until the round's (or the contest's) results are published."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from quiz.contests.eligibility import can_manage, staff_can_see, student_may_take
from quiz.errors import NotFound
from quiz.leaderboards.boards import Board, contest_board, distance_shown, round_board
from quiz.models import Contest, ContestStatus, Role, Round, Unit, UnitKind, User


@dataclass
class View:
    board: Board
    organiser: bool = False
    restrict_to: Unit | None = None  # school staff of a non-public board: only their school
    initials: bool = False  # names of students the viewer may not identify are initials
    named_units: list[str] = field(default_factory=list)  # paths whose students are shown by full name
    me_id: int | None = None
    frozen_at: datetime | None = None
    shows_distance: bool = False  # the prediction distances (``boards.distance_shown``)

    @property
    def uses_prediction(self) -> bool:
        return self.board.uses_prediction

    def shows_full_name(self, user_id: int, path: str) -> bool:
        return full_name_shown(self.initials, self.organiser, self.me_id, self.named_units, user_id, path)


def full_name_shown(initials: bool, organiser: bool, me_id: int | None, named_units, user_id: int, path: str) -> bool:
    """Whether a student's full name is shown (else initials): the rule of ``View`` and of the poll's ``Seen``."""
    if not initials or organiser or user_id == me_id:
        return True
    return any(path.startswith(p) for p in named_units)


def _user(viewer) -> User | None:
    return viewer if getattr(viewer, "is_authenticated", False) else None


def is_organiser(user: User | None, contest: Contest) -> bool:
    return user is not None and (user.role is Role.ADMIN or can_manage(user, contest))


def round_published(rnd: Round) -> bool:
    return rnd.results_published_at is not None or rnd.contest.status is ContestStatus.PUBLISHED


def freeze_start(rnd: Round, now: datetime) -> datetime | None:
    """When the public board of this round stopped changing, if it is frozen now."""
    if not rnd.freeze_minutes or round_published(rnd) or rnd.contest.status is ContestStatus.DRAFT:
        return None
    start = rnd.closes_at - timedelta(minutes=rnd.freeze_minutes)
    return start if now >= start else None


def _takes_part(session: Session, user: User | None, contest: Contest) -> bool:
    return user is not None and user.role is Role.STUDENT and student_may_take(session, user, contest)


def _view(session: Session, viewer, contest: Contest, published: bool, live: Board, frozen: Board,
          frozen_at: datetime | None) -> View:
    user = _user(viewer)
    if is_organiser(user, contest):
        return View(live, organiser=True, me_id=user.id if user.role is Role.STUDENT else None)
    if contest.status is ContestStatus.DRAFT:
        raise NotFound("leaderboard not found")
    public = contest.leaderboard_public or (contest.results_public and published)
    board = frozen if frozen_at else live
    common = dict(initials=contest.leaderboard_initials, frozen_at=frozen_at)
    if user is not None and user.role in (Role.MANAGER, Role.TEACHER) and staff_can_see(user, contest):
        school = user.unit
        return View(board, restrict_to=None if public else school, named_units=[school.path], **common)
    if _takes_part(session, user, contest) and (public or published):
        return View(board, me_id=user.id, **common)
    if public:
        return View(board, me_id=user.id if user is not None and user.role is Role.STUDENT else None, **common)
    raise NotFound("leaderboard not found")


def round_view(session: Session, viewer, round_id: int, now: datetime) -> View:
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound("round not found")
    start = freeze_start(rnd, now)
    view = _view(session, viewer, rnd.contest, round_published(rnd), round_board(rnd), round_board(rnd, start), start)
    view.shows_distance = distance_shown([rnd], view.organiser, now)
    return view


def contest_view(session: Session, viewer, contest_id: int, now: datetime) -> View:
    contest = session.get(Contest, contest_id)
    if contest is None:
        raise NotFound("contest not found")
    cutoffs = {r.id: s for r in contest.rounds if (s := freeze_start(r, now)) is not None}
    published = contest.status is ContestStatus.PUBLISHED
    view = _view(session, viewer, contest, published, contest_board(contest), contest_board(contest, cutoffs),
                 min(cutoffs.values()) if cutoffs else None)
    view.shows_distance = distance_shown(contest.rounds, view.organiser, now)
    return view


@dataclass
class Filters:
    """The unit filters of a request, resolved: the deepest chosen unit, or nothing matches."""

    unit: Unit | None
    empty: bool = False
    chosen: dict[str, int] = field(default_factory=dict)


def resolve_filters(session: Session, view: View, area: int | None, school: int | None, klass: int | None) -> Filters:
    """Check the filter ids (unknown → 404; outside a restricted viewer's school → 404)."""
    wanted = [(name, uid, kind) for name, uid, kind in (("area", area, UnitKind.AREA), ("school", school, UnitKind.SCHOOL),
                                                        ("class", klass, UnitKind.CLASS)) if uid is not None]
    units: list[Unit] = []
    for _name, uid, kind in wanted:
        unit = session.get(Unit, uid)
        if unit is None or unit.kind is not kind:
            raise NotFound("unit not found")
        if view.restrict_to is not None and not (unit.is_within(view.restrict_to) or view.restrict_to.is_within(unit)):
            raise NotFound("unit not found")
        units.append(unit)
    chosen = {name: uid for name, uid, _ in wanted}
    if view.restrict_to is not None:
        units.append(view.restrict_to)
    if not units:
        return Filters(None, chosen=chosen)
    deepest = max(units, key=lambda u: len(u.path))
    empty = any(not deepest.is_within(u) for u in units)
    return Filters(deepest, empty, chosen)
