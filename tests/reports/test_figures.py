"""Every figure of the report on the small hand-built round of conftest.py, worked out by hand."""
from __future__ import annotations

import math
from datetime import timedelta

import pytest

from quiz.errors import Conflict, NotFound
from quiz.leaderboards.results import round_results
from quiz.models import QuestionRevision, ScoringRule
from quiz.reports import distribution, items, participation
from quiz.reports.scope import report_scope


def by_name(groups):
    return {g.name: (g.participants, g.enrolled, g.rate, g.mean_score) for g in groups}


def test_department_participation_by_area_and_school_counts_every_school_of_the_contest(small, db_session):
    p = participation.participation(db_session, report_scope(db_session, small.admin, small.round.id))
    assert (p.participants, p.enrolled) == (5, 160)  # 80 + 50 + 30 declared
    assert by_name(p.by_school) == {
        "Trường THCS Nguyễn Trãi": (3, 80, 0.0375, round(8 / 3, 4)),
        "Trường THCS Lê Lợi": (2, 50, 0.04, 1.5),
        "Trường THCS Võ Thị Sáu": (0, 30, 0.0, None),  # no classes, nobody took part: still listed
    }
    assert by_name(p.by_area) == {"Khu vực Trảng Bàng": (5, 130, round(5 / 130, 4), 2.2), "": (0, 30, 0.0, None)}
    assert by_name(p.by_class) == {"9A1": (2, 40, 0.05, 3.0), "9A2": (1, 40, 0.025, 2.0), "9B1": (2, 40, 0.05, 1.5)}


def test_a_school_manager_sees_their_school_and_its_classes_only(small, db_session):
    p = participation.participation(db_session, report_scope(db_session, small.manager_a, small.round.id))
    assert by_name(p.by_school) == {"Trường THCS Nguyễn Trãi": (3, 80, 0.0375, round(8 / 3, 4))}
    assert set(by_name(p.by_class)) == {"9A1", "9A2"}
    assert (p.participants, p.enrolled) == (3, 80)


def test_a_teacher_sees_only_the_classes_they_teach(small, db_session):
    p = participation.participation(db_session, report_scope(db_session, small.teacher_a, small.round.id))
    assert by_name(p.by_class) == {"9A1": (2, 40, 0.05, 3.0)}
    # the school row only sums the teacher's classes, not the school's declared 80
    assert by_name(p.by_school) == {"Trường THCS Nguyễn Trãi": (2, 40, 0.05, 3.0)}


def test_grade_limited_contest_counts_the_enrolment_of_the_classes_of_those_grades(
        small, db_session, make_class, make_round, make_question):
    make_class("8A1", school=small.school_a, grade=8, enrolled=35)
    rnd = make_round([make_question()], grades=(8,))
    db_session.commit()
    p = participation.participation(db_session, report_scope(db_session, small.admin, rnd.id))
    assert by_name(p.by_school) == {"Trường THCS Nguyễn Trãi": (0, 35, 0.0, None)}


def test_histogram_mean_and_median(small, db_session):
    d = distribution.distribution(db_session, report_scope(db_session, small.admin, small.round.id))
    # scores 3, 3, 2, 2, 1 out of 4: one bin per whole score, the last one holds exactly 4
    assert [(b.start, b.end, b.count) for b in d.bins] == [(0, 1, 0), (1, 2, 1), (2, 3, 2), (3, 4, 2), (4, 4, 0)]
    assert (d.mean, d.median, d.minimum, d.maximum, d.max_score) == (2.2, 2.0, 1.0, 3.0, 4.0)
    manager = distribution.distribution(db_session, report_scope(db_session, small.manager_a, small.round.id))
    assert (manager.mean, manager.median) == (round(8 / 3, 4), 3.0)  # 3, 3, 2


def test_even_number_of_scores_has_the_mean_of_the_two_middle_ones_as_median(small, db_session):
    d = distribution.distribution(db_session, report_scope(db_session, small.teacher_b, small.round.id))
    assert d.median == 1.5  # 9B1: scores 2 and 1


