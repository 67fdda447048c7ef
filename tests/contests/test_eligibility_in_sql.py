"""The reports list as eligible exactly the pupils who may take a round: the SQL rule and ``student_may_take``
agree for province, school and class contests (grades, listed units, pupils who joined with the code)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from quiz.contests.eligibility import may_take_condition, student_may_take
from quiz.models import ContestEntrant, ContestScope, Role, Unit, User


@pytest.mark.parametrize("scope, grades, listed", [
    (ContestScope.PROVINCE, (), False), (ContestScope.PROVINCE, (9,), True), (ContestScope.SCHOOL, (8,), False),
    (ContestScope.SCHOOL, (), True), (ContestScope.CLASS, (), True)])
def test_the_sql_rule_keeps_exactly_the_pupils_who_may_take_the_round(scope, grades, listed, world, make_class,
                                                                       make_user, make_round, db_session, clock):
    eight = make_class("8A1", school=world.school1, grade=8)
    pupils = [world.student1, world.student2, make_user(Role.STUDENT, unit=eight, username="s801")]
    joined = make_user(Role.STUDENT, unit=world.class2, username="s203")
    organiser = world.department if scope is ContestScope.PROVINCE else world.school1
    units = ([world.school1] if scope is ContestScope.PROVINCE else [world.class1]) if listed else []
    rnd = make_round(scope=scope, organiser=organiser, units=units, grades=grades)
    db_session.add(ContestEntrant(contest_id=rnd.contest.id, user_id=joined.id,
                                  joined_at=datetime(2026, 11, 20, tzinfo=timezone.utc)))
    db_session.commit()
    stmt = select(User.id).join(Unit, Unit.id == User.unit_id).where(may_take_condition(rnd.contest, User, Unit))
    found = set(db_session.scalars(stmt))
    everyone = db_session.scalars(select(User).where(User.role == Role.STUDENT)).all()
    expected = {u.id for u in everyone if student_may_take(db_session, u, rnd.contest)}
    assert found == expected and found & {p.id for p in pupils + [joined]}
