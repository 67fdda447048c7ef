"""A whole round's item sums are stored and kept up to date incrementally (quiz.reports.stored): whatever
happened to the attempts since (new submissions, a reopened attempt, a rescored one, a better second
attempt), the figures read from them are those of a computation from scratch."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quiz.models import Answer, Role, RoundItemAttempt, RoundItemSums
from quiz.reports import items, stored, summary
from quiz.reports.scope import report_scope


def _figures(stats):
    return [(s.question_id, s.revision_id, s.answers, s.right, s.blank, s.facility, s.discrimination,
             [o.chosen for o in s.options]) for s in stats]


def _stored_figures(db_session, user, rnd):
    return _figures(items.item_analysis(db_session, report_scope(db_session, user, rnd.id), use_stored=True))


def _from_scratch(db_session, user, rnd):
    return _figures(items.item_analysis(db_session, report_scope(db_session, user, rnd.id)))


def _stored(db_session, rnd):
    return db_session.scalar(select(func.count()).select_from(RoundItemSums).where(RoundItemSums.round_id == rnd.id))


def _folded(db_session, rnd):
    return db_session.scalar(select(func.count()).select_from(RoundItemAttempt)
                             .where(RoundItemAttempt.round_id == rnd.id))


def _refresh(db_session, rnd, clock):
    return summary.prepare_round(db_session, rnd, clock.now)


@pytest.fixture
def more_students(small, make_user):
    """Six more pupils of 9A2 (s6 … s11) who have not taken the round yet."""
    return [make_user(Role.STUDENT, unit=small.a2, username=f"s{i}") for i in range(6, 12)]


LATER_ANSWERS = [("A", "A", "A", "A"), ("B", "C", "D", "A"), (None, None, None, None), ("A", "B", "A", "B"),
                 ("C", "A", None, "A"), ("A", "A", "B", "D")]


def test_a_whole_round_analysis_stores_its_sums_and_reads_the_same_figures_back(small, db_session, clock):
    rnd = small.round
    live = _from_scratch(db_session, small.admin, rnd)
    assert _stored(db_session, rnd) == 0
    first = _stored_figures(db_session, small.admin, rnd)
    assert _stored(db_session, rnd) > 0 and _folded(db_session, rnd) == 5
    again = _stored_figures(db_session, small.admin, rnd)
    assert live == first == again
    q4 = items.item_analysis(db_session, report_scope(db_session, small.admin, rnd.id), use_stored=True)[3]
    assert q4.facility == 0.6 and abs(q4.discrimination - (-0.7206)) < 1e-4
    # a school's own scope is computed live, never from the whole round's sums
    manager = items.item_analysis(db_session, report_scope(db_session, small.manager_a, rnd.id), use_stored=True)
    assert [s.answers for s in manager] == [3, 3, 3, 3]


def test_an_open_rounds_item_analysis_after_more_submissions_equals_a_computation_from_scratch(
        small, db_session, clock, take, more_students):
    rnd = small.round
    assert clock.now < rnd.closes_at
    _stored_figures(db_session, small.admin, rnd)
    db_session.commit()
    for n, (student, letters) in enumerate(zip(more_students, LATER_ANSWERS)):
        take(student, rnd, letters, minutes=30 + n)
        db_session.commit()
        if n % 2:  # somebody looks at the analysis now and then while the round runs
            assert _stored_figures(db_session, small.admin, rnd) == _from_scratch(db_session, small.admin, rnd)
            db_session.commit()
    result = _refresh(db_session, rnd, clock)
    assert (result.added, result.removed, result.rebuilt) == (0, 0, False)
    figures = _stored_figures(db_session, small.admin, rnd)
    assert figures == _from_scratch(db_session, small.admin, rnd)
    assert [f[2] for f in figures] == [11, 11, 11, 11]  # everybody once, nobody twice
    assert [f[4] for f in figures] == [1, 1, 3, 1]  # blanks: s7 left all four, s5 and s10 left Q3
    assert _folded(db_session, rnd) == 11


def test_new_submissions_are_added_to_the_stored_sums_without_recomputing_them(small, db_session, clock, take,
                                                                               more_students):
    rnd = small.round
    _refresh(db_session, rnd, clock)
    first_q = small.questions[0].id
    for row in db_session.scalars(select(RoundItemSums).where(RoundItemSums.round_id == rnd.id)):
        if row.question_id == first_q:  # mark the stored rows: what comes next must be added to them
            row.students *= 2
    db_session.commit()
    take(more_students[0], rnd, ("A", "A", "A", "A"), minutes=40)
    db_session.commit()
    result = _refresh(db_session, rnd, clock)
    assert (result.added, result.removed, result.rebuilt) == (1, 0, False)
    assert [f[2] for f in _stored_figures(db_session, small.admin, rnd)] == [11, 6, 6, 6]


def test_a_viewer_of_an_open_round_folds_in_a_burst_of_submissions_a_slice_at_a_time(
        small, db_session, clock, take, more_students, make_user, monkeypatch):
    rnd = small.round
    _refresh(db_session, rnd, clock)
    db_session.commit()
    for n, (student, letters) in enumerate(zip(more_students, LATER_ANSWERS)):
        take(student, rnd, letters, minutes=30 + n)
    db_session.commit()
    monkeypatch.setattr(stored, "VIEWER_FOLD", 4)
    scope = report_scope(db_session, small.admin, rnd.id)
    first = stored.refresh(db_session, scope, clock.now, viewer=True)
    assert (first.added, first.pending) == (4, 2)
    assert sum(row[4] for row in first.rows if row[0] == small.questions[0].id) == 9  # 5 + the 4 oldest
    assert [f[2] for f in _stored_figures(db_session, small.admin, rnd)] == [11, 11, 11, 11]  # the next viewer
    assert _stored_figures(db_session, small.admin, rnd) == _from_scratch(db_session, small.admin, rnd)
    late = [make_user(Role.STUDENT, unit=small.b1, username=f"late{i}") for i in range(6)]
    for n, (student, letters) in enumerate(zip(late, LATER_ANSWERS)):
        take(student, rnd, letters, minutes=50 + n)
    clock.set(rnd.closes_at + timedelta(minutes=1))  # after the close a viewer folds everything in at once
    closed = stored.refresh(db_session, scope, clock.now, viewer=True)
    assert (closed.added, closed.pending) == (6, 0)
    assert _stored_figures(db_session, small.admin, rnd) == _from_scratch(db_session, small.admin, rnd)


def test_a_reopened_attempt_resubmitted_with_other_answers_counts_once_with_its_new_answers(
        small, db_session, clock, take):
    from quiz.attempts.service import finish
    from quiz.contests.monitor import reopen

    rnd = small.round
    _refresh(db_session, rnd, clock)
    db_session.commit()
    s5 = small.students["s5"]
    clock.set(small.attempts["s5"].submitted_at + timedelta(minutes=20))
    reopen(db_session, small.admin, rnd, s5.id, 15, clock.now)
    db_session.commit()
    assert _stored_figures(db_session, small.admin, rnd) == _from_scratch(db_session, small.admin, rnd)
    attempt = small.attempts["s5"]
    paper = {aq.question_id: aq for aq in attempt.paper}
    q3 = small.questions[2]
    rev = db_session.get(type(q3.current_revision), paper[q3.id].revision_id)
    db_session.add(Answer(attempt_id=attempt.id, question_id=q3.id, option_ids=[rev.options[0].id], seq=2,
                          saved_at=clock.now))
    for answer in db_session.scalars(select(Answer).where(Answer.attempt_id == attempt.id)):
        if answer.question_id == small.questions[0].id:
            answer.option_ids = [db_session.get(type(rev), paper[answer.question_id].revision_id).options[0].id]
    clock.advance(minutes=5)
    finish(db_session, attempt, clock.now, by="student")
    db_session.commit()
    figures = _stored_figures(db_session, small.admin, rnd)
    assert figures == _from_scratch(db_session, small.admin, rnd)
    assert [f[2] for f in figures] == [5, 5, 5, 5]  # not counted twice
    assert [f[3] for f in figures][:3] == [5, 2, 3]  # s5 now right on Q1 and Q3
    assert [f[4] for f in figures] == [0, 0, 0, 0]  # and no blank left
    assert _folded(db_session, rnd) == 5


def test_a_rescored_attempt_is_taken_out_with_its_old_score_and_counted_with_the_new_one(small, db_session, clock):
    rnd = small.round
    _refresh(db_session, rnd, clock)
    db_session.commit()
    small.attempts["s3"].score = 4  # e.g. a corrected key: s3 now tops the round
    db_session.commit()
    result = _refresh(db_session, rnd, clock)
    assert (result.added, result.removed, result.rebuilt) == (1, 1, False)
    figures = _stored_figures(db_session, small.admin, rnd)
    assert figures == _from_scratch(db_session, small.admin, rnd)
    assert [f[2] for f in figures] == [5, 5, 5, 5]
    assert figures[3][6] != -0.7206  # the discrimination follows the new score


def test_a_better_second_attempt_replaces_the_first_in_the_sums(small, db_session, clock, take):
    rnd = small.round
    rnd.contest.attempts_allowed = 2
    _refresh(db_session, rnd, clock)
    db_session.commit()
    take(small.students["s5"], rnd, ("A", "A", "A", "A"), minutes=60, number=2)
    db_session.commit()
    result = _refresh(db_session, rnd, clock)
    assert (result.added, result.removed, result.rebuilt) == (1, 1, False)
    figures = _stored_figures(db_session, small.admin, rnd)
    assert figures == _from_scratch(db_session, small.admin, rnd)
    assert [f[2] for f in figures] == [5, 5, 5, 5] and [f[4] for f in figures] == [0, 0, 0, 0]


def test_a_deleted_attempt_leaves_the_sums(small, db_session, clock):
    rnd = small.round
    _refresh(db_session, rnd, clock)
    db_session.commit()
    db_session.delete(small.attempts["s1"])
    db_session.commit()
    result = _refresh(db_session, rnd, clock)
    assert result.rebuilt
    figures = _stored_figures(db_session, small.admin, rnd)
    assert figures == _from_scratch(db_session, small.admin, rnd)
    assert [f[2] for f in figures] == [4, 4, 4, 4]


def test_two_rounds_keep_their_own_sums(small, db_session, clock, take, make_round):
    other = make_round(small.questions, shuffle=False, duration_minutes=180, title="Vòng khác")
    take(small.students["s1"], other, ("B", "B", "B", "B"))
    take(small.students["s2"], other, ("A", None, "A", "A"), minutes=20)
    db_session.commit()
    for _ in range(2):
        for rnd in (small.round, other):
            _refresh(db_session, rnd, clock)
    assert _folded(db_session, small.round) == 5 and _folded(db_session, other) == 2
    mine = _stored_figures(db_session, small.admin, small.round)
    theirs = _stored_figures(db_session, small.admin, other)
    assert mine == _from_scratch(db_session, small.admin, small.round)
    assert theirs == _from_scratch(db_session, small.admin, other)
    assert [f[2] for f in theirs] == [2, 2, 2, 2] and [f[4] for f in theirs] == [0, 1, 0, 0]


def test_answers_that_do_not_fit_the_paper_count_as_blanks_however_the_sums_were_built(small, db_session, clock,
                                                                                        take, more_students):
    rnd = small.round
    _refresh(db_session, rnd, clock)
    db_session.commit()
    late = take(more_students[0], rnd, ("A", None, None, "A"), minutes=30)
    q1, q2, q3 = (db_session.get(type(q), q.id) for q in small.questions[:3])
    db_session.add(Answer(attempt_id=late.id, question_id=q2.id, option_ids=[q1.current_revision.options[0].id],
                          seq=1, saved_at=clock.now))  # an option of another question
    db_session.add(Answer(attempt_id=late.id, question_id=q3.id, option_ids=[], seq=1, saved_at=clock.now))
    db_session.commit()
    incremental = _stored_figures(db_session, small.admin, rnd)
    assert incremental == _from_scratch(db_session, small.admin, rnd)
    assert [f[4] for f in incremental] == [0, 1, 2, 0]


def test_the_stored_sums_roll_back_with_the_request(small, db_session, clock):
    rnd = small.round
    _stored_figures(db_session, small.admin, rnd)
    db_session.rollback()
    assert _stored(db_session, rnd) == 0 and _folded(db_session, rnd) == 0


def test_a_failure_while_folding_in_leaves_the_stored_sums_as_they_were(small, db_session, clock, take,
                                                                        more_students, monkeypatch):
    rnd = small.round
    _refresh(db_session, rnd, clock)
    db_session.commit()
    before = sorted((r.question_id, r.pattern, r.students) for r in
                    db_session.scalars(select(RoundItemSums).where(RoundItemSums.round_id == rnd.id)))
    take(more_students[0], rnd, ("A", "A", "A", "A"), minutes=40)
    db_session.commit()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(stored, "pattern_rows", broken)
    with pytest.raises(RuntimeError):
        _refresh(db_session, rnd, clock)
    db_session.commit()  # whatever the request does next, the half-done fold is not in it
    after = sorted((r.question_id, r.pattern, r.students) for r in
                   db_session.scalars(select(RoundItemSums).where(RoundItemSums.round_id == rnd.id)))
    assert after == before and _folded(db_session, rnd) == 5
    monkeypatch.undo()
    assert [f[2] for f in _stored_figures(db_session, small.admin, rnd)] == [6, 6, 6, 6]


def test_the_items_page_commits_the_stored_sums(small, db_session, clock, login_as, client):
    clock.set(small.round.closes_at + timedelta(hours=1))
    login_as(small.admin)
    response = client.get(f"/rounds/{small.round.id}/report/items")
    assert response.status_code == 200
    db_session.rollback()
    assert _stored(db_session, small.round) > 0


def test_the_workbook_and_the_json_read_the_same_stored_figures_as_the_page(small, db_session, clock, login_as,
                                                                            client):
    clock.set(small.round.closes_at + timedelta(hours=1))
    login_as(small.admin)
    items_json = client.get(f"/api/rounds/{small.round.id}/report").get_json()["items"]
    assert [i["facility"] for i in items_json] == [0.8, 0.4, 0.4, 0.6]
    assert client.get(f"/rounds/{small.round.id}/report.xlsx").status_code == 200
    db_session.rollback()
    assert _folded(db_session, small.round) == 5


def test_publishing_a_rounds_results_stores_its_item_sums(small, db_session, clock):
    from quiz.contests.service import publish_round_results

    rnd = small.round
    if rnd.prediction_question and rnd.prediction_answer is None:
        rnd.prediction_answer = 1
    clock.set(rnd.closes_at + timedelta(hours=1))
    assert _stored(db_session, rnd) == 0
    publish_round_results(db_session, small.admin, rnd)
    assert rnd.results_published_at is not None
    assert _stored(db_session, rnd) > 0 and _folded(db_session, rnd) == 5


def test_the_refresh_command_folds_in_open_and_recently_closed_rounds_only(small, db_session, clock, app, take,
                                                                           make_round, more_students):
    old = make_round(small.questions, shuffle=False, opens_in_minutes=-3 * 24 * 60, duration_minutes=60,
                     title="Vòng cũ")
    take(more_students[0], old, ("A", "A", "A", "A"), started=old.opens_at + timedelta(minutes=1), minutes=10)
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "refresh"])
    assert result.exit_code == 0, result.output
    assert "5 attempt(s) folded in" in result.output
    db_session.rollback()
    assert _folded(db_session, small.round) == 5 and _folded(db_session, old) == 0
    again = app.test_cli_runner().invoke(args=["reports", "refresh"])
    assert "0 attempt(s) folded in" in again.output


@pytest.mark.postgres
def test_two_viewers_refreshing_at_once_fold_each_new_submission_once(small, db_session, clock, app, take,
                                                                      more_students):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from quiz.extensions import db
    from quiz.models import Round

    rnd = small.round
    _refresh(db_session, rnd, clock)
    db_session.commit()
    for n, student in enumerate(more_students[:3]):
        take(student, rnd, LATER_ANSWERS[n], minutes=30 + n)
    db_session.commit()
    barrier = threading.Barrier(2)

    def viewer(_):
        with app.app_context():
            barrier.wait()
            result = summary.prepare_round(db.session, db.session.get(Round, rnd.id), clock.now)
            db.session.commit()
            return result.added

    with ThreadPoolExecutor(2) as pool:
        added = sorted(pool.map(viewer, range(2)))
    assert added == [0, 3]
    db_session.rollback()
    assert _folded(db_session, rnd) == 8
    figures = _stored_figures(db_session, small.admin, rnd)
    assert figures == _from_scratch(db_session, small.admin, rnd)
    assert [f[2] for f in figures] == [8, 8, 8, 8]
