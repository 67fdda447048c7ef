"""Organisation units: Department → (area) → school → class."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.models.base import Base


class UnitKind(str, enum.Enum):
    DEPARTMENT = "department"
    AREA = "area"
    SCHOOL = "school"
    CLASS = "class"


# Which kinds may sit directly under which.
ALLOWED_PARENTS: dict[UnitKind, tuple[UnitKind, ...]] = {
    UnitKind.DEPARTMENT: (),
    UnitKind.AREA: (UnitKind.DEPARTMENT,),
    UnitKind.SCHOOL: (UnitKind.DEPARTMENT, UnitKind.AREA),
    UnitKind.CLASS: (UnitKind.SCHOOL,),
}


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[UnitKind] = mapped_column(Enum(UnitKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]))
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    # Materialised path of ids, e.g. "/1/2/5/": descendants are path LIKE '/1/2/%'.
    path: Mapped[str] = mapped_column(String(255), index=True, default="")
    grade: Mapped[int | None] = mapped_column(Integer)
    enrolled: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name")

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def is_within(self, other: Unit) -> bool:
        """True when this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    def __repr__(self) -> str:  # pragma: no cover
        return f"<Unit {self.kind.value} {self.name!r}>"
