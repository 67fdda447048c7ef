"""Accounts and roles."""
from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, Enum, ForeignKey, String, Table, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from question_bank.markup import fold
from quiz.models.base import Base
from quiz.models.units import Unit, UnitKind


class Role(str, enum.Enum):
    ADMIN = "admin"  # department administrator (Sở GD&ĐT)
    MANAGER = "manager"  # school manager
    TEACHER = "teacher"
    STUDENT = "student"


# The kind of unit each role's account is attached to.
ROLE_UNIT_KIND: dict[Role, UnitKind] = {
    Role.ADMIN: UnitKind.DEPARTMENT,
    Role.MANAGER: UnitKind.SCHOOL,
    Role.TEACHER: UnitKind.SCHOOL,
    Role.STUDENT: UnitKind.CLASS,
}

teacher_classes = Table(
    "teacher_classes",
    Base.metadata,
    Column("teacher_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("class_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # full name and username folded (no accents, lower case: "Nguyễn Đức" → "nguyen duc"), kept by the ORM events
    # below, so that searching for a pupil finds "Nguyễn" when "nguyen" is typed
    search_name: Mapped[str] = mapped_column(String(300), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(10))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Rotated at logout and password change: invalidates every older session cookie.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship(lazy="joined")
    classes: Mapped[list[Unit]] = relationship(secondary=teacher_classes, order_by="Unit.name")

    # -- Flask-Login protocol ----------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    # -- convenience ---------------------------------------------------------
    @property
    def school_id(self) -> int | None:
        """The school this account belongs to (None for the Department)."""
        if self.role in (Role.MANAGER, Role.TEACHER):
            return self.unit_id
        if self.role is Role.STUDENT:
            return self.unit.parent_id
        return None

    def __repr__(self) -> str:  # pragma: no cover
        return f"<User {self.username} {self.role.value}>"


def search_name_of(full_name: str | None, username: str | None) -> str:
    return fold(f"{full_name or ''} {username or ''}")[:300]


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _fold_search_name(_mapper, _connection, user: User) -> None:
    user.search_name = search_name_of(user.full_name, user.username)
