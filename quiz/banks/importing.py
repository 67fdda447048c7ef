"""Importing a question file into a bank: one code path for the upload page and ``flask bank import``.

1. :func:`plan_import` reads the file (``question_bank.formats.read``: format detected from the
   content and the extension), then checks it against the bank: keys already used, images whose
   name is taken by another picture, near-duplicate stems of questions already in the bank. It
   writes nothing.
2. :func:`apply_import` writes the plan, all or nothing: it refuses a plan with any problem, and the
   caller commits once (the CLI and the page roll back on any error).

A question whose key is already in the bank updates that question (a new revision when the current
one is approved or used by an attempt); every other question is added, as a draft unless
``approve`` is asked.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import question_bank as qb
from question_bank import formats
from question_bank.validation import Location, Problem
from quiz import audit, clock
from quiz.banks import images as bank_images
from quiz.banks.convert import normalized, question_to_domain
from quiz.banks.inserting import insert_questions
from quiz.banks.questions import revise, set_status
from quiz.banks.similar import Similar, similar_for_many
from quiz.db import in_batches
from quiz.errors import ValidationFailed
from quiz.models import Bank, BankImage, Question, QuestionStatus, User


class BankProblem(Problem):
    """A problem found by checking a file against the bank (its messages live here, not in question_bank)."""

    TEXTS = {
        "image_name_taken": {
            "vi": "ảnh «{name}» trùng tên với một ảnh khác đã có trong ngân hàng; hãy đổi tên ảnh",
            "en": "image “{name}” has the name of a different picture already in the bank; rename it",
        },
        "bad_image": {
            "vi": "ảnh «{name}» không dùng được: {reason}",
            "en": "image “{name}” cannot be used: {reason}",
        },
    }

    def message(self, lang: str = "vi") -> str:
        texts = self.TEXTS[self.code]
        return texts.get(lang, texts["vi"]).format(**{k: (v.get(lang, v.get("vi")) if isinstance(v, dict) else v)
                                                       for k, v in self.params.items()})


@dataclass
class Duplicate:
    """An imported question whose stem is near-identical to a question already in the bank."""

    location: Location
    similar: Similar

    def describe(self, lang: str = "vi") -> str:
        text = self.similar.text if len(self.similar.text) <= 90 else self.similar.text[:89] + "…"
        if lang == "en":
            return (f"{self.location.describe('en')}: the stem is {self.similar.percent}% like question "
                    f"#{self.similar.question_id} already in the bank: “{text}”")
        return (f"{self.location.describe('vi')}: nội dung câu hỏi giống {self.similar.percent}% câu "
                f"#{self.similar.question_id} đã có trong ngân hàng: «{text}»")


@dataclass
class ImportPlan:
    filename: str
    format: str
    questions: list[tuple[Location, qb.Question]]
    problems: list[Problem]
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    updates: dict[str, int] = field(default_factory=dict)  # key → id of the bank question it updates

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.questions)

    def problem_lines(self, lang: str = "vi") -> list[str]:
        return [p.describe(lang) for p in self.problems]

    def warning_lines(self, lang: str = "vi") -> list[str]:
        return [p.describe(lang) for p in self.warnings] + [d.describe(lang) for d in self.duplicates]

    def skipped_lines(self, lang: str = "vi") -> list[str]:
        return [p.describe(lang) for p in self.skipped]

    @property
    def new_count(self) -> int:
        return sum(1 for _, q in self.questions if not (q.key and q.key in self.updates))


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    images: int = 0
    question_ids: list[int] = field(default_factory=list)


def plan_import(session: Session, bank: Bank | None, data: bytes, filename: str, *,
                skip_unsupported: bool = False, language: str = "vi", find_duplicates: bool = True,
                max_questions: int | None = formats.MAX_QUESTIONS) -> ImportPlan:
    """Read ``data`` and check it against ``bank`` (``None``: a bank that does not exist yet).
    ``find_duplicates=False`` skips the search for look-alikes of the bank's questions (a warning only:
    the confirmation step, which already showed them, does not need it). A file of more than
    ``max_questions`` questions is refused before any of the checks against the bank."""
    result = formats.read(data, filename, language=language, skip_unsupported=skip_unsupported,
                          max_questions=max_questions)
    plan = ImportPlan(filename=filename, format=result.format, questions=list(result.questions),
                      problems=list(result.problems), skipped=list(result.skipped), warnings=list(result.warnings))
    if not plan.problems and not plan.questions:
        plan.problems.append(Problem("file", "empty_file", {}, Location(filename)))
    if bank is None or not plan.questions:
        return plan
    plan.updates = keys_in_bank(session, bank.id, [q.key for _, q in plan.questions if q.key])
    plan.problems += _image_clashes(session, bank, plan.questions)
    if not find_duplicates:
        return plan
    domains = [q for _, q in plan.questions]
    for index, similar in sorted(similar_for_many(session, bank.id, domains).items()):
        location = plan.questions[index][0]
        plan.duplicates += [Duplicate(location, s) for s in similar[:1]]
    return plan


def keys_in_bank(session: Session, bank_id: int, keys: list[str]) -> dict[str, int]:
    """``{key: question id}`` for the ``keys`` already used in the bank (looked up in batches: a file may
    hold more keys than one statement takes parameters)."""
    found: dict[str, int] = {}
    for batch in in_batches(keys):
        found.update(session.execute(select(Question.key, Question.id)
                                     .where(Question.bank_id == bank_id, Question.key.in_(batch))).all())
    return found


def _image_clashes(session: Session, bank: Bank, questions: list[tuple[Location, qb.Question]]) -> list[Problem]:
    """Images of the file that cannot be stored: a bad picture, or a name already used in the bank by a
    different picture."""
    names = {name for _, q in questions for name in q.images}
    if not names:
        return []
    stored: dict[str, str] = {}
    for batch in in_batches(sorted(names)):
        stored.update(session.execute(select(BankImage.filename, BankImage.sha256)
                                      .where(BankImage.bank_id == bank.id, BankImage.filename.in_(batch))).all())
    problems: list[Problem] = []
    for location, question in questions:
        for name, blob in question.images.items():
            reason = bank_images.image_problem(name, blob)
            if reason is not None:
                problems.append(BankProblem("images", "bad_image", {"name": name, "reason": reason}, location))
            elif name in stored and stored[name] != hashlib.sha256(blob).hexdigest():
                problems.append(BankProblem("images", "image_name_taken", {"name": name}, location))
    return problems


def apply_import(session: Session, actor: User | None, bank: Bank, plan: ImportPlan, *,
                 approve: bool = False) -> ImportSummary:
    """Write every question of ``plan`` (flushes; the caller commits). Nothing is written when the plan
    has a problem: ``ValidationFailed`` lists them."""
    if not plan.ok:
        errors = {str(_l("File")): plan.problem_lines("vi")} if plan.problems else {}
        raise ValidationFailed(str(_l("Nothing was imported: the file has problems.")), errors)
    now = clock.now()
    summary = ImportSummary()
    summary.images = _store_images(session, bank, [q for _, q in plan.questions], now)
    existing = {}
    for batch in in_batches(plan.updates.values()):
        rows = session.scalars(select(Question).where(Question.id.in_(batch))
                               .options(selectinload(Question.current_revision), selectinload(Question.tags)))
        existing.update((q.key, q) for q in rows)
    fresh = []
    for _, domain in plan.questions:
        question = existing.get(domain.key) if domain.key else None
        if question is None:
            fresh.append(domain)
            continue
        if question_to_domain(question).to_dict() != normalized(domain).to_dict():
            revise(session, question, domain, actor)
            summary.updated += 1
        else:
            summary.unchanged += 1
        if approve and question.status is not QuestionStatus.APPROVED:
            set_status(question, QuestionStatus.APPROVED)
        summary.question_ids.append(question.id)
    status = QuestionStatus.APPROVED if approve else QuestionStatus.DRAFT
    added = insert_questions(session, bank, fresh, actor, status, now=now)
    summary.added = len(added)
    summary.question_ids += added
    audit.record(session, actor, "bank.import",
                 f"Imported {plan.filename} into bank {bank.name}: {summary.added} added, {summary.updated} updated",
                 target=bank, details={"format": plan.format, "added": summary.added, "updated": summary.updated,
                                       "unchanged": summary.unchanged, "approved": approve})
    return summary


def _store_images(session: Session, bank: Bank, domains: list[qb.Question], now) -> int:
    pictures: dict[str, bytes] = {}
    for domain in domains:
        pictures.update(domain.images)
    stored = 0
    for name, blob in sorted(pictures.items()):
        if bank_images.store_image(session, bank, name, blob, now) is not None:
            stored += 1
    return stored
