"""The one place that converts between question rows and ``question_bank.Question``."""
from __future__ import annotations

from datetime import datetime

import question_bank as qb
from question_bank.markup import fold, to_plain_text
from quiz.models import Question, QuestionOption, QuestionRevision, QuestionTag


def revision_to_domain(rev: QuestionRevision, key: str | None = None) -> qb.Question:
    return qb.Question(
        type=qb.QuestionType(rev.type),
        stem=dict(rev.stem),
        options=[qb.Option(text=dict(o.text), correct=o.correct) for o in rev.options],
        explanation=dict(rev.explanation or {}),
        pillar=qb.Pillar(rev.pillar) if rev.pillar else None,
        tags=list(rev.tags or []),
        difficulty=qb.Difficulty(rev.difficulty),
        source=rev.source or "",
        name=rev.name or "",
        key=key,
    )


def question_to_domain(question: Question) -> qb.Question:
    assert question.current_revision is not None
    return revision_to_domain(question.current_revision, question.key)


def _clean(texts: dict[str, str]) -> dict[str, str]:
    return {lang: qb.sanitize(text) for lang, text in texts.items() if text}


def revision_fields(domain: qb.Question, number: int, created_by_id: int | None, now: datetime) -> dict:
    """The column values of a revision holding ``domain``'s content, sanitised (options apart)."""
    return {"number": number, "type": domain.type.value, "stem": _clean(domain.stem),
            "explanation": _clean(domain.explanation), "pillar": domain.pillar.value if domain.pillar else None,
            "difficulty": domain.difficulty.value, "tags": sorted(set(domain.tags)), "source": domain.source or "",
            "name": domain.name or "", "created_by_id": created_by_id, "created_at": now}


def option_fields(domain: qb.Question) -> list[dict]:
    return [{"position": i, "text": _clean(o.text), "correct": o.correct} for i, o in enumerate(domain.options)]


def question_copies(domain: qb.Question) -> dict:
    """The searchable copies a question keeps of its current revision (see ``copy_to_question``)."""
    return {"type": domain.type.value, "pillar": domain.pillar.value if domain.pillar else None,
            "difficulty": domain.difficulty.value, "languages": ",".join(domain.languages),
            "search_text": search_text(domain)}


def new_revision(domain: qb.Question, number: int, created_by_id: int | None, now: datetime) -> QuestionRevision:
    """A revision row (with its options) holding ``domain``'s content, already sanitised."""
    return QuestionRevision(**revision_fields(domain, number, created_by_id, now),
                            options=[QuestionOption(**fields) for fields in option_fields(domain)])


def search_text(domain: qb.Question) -> str:
    """Accent-free, lower-case text of the stems (all languages), the name and the key, for searching."""
    parts = [to_plain_text(text) for text in domain.stem.values()] + [domain.name or "", domain.key or ""]
    return fold(" ".join(p for p in parts if p))


def copy_to_question(question: Question, rev: QuestionRevision, domain: qb.Question) -> None:
    """Keep the question's searchable copies in step with its current revision."""
    question.current_revision = rev
    question.type = rev.type
    question.pillar = rev.pillar
    question.difficulty = rev.difficulty
    question.languages = ",".join(domain.languages)
    question.search_text = search_text(domain)
    wanted = set(rev.tags or [])
    question.tags = [t for t in question.tags if t.tag in wanted] + [
        QuestionTag(tag=t) for t in sorted(wanted - {t.tag for t in question.tags})]


def normalized(domain: qb.Question) -> qb.Question:
    """``domain`` as it reads back once stored (sanitised texts, sorted unique tags, no images), to tell
    whether saving it would change anything."""
    return revision_to_domain(new_revision(domain, 1, None, datetime.min), domain.key)
