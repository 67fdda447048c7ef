"""Choosing questions for a fixed paper, and the banks a stratified draw may use."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import question_bank as qb
from quiz.banks.access import visible_banks_query
from quiz.models import Bank, Question, QuestionRevision, QuestionStatus, User

MAX_RESULTS = 50


@dataclass
class PickerItem:
    id: int
    text: str  # plain text of the stem, in the page's language when there is one
    bank: str
    pillar: str
    difficulty: str


def usable_banks(session: Session, user: User) -> list[Bank]:
    return list(session.scalars(visible_banks_query(user).order_by(Bank.name, Bank.id)))


def _items(questions: list[Question], banks: dict[int, Bank], lang: str) -> list[PickerItem]:
    out = []
    for q in questions:
        rev = q.current_revision
        stem = (rev.stem.get(lang) or next((t for t in rev.stem.values() if t), "")) if rev else ""
        pillar = qb.Pillar.parse(q.pillar or "")
        difficulty = qb.Difficulty.parse(q.difficulty or "")
        out.append(PickerItem(q.id, qb.to_plain_text(stem), banks[q.bank_id].name if q.bank_id in banks else "",
                              pillar.label(lang) if pillar else "", difficulty.label(lang) if difficulty else ""))
    return out


def _approved_visible(user: User):
    bank_ids = visible_banks_query(user).with_only_columns(Bank.id)
    return (select(Question).where(Question.status == QuestionStatus.APPROVED, Question.bank_id.in_(bank_ids))
            .options(selectinload(Question.current_revision).selectinload(QuestionRevision.options)))


def search(session: Session, user: User, query: str, lang: str, exclude: list[int] = (),
           bank_id: int | None = None, limit: int = MAX_RESULTS) -> list[PickerItem]:
    """Approved questions of banks ``user`` may use whose text contains ``query`` (accents and case ignored)."""
    folded = qb.fold(query)
    stmt = _approved_visible(user)
    for word in folded.split()[:8]:
        stmt = stmt.where(Question.search_text.contains(word, autoescape=True))
    if bank_id:
        stmt = stmt.where(Question.bank_id == bank_id)
    if exclude:
        stmt = stmt.where(Question.id.not_in(list(exclude)))
    questions = list(session.scalars(stmt.order_by(Question.bank_id, Question.id).limit(limit)))
    return _items(questions, {b.id: b for b in usable_banks(session, user)}, lang)


def chosen(session: Session, user: User, ids: list[int], lang: str) -> list[PickerItem]:
    """The chosen questions in the order given (ids ``user`` may not use are left out)."""
    if not ids:
        return []
    bank_ids = visible_banks_query(user).with_only_columns(Bank.id)
    found = {q.id: q for q in session.scalars(
        select(Question).where(Question.id.in_(ids), Question.bank_id.in_(bank_ids))
        .options(selectinload(Question.current_revision)))}
    return _items([found[i] for i in dict.fromkeys(ids) if i in found],
                  {b.id: b for b in usable_banks(session, user)}, lang)
