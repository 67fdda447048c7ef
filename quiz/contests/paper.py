"""Papers: what each student's attempt contains, reproducibly from the round's seed.

A fixed paper lists approved questions; a stratified draw takes N approved questions per
pillar × difficulty from the round's banks. The draw and the order of questions and of
options come from ``random.Random(f"{round.seed}:{student id}:{attempt number}")``, so the
same student always gets the same paper back.

A question of a fixed paper that is no longer approved (retired, or sent back to review after the round was
saved) never gives a student an error: once a student of the round has started, later students get the same
revision the first ones received (everyone in the round answers the same questions); before anyone started it
is left out, and the organiser's contest page warns about it (``unusable_fixed_questions``) so it can be
replaced while the paper can still be edited. A stratified draw only ever draws approved questions.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz.errors import ValidationFailed
from quiz.models import (Attempt, AttemptQuestion, PaperMode, Question, QuestionOption, QuestionRevision,
                         QuestionStatus, Round, RoundQuestion)
from question_bank import Difficulty, Pillar


@dataclass(frozen=True)
class PaperItem:
    question_id: int
    revision_id: int
    option_order: list[int]


def availability(session: Session, bank_ids: list[int]) -> dict[tuple[str, str], int]:
    """Approved questions per (pillar, difficulty) in these banks."""
    if not bank_ids:
        return {}
    rows = session.execute(
        select(Question.pillar, Question.difficulty, func.count())
        .where(Question.bank_id.in_(bank_ids), Question.status == QuestionStatus.APPROVED, Question.pillar.is_not(None))
        .group_by(Question.pillar, Question.difficulty))
    return {(p, d): n for p, d, n in rows}


def blueprint_problems(session: Session, bank_ids: list[int], cells: dict[tuple[str, str], int]) -> dict[str, list[str]]:
    """Why a stratified draw cannot be made (empty when it can)."""
    errors: dict[str, list[str]] = {}
    if not bank_ids:
        errors["bank_ids"] = [str(_l("Choose at least one bank to draw from."))]
    if sum(cells.values()) <= 0:
        errors["blueprint"] = [str(_l("The paper must have at least one question."))]
    available = availability(session, bank_ids)
    for (pillar, difficulty), wanted in sorted(cells.items()):
        have = available.get((pillar, difficulty), 0)
        if wanted > have:
            errors.setdefault("blueprint", []).append(str(_l(
                "%(pillar)s, %(difficulty)s: %(wanted)d questions wanted but only %(have)d approved ones are available.",
                pillar=Pillar(pillar).label(_lang()), difficulty=Difficulty(difficulty).label(_lang()).lower(),
                wanted=wanted, have=have)))
    return errors


def fixed_problems(session: Session, question_ids: list[int], visible_bank_ids: set[int]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not question_ids:
        return {"question_ids": [str(_l("The paper must have at least one question."))]}
    if len(set(question_ids)) != len(question_ids):
        errors["question_ids"] = [str(_l("A question is listed twice."))]
    found = {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(question_ids)))}
    bad = [str(qid) for qid in question_ids
           if qid not in found or found[qid].bank_id not in visible_bank_ids
           or found[qid].status is not QuestionStatus.APPROVED]
    if bad:
        errors.setdefault("question_ids", []).append(str(_l(
            "Only approved questions of banks you can use may be chosen; not: %(ids)s.", ids=", ".join(bad))))
    return errors


def _lang() -> str:
    from flask_babel import get_locale

    try:
        return str(get_locale() or "vi")
    except RuntimeError:  # outside a request
        return "vi"


def _rng(rnd: Round, user_id: int, number: int) -> random.Random:
    return random.Random(f"{rnd.seed}:{user_id}:{number}")


def _frozen_revisions(session: Session, rnd: Round, question_ids: list[int]) -> dict[int, int]:
    """The revision this round's earlier attempts received for each of these questions."""
    if not question_ids:
        return {}
    return dict(session.execute(
        select(AttemptQuestion.question_id, func.max(AttemptQuestion.revision_id))
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.round_id == rnd.id, AttemptQuestion.question_id.in_(question_ids))
        .group_by(AttemptQuestion.question_id)).all())


def unusable_fixed_questions(session: Session, rnd: Round) -> list[Question]:
    """The questions of a fixed paper that are no longer approved (retired or withdrawn), in paper order."""
    if rnd.paper_mode is not PaperMode.FIXED:
        return []
    return list(session.scalars(
        select(Question).join(RoundQuestion, RoundQuestion.question_id == Question.id)
        .where(RoundQuestion.round_id == rnd.id, Question.status != QuestionStatus.APPROVED)
        .order_by(RoundQuestion.position)))


