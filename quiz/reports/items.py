"""Item analysis: how each question of a round worked.

* **facility** — the share of students who had the question on their (counted) paper and answered it
  exactly right; a blank counts as not right.
* **discrimination** — the *corrected point-biserial* correlation: Pearson's r between "right" (1/0)
  and the student's score on the *rest* of the paper (total score minus what this question earned).
  Undefined (``None``) when everybody or nobody got it right, or when every rest score is equal.
* **options** — how often each option was chosen (the wrong ones are the distractors).

How it is computed: grouped SQL over the counted attempts' papers (per question and revision) and saved
answers (per question and *answer pattern*, the chosen option ids), returning per group the number of
students, Σscore and Σscore²; blanks are the difference. Every distinct pattern is then judged once against the key with the
scorer itself (``quiz.attempts.scoring.question_score``) — a few rows per question, never a row per
attempt — and the sums give n, Σx, Σy, Σy², Σxy of the correlation exactly:
Σy = Σscore − n·e, Σy² = Σscore² − 2e·Σscore + n·e², where e is what the pattern earned.

A question is flagged, once at least ``MIN_ANSWERS`` students had it, when its discrimination is
negative (``negative_discrimination``), its facility is below 0.10 (``too_hard``) or above 0.95
(``too_easy``).

The measured facility is written back to the question's revision (``QuestionRevision.facility`` and
``facility_answers``) by ``write_facility``: an explicit action of the organiser once the round has
closed, computed over every closed round that used the revision, so repeating it changes nothing.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CTE, Float, cast, func, select
from sqlalchemy.orm import Session, selectinload

from quiz import audit, clock
from quiz.attempts.scoring import question_score
from quiz.contests.eligibility import can_manage
from quiz.errors import Conflict, NotFound
from quiz.models import Answer, Attempt, AttemptQuestion, Question, QuestionRevision, Round, User
from quiz.reports import stored
from quiz.reports.population import counted_attempts
from quiz.reports.scope import Scope

MIN_ANSWERS = 30
TOO_EASY = 0.95
TOO_HARD = 0.10
FLAG_ORDER = ("negative_discrimination", "too_hard", "too_easy")


@dataclass
class OptionStat:
    option_id: int
    letter: str
    text: dict
    correct: bool
    chosen: int


@dataclass
class ItemStat:
    question_id: int
    revision_id: int
    revision_number: int
    bank_id: int
    stem: dict
    answers: int  # students who had the question on their counted paper
    right: int
    blank: int
    facility: float | None
    discrimination: float | None
    options: list[OptionStat] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    position: int = 0  # 1, 2, … in the order of a fixed paper (else by question id)

    @property
    def flag(self) -> str | None:
        return self.flags[0] if self.flags else None

    @property
    def bank_url(self) -> str:
        return f"/banks/{self.bank_id}/questions/{self.question_id}"

    def as_json(self) -> dict:
        return {"question_id": self.question_id, "revision_id": self.revision_id, "facility": self.facility,
                "discrimination": self.discrimination, "answers": self.answers, "flag": self.flag,
                "flags": self.flags}


def point_biserial(n: int, sx: float, sy: float, syy: float, sxy: float) -> float | None:
    """Pearson's r between a 0/1 variable x and y from sums (Σx² = Σx for 0/1 values)."""
    vx = n * sx - sx * sx
    vy = n * syy - sy * sy
    if n < 2 or vx <= 0 or vy <= 1e-9:
        return None
    return (n * sxy - sx * sy) / math.sqrt(vx * vy)


def flags_for(answers: int, facility: float | None, discrimination: float | None,
              min_answers: int = MIN_ANSWERS) -> list[str]:
    if answers < min_answers or facility is None:
        return []
    found = set()
    if discrimination is not None and discrimination < 0:
        found.add("negative_discrimination")
    if facility < TOO_HARD:
        found.add("too_hard")
    if facility > TOO_EASY:
        found.add("too_easy")
    return [f for f in FLAG_ORDER if f in found]


