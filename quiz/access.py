"""Who may see and manage which units and accounts.

Every query for another unit's or user's data goes through these rules, so a
school manager or teacher sees only their school and classes, and a student only
themself. A refusal is a ``NotFound`` so ids of other schools do not leak.
"""
from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from quiz.errors import NotFound
from quiz.models import Role, Unit, UnitKind, User, teacher_classes


def scope_root(session: Session, user: User) -> Unit:
    """The highest unit this user may see: the Department for admins, the school for staff."""
    if user.role is Role.ADMIN:
        return user.unit
    if user.role in (Role.MANAGER, Role.TEACHER):
        return user.unit
    return user.unit  # a student's class


def units_query(user: User) -> Select[tuple[Unit]]:
    """The units this user may see (for listings)."""
    stmt = select(Unit)
    if user.role is Role.ADMIN:
        return stmt.where(Unit.path.startswith(user.unit.path))
    if user.role is Role.MANAGER:
        return stmt.where(Unit.path.startswith(user.unit.path))
    if user.role is Role.TEACHER:
        return stmt.where(
            or_(
                Unit.id == user.unit_id,
                Unit.id.in_(select(teacher_classes.c.class_id).where(teacher_classes.c.teacher_id == user.id)),
            )
        )
    return stmt.where(Unit.id == user.unit_id)


def managed_units_query(user: User) -> Select[tuple[Unit]]:
    """The units this user may change (admins: the whole tree; managers: their school's classes)."""
    stmt = select(Unit)
    if user.role is Role.ADMIN:
        return stmt.where(Unit.path.startswith(user.unit.path))
    if user.role is Role.MANAGER:
        return stmt.where(Unit.parent_id == user.unit_id, Unit.kind == UnitKind.CLASS)
    return stmt.where(False)


def users_query(user: User) -> Select[tuple[User]]:
    """The accounts this user may see."""
    stmt = select(User).join(User.unit)
    if user.role in (Role.ADMIN, Role.MANAGER):
        return stmt.where(Unit.path.startswith(user.unit.path))
    if user.role is Role.TEACHER:
        class_ids = select(teacher_classes.c.class_id).where(teacher_classes.c.teacher_id == user.id)
        return stmt.where(or_(User.id == user.id, User.unit_id.in_(class_ids)))
    return stmt.where(User.id == user.id)


def get_visible_unit(session: Session, user: User, unit_id: int) -> Unit:
    unit = session.scalar(units_query(user).where(Unit.id == unit_id))
    if unit is None:
        raise NotFound("unit not found")
    return unit


def get_managed_unit(session: Session, user: User, unit_id: int) -> Unit:
    unit = session.scalar(managed_units_query(user).where(Unit.id == unit_id))
    if unit is None:
        raise NotFound("unit not found")
    return unit


def get_visible_user(session: Session, user: User, user_id: int) -> User:
    found = session.scalar(users_query(user).where(User.id == user_id))
    if found is None:
        raise NotFound("user not found")
    return found


def can_manage_users(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.MANAGER)
