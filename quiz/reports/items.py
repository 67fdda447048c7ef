"""Item analysis: how each question of a round worked.

* **facility** — the share of students who had the question on their (counted) paper and answered it
  exactly right; a blank counts as not right.
* **discrimination** — the *corrected point-biserial* correlation: Pearson's r between "right" (1/0)
  and the student's score on the *rest* of the paper (total score minus what this question earned).
  Undefined (``None``) when everybody or nobody got it right, or when every rest score is equal.
* **options** — how often each option was chosen (the wrong ones are the distractors).

How it is computed: one grouped SQL query over the counted attempts' papers joined with their saved answers
(``quiz.reports.patterns``), per question, revision and *answer pattern* (the chosen option ids; a blank is a
pattern too), returning per group the number of students, Σscore and Σscore². For the whole round these
rows are stored and kept up to date incrementally (``quiz.reports.stored``). Every distinct pattern is then
judged once against the key with the scorer itself (``quiz.attempts.scoring.question_score``) — a few rows per question, never a row per
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
from sqlalchemy import CTE, select
from sqlalchemy.orm import Session

from quiz import audit, clock
from quiz.attempts.scoring import question_score
from quiz.contests.eligibility import can_manage
from quiz.errors import Conflict, NotFound
from quiz.models import Attempt, AttemptQuestion, Question, QuestionRevision, Round, User
from quiz.reports import stored
from quiz.reports.patterns import pattern_rows, revisions_by_id
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


def round_pattern_rows(session: Session, scope: Scope, counted: CTE | None = None, use_stored: bool = False):
    """``pattern_rows`` of the scope. For a scope covering the whole round with ``use_stored``, the round's
    stored sums are brought up to date (new submissions folded in) and used (``quiz.reports.stored``)."""
    if use_stored and counted is None and scope.covers_everyone:
        rows = stored.refresh(session, scope, clock.now(), viewer=True).rows
        return rows, revisions_by_id(session, {row[1] for row in rows})
    counted = counted if counted is not None else counted_attempts(scope, units=False)
    return pattern_rows(session, counted)


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
                  min_answers: int = MIN_ANSWERS, use_stored: bool = False) -> list[ItemStat]:
    """The statistics of every question of the round in the scope; ``use_stored`` lets a whole-round
    analysis read the round's stored sums, brought up to date first (``round_pattern_rows``)."""
    rows, revisions = round_pattern_rows(session, scope, counted, use_stored)
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
    rows, revisions = pattern_rows(session, counted, revision_ids)
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