def test_large_maximum_gives_ten_equal_bins_with_the_maximum_in_the_last():
    assert distribution.bin_edges(100)[0] == (0, 10) and distribution.bin_edges(100)[-1] == (90, 100)
    assert len(distribution.bin_edges(100)) == 10
    assert distribution.bin_edges(3) == [(0, 1), (1, 2), (2, 3), (3, 3)]


def test_completion_over_time_counts_first_finished_attempts_per_interval(small, db_session):
    points = participation.completion(db_session, report_scope(db_session, small.admin, small.round.id))
    # round of 3 hours → 15-minute intervals; finishing 15, 17, 25, 30 and 33 minutes after the opening
    assert len(points) == 12
    assert [(p.completed, p.cumulative) for p in points[:4]] == [(0, 0), (3, 3), (2, 5), (0, 5)]
    assert points[-1].cumulative == 5
    assert points[1].start == small.round.opens_at + timedelta(minutes=15)


def test_top_students_follow_the_ranking_rule(small, db_session):
    top = participation.top_students(db_session, report_scope(db_session, small.admin, small.round.id))
    assert [(t.rank, t.username, t.score) for t in top] == [(1, "s1", 3), (2, "s2", 3), (3, "s3", 2), (4, "s4", 2),
                                                            (5, "s5", 1)]
    assert top[0].school == "Trường THCS Nguyễn Trãi" and top[0].name == "Trần Thị Ánh"


def test_equal_results_share_a_rank(small, db_session, make_student, take):
    twin = make_student(small.a2, username="twin")
    take(twin, small.round, small.answers["s1"], minutes=10)  # same score, duration and submission time as s1
    db_session.commit()
    top = participation.top_students(db_session, report_scope(db_session, small.admin, small.round.id), limit=3)
    assert [t.rank for t in top] == [1, 1, 3]


# -- item analysis -------------------------------------------------------------------------
def hand_point_biserial(x: list[int], y: list[float]) -> float:
    """r_pb = (M1 − M0) / s · √(p q), with the population standard deviation s of y."""
    n = len(x)
    ones = [b for a, b in zip(x, y) if a]
    zeros = [b for a, b in zip(x, y) if not a]
    mean = sum(y) / n
    s = math.sqrt(sum((v - mean) ** 2 for v in y) / n)
    p = len(ones) / n
    return (sum(ones) / len(ones) - sum(zeros) / len(zeros)) / s * math.sqrt(p * (1 - p))


def hand_item(q: int, students: dict) -> tuple[float, float]:
    totals = {k: sum(1 for letter in v if letter == "A") for k, v in students.items()}
    right = [1 if v[q] == "A" else 0 for v in students.values()]
    rest = [totals[k] - r for k, r in zip(students, right)]  # the score on the rest of the paper
    return sum(right) / len(right), hand_point_biserial(right, rest)


def test_facility_and_discrimination_match_the_hand_computation(small, db_session):
    stats = items.item_analysis(db_session, report_scope(db_session, small.admin, small.round.id))
    assert [s.question_id for s in stats] == [q.id for q in small.questions]
    for q, stat in enumerate(stats):
        facility, discrimination = hand_item(q, small.answers)
        assert stat.answers == 5
        assert stat.facility == pytest.approx(facility, abs=1e-4)
        assert stat.discrimination == pytest.approx(discrimination, abs=1e-4)
    # the worked example of docs/reports.md: Q4 right for s2, s4, s5 whose rest scores are 2, 1, 0;
    # wrong for s1, s3 (rest 3, 2) → (1 − 2.5) / √1.04 · √0.24 = −0.7206
    assert stats[3].facility == 0.6 and stats[3].discrimination == pytest.approx(-0.7206, abs=1e-4)


