"""Report pages, JSON and XLSX workbooks (staff only; every round checked against the viewer's scope)."""
from __future__ import annotations

from flask import Response, flash, jsonify, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from quiz import clock
from quiz.auth.session import client_ip, role_required
from quiz.contests.eligibility import round_state, staff_contests_query
from quiz.contests.labels import ROUND_STATE
from quiz.contests.localtime import to_local
from quiz.errors import DomainError
from quiz.extensions import db
from quiz.models import Role
from quiz.reports import bp, charts, classes, items, summary, workbook
from quiz.reports.scope import report_scope

STAFF = (Role.ADMIN, Role.MANAGER, Role.TEACHER)


def _lang() -> str:
    return str(get_locale() or "vi")


@bp.app_template_filter("report_text")
def report_text(texts: dict[str, str] | None, lang: str) -> str:
    return workbook.plain_text(texts, lang)



@bp.route("/reports")
@role_required(*STAFF)
def index():
    """Every round of every contest the viewer may see, newest first, with links to its report."""
    now = clock.now()
    contests = db.session.scalars(staff_contests_query(current_user)).all()
    rounds = sorted(((r, round_state(r, now)) for c in contests for r in c.rounds if c.status.value != "draft"),
                    key=lambda pair: (pair[0].opens_at, pair[0].id), reverse=True)
    rounds = [(r, state, ROUND_STATE[state]) for r, state in rounds]
    return render_template("reports/index.html", rounds=rounds)


@bp.route("/rounds/<int:round_id>/report")
@role_required(*STAFF)
def round_report(round_id: int):
    now = clock.now()
    scope = report_scope(db.session, current_user, round_id)
    data = summary.overview(db.session, scope, now)
    step = data["completion"]
    elapsed = [p for p in step if p["start"] < data["computed_at"]]  # the table lists what has happened
    labels = [to_local(p["start"]).strftime("%d/%m %H:%M") for p in elapsed]
    state = round_state(scope.rnd, now)
    return render_template(
        "reports/round.html", rnd=scope.rnd, contest=scope.rnd.contest, scope=scope, data=data,
        state=state, state_label=ROUND_STATE[state], histogram=charts.histogram(data["distribution"]["bins"]),
        completion=charts.cumulative_line(step, data["participants"], until=data["computed_at"]),
        completion_rows=elapsed, completion_labels=labels,
        items_visible=scope.analysis_visible(now))


@bp.route("/rounds/<int:round_id>/report/items")
@role_required(*STAFF)
def round_items(round_id: int):
    now = clock.now()
    scope = report_scope(db.session, current_user, round_id)
    stats = summary.item_stats(db.session, scope, now)
    db.session.commit()  # the whole round's item sums, brought up to date (quiz.reports.stored)
    return render_template("reports/items.html", rnd=scope.rnd, contest=scope.rnd.contest, scope=scope,
                           stats=stats, visible=scope.analysis_visible(now), lang=_lang(),
                           flag_labels=workbook.flag_names(), min_answers=items.MIN_ANSWERS,
                           can_write=scope.organiser and now >= scope.rnd.closes_at)


@bp.route("/rounds/<int:round_id>/report/facility", methods=["POST"])
@role_required(*STAFF)
def write_facility(round_id: int):
    scope = report_scope(db.session, current_user, round_id)
    try:
        count = items.write_facility(db.session, current_user, scope.rnd, clock.now(), ip=client_ip())
    except DomainError as err:
        db.session.rollback()
        if err.status == 404:
            raise
        flash(err.message, "error")
        return redirect(url_for("reports.round_items", round_id=round_id))
    db.session.commit()
    flash(_("The measured facility was written to %(n)d question revisions.", n=count), "success")
    return redirect(url_for("reports.round_items", round_id=round_id))


@bp.route("/rounds/<int:round_id>/report/classes/<int:class_id>")
@role_required(*STAFF)
def class_report(round_id: int, class_id: int):
    scope = report_scope(db.session, current_user, round_id)
    report = classes.class_report(db.session, scope, class_id, clock.now())
    return render_template("reports/class.html", rnd=scope.rnd, contest=scope.rnd.contest, report=report,
                           lang=_lang())


@bp.route("/api/rounds/<int:round_id>/report")
@role_required(*STAFF)
def api_report(round_id: int):
    now = clock.now()
    scope = report_scope(db.session, current_user, round_id)
    payload = summary.api_payload(summary.overview(db.session, scope, now), summary.item_stats(db.session, scope, now))
    db.session.commit()  # stored item sums (see round_items)
    response = jsonify(payload)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/rounds/<int:round_id>/report.xlsx")
@role_required(*STAFF)
def round_workbook(round_id: int):
    now = clock.now()
    scope = report_scope(db.session, current_user, round_id)
    summary.item_stats(db.session, scope, now)
    db.session.commit()  # stored item sums (see round_items), and their lock released before the long part
    body = workbook.build_workbook(db.session, scope, now, _lang())
    filename = f"bao-cao-vong-{scope.rnd.id}.xlsx"
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})
