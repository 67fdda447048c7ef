"""Creating, editing, finding and listing banks.

- A Department bank belongs to the Department unit and is ``province``-wide; only Department
  administrators create and edit them.
- A teacher's (or a school manager's) own bank belongs to their school and to them; it is
  ``private`` or shared with the ``school``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from quiz import audit, clock
from quiz.banks.access import can_edit, get_visible_bank, visible_banks_query
from quiz.errors import NotAllowed, NotFound, ValidationFailed
from quiz.models import Bank, BankVisibility, Question, QuestionStatus, Role, Unit, UnitKind, User

NAME_MAX = 200


@dataclass
class BankInput:
    name: str
    description: str = ""
    visibility: BankVisibility | None = None


@dataclass
class BankRow:
    """A bank with its question counts by status, for listings."""

    bank: Bank
    counts: dict[QuestionStatus, int] = field(default_factory=dict)
    editable: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: QuestionStatus | str) -> int:
        return self.counts.get(QuestionStatus(status), 0)


def visibility_choices(actor: User) -> list[BankVisibility]:
    """The visibilities a new bank of ``actor`` may have."""
    if actor.role is Role.ADMIN:
        return [BankVisibility.PROVINCE]
    if actor.role in (Role.MANAGER, Role.TEACHER):
        return [BankVisibility.PRIVATE, BankVisibility.SCHOOL]
    return []


def visibility_label(visibility: BankVisibility) -> str:
    labels = {BankVisibility.PRIVATE: _l("private (only me)"), BankVisibility.SCHOOL: _l("shared with my school"),
              BankVisibility.PROVINCE: _l("the whole province")}
    return str(labels[visibility])


def department_unit(session: Session) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.kind == UnitKind.DEPARTMENT).order_by(Unit.id).limit(1))
    if unit is None:
        raise NotFound(str(_l("There is no Department unit yet.")))
    return unit


def _check(session: Session, data: BankInput, owner_unit_id: int, bank: Bank | None) -> str:
    name = " ".join((data.name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [str(_l("Enter a name."))]
    elif len(name) > NAME_MAX:
        errors["name"] = [str(_l("The name is too long (at most %(n)d characters).", n=NAME_MAX))]
    else:
        clash = select(Bank.id).where(Bank.owner_unit_id == owner_unit_id, func.lower(Bank.name) == name.lower())
        if bank is not None:
            clash = clash.where(Bank.id != bank.id)
        if session.scalar(clash.limit(1)):
            errors["name"] = [str(_l("There is already a bank with this name."))]
    if errors:
        raise ValidationFailed(str(_l("The bank was not saved: correct the marked fields.")), errors)
    return name


def create_bank(session: Session, actor: User | None, data: BankInput) -> Bank:
    """A Department bank (``actor`` an admin, or ``None`` for the system) or the actor's own bank."""
    if actor is None or actor.role is Role.ADMIN:
        owner_unit = department_unit(session) if actor is None else actor.unit
        visibility = BankVisibility.PROVINCE
        owner_user_id = None
    elif actor.role in (Role.MANAGER, Role.TEACHER):
        owner_unit = actor.unit
        visibility = data.visibility if data.visibility in visibility_choices(actor) else BankVisibility.PRIVATE
        owner_user_id = actor.id
    else:
        raise NotAllowed(str(_l("Only staff can create question banks.")))
    name = _check(session, data, owner_unit.id, None)
    bank = Bank(name=name, description=(data.description or "").strip(), owner_unit_id=owner_unit.id,
                owner_user_id=owner_user_id, visibility=visibility, created_at=clock.now())
    session.add(bank)
    session.flush()
    audit.record(session, actor, "bank.create", f"Created bank {name}", target=bank,
                 details={"visibility": visibility.value})
    return bank


def update_bank(session: Session, actor: User, bank: Bank, data: BankInput) -> Bank:
    if not can_edit(actor, bank):
        raise NotAllowed(str(_l("You cannot change this bank.")))
    bank.name = _check(session, data, bank.owner_unit_id, bank)
    bank.description = (data.description or "").strip()
    if bank.visibility is not BankVisibility.PROVINCE and data.visibility in (BankVisibility.PRIVATE,
                                                                              BankVisibility.SCHOOL):
        bank.visibility = data.visibility
    session.flush()
    audit.record(session, actor, "bank.update", f"Updated bank {bank.name}", target=bank,
                 details={"visibility": bank.visibility.value})
    return bank


def get_editable_bank(session: Session, actor: User, bank_id: int) -> Bank:
    """A bank ``actor`` may change: 404 when they cannot see it, 403 when they can only read it."""
    bank = get_visible_bank(session, actor, bank_id)
    if not can_edit(actor, bank):
        raise NotAllowed(str(_l("You can read this bank but not change it.")))
    return bank


def find_bank(session: Session, ident: str) -> Bank | None:
    """The bank whose id is ``ident`` (digits) or whose name is exactly ``ident`` (for the CLI).
    Raises ``ValidationFailed`` when several banks have that name."""
    ident = (ident or "").strip()
    if ident.isdigit():
        found = session.get(Bank, int(ident))
        if found is not None:
            return found
    banks = list(session.scalars(select(Bank).where(Bank.name == ident).order_by(Bank.id)))
    if len(banks) > 1:
        ids = ", ".join(str(b.id) for b in banks)
        raise ValidationFailed(str(_l("Several banks are named %(name)s (ids %(ids)s): give the id instead.",
                                      name=ident, ids=ids)))
    return banks[0] if banks else None


def status_counts(session: Session, bank_ids: list[int]) -> dict[int, dict[QuestionStatus, int]]:
    """``{bank_id: {status: count}}`` in one query."""
    counts: dict[int, dict[QuestionStatus, int]] = {bank_id: {} for bank_id in bank_ids}
    if not bank_ids:
        return counts
    rows = session.execute(select(Question.bank_id, Question.status, func.count())
                           .where(Question.bank_id.in_(bank_ids)).group_by(Question.bank_id, Question.status))
    for bank_id, status, n in rows:
        counts[bank_id][QuestionStatus(status)] = n
    return counts


def _rows(session: Session, banks: list[Bank], actor: User | None) -> list[BankRow]:
    counts = status_counts(session, [b.id for b in banks])
    return [BankRow(bank, counts[bank.id], editable=actor is None or can_edit(actor, bank)) for bank in banks]


def list_banks(session: Session, actor: User) -> list[BankRow]:
    """The banks ``actor`` may see (Department banks first, then by name) with counts by status."""
    stmt = (visible_banks_query(actor).options(joinedload(Bank.owner_unit), joinedload(Bank.owner_user))
            .order_by((Bank.visibility == BankVisibility.PROVINCE).desc(), Bank.name, Bank.id))
    return _rows(session, list(session.scalars(stmt)), actor)


def list_all_banks(session: Session) -> list[BankRow]:
    """Every bank (the CLI acts as the system), by id."""
    stmt = select(Bank).options(joinedload(Bank.owner_unit), joinedload(Bank.owner_user)).order_by(Bank.id)
    return _rows(session, list(session.scalars(stmt)), None)
