"""Listing a bank's questions: filters, accent-insensitive search and keyset paging.

Questions are ordered by ``updated_at desc, id desc``. A page is the next ``per_page`` rows after
(or before) a cursor ``"<updated_at as microseconds>.<id>"``, so the database reads only the rows
it returns, whatever the page number (no ``OFFSET``). The rows shown come with their current
revision and tags in two extra queries (no N+1).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

import question_bank as qb
from quiz.bounded_numbers import db_id, whole_number
from quiz.models import Question, QuestionRevision, QuestionStatus, QuestionTag

PER_PAGE = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class QuestionFilters:
    bank_ids: list[int] = field(default_factory=list)
    pillar: str | None = None
    tag: str | None = None
    difficulty: str | None = None
    status: QuestionStatus | None = None
    language: str | None = None
    q: str = ""

    @classmethod
    def parse(cls, args, bank_ids: list[int]) -> "QuestionFilters":
        """From request arguments; unknown values are ignored rather than refused."""
        def pick(name: str, allowed: set[str]) -> str | None:
            value = (args.get(name) or "").strip()
            return value if value in allowed else None

        status = pick("status", {s.value for s in QuestionStatus})
        return cls(bank_ids=bank_ids, pillar=pick("pillar", {p.value for p in qb.Pillar}),
                   tag=qb.slugify(args.get("tag") or "") or None,
                   difficulty=pick("difficulty", {d.value for d in qb.Difficulty}),
                   status=QuestionStatus(status) if status else None,
                   language=pick("language", set(qb.LANGUAGES)), q=(args.get("q") or "").strip())

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for paging and action links)."""
        args = {"pillar": self.pillar, "tag": self.tag, "difficulty": self.difficulty,
                "status": self.status.value if self.status else None, "language": self.language, "q": self.q}
        return {k: v for k, v in args.items() if v}


@dataclass
class QuestionPage:
    rows: list[Question]
    total: int
    next_cursor: str | None
    prev_cursor: str | None


def filtered_query(filters: QuestionFilters) -> Select[tuple[Question]]:
    stmt = select(Question).where(Question.bank_id.in_(filters.bank_ids))
    if filters.pillar:
        stmt = stmt.where(Question.pillar == filters.pillar)
    if filters.difficulty:
        stmt = stmt.where(Question.difficulty == filters.difficulty)
    if filters.status:
        stmt = stmt.where(Question.status == filters.status)
    if filters.language:
        stmt = stmt.where(Question.languages.contains(filters.language))
    if filters.tag:
        stmt = stmt.where(exists().where(QuestionTag.question_id == Question.id, QuestionTag.tag == filters.tag))
    for word in qb.fold(filters.q).split():
        stmt = stmt.where(Question.search_text.contains(word, autoescape=True))
    return stmt


def encode_cursor(question: Question) -> str:
    delta = question.updated_at - _EPOCH
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{question.id}"


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    try:
        micros, ident = (cursor or "").split(".")
        return _EPOCH + timedelta(microseconds=whole_number(micros, 0, 2**62)), db_id(ident)
    except (ValueError, OverflowError):
        return None


def list_questions(session: Session, filters: QuestionFilters, *, after: str | None = None,
                   before: str | None = None, per_page: int = PER_PAGE) -> QuestionPage:
    """One page of questions, newest change first, with the total matching the filters."""
    if not filters.bank_ids:
        return QuestionPage([], 0, None, None)
    base = filtered_query(filters)
    total = session.scalar(select(func.count()).select_from(base.order_by(None).subquery())) or 0
    going_back = decode_cursor(before) is not None
    mark = decode_cursor(before) if going_back else decode_cursor(after)
    stmt = base
    if mark is not None:
        at, ident = mark
        if going_back:
            stmt = stmt.where(or_(Question.updated_at > at, and_(Question.updated_at == at, Question.id > ident)))
        else:
            stmt = stmt.where(or_(Question.updated_at < at, and_(Question.updated_at == at, Question.id < ident)))
    order = ((Question.updated_at.asc(), Question.id.asc()) if going_back
             else (Question.updated_at.desc(), Question.id.desc()))
    stmt = stmt.order_by(*order).limit(per_page + 1).options(
        selectinload(Question.current_revision), selectinload(Question.tags))
    rows = list(session.scalars(stmt))
    more = len(rows) > per_page
    rows = rows[:per_page]
    if going_back:
        rows.reverse()
        next_cursor = encode_cursor(rows[-1]) if rows else None
        prev_cursor = encode_cursor(rows[0]) if rows and more else None
    else:
        next_cursor = encode_cursor(rows[-1]) if rows and more else None
        prev_cursor = encode_cursor(rows[0]) if rows and mark is not None else None
    return QuestionPage(rows, total, next_cursor, prev_cursor)


def bank_tags(session: Session, bank_id: int, limit: int = 300) -> list[str]:
    """The tags used in a bank, for the filter's suggestions."""
    stmt = (select(QuestionTag.tag).join(Question, Question.id == QuestionTag.question_id)
            .where(Question.bank_id == bank_id).group_by(QuestionTag.tag).order_by(QuestionTag.tag).limit(limit))
    return list(session.scalars(stmt))


def revisions(session: Session, question: Question) -> list[QuestionRevision]:
    """Every revision of a question, newest first, with options."""
    stmt = (select(QuestionRevision).where(QuestionRevision.question_id == question.id)
            .order_by(QuestionRevision.number.desc()).options(selectinload(QuestionRevision.options)))
    return list(session.scalars(stmt))
