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
from quiz.contests.labels import ROUND_STATE
from quiz.contests.round_routes import staff_round
from quiz.errors import DomainError, NotFound
from quiz.extensions import db
from quiz.i18n import format_dt
from quiz.models import Role
from quiz.bounded_numbers import db_id, page_number, whole_number

STAFF = (Role.ADMIN, Role.MANAGER, Role.TEACHER)
POLL_SECONDS = 5


FILTER_ARGS = ("area", "school", "class", "state", "q", "page", "per_page")


def _pick(units: list, name: str):
    """The unit chosen in the query string among ``units`` (404 if it is not one of them)."""
    wanted = request.args.get(name, type=db_id)
    if not wanted:
        return None
    chosen = next((u for u in units if u.id == wanted), None)
    if chosen is None:
        raise NotFound(f"{name} not found")
    return chosen


def _filters(rnd) -> tuple[monitor.UnitChoices, monitor.MonitorFilter]:
    """The monitor's filters from the query string; a unit outside the viewer's choices is a 404."""
    choices = monitor.unit_choices(db.session, current_user, rnd)
    area = _pick(choices.areas, "area")
    school = _pick(choices.schools, "school")
    if area is not None and school is not None and not school.path.startswith(area.path):
        school = None  # the school of another area: show the area
    if area is not None or school is not None:
        choices = monitor.unit_choices(db.session, current_user, rnd, area, school)
    klass = _pick(choices.classes, "class")
    flt = monitor.MonitorFilter(area=area, school=school, klass=klass, state=request.args.get("state", ""),
                                q=request.args.get("q", ""), page=request.args.get("page", 1, type=page_number),
                                per_page=request.args.get("per_page", 0, type=whole_number))
    return choices, flt


def _args(flt, **changes) -> dict:
    """The query-string arguments of the current filters (for links and the JSON URL)."""
    args = {"area": flt.area.id if flt.area else None, "school": flt.school.id if flt.school else None,
            "class": flt.klass.id if flt.klass else None, "state": flt.state or None, "q": flt.q or None,
            "page": flt.page if flt.page > 1 else None,
            "per_page": flt.per_page if flt.per_page != monitor.monitor_query.PER_PAGE else None}
    args.update(changes)
    return {k: v for k, v in args.items() if v is not None}


@bp.route("/rounds/<int:round_id>/monitor")
@role_required(*STAFF)
def round_monitor(round_id: int):
    rnd = staff_round(round_id)
    choices, flt = _filters(rnd)
    now = clock.now()
    mon = monitor.monitor(db.session, current_user, rnd, now, flt)
    payload = monitor_feed.monitor_payload(mon, format_dt)
    return render_template("contests/monitor.html", rnd=rnd, contest=rnd.contest, feed=payload, mon=mon,
                           state=round_state(rnd, now), poll_seconds=POLL_SECONDS, choices=choices, flt=flt,
                           args=_args(flt), page_args=lambda n: _args(flt, page=n if n > 1 else None),
                           manageable=can_manage(current_user, rnd.contest))


@bp.route("/rounds/<int:round_id>/monitor.json")
@role_required(*STAFF)
def round_monitor_json(round_id: int):
    rnd = staff_round(round_id)
    _choices, flt = _filters(rnd)
    now = clock.now()
    payload = monitor_feed.monitor_payload(monitor.monitor(db.session, current_user, rnd, now, flt), format_dt)
    state = round_state(rnd, now)
    payload["state"] = state.value
    payload["state_label"] = str(ROUND_STATE[state])
    response = jsonify(payload)
    response.set_etag(monitor_feed.etag_of(payload))
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Cookie"
    response.headers["X-Server-Time"] = format_dt(now, with_seconds=True)  # "updated at"; not in the ETag
    return response.make_conditional(request)


def _change(round_id: int, action, done, **options):
    rnd = staff_round(round_id)
    form = MinutesForm()
    back = url_for("contests.round_monitor", round_id=rnd.id,
                   **{k: request.args[k] for k in FILTER_ARGS if request.args.get(k)})
    if not form.validate_on_submit():
        errors = [e for f in (form.minutes, form.student_id) for e in f.errors]
        flash(" ".join(str(e) for e in errors) or _("The request could not be understood."), "error")
        return redirect(back)
    try:
        attempt = action(db.session, current_user, rnd, form.student_id.data, form.minutes.data, clock.now(),
                         ip=client_ip(), **options)
    except monitor.AfterClose as err:
        db.session.rollback()
        return render_template("contests/extend_after_close.html", rnd=rnd, form=form, message=err.message,
                               action=request.full_path.rstrip("?"), back=back), err.status
    except DomainError as err:
        db.session.rollback()
        if err.status == 404:
            raise
        flash(err.message, "error")
    else:
        name, deadline = attempt.user.full_name, format_dt(attempt.deadline)
        after = attempt.deadline > rnd.closes_at
        db.session.commit()
        flash(done(name, deadline, after), "success")
    return redirect(back)


@bp.route("/rounds/<int:round_id>/monitor/extend", methods=["POST"])
@role_required(*STAFF)
def round_extend(round_id: int):
    def done(name: str, deadline: str, after: bool) -> str:
        if after:
            return _("%(name)s now has until %(deadline)s and answers after the round's close.", name=name,
                     deadline=deadline)
        return _("%(name)s now has until %(deadline)s.", name=name, deadline=deadline)

    return _change(round_id, monitor.extend, done, after_close=bool(request.form.get("after_close")))


@bp.route("/rounds/<int:round_id>/monitor/reopen", methods=["POST"])
@role_required(*STAFF)
def round_reopen(round_id: int):
    return _change(round_id, monitor.reopen, lambda name, deadline, after: _(
        "The attempt of %(name)s is open again until %(deadline)s.", name=name, deadline=deadline))
