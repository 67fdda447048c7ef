"""Student pages: my rounds, taking a round, reviewing an attempt, joining with a code."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from quiz import clock
from quiz.attempts import bp, present, review as key_rule, service
from quiz.auth.session import role_required
from quiz.contests.eligibility import get_student_round, round_state, student_rounds
from quiz.contests.joining import join_with_code
from quiz.errors import DomainError, NotAllowed
from quiz.extensions import db
from quiz.models import Role


@bp.route("/rounds")
@role_required(Role.STUDENT)
def my_rounds():
    now = clock.now()
    rounds = student_rounds(db.session, current_user)
    rows = []
    for r in rounds:
        attempt = service.latest_attempt(db.session, r, current_user)
        key = key_rule.key_decision(db.session, attempt, now, grace=_grace()) \
            if attempt is not None and attempt.submitted_at is not None else None
        rows.append((r, round_state(r, now), attempt, key))
    return render_template("attempts/my_rounds.html", rows=rows, now=now)


def _grace() -> int:
    return int(current_app.config.get("ATTEMPT_GRACE_SECONDS", service.DEFAULT_GRACE_SECONDS))


@bp.route("/rounds/<int:round_id>/take")
@role_required(Role.STUDENT)
def take(round_id: int):
    rnd = get_student_round(db.session, current_user, round_id)
    return render_template("attempts/take.html", rnd=rnd)


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
