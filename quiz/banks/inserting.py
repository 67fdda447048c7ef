"""Adding many questions at once (imports, the demo): a few multi-row statements per batch instead of
ORM objects, so that a 10,000-question file is written in seconds."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

import question_bank as qb
from quiz import clock
from quiz.banks.convert import option_fields, question_copies, revision_fields
from quiz.models import Bank, Question, QuestionOption, QuestionRevision, QuestionStatus, QuestionTag, User

BATCH = 1000


def insert_questions(session: Session, bank: Bank, domains: list[qb.Question], actor: User | None,
                     status: QuestionStatus = QuestionStatus.DRAFT, *, now: datetime | None = None,
                     batch: int = BATCH) -> list[int]:
    """Add already validated questions with their first revision and return their ids, in order (the
    caller validated them and checked their keys are free in the bank). Flushes pending changes first;
    the new rows are not loaded into the session."""
    now = now or clock.now()
    actor_id = actor.id if actor else None
    session.flush()
    ids: list[int] = []
    for start in range(0, len(domains), batch):
        chunk = domains[start:start + batch]
        question_rows = [{"bank_id": bank.id, "key": d.key, "status": status, "created_by_id": actor_id,
                          "created_at": now, "updated_at": now, **question_copies(d)} for d in chunk]
        question_ids = list(session.scalars(
            insert(Question).returning(Question.id, sort_by_parameter_order=True), question_rows))
        revision_rows = [{"question_id": qid, **revision_fields(d, 1, actor_id, now)}
                         for qid, d in zip(question_ids, chunk)]
        revision_ids = list(session.scalars(
            insert(QuestionRevision).returning(QuestionRevision.id, sort_by_parameter_order=True), revision_rows))
        options = [{"revision_id": rid, **fields} for rid, d in zip(revision_ids, chunk) for fields in option_fields(d)]
        if options:
            session.execute(insert(QuestionOption), options)
        tags = [{"question_id": qid, "tag": tag} for qid, d in zip(question_ids, chunk) for tag in sorted(set(d.tags))]
        if tags:
            session.execute(insert(QuestionTag), tags)
        session.execute(update(Question), [{"id": qid, "current_revision_id": rid}
                                           for qid, rid in zip(question_ids, revision_ids)])
        ids += question_ids
    return ids
