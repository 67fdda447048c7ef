"""Managing accounts and roles."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import access, audit, clock
from quiz.auth import passwords
from quiz.auth.service import check_new_password, end_sessions, set_password
from quiz.auth.usernames import is_valid_username, normalise_username
from quiz.errors import NotAllowed, ValidationFailed
from quiz.models import ROLE_UNIT_KIND, Role, Unit, UnitKind, User


@dataclass
class AccountInput:
    full_name: str
    role: Role
    unit_id: int | None
    username: str = ""
    password: str = ""
    date_of_birth: date | None = None
    class_ids: list[int] = field(default_factory=list)
    is_active: bool = True


def role_label(role: Role) -> str:
    labels = {Role.ADMIN: _l("Department administrator"), Role.MANAGER: _l("School manager"),
              Role.TEACHER: _l("Teacher"), Role.STUDENT: _l("Student")}
    return str(labels[role])


def assignable_roles(actor: User) -> list[Role]:
    if actor.role is Role.ADMIN:
        return list(Role)
    if actor.role is Role.MANAGER:
        return [Role.TEACHER, Role.STUDENT]
    return []


def _validate(session: Session, actor: User, data: AccountInput, existing: User | None) -> tuple[Unit | None, list[Unit]]:
    errors: dict[str, list[str]] = {}
    if data.role not in assignable_roles(actor):
        raise NotAllowed(str(_l("You cannot give this role.")))
    if existing is not None and existing.role not in assignable_roles(actor):
        raise NotAllowed(str(_l("You cannot change this account.")))
    if not data.full_name.strip():
        errors["full_name"] = [str(_l("Enter the full name."))]
    unit = None
    if data.unit_id is None:
        errors["unit_id"] = [str(_l("Choose a unit."))]
    else:
        unit = session.scalar(access.units_query(actor).where(Unit.id == data.unit_id))
        if unit is None:
            errors["unit_id"] = [str(_l("Choose a unit."))]
        elif unit.kind is not ROLE_UNIT_KIND[data.role]:
            wanted = {UnitKind.DEPARTMENT: _l("the Department"), UnitKind.SCHOOL: _l("a school"),
                      UnitKind.CLASS: _l("a class")}[ROLE_UNIT_KIND[data.role]]
            errors["unit_id"] = [str(_l("A %(role)s must belong to %(unit)s.", role=role_label(data.role).lower(), unit=wanted))]
    if existing is None:
        username = normalise_username(data.username)
        if not is_valid_username(username):
            errors["username"] = [str(_l("Use 2–40 letters a–z, digits, dot, dash or underscore, starting with a letter or digit."))]
        elif session.scalar(select(User.id).where(User.username == username)):
            errors["username"] = [str(_l("This username is already taken."))]
        try:
            check_new_password(data.password, data.password, username)
        except ValidationFailed as err:
            errors["password"] = err.errors.get("new_password", [])
    classes: list[Unit] = []
    if data.role is Role.TEACHER and unit is not None and data.class_ids:
        classes = list(session.scalars(select(Unit).where(Unit.id.in_(data.class_ids), Unit.parent_id == unit.id,
                                                          Unit.kind == UnitKind.CLASS)))
        if len(classes) != len(set(data.class_ids)):
            errors["class_ids"] = [str(_l("A teacher can only teach classes of their own school."))]
    if errors:
        raise ValidationFailed(str(_l("Please correct the marked fields.")), errors)
    return unit, classes


def create_account(session: Session, actor: User, data: AccountInput, ip: str | None = None) -> User:
    unit, classes = _validate(session, actor, data, None)
    user = User(username=normalise_username(data.username), full_name=data.full_name.strip(), role=data.role,
                unit=unit, password_hash=passwords.hash_password(data.password), date_of_birth=data.date_of_birth,
                must_change_password=True, created_at=clock.now(), classes=classes)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", f"{role_label(user.role)} {user.username} ({user.full_name})",
                 target=user, details={"unit_id": user.unit_id, "role": user.role.value}, ip=ip)
    return user


def update_account(session: Session, actor: User, user: User, data: AccountInput, ip: str | None = None) -> User:
    if user.id == actor.id and (data.role is not user.role or not data.is_active):
        raise NotAllowed(str(_l("You cannot change your own role or deactivate yourself.")))
    unit, classes = _validate(session, actor, data, user)
    before = {"full_name": user.full_name, "role": user.role.value, "unit_id": user.unit_id,
              "is_active": user.is_active, "classes": sorted(c.id for c in user.classes)}
    user.full_name = data.full_name.strip()
    user.role = data.role
    user.unit = unit
    user.date_of_birth = data.date_of_birth
    user.classes = classes if data.role is Role.TEACHER else []
    if user.is_active and not data.is_active:
        end_sessions(user)
    user.is_active = data.is_active
    after = {"full_name": user.full_name, "role": user.role.value, "unit_id": unit.id if unit else None,
             "is_active": user.is_active, "classes": sorted(c.id for c in user.classes)}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    audit.record(session, actor, "user.update", f"{user.username} ({user.full_name})", target=user,
                 details=changed, ip=ip)
    return user


def reset_password(session: Session, actor: User, user: User, ip: str | None = None) -> str:
    """Give the account a one-time password that must be changed at the next login. It is shown once to the staff
    member and not stored in plain text (the import's old one-time password, if any, is deleted)."""
    if user.role not in assignable_roles(actor) or user.id == actor.id:
        raise NotAllowed(str(_l("You cannot reset this password.")))
    otp = passwords.one_time_password()
    set_password(session, user, otp, must_change=True)
    audit.record(session, actor, "user.reset_password", f"{user.username} ({user.full_name})", target=user, ip=ip)
    return otp


def list_accounts(session: Session, actor: User, *, q: str = "", role: Role | None = None, unit_id: int | None = None,
                  page: int = 1, per_page: int = 50) -> tuple[list[User], int]:
    stmt = access.users_query(actor)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(func.lower(User.username).like(like) | func.lower(User.full_name).like(like))
    if role is not None:
        stmt = stmt.where(User.role == role)
    if unit_id is not None:
        scope = session.scalar(access.units_query(actor).where(Unit.id == unit_id))
        stmt = stmt.where(Unit.path.startswith(scope.path)) if scope else stmt.where(False)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(session.scalars(stmt.order_by(Unit.path, User.full_name).limit(per_page).offset((page - 1) * per_page)))
    return rows, total
