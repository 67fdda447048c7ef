"""A sample paper of a round, drawn exactly as a student's would be, for the organisers to check."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import question_bank as qb
from quiz.contests.paper import build_paper
from quiz.models import QuestionRevision, Round

# No real account has id 0: the sample is a draw for a fictitious student (and its attempt ``sample``).
PREVIEW_USER_ID = 0


@dataclass
class PreviewOption:
    id: int
    text: str  # sanitised HTML
    correct: bool


@dataclass
class PreviewQuestion:
    id: int
    text: str  # sanitised HTML
    multiple: bool
    options: list[PreviewOption]
    explanation: str
    pillar: str
    difficulty: str


def _text(texts: dict[str, str] | None, lang: str) -> str:
    texts = texts or {}
    return texts.get(lang) or next((t for t in texts.values() if t), "")


def sample_paper(session: Session, rnd: Round, lang: str, sample: int = 1) -> list[PreviewQuestion]:
    """The paper the fictitious student would get at attempt ``sample`` (raises ValidationFailed if it cannot be drawn)."""
    items = build_paper(session, rnd, PREVIEW_USER_ID, max(1, sample))
    revisions = {r.id: r for r in session.scalars(
        select(QuestionRevision).where(QuestionRevision.id.in_([i.revision_id for i in items]))
        .options(selectinload(QuestionRevision.options)))}
    out = []
    for item in items:
        rev = revisions[item.revision_id]
        options = {o.id: o for o in rev.options}
        pillar = qb.Pillar.parse(rev.pillar or "")
        difficulty = qb.Difficulty.parse(rev.difficulty or "")
        out.append(PreviewQuestion(
            id=item.question_id, text=_text(rev.stem, lang), multiple=rev.type == "multiple",
            options=[PreviewOption(oid, _text(options[oid].text, lang), options[oid].correct)
                     for oid in item.option_order],
            explanation=_text(rev.explanation, lang),
            pillar=pillar.label(lang) if pillar else "", difficulty=difficulty.label(lang) if difficulty else ""))
    return out
