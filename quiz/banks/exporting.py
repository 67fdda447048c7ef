"""Exporting a bank's questions to a file: one code path for the export button and ``flask bank export``."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import question_bank as qb
from question_bank import formats
from question_bank.formats import ExportError
from question_bank.markup import slugify
from question_bank.validation import image_references
from quiz.banks.convert import question_to_domain
from quiz.banks.images import pictures_for
from quiz.models import Bank, Question, QuestionRevision, QuestionStatus

# Formats that carry pictures inside the file.
CARRY_IMAGES = {"json", "moodle-xml"}
EXPORT_FORMATS = ("xlsx", "csv", "moodle-xml", "gift", "aiken", "json")


@dataclass
class ExportFile:
    data: bytes
    filename: str
    media_type: str
    count: int


def bank_domains(session: Session, bank: Bank, statuses: list[QuestionStatus] | None = None,
                 *, with_images: bool = True) -> list[qb.Question]:
    """The bank's questions (current revisions), oldest first, optionally only some statuses."""
    stmt = (select(Question).where(Question.bank_id == bank.id, Question.current_revision_id.is_not(None))
            .order_by(Question.id)
            .options(selectinload(Question.current_revision).selectinload(QuestionRevision.options)))
    if statuses:
        stmt = stmt.where(Question.status.in_(statuses))
    domains = [question_to_domain(q) for q in session.scalars(stmt)]
    if with_images:
        _attach_images(session, bank, domains)
    return domains


def _attach_images(session: Session, bank: Bank, domains: list[qb.Question]) -> None:
    used: dict[int, set[str]] = {}
    for i, domain in enumerate(domains):
        texts = [*domain.stem.values(), *domain.explanation.values()]
        texts += [t for option in domain.options for t in option.text.values()]
        names = {name for text in texts for name in image_references(text)}
        if names:
            used[i] = names
    pictures = pictures_for(session, bank.id, set().union(*used.values()) if used else set())
    for i, names in used.items():
        domains[i].images = {name: pictures[name] for name in sorted(names) if name in pictures}


def export_bank(session: Session, bank: Bank, fmt: str, *, language: str = "vi",
                statuses: list[QuestionStatus] | None = None) -> ExportFile:
    """The file of ``bank`` in ``fmt``. Raises ``ExportError`` (with located problems) when the format
    cannot carry some question (e.g. a multiple-answer question in Aiken, a question without text in
    ``language`` in a one-language format)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    domains = bank_domains(session, bank, statuses, with_images=fmt in CARRY_IMAGES)
    data = formats.write(domains, fmt, language=language)
    name = slugify(bank.name) or f"bank-{bank.id}"
    suffix = formats.EXTENSIONS[fmt]
    if fmt in ("moodle-xml", "gift", "aiken"):
        name = f"{name}-{language}"
    return ExportFile(data, f"{name}{suffix}", formats.MEDIA_TYPES[fmt], len(domains))


__all__ = ["EXPORT_FORMATS", "ExportError", "ExportFile", "bank_domains", "export_bank"]