def test_wrong_options_and_blanks_are_counted(small, db_session):
    stats = items.item_analysis(db_session, report_scope(db_session, small.admin, small.round.id))
    chosen = [{o.letter: o.chosen for o in s.options} for s in stats]
    assert chosen == [{"A": 4, "B": 1, "C": 0, "D": 0}, {"A": 2, "B": 2, "C": 1, "D": 0},
                      {"A": 2, "B": 1, "C": 1, "D": 0}, {"A": 3, "B": 1, "C": 1, "D": 0}]
    assert [s.blank for s in stats] == [0, 0, 1, 0]
    assert [o.correct for o in stats[0].options] == [True, False, False, False]


def test_item_analysis_is_scoped_like_the_rest(small, db_session):
    stats = items.item_analysis(db_session, report_scope(db_session, small.teacher_b, small.round.id))
    assert [s.answers for s in stats] == [2, 2, 2, 2]  # s4 and s5 only
    assert stats[0].facility == 0.5


def test_flags_need_enough_answers(small, db_session):
    scope = report_scope(db_session, small.admin, small.round.id)
    assert all(s.flags == [] for s in items.item_analysis(db_session, scope))  # 5 answers < 30
    flagged = items.item_analysis(db_session, scope, min_answers=5)
    assert [s.flags for s in flagged] == [[], [], ["negative_discrimination"], ["negative_discrimination"]]
    assert flagged[2].bank_url == f"/banks/{small.questions[2].bank_id}/questions/{small.questions[2].id}"


def test_a_question_everybody_gets_right_is_flagged_too_easy_with_thirty_answers(
        db_session, clock, make_class, make_student, make_question, make_round, take):
    klass = make_class("9C1", enrolled=40)
    qs = [make_question() for _ in range(3)]
    rnd = make_round(qs, shuffle=False)
    for k in range(30):
        take(make_student(klass, username=f"hs{k}"), rnd, ("A", "A" if k % 2 else "B", "B" if k < 28 else "A"))
    db_session.commit()
    from quiz.models import Role
    from quiz.reports.scope import Scope

    admin = type("Admin", (), {"role": Role.ADMIN})()
    stats = items.item_analysis(db_session, Scope(rnd, admin, "contest"))
    assert [s.facility for s in stats] == [1.0, 0.5, round(2 / 30, 4)]
    assert stats[0].flags == ["too_easy"] and stats[0].discrimination is None
    assert "too_hard" in stats[2].flags


def test_counted_attempt_follows_the_contest_rule(small, db_session, take, clock):
    """Two attempts: the best one counts by default, the last one when the contest says so."""
    small.round.contest.attempts_allowed = 2
    late = take(small.students["s5"], small.round, ("A", "A", "A", "A"), number=2, minutes=20,
                started=small.round.opens_at + timedelta(minutes=60))
    db_session.commit()
    scope = report_scope(db_session, small.admin, small.round.id)
    assert not scope.single_attempts
    assert participation.top_students(db_session, scope)[0].username == "s5"
    assert {r.attempt_id for r in round_results(db_session, small.round)} >= {late.id}
    small.round.contest.scoring_rule = ScoringRule.LAST
    db_session.commit()
    assert distribution.distribution(db_session, report_scope(db_session, small.admin, small.round.id)).maximum == 4


# -- writing the facility back --------------------------------------------------------------
def test_measured_facility_is_written_to_the_revisions_once_the_round_has_closed(small, db_session, clock):
    with pytest.raises(Conflict):
        items.write_facility(db_session, small.admin, small.round, clock.now)
    clock.set(small.round.closes_at + timedelta(minutes=1))
    assert items.write_facility(db_session, small.admin, small.round, clock.now) == 4
    assert items.write_facility(db_session, small.admin, small.round, clock.now) == 4  # idempotent
    db_session.commit()
    revs = [db_session.get(QuestionRevision, q.current_revision_id) for q in small.questions]
    assert [(r.facility, r.facility_answers) for r in revs] == [(0.8, 5), (0.4, 5), (0.4, 5), (0.6, 5)]


def test_only_the_organiser_writes_the_facility(small, db_session, clock):
    clock.set(small.round.closes_at + timedelta(minutes=1))
    with pytest.raises(NotFound):
        items.write_facility(db_session, small.manager_a, small.round, clock.now)