def _draw_ids(session: Session, rnd: Round, rng: random.Random) -> list[int]:
    bank_ids = sorted(rb.bank_id for rb in rnd.banks)
    ids: list[int] = []
    for cell in sorted(rnd.blueprint, key=lambda c: (c.pillar, c.difficulty)):
        pool = list(session.scalars(
            select(Question.id).where(Question.bank_id.in_(bank_ids), Question.status == QuestionStatus.APPROVED,
                                      Question.pillar == cell.pillar, Question.difficulty == cell.difficulty)
            .order_by(Question.id)))
        if len(pool) < cell.count:
            raise ValidationFailed(str(_l(
                "This round's paper can no longer be drawn: %(pillar)s, %(difficulty)s needs %(wanted)d approved "
                "questions but only %(have)d are left. Tell the organiser of the contest.",
                pillar=Pillar(cell.pillar).label(_lang()), difficulty=Difficulty(cell.difficulty).label(_lang()).lower(),
                wanted=cell.count, have=len(pool))))
        ids.extend(rng.sample(pool, cell.count))
    return ids


def _revision_rows(session: Session, stmt) -> dict[int, tuple[QuestionStatus, int, str, list[int]]]:
    """question id → (status, revision id, type, option ids in order) from one narrow query."""
    out: dict[int, tuple[QuestionStatus, int, str, list[int]]] = {}
    for qid, status, rev_id, rev_type, option_id in session.execute(stmt):
        entry = out.setdefault(qid, (status, rev_id, rev_type, []))
        if option_id is not None:
            entry[3].append(option_id)
    return out


def _narrow_select():
    return select(Question.id, Question.status, QuestionRevision.id, QuestionRevision.type, QuestionOption.id)


def build_paper(session: Session, rnd: Round, user_id: int, number: int = 1) -> list[PaperItem]:
    """The paper of one student's attempt, with the questions' current approved revisions (for a fixed paper, a
    question no longer approved keeps the revision the round's earlier attempts received, or is left out)."""
    rng = _rng(rnd, user_id, number)
    fixed = rnd.paper_mode is PaperMode.FIXED
    # One narrow query (ids, status, type, option ids in order) instead of loading every text: a start storm
    # runs this for each student (docs/performance.md). A fixed paper reads its question list in the same query.
    if fixed:
        questions = _revision_rows(session, _narrow_select()
                                   .select_from(RoundQuestion).join(Question, Question.id == RoundQuestion.question_id)
                                   .outerjoin(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
                                   .outerjoin(QuestionOption, QuestionOption.revision_id == QuestionRevision.id)
                                   .where(RoundQuestion.round_id == rnd.id)
                                   .order_by(RoundQuestion.position, QuestionOption.position, QuestionOption.id))
        ids = list(questions)  # in the paper's order
    else:
        ids = _draw_ids(session, rnd, rng)
        questions = _revision_rows(session, _narrow_select()
                                   .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
                                   .outerjoin(QuestionOption, QuestionOption.revision_id == QuestionRevision.id)
                                   .where(Question.id.in_(ids))
                                   .order_by(Question.id, QuestionOption.position, QuestionOption.id))
    usable = {qid: entry for qid, entry in questions.items()
              if entry[0] is QuestionStatus.APPROVED and entry[1] is not None}
    unusable = [qid for qid in ids if qid not in usable]
    if unusable and not fixed:
        raise ValidationFailed(str(_l("This round's paper contains questions that are no longer approved.")))
    frozen = _frozen_revisions(session, rnd, unusable)
    if frozen:  # the revisions the round's first students received (immutable once used)
        usable.update(_revision_rows(session, _narrow_select()
                                     .join(QuestionRevision, QuestionRevision.question_id == Question.id)
                                     .outerjoin(QuestionOption, QuestionOption.revision_id == QuestionRevision.id)
                                     .where(QuestionRevision.id.in_(frozen.values()))
                                     .order_by(Question.id, QuestionOption.position, QuestionOption.id)))
    ids = [qid for qid in ids if qid in usable]
    if not ids:
        raise ValidationFailed(str(_l("This round's paper has no question that can still be used. "
                                      "Tell the organiser of the contest.")))
    if rnd.shuffle_questions:
        rng.shuffle(ids)
    items = []
    for qid in ids:
        _status, rev_id, rev_type, options = usable[qid]
        order = list(options)
        if rnd.shuffle_options and rev_type != "true_false":
            rng.shuffle(order)
        items.append(PaperItem(qid, rev_id, order))
    return items
