"""Writing questions from the edit page, the review workflow and bulk actions.

Who may do what: everyone who may **edit** the bank (``quiz.banks.access.can_edit``: Department
administrators for the Department's banks, the owner and — for banks shared with a school — that
school's managers) writes questions and moves them through draft → in review → approved → retired,
one at a time or in bulk. Others who can see the bank only read it (and draw approved questions into
their contests). Every change is recorded in the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import question_bank as qb
from quiz import audit
from quiz.banks.access import can_edit, get_visible_bank
from quiz.banks.convert import normalized, question_to_domain
from quiz.banks.editing import QuestionForm, to_domain
from quiz.banks.questions import TRANSITIONS, add_question, revise, set_status, status_label
from quiz.banks.similar import Similar, similar_in_bank
from quiz.errors import NotAllowed, NotFound, ValidationFailed
from quiz.models import Bank, Question, QuestionStatus, User

BULK_MAX = 500


def _require_editor(actor: User, bank: Bank) -> None:
    if not can_edit(actor, bank):
        raise NotAllowed(str(_l("You can read this bank but not change it.")))


def get_question(session: Session, actor: User, bank_id: int, question_id: int) -> Question:
    """A question of a bank ``actor`` can see (404 otherwise)."""
    bank = get_visible_bank(session, actor, bank_id)
    question = session.get(Question, question_id)
    if question is None or question.bank_id != bank.id:
        raise NotFound("question not found")
    return question


def check_form(data: QuestionForm, lang: str = "vi") -> tuple[qb.Question | None, list[qb.Problem]]:
    """The question of the form and every problem with it (field problems first)."""
    domain, problems = to_domain(data)
    if domain is None:
        return None, problems
    return domain, qb.validate(domain)


def _fail(problems: list[qb.Problem], lang: str) -> ValidationFailed:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field or "question", []).append(problem.describe(lang))
    return ValidationFailed(str(_l("The question was not saved: correct the marked fields.")), errors)


def _check_key(session: Session, bank: Bank, key: str | None, question_id: int | None, lang: str) -> None:
    if not key:
        return
    stmt = select(Question.id).where(Question.bank_id == bank.id, Question.key == key)
    if question_id is not None:
        stmt = stmt.where(Question.id != question_id)
    if session.scalar(stmt.limit(1)) is not None:
        message = (f"Mã «{key}» đã được dùng cho một câu khác trong ngân hàng" if lang == "vi"
                   else f"Key “{key}” is already used by another question of the bank")
        raise ValidationFailed(str(_l("The question was not saved: correct the marked fields.")), {"key": [message]})


def create_question(session: Session, actor: User, bank: Bank, data: QuestionForm, *, lang: str = "vi") -> Question:
    _require_editor(actor, bank)
    domain, problems = check_form(data, lang)
    if problems or domain is None:
        raise _fail(problems, lang)
    _check_key(session, bank, domain.key, None, lang)
    question = add_question(session, bank, domain, actor, QuestionStatus.DRAFT, validate=False)
    audit.record(session, actor, "question.create", f"Added question #{question.id} to bank {bank.name}",
                 target=question)
    return question


def update_question(session: Session, actor: User, question: Question, data: QuestionForm, *,
                    lang: str = "vi") -> bool:
    """Save the form; ``False`` when nothing changed. An approved or used revision gets a successor."""
    _require_editor(actor, question.bank)
    domain, problems = check_form(data, lang)
    if problems or domain is None:
        raise _fail(problems, lang)
    _check_key(session, question.bank, domain.key, question.id, lang)
    if question_to_domain(question).to_dict() == normalized(domain).to_dict():
        return False
    rev = revise(session, question, domain, actor)
    audit.record(session, actor, "question.update", f"Saved question #{question.id} (revision {rev.number})",
                 target=question, details={"revision": rev.number})
    return True


def similar_to(session: Session, bank: Bank, domain: qb.Question, exclude_id: int | None = None) -> list[Similar]:
    return similar_in_bank(session, bank.id, domain, exclude_id=exclude_id)


def change_status(session: Session, actor: User, question: Question, status: QuestionStatus) -> None:
    _require_editor(actor, question.bank)
    before = question.status
    set_status(question, status)
    if before is not status:
        audit.record(session, actor, "question.status", f"Question #{question.id}: {before.value} → {status.value}",
                     target=question, details={"from": before.value, "to": status.value})


@dataclass
class BulkResult:
    changed: int = 0
    unchanged: int = 0  # already in that state / already tagged
    refused: int = 0  # the workflow does not allow that move


BULK_ACTIONS = ("approve", "review", "retire", "draft", "tag", "untag")
_TARGET = {"approve": QuestionStatus.APPROVED, "review": QuestionStatus.REVIEW, "retire": QuestionStatus.RETIRED,
           "draft": QuestionStatus.DRAFT}


def bulk_action(session: Session, actor: User, bank: Bank, ids: list[int], action: str, tag: str = "") -> BulkResult:
    """Apply ``action`` to the chosen questions of ``bank`` (ids of other banks are ignored)."""
    _require_editor(actor, bank)
    if action not in BULK_ACTIONS:
        raise ValidationFailed(str(_l("Choose an action.")))
    if not ids:
        raise ValidationFailed(str(_l("Tick at least one question.")))
    if len(ids) > BULK_MAX:
        raise ValidationFailed(str(_l("At most %(n)d questions at a time.", n=BULK_MAX)))
    slug = qb.slugify(tag)
    if action in ("tag", "untag") and not slug:
        raise ValidationFailed(str(_l("Enter the tag.")))
    questions = list(session.scalars(select(Question).where(Question.bank_id == bank.id, Question.id.in_(ids))
                                     .options(selectinload(Question.tags))))
    result = BulkResult()
    for question in questions:
        if action in _TARGET:
            target = _TARGET[action]
            if question.status is target:
                result.unchanged += 1
            elif target not in TRANSITIONS[question.status]:
                result.refused += 1
            else:
                set_status(question, target)
                result.changed += 1
        elif _retag(session, actor, question, slug, add=action == "tag"):
            result.changed += 1
        else:
            result.unchanged += 1
    session.flush()
    audit.record(session, actor, "question.bulk", f"Bulk {action} on {result.changed} questions of bank {bank.name}",
                 target=bank, details={"action": action, "tag": slug or None, "ids": [q.id for q in questions][:100]})
    return result


def _retag(session: Session, actor: User, question: Question, tag: str, *, add: bool) -> bool:
    """Add or remove a tag: tags are content, so this saves the question like an edit (a new revision
    when the current one is approved or used)."""
    domain = question_to_domain(question)
    tags = set(domain.tags)
    if (tag in tags) == add:
        return False
    domain.tags = sorted(tags | {tag}) if add else sorted(tags - {tag})
    revise(session, question, domain, actor)
    return True


def status_choices(question: Question) -> list[tuple[QuestionStatus, str]]:
    """The statuses ``question`` may move to, with their labels, in workflow order."""
    return [(s, status_label(s)) for s in QuestionStatus if s in TRANSITIONS[question.status]]


__all__ = ["BULK_ACTIONS", "BulkResult", "bulk_action", "change_status", "check_form",
           "create_question", "get_question", "similar_to", "status_choices", "update_question"]
