"""Student pages: my rounds, the start screen, taking a round, the result, reviewing an attempt, joining."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from quiz import clock
from quiz.attempts import bp, outcome, present, review as key_rule, service, standing
from quiz.auth.session import client_ip, role_required
from quiz.bounded_numbers import whole_number
from quiz.contests.eligibility import get_student_round
from quiz.contests.joining import join_with_code
from quiz.errors import DomainError, NotAllowed, ValidationFailed
from quiz.extensions import db
from quiz.models import Role


@bp.route("/rounds")
@role_required(Role.STUDENT)
def my_rounds():
    now = clock.now()
    rows = []
    for st in standing.standings(db.session, current_user, now, grace=_grace()):
        done = st.submitted
        key = key_rule.key_decision(db.session, done, now, grace=_grace()) \
            if done is not None and done.submitted_at is not None else None
        rows.append((st, done, key))
    return render_template("attempts/my_rounds.html", rows=rows, now=now)


def _grace() -> int:
    return int(current_app.config.get("ATTEMPT_GRACE_SECONDS", service.DEFAULT_GRACE_SECONDS))


@bp.route("/rounds/<int:round_id>/take")
@role_required(Role.STUDENT)
def take(round_id: int):
    """The start screen (starts nothing), or the running attempt (resume)."""
    now = clock.now()
    rnd = get_student_round(db.session, current_user, round_id)
    st = standing.standing_in(db.session, current_user, rnd, now, grace=_grace())
    if st.running is not None:
        return render_template("attempts/take.html", rnd=rnd, attempt=st.running)
    return render_template("attempts/start.html", rnd=rnd, st=st, now=now)


@bp.route("/rounds/<int:round_id>/take", methods=["POST"])
@role_required(Role.STUDENT)
def begin(round_id: int):
    """*Start*: the clock starts here (a running attempt is resumed; none left: its result)."""
    try:
        attempt = service.start_or_resume(db.session, current_user, round_id, clock.now(), grace=_grace(),
                                          ip=client_ip(), user_agent=request.user_agent.string)
    except (service.AttemptClosed, ValidationFailed) as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("attempts.take", round_id=round_id))
    db.session.commit()
    if attempt.submitted_at is not None:
        return redirect(url_for("attempts.result", attempt_id=attempt.id))
    return redirect(url_for("attempts.take", round_id=round_id))


@bp.route("/attempts/<int:attempt_id>/result")
@role_required(Role.STUDENT)
def result(attempt_id: int):
    now = clock.now()
    attempt = service.get_own_attempt(db.session, attempt_id, current_user)
    if attempt.submitted_at is None:
        if now <= attempt.deadline + timedelta(seconds=_grace()):
            return redirect(url_for("attempts.take", round_id=attempt.round_id))
        service.finish(db.session, attempt, now, by="deadline")
    shown = outcome.outcome_of(db.session, current_user, attempt, now, grace=_grace())
    db.session.commit()
    try:  # sent by the attempt page when time ran out with answers that never reached the server
        lost = whole_number(request.args.get("lost", "0"), 0, len(attempt.paper))
    except ValueError:
        lost = 0
    return render_template("attempts/result.html", o=shown, timeup=request.args.get("timeup") == "1", lost=lost)


@bp.route("/attempts/<int:attempt_id>/review")
@role_required(Role.STUDENT)
def review(attempt_id: int):
    now = clock.now()
    attempt = service.get_own_attempt(db.session, attempt_id, current_user)
    decision = key_rule.key_decision(db.session, attempt, now, grace=_grace(), lock=True)
    if not decision.allowed:
        raise NotAllowed(decision.reason)
    questions = present.review_payload(db.session, attempt, str(get_locale() or "vi"))
    key_rule.mark_key_shown(attempt, now)
    db.session.commit()
    return render_template("attempts/review.html", attempt=attempt, questions=questions,
                           result=present.result_payload(attempt))


@bp.route("/join", methods=["GET", "POST"])
@role_required(Role.STUDENT)
def join():
    code = ""
    error = None
    status = 200
    if request.method == "POST":
        code = request.form.get("code", "")
        try:
            contest = join_with_code(db.session, current_user, code, clock.now())
        except DomainError as err:
            db.session.rollback()
            error, status = err.message, 400
        else:
            db.session.commit()
            flash(_("You have joined «%(title)s».", title=contest.title), "success")
            return redirect(url_for("attempts.my_rounds"))
    return render_template("attempts/join.html", code=code, error=error), status
