"""Demo units and accounts: one Department, two areas, three schools, their classes and people.

Usernames are a contract other tools rely on: ``admin``; for school k = 1, 2, 3:
``manager{k}``, ``teacher{k}`` and students ``s{k}01`` … ``s{k}30``.
"""
from __future__ import annotations

import random
from datetime import date

from sqlalchemy.orm import Session

from quiz import clock
from quiz.auth import passwords
from quiz.demo.names import full_name
from quiz.models import Role, Unit, UnitKind, User

DEPARTMENT = "Sở Giáo dục và Đào tạo Tây Ninh"
AREAS = ["Khu vực Tây Ninh", "Khu vực Tân An"]
# (name, code, area index, [(class, grade, enrolled)])
SCHOOLS = [
    ("Trường THCS Trần Hưng Đạo", "THCS-THD", 0, [("8A1", 8, 38), ("9A1", 9, 40)]),
    ("Trường THPT Lê Quý Đôn", "THPT-LQD", 0, [("10A1", 10, 42), ("11A2", 11, 41)]),
    ("Trường THCS Nguyễn Du", "THCS-ND", 1, [("9A1", 9, 36), ("9A2", 9, 37)]),
]
STAFF_NAMES = {
    "admin": "Phạm Thị Thanh Hương",
    "manager1": "Nguyễn Văn Hòa", "teacher1": "Lê Thị Minh Tâm",
    "manager2": "Trần Quốc Bảo", "teacher2": "Võ Thị Ngọc Lan",
    "manager3": "Đặng Văn Thành", "teacher3": "Huỳnh Thị Kim Oanh",
}
STUDENTS_PER_SCHOOL = 30
SCHOOL_YEAR_START = 2026  # pupils of grade g were born in (SCHOOL_YEAR_START - 5 - g)


def _unit(session: Session, kind: UnitKind, name: str, parent: Unit | None, **extra) -> Unit:
    unit = Unit(kind=kind, name=name, parent=parent, created_at=clock.now(), **extra)
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def seed_accounts(session: Session, password: str) -> dict[str, list[str]]:
    """Create the demo units and accounts; returns the usernames by role for printing."""
    rng = random.Random(2026)
    pw_hash = passwords.hash_password(password)
    now = clock.now()

    def user(username: str, name: str, role: Role, unit: Unit, **extra) -> User:
        u = User(username=username, full_name=name, role=role, unit=unit, password_hash=pw_hash,
                 must_change_password=False, created_at=now, **extra)
        session.add(u)
        return u

    department = _unit(session, UnitKind.DEPARTMENT, DEPARTMENT, None, code="SO-GDDT")
    user("admin", STAFF_NAMES["admin"], Role.ADMIN, department)
    areas = [_unit(session, UnitKind.AREA, name, department) for name in AREAS]
    logins: dict[str, list[str]] = {"admin": ["admin"], "manager": [], "teacher": [], "student": []}
    for k, (school_name, code, area_index, classes) in enumerate(SCHOOLS, start=1):
        school = _unit(session, UnitKind.SCHOOL, school_name, areas[area_index], code=code,
                       enrolled=sum(c[2] for c in classes))
        class_units = [_unit(session, UnitKind.CLASS, name, school, grade=grade, enrolled=enrolled,
                             code=f"{code}-{name}") for name, grade, enrolled in classes]
        user(f"manager{k}", STAFF_NAMES[f"manager{k}"], Role.MANAGER, school)
        user(f"teacher{k}", STAFF_NAMES[f"teacher{k}"], Role.TEACHER, school, classes=class_units)
        logins["manager"].append(f"manager{k}")
        logins["teacher"].append(f"teacher{k}")
        for i in range(1, STUDENTS_PER_SCHOOL + 1):
            klass = class_units[(i - 1) * len(class_units) // STUDENTS_PER_SCHOOL]
            name, gender = full_name(rng)
            born = date(SCHOOL_YEAR_START - 5 - (klass.grade or 9), rng.randint(1, 12), rng.randint(1, 28))
            user(f"s{k}{i:02d}", name, Role.STUDENT, klass, date_of_birth=born, gender=gender)
        logins["student"].append(f"s{k}01 … s{k}{STUDENTS_PER_SCHOOL:02d}")
    session.flush()
    return logins
