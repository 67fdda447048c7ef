"""Managing the unit tree: Department → area → school → class."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import access, audit, clock
from quiz.errors import NotAllowed, ValidationFailed
from quiz.models import ALLOWED_PARENTS, Role, Unit, UnitKind, User


@dataclass
class UnitInput:
    kind: UnitKind
    name: str
    parent_id: int | None
    code: str | None = None
    enrolled: int | None = None
    grade: int | None = None


def _check(session: Session, actor: User, data: UnitInput, unit: Unit | None = None) -> Unit | None:
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [str(_l("Enter a name."))]
    parent = None
    if data.kind is UnitKind.DEPARTMENT:
        if actor.role is not Role.ADMIN or unit is None:
            raise NotAllowed(str(_l("Only the existing Department can be edited.")))
    else:
        if data.parent_id is None:
            errors["parent_id"] = [str(_l("Choose the unit above this one."))]
        else:
            parent = session.scalar(access.units_query(actor).where(Unit.id == data.parent_id))
            if parent is None:
                errors["parent_id"] = [str(_l("Choose the unit above this one."))]
            elif parent.kind not in ALLOWED_PARENTS[data.kind]:
                errors["parent_id"] = [str(_l("A %(kind)s cannot be placed under a %(parent)s.",
                                              kind=kind_label(data.kind), parent=kind_label(parent.kind)))]
            elif unit is not None and parent.path.startswith(unit.path):
                errors["parent_id"] = [str(_l("A unit cannot be placed under itself."))]
    if data.kind in (UnitKind.SCHOOL, UnitKind.CLASS):
        if data.enrolled is None or data.enrolled < 0:
            errors["enrolled"] = [str(_l("Enter the number of enrolled students (0 or more)."))]
    if data.kind is UnitKind.CLASS and (data.grade is None or not 1 <= data.grade <= 12):
        errors["grade"] = [str(_l("Enter a grade from 1 to 12."))]
    code = (data.code or "").strip() or None
    if code:
        clash = session.scalar(select(Unit.id).where(Unit.code == code, Unit.id != (unit.id if unit else -1)))
        if clash:
            errors["code"] = [str(_l("Another unit already uses this code."))]
    if parent is not None and not errors:
        same = select(Unit.id).where(Unit.parent_id == parent.id, func.lower(Unit.name) == name.lower(),
                                     Unit.id != (unit.id if unit else -1))
        if session.scalar(same):
            errors["name"] = [str(_l("There is already a unit with this name here."))]
    if errors:
        raise ValidationFailed(str(_l("Please correct the marked fields.")), errors)
    if actor.role is Role.MANAGER and (data.kind is not UnitKind.CLASS or parent is None or parent.id != actor.unit_id):
        raise NotAllowed(str(_l("A school manager can only manage the classes of their school.")))
    if actor.role not in (Role.ADMIN, Role.MANAGER):
        raise NotAllowed(str(_l("You cannot manage units.")))
    return parent


def kind_label(kind: UnitKind) -> str:
    labels = {
        UnitKind.DEPARTMENT: _l("Department"),
        UnitKind.AREA: _l("area"),
        UnitKind.SCHOOL: _l("school"),
        UnitKind.CLASS: _l("class"),
    }
    return str(labels[kind])


def create_unit(session: Session, actor: User, data: UnitInput, ip: str | None = None) -> Unit:
    parent = _check(session, actor, data)
    unit = Unit(kind=data.kind, name=data.name.strip(), code=(data.code or "").strip() or None, parent=parent,
                enrolled=data.enrolled if data.kind in (UnitKind.SCHOOL, UnitKind.CLASS) else None,
                grade=data.grade if data.kind is UnitKind.CLASS else None, created_at=clock.now())
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    audit.record(session, actor, "unit.create", f"{kind_label(unit.kind)} «{unit.name}»", target=unit,
                 details={"parent_id": unit.parent_id, "enrolled": unit.enrolled}, ip=ip)
    return unit


def update_unit(session: Session, actor: User, unit: Unit, data: UnitInput, ip: str | None = None) -> Unit:
    data.kind = unit.kind
    parent = _check(session, actor, data, unit)
    before = {"name": unit.name, "code": unit.code, "enrolled": unit.enrolled, "grade": unit.grade,
              "parent_id": unit.parent_id}
    unit.name = data.name.strip()
    unit.code = (data.code or "").strip() or None
    if unit.kind in (UnitKind.SCHOOL, UnitKind.CLASS):
        unit.enrolled = data.enrolled
    if unit.kind is UnitKind.CLASS:
        unit.grade = data.grade
    if parent is not None and parent.id != unit.parent_id:
        old_path = unit.path
        unit.parent = parent
        new_path = f"{parent.path}{unit.id}/"
        for sub in session.scalars(select(Unit).where(Unit.path.startswith(old_path))):
            sub.path = new_path + sub.path[len(old_path):]
    after = {"name": unit.name, "code": unit.code, "enrolled": unit.enrolled, "grade": unit.grade,
             "parent_id": unit.parent_id}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    audit.record(session, actor, "unit.update", f"{kind_label(unit.kind)} «{unit.name}»", target=unit,
                 details=changed, ip=ip)
    return unit


def delete_unit(session: Session, actor: User, unit: Unit, ip: str | None = None) -> None:
    if unit.kind is UnitKind.DEPARTMENT:
        raise NotAllowed(str(_l("The Department cannot be deleted.")))
    if session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == unit.id)):
        raise ValidationFailed(str(_l("Delete or move the units under «%(name)s» first.", name=unit.name)))
    if session.scalar(select(func.count()).select_from(User).where(User.unit_id == unit.id)):
        raise ValidationFailed(str(_l("«%(name)s» still has accounts; move or delete them first.", name=unit.name)))
    audit.record(session, actor, "unit.delete", f"{kind_label(unit.kind)} «{unit.name}»", target=unit, ip=ip)
    session.delete(unit)


def tree(session: Session, user: User) -> list[tuple[Unit, int]]:
    """Visible units in tree order with their depth below the user's top unit."""
    units = list(session.scalars(access.units_query(user)))
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {u.id for u in units}
    for u in units:
        by_parent.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
    out: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for u in sorted(by_parent.get(parent_id, []), key=lambda x: (x.kind != UnitKind.AREA, x.name)):
            out.append((u, depth))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


def schools(session: Session, user: User) -> list[Unit]:
    return list(session.scalars(access.units_query(user).where(Unit.kind == UnitKind.SCHOOL).order_by(Unit.name)))


def classes_of(session: Session, school: Unit) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.parent_id == school.id, Unit.kind == UnitKind.CLASS)
                                .order_by(Unit.grade, Unit.name)))
