"""Unit rankings of a contest: schools (and areas) — or classes for a school or class contest.

For each unit: participants (students with at least one finished attempt counted in the
contest), enrolled students, participation rate = participants ÷ enrolled, the average of
the participants' contest totals, and how many totals reach the prize threshold.

- Participants, enrolled (sĩ số) and the rate: ``quiz.reports.enrolment``, the definition the round report
  uses too (a class: its ``enrolled`` or its active student accounts; a school: its own ``enrolled`` when the
  contest is for every pupil, else the sum over its classes taking part). Sĩ số 0 → no rate.
- Prize threshold: there is no field for it, so it is the ``threshold`` query parameter (points
  of the contest total), by default ``DEFAULT_PRIZE_SHARE`` (80 %) of the contest's maximum score.
- Order: by the chosen measure (participation rate by default, or average score, or number above
  the threshold), then the other two; units equal on all three share a rank (1, 2, 2, 4).
- Who sees it: the organisers and the Department admin see every unit; a school manager of a
  school taking part sees their own school's line (its rank among all); anyone else gets a 404.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from quiz.contests.eligibility import staff_can_see
from quiz.errors import NotFound
from quiz.leaderboards.boards import contest_board, results, unit_paths
from quiz.leaderboards.visibility import is_organiser
from quiz.models import Contest, ContestEntrant, ContestScope, Role, Unit, UnitKind, User
from quiz.reports.enrolment import class_enrolment, participation_rate, school_enrolment, whole_school

DEFAULT_PRIZE_SHARE = Decimal("0.8")
SORTS = ("participation", "average", "prizes")


@dataclass
class UnitRow:
    unit: Unit
    enrolled: int | None
    participants: int = 0
    total_score: Decimal = Decimal(0)
    above: int = 0
    rank: int = 0
    area: Unit | None = None

    @property
    def participation(self) -> Decimal | None:
        rate = participation_rate(self.participants, self.enrolled)
        return None if rate is None else Decimal(str(rate))

    @property
    def average(self) -> Decimal | None:
        if not self.participants:
            return None
        return (self.total_score / self.participants).quantize(Decimal("0.01"))


@dataclass
class UnitRanking:
    contest: Contest
    level: str  # "school" | "class"
    threshold: Decimal
    max_score: Decimal
    sort: str
    units: list[UnitRow]
    areas: list[UnitRow] = field(default_factory=list)
    total_units: int = 0
    own_unit_only: bool = False


def max_score(contest: Contest) -> Decimal:
    return Decimal(sum(r.question_count for r in contest.rounds) * contest.points_per_question)


def _classes(session: Session, contest: Contest) -> list[Unit]:
    """The classes taking part (the contest's grades), for the enrolled figures."""
    listed = {cu.unit_id for cu in contest.units}
    stmt = select(Unit).where(Unit.kind == UnitKind.CLASS, Unit.path.startswith(contest.organiser_unit.path))
    classes = list(session.scalars(stmt))
    if contest.scope is ContestScope.PROVINCE:
        classes = [c for c in classes if not listed or c.parent_id in listed]
    elif contest.scope is ContestScope.SCHOOL:
        classes = [c for c in classes if not listed or c.id in listed]
    else:
        joined = set(session.scalars(select(User.unit_id).join(ContestEntrant, ContestEntrant.user_id == User.id)
                                     .where(ContestEntrant.contest_id == contest.id)))
        classes = [c for c in classes if c.id in listed or c.id in joined]
        return classes  # a class contest is open to the classes it names, whatever their grade
    return [c for c in classes if not contest.grades or c.grade in contest.grades]


def _class_sizes(session: Session, class_ids: list[int]) -> dict[int, int]:
    """The sĩ số of each class (``enrolment.class_enrolment``): one query."""
    if not class_ids:
        return {}
    klass = aliased(Unit)
    stmt = select(klass.id, class_enrolment(klass)).where(klass.id.in_(class_ids))
    return {cid: int(n or 0) for cid, n in session.execute(stmt)}


def unit_enrolment(session: Session, contest: Contest, units: list[Unit]) -> dict[int, int]:
    """The sĩ số of each school or class taking part in ``contest`` (the rule of ``quiz.reports.enrolment``): what
    the unit ranking, the report and the certificates' school award divide by."""
    classes = _classes(session, contest)
    sizes = _class_sizes(session, [c.id for c in classes])
    whole = whole_school(contest)
    out: dict[int, int] = {}
    for unit in units:
        own = sum(sizes.get(c.id, 0) for c in classes if c.parent_id == unit.id or c.id == unit.id)
        out[unit.id] = school_enrolment(unit.enrolled, own, whole) if unit.kind is UnitKind.SCHOOL else own
    return out


def _order(rows: list[UnitRow], sort: str) -> list[UnitRow]:
    def measures(r: UnitRow) -> tuple:
        values = {"participation": r.participation if r.participation is not None else Decimal(-1),
                  "average": r.average if r.average is not None else Decimal(-1), "prizes": Decimal(r.above)}
        first = [values[sort]] + [values[s] for s in SORTS if s != sort]
        return tuple(-v for v in first)

    ordered = sorted(rows, key=lambda r: (measures(r), r.unit.name, r.unit.id))
    previous = None
    for position, row in enumerate(ordered, start=1):
        key = measures(row)
        if key != previous:
            rank, previous = position, key
        row.rank = rank
    return ordered


def unit_ranking(session: Session, viewer, contest_id: int, *, threshold: Decimal | None = None,
                 sort: str = "participation") -> UnitRanking:
    contest = session.get(Contest, contest_id)
    user = viewer if getattr(viewer, "is_authenticated", False) else None
    if contest is None or user is None:
        raise NotFound("contest not found")
    organiser = is_organiser(user, contest)
    own_school = user.role is Role.MANAGER and not organiser and staff_can_see(user, contest)
    if not organiser and not own_school:
        raise NotFound("contest not found")
    sort = sort if sort in SORTS else "participation"
    top = max_score(contest)
    threshold = threshold if threshold is not None else (top * DEFAULT_PRIZE_SHARE).quantize(Decimal("0.0001"))
    level = "school" if contest.scope is ContestScope.PROVINCE else "class"

    if level == "school":
        listed = {cu.unit_id for cu in contest.units}
        schools = session.scalars(select(Unit).where(Unit.kind == UnitKind.SCHOOL,
                                                     Unit.path.startswith(contest.organiser_unit.path)))
        units = [s for s in schools if not listed or s.id in listed]
    else:
        units = _classes(session, contest)
    enrolled = unit_enrolment(session, contest, units)
    rows = {u.id: UnitRow(u, enrolled[u.id]) for u in units}

    board = contest_board(contest)
    paths = unit_paths(session, board)
    for r in results(session, board):
        for uid in (int(p) for p in paths.get(r.user_id, "/").strip("/").split("/") if p):
            row = rows.get(uid)
            if row is not None:
                row.participants += 1
                row.total_score += r.score
                row.above += int(r.score >= threshold)
    ordered = _order(list(rows.values()), sort)

    areas: list[UnitRow] = []
    if level == "school":
        by_area: dict[int, UnitRow] = {}
        for row in ordered:
            parent = row.unit.parent
            if parent is None or parent.kind is not UnitKind.AREA:
                continue
            row.area = parent
            agg = by_area.setdefault(parent.id, UnitRow(parent, None))
            if row.enrolled is not None:
                agg.enrolled = (agg.enrolled or 0) + row.enrolled
            agg.participants += row.participants
            agg.total_score += row.total_score
            agg.above += row.above
        areas = _order(list(by_area.values()), sort)

    total = len(ordered)
    if own_school:
        ordered = [r for r in ordered if r.unit.id == user.unit_id]
        areas = []
    return UnitRanking(contest, level, threshold, top, sort, ordered, areas, total, own_school)


def ranking_payload(ranking: UnitRanking) -> dict:
    def line(row: UnitRow) -> dict:
        return {"rank": row.rank, "id": row.unit.id, "name": row.unit.name, "kind": row.unit.kind.value,
                "area": row.area.name if row.area else None, "enrolled": row.enrolled,
                "participants": row.participants,
                "participation": float(row.participation) if row.participation is not None else None,
                "average_score": float(row.average) if row.average is not None else None,
                "above_threshold": row.above}

    return {"contest_id": ranking.contest.id, "level": ranking.level, "sort": ranking.sort,
            "threshold": float(ranking.threshold), "max_score": float(ranking.max_score),
            "units": [line(r) for r in ranking.units], "areas": [line(r) for r in ranking.areas],
            "total_units": ranking.total_units}

