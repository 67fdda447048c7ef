"""Who may see, edit and draw from which bank.

- ``province`` banks (the Department's): every staff member sees and draws from them; Department
  administrators edit them.
- ``school`` banks: the staff of the owning school see and draw from them; the owning teacher and the
  school's managers edit them. Department administrators see them too.
- ``private`` banks: only the owning teacher.
Students never see banks. A bank outside these rules is a 404.
"""
from __future__ import annotations

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from quiz.errors import NotFound
from quiz.models import Bank, BankVisibility, Role, User


def visible_banks_query(user: User) -> Select[tuple[Bank]]:
    stmt = select(Bank)
    if user.role is Role.ADMIN:
        return stmt.where(or_(Bank.visibility != BankVisibility.PRIVATE, Bank.owner_user_id == user.id))
    if user.role in (Role.MANAGER, Role.TEACHER):
        return stmt.where(or_(
            Bank.visibility == BankVisibility.PROVINCE,
            and_(Bank.visibility == BankVisibility.SCHOOL, Bank.owner_unit_id == user.unit_id),
            Bank.owner_user_id == user.id,
        ))
    return stmt.where(False)


def can_edit(user: User, bank: Bank) -> bool:
    if bank.owner_user_id == user.id:
        return True
    if bank.visibility is BankVisibility.PROVINCE:
        return user.role is Role.ADMIN
    if bank.visibility is BankVisibility.SCHOOL:
        return user.role is Role.MANAGER and bank.owner_unit_id == user.unit_id
    return False


def get_visible_bank(session: Session, user: User, bank_id: int) -> Bank:
    bank = session.scalar(visible_banks_query(user).where(Bank.id == bank_id))
    if bank is None:
        raise NotFound("bank not found")
    return bank