def _pattern_rows(session: Session, counted: CTE, revision_ids: set[int] | None = None):
    """Rows (question_id, revision_id, points, option_ids, n, Σscore, Σscore²), one per answer pattern, and
    the revisions involved. A question on the paper without a saved answer (or with an empty one) comes
    as ``option_ids`` None.

    Two grouped queries, each joining the counted attempts (a small hash) with one large table: the
    papers (per question and revision: how many had it, Σscore, Σscore²) and the saved answers (per
    question and pattern). A pattern's revision is the one its option ids belong to (option ids are
    unique across revisions); blanks are what the paper has and the answers do not."""
    score = cast(counted.c.score, Float)
    paper_q = (select(AttemptQuestion.question_id, AttemptQuestion.revision_id, func.max(AttemptQuestion.points),
                      func.count(), func.sum(score), func.sum(score * score))
               .select_from(counted).join(AttemptQuestion, AttemptQuestion.attempt_id == counted.c.attempt_id)
               .group_by(AttemptQuestion.question_id, AttemptQuestion.revision_id))
    if revision_ids is not None:
        paper_q = paper_q.where(AttemptQuestion.revision_id.in_(revision_ids))
    papers = session.execute(paper_q).all()
    revisions = _revisions(session, {row[1] for row in papers})
    revision_of = {o.id: rev.id for rev in revisions.values() for o in rev.options}
    answers_q = (select(Answer.question_id, Answer.option_ids, func.count(), func.sum(score), func.sum(score * score))
                 .select_from(counted).join(Answer, Answer.attempt_id == counted.c.attempt_id)
                 .group_by(Answer.question_id, Answer.option_ids))
    if revision_ids is not None:
        answers_q = answers_q.where(Answer.question_id.in_({row[0] for row in papers}))
    totals = {(q, r): [int(n), float(s_ or 0), float(ss or 0), points] for q, r, points, n, s_, ss in papers}
    rows = []
    for question_id, option_ids, n, s_, ss in session.execute(answers_q):  # one row per pattern
        owners = {revision_of.get(int(o)) for o in (option_ids or [])}
        owners.discard(None)
        if len(owners) != 1:
            continue  # empty (or not an option of this paper): counted as a blank below
        key = (question_id, owners.pop())
        if key not in totals:
            continue
        t = totals[key]
        rows.append((question_id, key[1], t[3], option_ids, int(n), float(s_ or 0), float(ss or 0)))
        t[0], t[1], t[2] = t[0] - int(n), t[1] - float(s_ or 0), t[2] - float(ss or 0)
    for (question_id, revision_id), (n, s_, ss, points) in totals.items():
        if n > 0:
            rows.append((question_id, revision_id, points, None, n, s_, ss))
    return rows, revisions


def _revisions(session: Session, ids: set[int]) -> dict[int, QuestionRevision]:
    return {r.id: r for r in session.scalars(select(QuestionRevision).where(QuestionRevision.id.in_(ids))
                                             .options(selectinload(QuestionRevision.options)))}


def round_pattern_rows(session: Session, scope: Scope, counted: CTE | None = None, store_as: str | None = None):
    """``_pattern_rows`` of the scope. For a scope covering the whole round and a ``store_as`` fingerprint
    (a settled round), the rows stored under that fingerprint are used, or computed and stored
    (``quiz.reports.stored``)."""
    storable = store_as is not None and scope.covers_everyone
    if storable:
        rows = stored.load(session, scope.rnd.id, store_as)
        if rows is not None:
            return rows, _revisions(session, {row[1] for row in rows})
    counted = counted if counted is not None else counted_attempts(scope, units=False)
    rows, revisions = _pattern_rows(session, counted)
    if storable:
        stored.save(session, scope.rnd.id, store_as, rows, clock.now())
    return rows, revisions


class _Sums:
    def __init__(self) -> None:
        self.n = self.right = self.blank = 0
        self.sy = self.syy = self.sxy = 0.0
        self.chosen: dict[int, int] = defaultdict(int)

    def add(self, rev: QuestionRevision, points: int, option_ids, n: int, s: float, ss: float) -> None:
        chosen = list(dict.fromkeys(int(o) for o in (option_ids or [])))
        key = {o.id for o in rev.options if o.correct}
        x = 1 if key and set(chosen) == key else 0
        e = float(question_score(rev, chosen, points))
        self.n += n
        self.right += x * n
        self.blank += n if not chosen else 0
        y = s - n * e
        self.sy += y
        self.syy += ss - 2 * e * s + n * e * e
        self.sxy += x * y
        for oid in chosen:
            self.chosen[oid] += n


