"""The rows every report starts from, as SQL (common table expressions), never as Python loops.

``counted_attempts`` keeps, per student and round, the attempt the leaderboards count (the same rule
as ``quiz.leaderboards.results.round_results``): the best one by score → prediction distance →
duration → submission time, or the last one (highest number) when the contest counts the last
attempt. Only finished (submitted) attempts count. It is a window function (``ROW_NUMBER() OVER
(PARTITION BY round, student …)``), which SQLite (≥ 3.25) and PostgreSQL both run.
"""
from __future__ import annotations

from sqlalchemy import CTE, and_, case, exists, func, literal, select, union
from sqlalchemy.orm import aliased

from quiz.contests.eligibility import may_take_condition
from quiz.leaderboards.ranking import NO_PREDICTION
from quiz.models import Attempt, Contest, ContestScope, Round, ScoringRule, Unit, UnitKind, User
from quiz.reports.enrolment import class_enrolment, whole_school
from quiz.reports.scope import Scope


def _distance():
    """|prediction − true value|, 0 without a prediction question, the farthest for a missing prediction."""
    has_question = and_(Round.prediction_question.is_not(None), Round.prediction_question != "",
                        Round.prediction_answer.is_not(None))
    return case((has_question, func.coalesce(func.abs(Attempt.prediction - Round.prediction_answer), NO_PREDICTION)),
                else_=0)


def counted_attempts(scope: Scope | None = None, round_ids: list[int] | None = None, name: str = "counted",
                     *, units: bool = True) -> CTE:
    """One row per student and round: attempt_id, round_id, user_id, score, max_score, duration_ms,
    submitted_at, number, distance, and (with ``units``) class_id (the student's class).

    ``scope`` limits it to one round and the viewer's classes; ``round_ids`` to several rounds (no unit
    limit). Without ``units`` and for a scope that covers everyone, students and classes are not joined
    at all (item analysis needs neither). When nobody finished a second attempt the ranking window is
    skipped: every finished attempt is the counted one."""
    score = func.coalesce(Attempt.score, 0)
    duration = func.coalesce(Attempt.duration_ms, 0)
    distance = _distance()
    columns = [Attempt.id.label("attempt_id"), Attempt.round_id, Attempt.user_id, score.label("score"),
               func.coalesce(Attempt.max_score, 0).label("max_score"), duration.label("duration_ms"),
               Attempt.submitted_at, Attempt.number, distance.label("distance")]
    stmt = select(*columns).join(Round, Round.id == Attempt.round_id).where(Attempt.submitted_at.is_not(None))
    if units or (scope is not None and not scope.covers_everyone):
        stmt = stmt.add_columns(User.unit_id.label("class_id")).join(User, User.id == Attempt.user_id)
        if scope is not None and not scope.covers_everyone:
            klass = aliased(Unit, name="cls")
            stmt = stmt.join(klass, klass.id == User.unit_id).where(scope.class_filter(klass))
    if scope is not None:
        stmt = stmt.where(Attempt.round_id == scope.rnd.id)
    if round_ids is not None:
        stmt = stmt.where(Attempt.round_id.in_(round_ids))
    if scope is not None and scope.single_attempts:
        return stmt.cte(name)
    last_first = case((Contest.scoring_rule == ScoringRule.LAST, -Attempt.number), else_=0)
    rn = func.row_number().over(partition_by=(Attempt.round_id, Attempt.user_id),
                                order_by=(last_first, score.desc(), distance, duration, Attempt.submitted_at,
                                          Attempt.id))
    ranked = stmt.add_columns(rn.label("rn")).join(Contest, Contest.id == Round.contest_id).subquery(name + "_ranked")
    return select(*[c for c in ranked.c if c.name != "rn"]).where(ranked.c.rn == 1).cte(name)


def ranking_key(counted) -> tuple:
    """The ranking rule of ``quiz.leaderboards.ranking``: score ↓, prediction distance, duration, submission."""
    return (counted.c.score.desc(), counted.c.distance, counted.c.duration_ms, counted.c.submitted_at)


def rank_column(counted):
    """Standard competition ranking (1, 2, 2, 4) over the full ranking key."""
    return func.rank().over(order_by=ranking_key(counted))


