"""A roster import (the accounts it created) and the one-time passwords still waiting to be used."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.models.base import Base, JSONType
from quiz.models.units import Unit


class RosterImport(Base):
    __tablename__ = "roster_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    filename: Mapped[str] = mapped_column(String(255))
    # [{"user_id", "username", "full_name", "class", "date_of_birth"}]; no password (one_time_passwords holds
    # those still valid; imports before migration 0009 had a "password" key, removed by it)
    accounts: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)

    school: Mapped[Unit] = relationship()


class OneTimePassword(Base):
    """The plain one-time password of an imported account, kept only while it is the account's password, so that
    staff can print the class's credential slips again. The row is deleted as soon as the password stops being
    valid: the pupil chose their own, or staff reset it (``quiz.auth.service.set_password``, the one place a
    password is set)."""

    __tablename__ = "one_time_passwords"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    password: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
