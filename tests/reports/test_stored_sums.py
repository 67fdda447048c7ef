"""A settled round's whole-round item sums are stored once (quiz.reports.stored) and give the same figures."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from quiz.reports import summary
from quiz.reports.scope import report_scope
from quiz.reports.stored import RoundItemSums


def _figures(stats):
    return [(s["question_id"], s["answers"], s["right"], s["blank"], s["facility"], s["discrimination"],
             [o["chosen"] for o in s["options"]]) for s in stats]


def _stored(db_session, rnd):
    return db_session.scalar(select(func.count()).select_from(RoundItemSums).where(RoundItemSums.round_id == rnd.id))


def test_a_settled_round_stores_its_item_sums_once_and_reads_the_same_figures_back(small, db_session, clock):
    rnd = small.round
    clock.set(rnd.closes_at + timedelta(minutes=1))  # closed, not settled yet: computed live, nothing stored
    live = summary.item_stats(db_session, report_scope(db_session, small.admin, rnd.id), clock.now)
    assert _stored(db_session, rnd) == 0
    clock.set(rnd.closes_at + timedelta(hours=1))
    first = summary.item_stats(db_session, report_scope(db_session, small.admin, rnd.id), clock.now)
    assert _stored(db_session, rnd) > 0
    # another cache key (the flag threshold): the figures are judged again, from the stored sums
    again = summary.item_stats(db_session, report_scope(db_session, small.admin, rnd.id), clock.now, min_answers=5)
    assert _figures(live) == _figures(first) == _figures(again)
    assert again[3]["facility"] == 0.6 and abs(again[3]["discrimination"] - (-0.7206)) < 1e-4
    # a school's own scope is computed live and is not the whole round's
    manager = summary.item_stats(db_session, report_scope(db_session, small.manager_a, rnd.id), clock.now)
    assert [s["answers"] for s in manager] == [3, 3, 3, 3]


def test_stored_sums_are_what_later_views_read_and_a_new_submission_replaces_them(
        small, db_session, clock, make_user, take):
    from quiz.models import Role

    rnd = small.round
    clock.set(rnd.closes_at + timedelta(hours=1))
    assert summary.prepare_round(db_session, rnd, clock.now)
    rows = db_session.scalars(select(RoundItemSums).where(RoundItemSums.round_id == rnd.id)).all()
    first_q = small.questions[0].id
    for row in rows:  # mark the stored rows: the next analysis must be judged from them
        if row.question_id == first_q:
            row.students *= 2
    db_session.commit()
    stats = summary.item_stats(db_session, report_scope(db_session, small.admin, rnd.id), clock.now)
    assert stats[0]["answers"] == 10
    # one more finished attempt changes the results fingerprint: the stale rows are replaced
    late = make_user(Role.STUDENT, unit=small.a1, username="s6")
    take(late, rnd, ("A", "A", "A", "A"), minutes=5)
    db_session.commit()
    stats = summary.item_stats(db_session, report_scope(db_session, small.admin, rnd.id), clock.now)
    assert [s["answers"] for s in stats] == [6, 6, 6, 6]
    fingerprints = set(db_session.scalars(select(RoundItemSums.fingerprint).where(RoundItemSums.round_id == rnd.id)))
    assert len(fingerprints) == 1


def test_nothing_is_stored_while_the_round_is_open(small, db_session, clock):
    clock.set(small.round.opens_at + timedelta(minutes=30))
    assert summary.prepare_round(db_session, small.round, clock.now) is False
    summary.item_stats(db_session, report_scope(db_session, small.admin, small.round.id), clock.now)
    assert _stored(db_session, small.round) == 0


def test_the_items_page_commits_the_stored_sums(small, db_session, clock, login_as, client):
    clock.set(small.round.closes_at + timedelta(hours=1))
    login_as(small.admin)
    response = client.get(f"/rounds/{small.round.id}/report/items")
    assert response.status_code == 200
    db_session.rollback()
    assert _stored(db_session, small.round) > 0


def test_publishing_a_rounds_results_stores_its_item_sums(small, db_session, clock):
    from quiz.contests.service import publish_round_results

    rnd = small.round
    if rnd.prediction_question and rnd.prediction_answer is None:
        rnd.prediction_answer = 1
    clock.set(rnd.closes_at + timedelta(hours=1))
    assert _stored(db_session, rnd) == 0
    publish_round_results(db_session, small.admin, rnd)
    assert rnd.results_published_at is not None
    assert _stored(db_session, rnd) > 0  # the first report after publication reads them instead of every answer
