"""The ranking rule on the round and contest boards, identical on the database and Redis paths."""
from datetime import timedelta

from lb_requests import board, contest_board, name, ranks

from quiz.models import Round, ScoringRule


def test_identical_results_share_a_rank_and_the_next_rank_is_skipped(client, rnd, students, finish, clock, db_session):
    at = clock.now
    finish(rnd, students[0], 9, 50_000, at=at)
    finish(rnd, students[1], 8, 50_000, at=at)
    finish(rnd, students[2], 8, 50_000, at=at)
    finish(rnd, students[3], 7, 50_000, at=at)
    db_session.commit()
    data = board(client, rnd)
    assert [e["rank"] for e in data["entries"]] == [1, 2, 2, 4]
    assert data["entries"][0] == {"rank": 1, "name": name(0), "school": "Trường THCS Thử Nghiệm 1", "class": "9A1",
                                  "score": 9, "duration_ms": 50_000, "distance": None}
    assert {e["name"] for e in data["entries"][1:3]} == {name(1), name(2)}
    assert data["total"] == 4 and data["me"] is None


def test_a_shorter_duration_breaks_a_score_tie(client, rnd, students, finish, clock, db_session):
    finish(rnd, students[0], 8, 70_000, at=clock.now)
    finish(rnd, students[1], 8, 65_000, at=clock.now)
    db_session.commit()
    assert ranks(board(client, rnd)) == [(1, name(1)), (2, name(0))]


def test_an_earlier_submission_breaks_a_tie_of_score_and_duration(client, rnd, students, finish, clock, db_session):
    finish(rnd, students[0], 8, 60_000, at=clock.now + timedelta(seconds=5))
    finish(rnd, students[1], 8, 60_000, at=clock.now + timedelta(microseconds=3))
    finish(rnd, students[2], 8, 60_000, at=clock.now)
    db_session.commit()
    assert ranks(board(client, rnd)) == [(1, name(2)), (2, name(1)), (3, name(0))]


def test_the_prediction_closest_to_the_true_value_comes_before_duration(client, world, clock, make_round, students,
                                                                        finish, db_session):
    rnd = make_round(prediction_question="Bao nhiêu học sinh tham gia?")
    rnd.contest.leaderboard_public = True
    finish(rnd, students[0], 8, 10_000, prediction=1000)  # fastest but farthest
    finish(rnd, students[1], 8, 90_000, prediction=1240)  # |1240-1234| = 6
    finish(rnd, students[2], 8, 50_000, prediction=1230)  # 4
    finish(rnd, students[3], 8, 5_000)  # no prediction: farthest of all
    finish(rnd, students[4], 9, 99_000)  # a higher score always wins
    db_session.commit()
    # No true value yet: the prediction does not count, duration decides.
    assert ranks(board(client, rnd)) == [(1, name(4)), (2, name(3)), (3, name(0)), (4, name(2)), (5, name(1))]
    rnd.prediction_answer = 1234
    db_session.commit()
    assert ranks(board(client, rnd)) == [(1, name(4)), (2, name(2)), (3, name(1)), (4, name(0)), (5, name(3))]


def test_the_best_attempt_counts_or_the_last_one_by_the_contest_rule(client, world, clock, make_round, students, finish,
                                                                    db_session):
    rnd = make_round(attempts_allowed=3)
    rnd.contest.leaderboard_public = True
    finish(rnd, students[0], 9, 60_000, number=1, at=clock.now)
    finish(rnd, students[0], 5, 60_000, number=2, at=clock.now + timedelta(minutes=5))
    finish(rnd, students[1], 7, 60_000, number=1, at=clock.now)
    db_session.commit()
    data = board(client, rnd)
    assert [(e["rank"], e["name"], e["score"]) for e in data["entries"]] == [(1, name(0), 9), (2, name(1), 7)]
    rnd.contest.scoring_rule = ScoringRule.LAST
    db_session.commit()
    data = board(client, rnd)
    assert [(e["rank"], e["name"], e["score"]) for e in data["entries"]] == [(1, name(1), 7), (2, name(0), 5)]


def test_the_contest_board_sums_the_rounds(client, world, clock, make_round, students, finish, db_session):
    first = make_round()
    contest = first.contest
    contest.leaderboard_public = True
    second = Round(contest=contest, number=2, title="Tuần 2", opens_at=first.opens_at, closes_at=first.closes_at,
                   time_limit_minutes=30, paper_mode=first.paper_mode, seed=7, created_at=clock.now)
    db_session.add(second)
    db_session.flush()
    finish(first, students[0], 9, 60_000)
    finish(second, students[0], 3, 60_000)  # 12 in total
    finish(first, students[1], 6, 40_000)
    finish(second, students[1], 6, 40_000)  # 12 in total, 80 s: ahead of student 0 (120 s)
    finish(first, students[2], 10, 30_000)  # 10: took one round only
    db_session.commit()
    data = contest_board(client, contest)
    assert [(e["rank"], e["name"], e["score"], e["duration_ms"]) for e in data["entries"]] == [
        (1, name(1), 12, 80_000), (2, name(0), 12, 120_000), (3, name(2), 10, 30_000)]
    assert data["total"] == 3


def test_decimal_scores_keep_their_order_and_value(client, rnd, students, finish, db_session):
    finish(rnd, students[0], "7.5")
    finish(rnd, students[1], "7.25")
    finish(rnd, students[2], "7.5001")
    db_session.commit()
    data = board(client, rnd)
    assert [(e["name"], e["score"]) for e in data["entries"]] == [(name(2), 7.5001), (name(0), 7.5), (name(1), 7.25)]