def item_analysis(session: Session, scope: Scope, counted: CTE | None = None,
                  min_answers: int = MIN_ANSWERS, store_as: str | None = None) -> list[ItemStat]:
    """The statistics of every question of the round in the scope; ``store_as`` (the results fingerprint
    of a settled round) lets a whole-round analysis use or keep stored sums (``round_pattern_rows``)."""
    rows, revisions = round_pattern_rows(session, scope, counted, store_as)
    if not rows:
        return []
    banks = dict(session.execute(select(Question.id, Question.bank_id)
                                 .where(Question.id.in_({row[0] for row in rows}))).all())
    sums: dict[tuple[int, int], _Sums] = defaultdict(_Sums)
    for question_id, revision_id, points, option_ids, n, s, ss in rows:  # one row per answer pattern
        sums[(question_id, revision_id)].add(revisions[revision_id], points, option_ids, int(n), float(s or 0),
                                             float(ss or 0))
    out = []
    for (question_id, revision_id), t in sums.items():
        rev = revisions[revision_id]
        facility = round(t.right / t.n, 4) if t.n else None
        r = point_biserial(t.n, float(t.right), t.sy, t.syy, t.sxy)
        discrimination = None if r is None else round(r, 4)
        out.append(ItemStat(question_id, revision_id, rev.number, banks.get(question_id, 0), rev.stem, t.n, t.right,
                            t.blank, facility, discrimination,
                            [OptionStat(o.id, chr(65 + i), o.text, o.correct, t.chosen.get(o.id, 0))
                             for i, o in enumerate(rev.options)],
                            flags_for(t.n, facility, discrimination, min_answers)))
    order = {rq.question_id: rq.position for rq in scope.rnd.fixed_questions}
    out.sort(key=lambda i: (order.get(i.question_id, len(order)), i.question_id, i.revision_number))
    for number, item in enumerate(out, start=1):
        item.position = number
    return out


# -- writing the measured facility back -------------------------------------------------------
def write_facility(session: Session, actor: User, rnd: Round, now: datetime, ip: str | None = None) -> int:
    """Store on every revision used by this round its facility over all closed rounds that used it.
    Returns how many revisions were updated."""
    if not can_manage(actor, rnd.contest):
        raise NotFound("round not found")
    if now < rnd.closes_at:
        raise Conflict(str(_l("The measured facility can be written once the round has closed.")))
    used = select(AttemptQuestion.revision_id).join(Attempt, Attempt.id == AttemptQuestion.attempt_id) \
        .where(Attempt.round_id == rnd.id).distinct()
    revision_ids = set(session.scalars(used))
    if not revision_ids:
        return 0
    round_ids = list(session.scalars(
        select(Attempt.round_id).join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .join(Round, Round.id == Attempt.round_id)
        .where(AttemptQuestion.revision_id.in_(revision_ids), Round.closes_at <= now).distinct()))
    counted = counted_attempts(round_ids=round_ids, units=False)
    rows, revisions = _pattern_rows(session, counted, revision_ids)
    sums: dict[int, _Sums] = defaultdict(_Sums)
    for _qid, revision_id, points, option_ids, n, s, ss in rows:
        sums[revision_id].add(revisions[revision_id], points, option_ids, int(n), float(s or 0), float(ss or 0))
    for revision_id, t in sums.items():
        rev = revisions[revision_id]
        rev.facility = round(t.right / t.n, 4) if t.n else None
        rev.facility_answers = t.n
    audit.record(session, actor, "round.facility", f"{rnd.contest.title} — {rnd.title}: {len(sums)}",
                 target=rnd, details={"revisions": len(sums), "rounds": sorted(round_ids)}, ip=ip)
    session.flush()
    return len(sums)
