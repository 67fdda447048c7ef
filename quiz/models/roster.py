"""A roster import: the accounts it created and their one-time passwords."""
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
    # [{"user_id", "username", "full_name", "class", "date_of_birth", "password"}]; the
    # one-time password is only usable until the student changes it at first login.
    accounts: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)

    school: Mapped[Unit] = relationship()
