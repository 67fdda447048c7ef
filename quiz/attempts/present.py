"""What the student's browser receives: the paper without any answer key, and the review once allowed."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from quiz.attempts import review, scoring
from quiz.models import Attempt, QuestionRevision


def _text(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or next((t for t in texts.values() if t), "")


class _Images:
    """Pictures of the banks: ``<img src="name.png">`` in a stored text becomes the picture's address.
    Looked up only when a text of the paper has a picture, so a paper without any costs nothing."""

    def __init__(self, session: Session, attempt: Attempt) -> None:
        self.session, self.attempt, self.urls = session, attempt, None

    def __call__(self, html: str) -> str:
        if "<img" not in html:
            return html
        from quiz.banks.images import image_urls, resolve

        if self.urls is None:
            from sqlalchemy import select

            from quiz.models import Question

            ids = [aq.question_id for aq in self.attempt.paper]
            banks = set(self.session.scalars(select(Question.bank_id).where(Question.id.in_(ids))))
            self.urls = {}
            for bank_id in banks:
                self.urls.update(image_urls(self.session, bank_id, public=True))
        return resolve(html, self.urls)


@dataclass(frozen=True)
class _PaperTexts:
    """What the paper shows of one revision (no key): a revision's texts never change once it exists."""

    question_id: int
    type: str
    stem: dict[str, str]
    options: dict[int, dict[str, str]]


TEXTS_SECONDS = 600  # bounded anyway, in case a database is restored under a running server
TEXTS_MAX = 20_000


def _paper_texts(session: Session, attempt: Attempt) -> dict[int, _PaperTexts]:
    """The texts of the attempt's revisions, cached per process (per app): a start storm shows the same
    30 revisions to every student, so they are read from the database once, not once per student."""
    store: dict[int, tuple[float, _PaperTexts]] = current_app.extensions.setdefault("quiz.paper_texts", {})
    now = time.monotonic()
    found: dict[int, _PaperTexts] = {}
    for aq in attempt.paper:
        hit = store.get(aq.revision_id)
        if hit is not None and now - hit[0] < TEXTS_SECONDS and hit[1].question_id == aq.question_id:
            found[aq.revision_id] = hit[1]
    missing = [aq.revision_id for aq in attempt.paper if aq.revision_id not in found]
    if missing:
        if len(store) > TEXTS_MAX:
            store.clear()
        revs = session.scalars(select(QuestionRevision).where(QuestionRevision.id.in_(missing))
                               .options(selectinload(QuestionRevision.options)))
        for rev in revs:
            texts = _PaperTexts(rev.question_id, rev.type, dict(rev.stem or {}),
                                {o.id: dict(o.text or {}) for o in rev.options})
            store[rev.id] = (now, texts)
            found[rev.id] = texts
    return found


def attempt_payload(session: Session, attempt: Attempt, lang: str, now: datetime, *, grace: int) -> dict[str, Any]:
    """The attempt as the API shows it. Never contains correctness, points or explanations; once submitted,
    the total score and whether the review with the key is available (if not, ``review_note`` says when)."""
    revisions = _paper_texts(session, attempt)
    answers = scoring.answers_of(session, attempt)
    img = _Images(session, attempt)
    questions = []
    for aq in attempt.paper:
        rev = revisions[aq.revision_id]
        questions.append({
            "id": aq.question_id,
            "text": img(_text(rev.stem, lang)),
            "options": [{"id": oid, "text": img(_text(rev.options[oid], lang))} for oid in aq.option_order],
            "multiple": rev.type == "multiple",
        })
    rnd = attempt.round
    payload: dict[str, Any] = {
        "attempt_id": attempt.id,
        "round_id": rnd.id,
        "title": rnd.title,
        "contest": rnd.contest.title,
        "started_at": attempt.started_at.isoformat(),
        "deadline": attempt.deadline.isoformat(),
        "server_time": now.isoformat(),
        "submitted": attempt.submitted_at is not None,
        "questions": questions,
        "answers": {str(qid): opts for qid, opts in answers.items()},
        "prediction_question": rnd.prediction_question,
        "prediction": attempt.prediction,
    }
    if attempt.submitted_at is not None:
        payload["result"] = result_payload(attempt)
        decision = review.key_decision(session, attempt, now, grace=grace)
        payload["review_available"] = decision.allowed
        if not decision.allowed:
            payload["review_note"] = decision.reason
    return payload


def result_payload(attempt: Attempt) -> dict[str, Any]:
    return {"score": float(attempt.score or 0), "max_score": float(attempt.max_score or 0),
            "duration_ms": attempt.duration_ms}


def review_payload(session: Session, attempt: Attempt, lang: str) -> list[dict[str, Any]]:
    """Each question with the student's answer, the key and the explanation. Only for an attempt whose
    ``review.key_decision`` allows it (the caller checks and records it with ``review.mark_key_shown``)."""
    revisions = scoring.paper_revisions(session, attempt)
    answers = scoring.answers_of(session, attempt)
    img = _Images(session, attempt)
    out = []
    for aq in attempt.paper:
        rev = revisions[aq.revision_id]
        options = {o.id: o for o in rev.options}
        chosen = answers.get(aq.question_id, [])
        earned = scoring.question_score(rev, chosen, aq.points)
        out.append({
            "id": aq.question_id,
            "text": img(_text(rev.stem, lang)),
            "multiple": rev.type == "multiple",
            "options": [{"id": oid, "text": img(_text(options[oid].text, lang)), "correct": options[oid].correct,
                         "chosen": oid in chosen} for oid in aq.option_order],
            "explanation": img(_text(rev.explanation or {}, lang)),
            "points": aq.points,
            "earned": float(earned),
        })
    return out