# -- who could have taken part ----------------------------------------------------------
def _contest_class_conditions(scope: Scope, klass) -> list:
    contest = scope.rnd.contest
    unit_ids = [cu.unit_id for cu in contest.units]
    cond = [klass.kind == UnitKind.CLASS, scope.class_filter(klass)]
    if contest.scope is ContestScope.PROVINCE:
        cond.append(klass.path.startswith(contest.organiser_unit.path))
        if unit_ids:
            cond.append(klass.parent_id.in_(unit_ids))
    elif contest.scope is ContestScope.SCHOOL:
        cond.append(klass.parent_id == contest.organiser_unit_id)
        if unit_ids:
            cond.append(klass.id.in_(unit_ids))
    else:
        cond.append(klass.id.in_(unit_ids) if unit_ids else literal(False))
    if contest.grades and contest.scope is not ContestScope.CLASS:
        cond.append(klass.grade.in_(list(contest.grades)))
    return cond


def class_rows(scope: Scope, counted: CTE):
    """Per class of the contest in the viewer's scope, and per class with a participant: class_id, school_id,
    enrolled (declared, or the active student accounts when none is declared), participants, score_sum.
    One pass over the counted attempts."""
    taken = (select(counted.c.class_id, func.count().label("participants"),
                    func.sum(counted.c.score).label("score_sum"))
             .group_by(counted.c.class_id).cte("taken"))
    klass = aliased(Unit, name="ecls")
    ids = union(select(klass.id.label("class_id")).where(*_contest_class_conditions(scope, klass)),
                select(taken.c.class_id)).subquery("class_ids")
    unit = aliased(Unit, name="eunit")
    return (select(unit.id.label("class_id"), unit.parent_id.label("school_id"),
                   class_enrolment(unit).label("enrolled"),
                   func.coalesce(taken.c.participants, 0).label("participants"),
                   func.coalesce(taken.c.score_sum, 0).label("score_sum"))
            .select_from(ids).join(unit, unit.id == ids.c.class_id)
            .outerjoin(taken, taken.c.class_id == unit.id))


def whole_school_enrolment(scope: Scope) -> bool:
    """Use the school's own declared enrolment (instead of the sum of its classes) when the round is
    for every pupil of the school and the viewer sees the whole school."""
    return scope.whole_schools and whole_school(scope.rnd.contest)


def contest_schools(scope: Scope):
    """The schools a whole-school round is for, in the viewer's scope (listed even without classes)."""
    contest = scope.rnd.contest
    listed = [cu.unit_id for cu in contest.units]
    school = aliased(Unit, name="cand")
    cond = [school.kind == UnitKind.SCHOOL, scope.class_filter(school)]
    if contest.scope is ContestScope.PROVINCE:
        cond.append(school.path.startswith(contest.organiser_unit.path))
        if listed:
            cond.append(school.id.in_(listed))
    else:
        cond.append(school.id == contest.organiser_unit_id)
    return select(school.id).where(*cond)


def pupils_without_result(scope: Scope, counted: CTE):
    """The pupils in the viewer's scope who may take the round (``eligibility.may_take_condition``) and have no
    finished attempt at it: user_id, full_name, username, class_name, school, area_name, area_kind and
    in_progress (an attempt started and not finished). Ordered by school, class and name."""
    klass, school, area = aliased(Unit, name="pcls"), aliased(Unit, name="psch"), aliased(Unit, name="parea")
    started = exists().where(Attempt.round_id == scope.rnd.id, Attempt.user_id == User.id,
                             Attempt.submitted_at.is_(None))
    return (select(User.id.label("user_id"), User.full_name, User.username, klass.name.label("class_name"),
                   school.name.label("school"), area.name.label("area_name"), area.kind.label("area_kind"),
                   started.label("in_progress"))
            .join(klass, klass.id == User.unit_id).join(school, school.id == klass.parent_id)
            .outerjoin(area, area.id == school.parent_id)
            .where(may_take_condition(scope.rnd.contest, User, klass), scope.class_filter(klass),
                   User.id.not_in(select(counted.c.user_id)))
            .order_by(school.name, klass.name, User.full_name, User.id))
