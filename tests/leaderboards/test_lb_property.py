"""Property: with random results full of ties, the Redis path, the SQL path and a plain-Python sort agree.

The Redis path runs against real Redis when TEST_REDIS_URL is set, against the in-process store otherwise."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.cache import MemoryStore
from quiz.extensions import cache
from quiz.leaderboards import encoding, redis_board, sql_board
from quiz.leaderboards.boards import contest_board, round_board
from quiz.leaderboards.ranking import Result
from quiz.models import Attempt, Round, ScoringRule

TRUTH = 10
MISSING = 2**31 - 1  # the rule: no prediction counts as farther than any
BASE = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)

attempt_st = st.tuples(st.sampled_from(["0", "0.5", "1", "2", "2"]),  # score
                       st.sampled_from([1000, 2000, 2000]),  # duration ms
                       st.sampled_from([0, 0, 1, 250_000]),  # submitted, µs after BASE
                       st.sampled_from([None, 8, 10, 12, 12]))  # prediction (8 and 12 are equally far)
student_st = st.one_of(st.none(), st.lists(attempt_st, min_size=1, max_size=2))
case_st = st.fixed_dictionaries({
    "rule": st.sampled_from([ScoringRule.BEST, ScoringRule.LAST]),
    "prediction": st.booleans(),
    "round1": st.lists(student_st, min_size=14, max_size=14),
    "round2": st.lists(student_st, min_size=14, max_size=14),
})


def reference(per_round: list[dict[int, list[tuple]]], rule: ScoringRule, prediction: bool) -> list[tuple[int, int]]:
    """(rank, user id) by the rule, written out independently of quiz.leaderboards."""
    totals: dict[int, list] = {}
    for attempts_by_user in per_round:
        for uid, attempts in attempts_by_user.items():
            keyed = []
            for number, (score, ms, micros, pred) in enumerate(attempts, start=1):
                if prediction:
                    distance = MISSING if pred is None else abs(pred - TRUTH)
                else:
                    distance = 0
                at = BASE + timedelta(microseconds=micros)
                keyed.append(((-Decimal(score), distance, ms, at), number))
            counted = max(keyed, key=lambda k: k[1]) if rule is ScoringRule.LAST else min(keyed, key=lambda k: k[0])
            (neg, distance, ms, at), _ = counted
            t = totals.setdefault(uid, [Decimal(0), 0, 0, None])
            t[0] += -neg
            t[1] += distance
            t[2] += ms
            t[3] = at if t[3] is None or at > t[3] else t[3]
    keys = {uid: (-s, d, ms, at) for uid, (s, d, ms, at) in totals.items()}
    order = sorted(keys, key=lambda uid: (keys[uid], uid))
    out = []
    for i, uid in enumerate(order):
        rank = i + 1 if i == 0 or keys[order[i - 1]] != keys[uid] else out[-1][0]
        out.append((rank, uid))
    return out


@pytest.mark.parametrize("board_path", ["zset"])
@settings(max_examples=int(os.environ.get("LEADERBOARD_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=case_st)
def test_redis_path_equals_sql_path_equals_reference_sort(case, db_session, world, students, make_round, clock):
    db_session.commit()  # keep the students; each example adds its own contest (ids are never reused)
    pool = [world.student1, world.student1b, world.student2, world.student2b] + students
    first = make_round(questions=[], attempts_allowed=2,
                       prediction_question="Dự đoán?" if case["prediction"] else None)
    contest = first.contest
    contest.scoring_rule = case["rule"]
    first.prediction_answer = TRUTH
    second = Round(contest=contest, number=2, title="Tuần 2", opens_at=first.opens_at, closes_at=first.closes_at,
                   time_limit_minutes=30, paper_mode=first.paper_mode, seed=3, created_at=clock.now,
                   prediction_question=first.prediction_question, prediction_answer=TRUTH)
    db_session.add(second)
    db_session.flush()
    per_round = []
    for rnd, spec in ((first, case["round1"]), (second, case["round2"])):
        taken = {}
        for student, attempts in zip(pool, spec):
            if not attempts:
                continue
            taken[student.id] = attempts
            for number, (score, ms, micros, pred) in enumerate(attempts, start=1):
                at = BASE + timedelta(microseconds=micros)
                db_session.add(Attempt(round_id=rnd.id, user_id=student.id, number=number, started_at=BASE,
                                       deadline=BASE + timedelta(hours=1), submitted_at=at, score=Decimal(score),
                                       max_score=Decimal(2), duration_ms=ms, prediction=pred, seed=1))
        per_round.append(taken)
    db_session.flush()

    store = cache.structures() or MemoryStore()
    for board, expected in ((round_board(first), reference(per_round[:1], case["rule"], case["prediction"])),
                            (contest_board(contest), reference(per_round, case["rule"], case["prediction"]))):
        sql = [(row.rank, row.user_id) for row, _ in sql_board.ranked_rows(db_session, board)]
        redis_board.rebuild(store, db_session, board)
        rows, total = redis_board.page(store, board, None, 0, 100)
        redis = [(row.rank, row.user_id) for row in rows]
        assert sql == expected
        assert redis == expected and total == len(expected)
        for rank, uid in expected:
            assert redis_board.find(store, board, uid).rank == rank
        school_rows, _ = redis_board.page(store, board, world.school2.id, 0, 100)
        school_ids = {s.id for s in pool if s.unit.parent_id == world.school2.id}
        assert [(r.rank, r.user_id) for r in school_rows] == [e for e in expected if e[1] in school_ids]
        # The same board built one student at a time by live updates.
        store.transaction([], lambda reader, p=board.prefix: [("delete", [f"{p}:z", f"{p}:h"])])
        redis_board.apply(store, board.prefix, board.signature(),
                          {uid: None for uid in [s.id for s in pool]})  # marks ready-less boards only
        for uid, change in redis_board.entries(db_session, board, [s.id for s in pool]).items():
            redis_board.apply(store, board.prefix, board.signature(), {uid: change})
        again, _ = redis_board.page(store, board, None, 0, 100)
        assert [(r.rank, r.user_id) for r in again] == expected


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(-10**6, 10**7), st.integers(0, 2**33), st.integers(0, 10**9),
                          st.integers(0, 10**12), st.integers(1, 10**6)), min_size=2, max_size=20))
def test_the_member_encoding_orders_exactly_like_the_rule(values):
    results = [Result(user_id=uid, score=Decimal(s) / 10_000, distance=d, duration_ms=ms,
                      submitted_at=BASE + timedelta(microseconds=t)) for s, d, ms, t, uid in values]
    by_rule = sorted(results, key=lambda r: ((-r.score, r.distance, r.duration_ms, r.submitted_at), r.user_id))
    by_member = sorted(results, key=encoding.member)
    assert [(r.score, r.distance, r.duration_ms, r.submitted_at, r.user_id) for r in by_member] == \
           [(r.score, r.distance, r.duration_ms, r.submitted_at, r.user_id) for r in by_rule]
    for r in results:
        assert encoding.decode(encoding.member(r)) == r
        assert encoding.rank_bound(encoding.member(r)) == "(" + encoding.tie_key(r)


def test_values_that_do_not_fit_the_encoding_are_refused():
    ok = Result(user_id=1, score=Decimal("1"), distance=0, duration_ms=0, submitted_at=BASE)
    for bad in (Result(1, Decimal("0.00001"), 0, BASE), Result(1, Decimal(10**12), 0, BASE),
                Result(10**13, Decimal(1), 0, BASE), Result(1, Decimal(1), -1, BASE)):
        with pytest.raises(ValueError):
            encoding.member(bad)
    assert encoding.member(ok)
