"""Participation, defined once for every page and export: the round report, the unit ranking, their JSON and
XLSX (and the certificates' school award should use the same, see docs/reports.md).

- **Participants**: pupils with a finished attempt — submitted by themselves or finished by the server at the
  deadline (``Attempt.submitted_at`` set, whoever finished it). Each pupil counts once.
- **Sĩ số of a class**: its declared ``Unit.enrolled``; when that is empty, its active student accounts
  (``class_enrolment``).
- **Sĩ số of a school**: its own declared ``enrolled`` when the round is for every pupil of the school
  (``whole_school``: no grades, not a class contest, no classes picked); otherwise — or when the school has no
  figure — the sum over its classes taking part (``school_enrolment``).
- **Rate** = participants ÷ sĩ số, to four decimals; none when the sĩ số is 0 (``participation_rate``).

The average score of a unit is the mean of its participants' counted results (never over the sĩ số).
"""
from __future__ import annotations

from sqlalchemy import func, select

from quiz.models import Contest, ContestScope, Role, User


def participation_rate(participants: int, enrolled: int | None) -> float | None:
    return round(participants / enrolled, 4) if enrolled else None


def class_enrolment(klass):
    """The sĩ số of a class (an aliased ``Unit``) as SQL: declared, or its active student accounts."""
    accounts = (select(func.count(User.id)).where(User.unit_id == klass.id, User.role == Role.STUDENT,
                                                  User.is_active.is_(True))
                .correlate(klass).scalar_subquery())
    return func.coalesce(klass.enrolled, accounts)


def whole_school(contest: Contest) -> bool:
    """The contest is for every pupil of its schools: their own declared sĩ số applies."""
    return (not contest.grades and contest.scope is not ContestScope.CLASS
            and not (contest.scope is ContestScope.SCHOOL and contest.units))


def school_enrolment(declared: int | None, classes_sum: int, whole: bool) -> int:
    return declared if whole and declared is not None else classes_sum
