"""Who gets which award: counts, percentages, ties at the boundary, thresholds, school awards."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from types import SimpleNamespace

from quiz.certificates.awards import SchoolTurnout, compute, places, rank_prizes, unit_awards
from quiz.leaderboards.ranking import Result
from quiz.models import AwardKind

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def rule(rule_id, kind=AwardKind.RANK, count=None, percent=None, min_score=None, position=None):
    return SimpleNamespace(id=rule_id, kind=kind, count=count, percent=None if percent is None else Decimal(percent),
                           min_score=None if min_score is None else Decimal(min_score),
                           position=rule_id if position is None else position)


def results(*scores):
    """Students 1, 2, … with these scores; equal scores are full ties (same duration and time)."""
    return [Result(user_id=i, score=Decimal(s), duration_ms=1000, submitted_at=T0) for i, s in enumerate(scores, 1)]


def given(awards, rule_id):
    return sorted(a.user_id for a in awards if a.rule_id == rule_id)


def test_prizes_by_count_take_the_next_places_in_order():
    awards = rank_prizes([rule(1, count=1), rule(2, count=2), rule(3, count=3)], results(90, 80, 70, 60, 50, 40, 30))
    assert given(awards, 1) == [1]
    assert given(awards, 2) == [2, 3]
    assert given(awards, 3) == [4, 5, 6]
    assert 7 not in {a.user_id for a in awards}


def test_percentage_of_participants_is_rounded_down():
    assert places(rule(1, percent=10), 68) == 6
    assert places(rule(1, percent=10), 9) == 0
    assert places(rule(1, percent="12.5"), 8) == 1
    awards = rank_prizes([rule(1, percent=20)], results(*range(100, 90, -1)))  # 10 participants
    assert given(awards, 1) == [1, 2]


def test_students_tied_at_a_boundary_share_the_prize_and_use_up_the_next_places():
    # ranks 1, 2, 2, 4: one Nhất, both tied students get Nhì, Ba's single place was used by the tie
    awards = rank_prizes([rule(1, count=1), rule(2, count=1), rule(3, count=1)], results(90, 80, 80, 70))
    assert given(awards, 1) == [1]
    assert given(awards, 2) == [2, 3]
    assert given(awards, 3) == []


def test_a_tie_for_first_gives_two_first_prizes_and_shifts_the_second():
    awards = rank_prizes([rule(1, count=1), rule(2, count=2)], results(95, 95, 90, 85))
    assert given(awards, 1) == [1, 2]
    assert given(awards, 2) == [3]  # places 2–3: rank 3 only; rank 4 is outside


def test_a_rank_prize_with_a_minimum_score_skips_low_scores():
    awards = rank_prizes([rule(1, count=3, min_score=75)], results(90, 80, 70))
    assert given(awards, 1) == [1, 2]


def test_completion_goes_to_everyone_at_or_above_the_threshold_prize_winners_included():
    awards = compute([rule(1, count=1), rule(2, kind=AwardKind.COMPLETION, min_score=50)], results(90, 50, 49.5))
    assert given(awards, 1) == [1]
    assert given(awards, 2) == [1, 2]


def test_the_school_with_the_highest_participation_rate_wins_and_ties_share():
    turnout = [SchoolTurnout(10, 30, 100), SchoolTurnout(11, 45, 50), SchoolTurnout(12, 9, 10), SchoolTurnout(13, 0, 0)]
    awards = unit_awards(rule(1, kind=AwardKind.UNIT, count=1), turnout)
    assert [(a.school_id, a.score) for a in awards] == [(11, Decimal("90.00")), (12, Decimal("90.00"))]
    assert all(a.user_id is None and a.issue_key.endswith(f"s{a.school_id}") for a in awards)


def test_nobody_without_rules_or_results():
    assert compute([], results(90)) == []
    assert compute([rule(1, count=3)], []) == []


def test_a_score_of_zero_never_wins_an_award_even_under_a_stored_rule_without_a_minimum():
    # rules stored before a minimum was required: no minimum, or a completion threshold of 0
    stored = [rule(1, count=1), rule(2, count=2), rule(3, kind=AwardKind.COMPLETION, min_score=0)]
    awards = compute(stored, results(10, 0, 0))
    assert given(awards, 1) == [1]
    assert given(awards, 2) == []  # the two pupils who answered nothing get no Giải Nhì
    assert given(awards, 3) == [1]
