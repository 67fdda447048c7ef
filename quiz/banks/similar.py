"""Near-duplicate warnings: a new or imported question whose stem is almost the same as one already
in the bank. A warning only; nothing is refused because of it."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

import question_bank as qb
from question_bank.duplicates import near_duplicates
from quiz.models import Question, QuestionRevision

THRESHOLD = 0.9


@dataclass(frozen=True)
class Similar:
    """An existing question of the bank that a new one resembles."""

    question_id: int
    key: str | None
    text: str  # plain text of its stem
    score: float

    @property
    def percent(self) -> int:
        return int(self.score * 100)


def stem_text(stem: dict[str, str], lang: str = "vi") -> str:
    """The stem used for comparing: ``lang`` if present, else the first language it has."""
    if stem.get(lang):
        return stem[lang]
    return next((text for text in stem.values() if text), "")


def _existing(session: Session, bank_id: int, extra=None) -> list[tuple[int, str | None, str]]:
    stmt = (select(Question.id, Question.key, QuestionRevision.stem)
            .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
            .where(Question.bank_id == bank_id))
    if extra is not None:
        stmt = stmt.where(extra)
    return [(qid, key, stem_text(stem or {})) for qid, key, stem in session.execute(stmt)]


def _prefilter(text: str):
    """SQL condition on ``search_text`` every near-identical stem meets: it contains at least two of
    the three longest words of ``text`` (all of them when it has fewer than three)."""
    words = sorted(set(qb.stem_fingerprint(text).split()), key=lambda w: (-len(w), w))[:3]
    if not words:
        return None
    def has(word: str):
        return Question.search_text.contains(word, autoescape=True)
    if len(words) < 3:
        return and_(*[has(w) for w in words])
    return or_(*[and_(has(a), has(b)) for a, b in combinations(words, 2)])


def similar_in_bank(session: Session, bank_id: int, domain: qb.Question, *, exclude_id: int | None = None,
                    threshold: float = THRESHOLD, limit: int = 5) -> list[Similar]:
    """Existing questions of the bank whose stem is near-identical to ``domain``'s, best first."""
    text = stem_text(domain.stem)
    condition = _prefilter(text)
    if condition is None:
        return []
    if exclude_id is not None:
        condition = and_(condition, Question.id != exclude_id)
    found = []
    for qid, key, other in _existing(session, bank_id, condition):
        score = qb.similarity(text, other, at_least=threshold)
        if score >= threshold:
            found.append(Similar(qid, key, qb.to_plain_text(other), score))
    found.sort(key=lambda s: (-s.score, s.question_id))
    return found[:limit]


def similar_for_many(session: Session, bank_id: int, domains: list[qb.Question], *,
                     threshold: float = THRESHOLD) -> dict[int, list[Similar]]:
    """For an import: ``{index in domains: [similar existing questions]}``, reading the bank's stems
    once. A question is not compared with the existing question of the same key (it updates it)."""
    existing = _existing(session, bank_id)
    if not existing or not domains:
        return {}
    texts = [text for _, _, text in existing] + [stem_text(d.stem) for d in domains]
    offset = len(existing)
    found: dict[int, list[Similar]] = {}
    for i, j, score in near_duplicates(texts, threshold):
        if i >= offset or j < offset:
            continue  # both existing, or both new (the reader already warns about the latter)
        qid, key, other = existing[i]
        domain = domains[j - offset]
        if domain.key and domain.key == key:
            continue
        found.setdefault(j - offset, []).append(Similar(qid, key, qb.to_plain_text(other), score))
    return found
