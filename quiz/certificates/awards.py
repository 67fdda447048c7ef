"""Who gets which award: the pure computation, from ranked results and the award rules.

Rank prizes (Giải Nhất, Nhì, Ba, Khuyến khích) are handed out in the rules' order, each taking the
next ``count`` places, or ``percent`` % of the participants rounded down (10 % of 68 → 6 places).
Ranks follow the one ranking rule (``quiz.leaderboards.ranking.ranked``: 1, 2, 2, 4).

Ties at a boundary share the prize: a student whose rank is inside a prize's places gets it, even
when that makes the prize larger than its count; the places they use are taken from the next
prizes (the ranks skip). Example, Nhất 1 place, Nhì 1 place, Ba 1 place, ranks 1, 2, 2, 4: one
Nhất, two Nhì, and no Ba — the tied pair used up places 2 and 3.

Every rank prize and completion certificate has a minimum score (the rules form requires one above
0), and **no award ever goes to a score of 0**: a rule stored before minimums were required (or
with a minimum of 0) counts as "more than 0" (``qualifies``). A completion certificate goes to
everyone at or above its score threshold (prize winners too). A unit award goes to the ``count`` schools with the
highest participation rate (participants / enrolled), ties sharing it.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Iterable, Protocol, Sequence

from quiz.leaderboards.ranking import Result, ranked
from quiz.models.certificates import AwardKind


class RuleLike(Protocol):
    id: int
    kind: AwardKind
    position: int
    count: int | None
    percent: Decimal | None
    min_score: Decimal | None


@dataclass(frozen=True)
class SchoolTurnout:
    school_id: int
    participants: int
    enrolled: int

    @property
    def rate(self) -> Decimal:
        if self.enrolled <= 0:
            return Decimal(0)
        return Decimal(self.participants) / Decimal(self.enrolled)


@dataclass(frozen=True)
class Award:
    rule_id: int
    user_id: int | None = None  # a student's award …
    school_id: int | None = None  # … or a school's
    rank: int | None = None
    score: Decimal | None = None

    @property
    def issue_key(self) -> str:
        return f"{self.rule_id}:u{self.user_id}" if self.user_id is not None else f"{self.rule_id}:s{self.school_id}"


def places(rule: RuleLike, participants: int) -> int:
    """How many places a rank prize covers: its count, or its percentage of the participants rounded down."""
    if rule.count is not None:
        return max(0, rule.count)
    if rule.percent is not None:
        value = (Decimal(rule.percent) * participants / 100).to_integral_value(rounding=ROUND_FLOOR)
        return max(0, int(value))
    return 0


def qualifies(rule: RuleLike, score: Decimal) -> bool:
    """A score earns the rule's award only above 0 and at or above the rule's minimum (defence in depth)."""
    return score > 0 and (rule.min_score is None or score >= rule.min_score)


def rank_prizes(rules: Sequence[RuleLike], results: Iterable[Result]) -> list[Award]:
    ranking = ranked(results)
    participants = len(ranking)
    awards: list[Award] = []
    start = 0
    for rule in sorted(rules, key=lambda r: (r.position, r.id)):
        end = start + places(rule, participants)
        for rank, result in ranking:
            if start < rank <= end and qualifies(rule, result.score):
                awards.append(Award(rule.id, user_id=result.user_id, rank=rank, score=result.score))
        start = end
    return awards


def completions(rule: RuleLike, results: Iterable[Result]) -> list[Award]:
    return [Award(rule.id, user_id=result.user_id, rank=rank, score=result.score)
            for rank, result in ranked(results) if qualifies(rule, result.score)]


def unit_awards(rule: RuleLike, turnout: Iterable[SchoolTurnout]) -> list[Award]:
    """The schools with the highest participation rate (1, 2, 2, 4 ranking; ties share)."""
    rows = sorted((t for t in turnout if t.participants > 0 and t.enrolled > 0),
                  key=lambda t: (-t.rate, t.school_id))
    count = rule.count if rule.count is not None else 1
    awards: list[Award] = []
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(rows, start=1):
        if row.rate != previous:
            rank, previous = position, row.rate
        if rank > count:
            break
        awards.append(Award(rule.id, school_id=row.school_id, rank=rank,
                            score=(row.rate * 100).quantize(Decimal("0.01"))))
    return awards


def compute(rules: Sequence[RuleLike], results: Sequence[Result], turnout: Sequence[SchoolTurnout] = ()) -> list[Award]:
    """Every award of one round (or contest), prizes first, in the rules' order."""
    awards = rank_prizes([r for r in rules if r.kind is AwardKind.RANK], results)
    for rule in sorted(rules, key=lambda r: (r.position, r.id)):
        if rule.kind is AwardKind.COMPLETION:
            awards.extend(completions(rule, results))
        elif rule.kind is AwardKind.UNIT:
            awards.extend(unit_awards(rule, turnout))
    return awards
