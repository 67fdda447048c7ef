"""The live monitor of a round: the page, its JSON feed (with ETag), and per-student extend / reopen."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from quiz import clock
from quiz.auth.session import client_ip, role_required
from quiz.contests import bp, monitor, monitor_feed
from quiz.contests.eligibility import can_manage, round_state
from quiz.contests.forms import MinutesForm
from quiz.contests.round_routes import staff_round
from quiz.errors import DomainError, NotFound
from quiz.extensions import db
from quiz.i18n import format_dt
from quiz.models import Role

STAFF = (Role.ADMIN, Role.MANAGER, Role.TEACHER)
POLL_SECONDS = 5


def _school_filter(rnd) -> tuple[list, object]:
    """The schools an administrator may narrow a province round's monitor to, and the chosen one (404 if foreign)."""
    schools = monitor.monitor_schools(db.session, current_user, rnd)
    wanted = request.args.get("school", type=int)
    if not wanted:
        return schools, None
    chosen = next((s for s in schools if s.id == wanted), None)
    if chosen is None:
        raise NotFound("school not found")
    return schools, chosen


@bp.route("/rounds/<int:round_id>/monitor")
@role_required(*STAFF)
def round_monitor(round_id: int):
    rnd = staff_round(round_id)
    schools, school = _school_filter(rnd)
    now = clock.now()
    mon = monitor.monitor(db.session, current_user, rnd, now, school)
    payload = monitor_feed.monitor_payload(mon, format_dt)
    return render_template("contests/monitor.html", rnd=rnd, contest=rnd.contest, feed=payload,
                           state=round_state(rnd, now), poll_seconds=POLL_SECONDS,
                           manageable=can_manage(current_user, rnd.contest), schools=schools, school=school,
                           school_id=school.id if school else None)


@bp.route("/rounds/<int:round_id>/monitor.json")
@role_required(*STAFF)
def round_monitor_json(round_id: int):
    rnd = staff_round(round_id)
    _schools, school = _school_filter(rnd)
    now = clock.now()
    payload = monitor_feed.monitor_payload(monitor.monitor(db.session, current_user, rnd, now, school), format_dt)
    payload["state"] = round_state(rnd, now).value
    response = jsonify(payload)
    response.set_etag(monitor_feed.etag_of(payload))
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Cookie"
    response.headers["X-Server-Time"] = format_dt(now, with_seconds=True)  # "updated at"; not in the ETag
    return response.make_conditional(request)


def _change(round_id: int, action, done: str):
    rnd = staff_round(round_id)
    form = MinutesForm()
    back = url_for("contests.round_monitor", round_id=rnd.id, school=request.args.get("school", type=int))
    if not form.validate_on_submit():
        errors = [e for f in (form.minutes, form.student_id) for e in f.errors]
        flash(" ".join(str(e) for e in errors) or _("The request could not be understood."), "error")
        return redirect(back)
    try:
        attempt = action(db.session, current_user, rnd, form.student_id.data, form.minutes.data, clock.now(),
                         ip=client_ip())
    except DomainError as err:
        db.session.rollback()
        if err.status == 404:
            raise
        flash(err.message, "error")
    else:
        name, deadline = attempt.user.full_name, format_dt(attempt.deadline)
        db.session.commit()
        flash(done(name, deadline), "success")
    return redirect(back)


@bp.route("/rounds/<int:round_id>/monitor/extend", methods=["POST"])
@role_required(*STAFF)
def round_extend(round_id: int):
    return _change(round_id, monitor.extend,
                   lambda name, deadline: _("%(name)s now has until %(deadline)s.", name=name, deadline=deadline))


@bp.route("/rounds/<int:round_id>/monitor/reopen", methods=["POST"])
@role_required(*STAFF)
def round_reopen(round_id: int):
    return _change(round_id, monitor.reopen, lambda name, deadline: _(
        "The attempt of %(name)s is open again until %(deadline)s.", name=name, deadline=deadline))
