"""Adding many questions at once (imports, the demo): one flush per batch, no query per question."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

import question_bank as qb
from quiz import clock
from quiz.banks.convert import copy_to_question, new_revision
from quiz.models import Bank, Question, QuestionStatus, User

BATCH = 1000


def insert_questions(session: Session, bank: Bank, domains: list[qb.Question], actor: User | None,
                     status: QuestionStatus = QuestionStatus.DRAFT, *, now: datetime | None = None,
                     batch: int = BATCH) -> list[Question]:
    """Add already validated questions with their first revision (the caller validated them and
    checked their keys are free in the bank). Flushes once per ``batch`` questions."""
    now = now or clock.now()
    actor_id = actor.id if actor else None
    added: list[Question] = []
    for start in range(0, len(domains), batch):
        for domain in domains[start:start + batch]:
            question = Question(bank_id=bank.id, key=domain.key, status=status, created_by_id=actor_id,
                                created_at=now, updated_at=now, type=domain.type.value,
                                difficulty=domain.difficulty.value, languages="", search_text="")
            revision = new_revision(domain, 1, actor_id, now)
            revision.question = question
            copy_to_question(question, revision, domain)
            session.add(question)
            session.add(revision)
            added.append(question)
        session.flush()
    return added
