"""Leaderboard pages: round and contest boards, the unit ranking, and their XLSX exports."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask import Response, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from quiz import clock
from quiz.errors import ValidationFailed
from quiz.extensions import db
from quiz.leaderboards import bp, export, service, units
from quiz.leaderboards.boards import unit_paths
from quiz.leaderboards.visibility import View
from quiz.models import Contest, Round, Unit, UnitKind

POLL_SECONDS = 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_filter("lb_duration")
def duration_text(ms: int | None) -> str:
    """723250 → "12:03" (minutes:seconds, hours first when there are any; the milliseconds still rank)."""
    if ms is None:
        return ""
    minutes, seconds = divmod(int(ms) // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    head = f"{hours}:{minutes:02d}" if hours else f"{minutes}"
    return f"{head}:{seconds:02d}"


@bp.app_template_filter("lb_number")
def number_text(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value).normalize():f}"


def _filter_options(view: View) -> dict[str, list[Unit]]:
    """The areas, schools and classes that have students on this board (within a restricted viewer's school)."""
    ids: set[int] = set()
    for path in unit_paths(db.session, view.board).values():
        ids.update(int(p) for p in path.strip("/").split("/") if p)
    found = db.session.scalars(select(Unit).where(Unit.id.in_(ids))).all() if ids else []
    if view.restrict_to is not None:
        found = [u for u in found if u.is_within(view.restrict_to)]
    by_kind: dict[str, list[Unit]] = {"area": [], "school": [], "class": []}
    for u in sorted(found, key=lambda u: (u.parent.name if u.parent else "", u.name)):
        if u.kind in (UnitKind.AREA, UnitKind.SCHOOL, UnitKind.CLASS):
            by_kind[u.kind.value].append(u)
    return by_kind


def _is_live(rounds: list[Round], now: datetime) -> bool:
    return any(r.opens_at <= now < r.closes_at for r in rounds)


def _page(result: service.Result, query: service.Query, *, title: str, subject, json_url: str, xlsx_url: str,
          back_url: str | None, units_url: str | None):
    now = clock.now()
    args = {k: v for k, v in request.args.items() if k in ("area", "school", "class", "limit")}
    prev_url = next_url = None
    if query.offset > 0:
        prev_url = url_for(request.endpoint, **request.view_args, **args, offset=max(0, query.offset - query.limit))
    if query.offset + query.limit < result.payload["total"]:
        next_url = url_for(request.endpoint, **request.view_args, **args, offset=query.offset + query.limit)
    poll = f"{json_url}?{request.query_string.decode()}" if request.query_string else json_url
    return render_template("leaderboards/board.html", result=result, data=result.payload, view=result.view,
                           title=title, subject=subject, options=_filter_options(result.view),
                           chosen=result.filters.chosen, poll_url=poll,
                           poll_seconds=POLL_SECONDS if _is_live(result.view.board.rounds, now) else 0,
                           xlsx_url=f"{xlsx_url}?{request.query_string.decode()}", back_url=back_url,
                           units_url=units_url, prev_url=prev_url, next_url=next_url, is_student=_is_student())


def _is_student() -> bool:
    return bool(getattr(current_user, "is_authenticated", False) and current_user.role.value == "student")


def _back(contest: Contest, view: View) -> str | None:
    if view.organiser or view.restrict_to is not None or (
            getattr(current_user, "is_authenticated", False) and current_user.role.value in ("admin", "manager", "teacher")):
        return url_for("contests.show", contest_id=contest.id)
    return url_for("attempts.my_rounds") if _is_student() else None


def _units_link(contest: Contest) -> str | None:
    user = current_user if getattr(current_user, "is_authenticated", False) else None
    if user is None or user.role.value not in ("admin", "manager"):
        return None
    return url_for("leaderboards.contest_units", contest_id=contest.id)


@bp.route("/rounds/<int:round_id>/leaderboard")
def round_page(round_id: int):
    query = service.parse_query(request.args)
    result = service.round_leaderboard(db.session, current_user, round_id, query, clock.now())
    rnd: Round = result.view.board.subject
    return _page(result, query, title=f"{rnd.contest.title} — {rnd.title}", subject=rnd,
                 json_url=url_for("leaderboards.round_json", round_id=rnd.id),
                 xlsx_url=url_for("leaderboards.round_xlsx", round_id=rnd.id),
                 back_url=_back(rnd.contest, result.view), units_url=_units_link(rnd.contest))


@bp.route("/contests/<int:contest_id>/leaderboard")
def contest_page(contest_id: int):
    query = service.parse_query(request.args)
    result = service.contest_leaderboard(db.session, current_user, contest_id, query, clock.now())
    contest: Contest = result.view.board.subject
    return _page(result, query, title=contest.title, subject=contest,
                 json_url=url_for("leaderboards.contest_json", contest_id=contest.id),
                 xlsx_url=url_for("leaderboards.contest_xlsx", contest_id=contest.id),
                 back_url=_back(contest, result.view), units_url=_units_link(contest))


def _xlsx(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/rounds/<int:round_id>/leaderboard.xlsx")
def round_xlsx(round_id: int):
    query = service.parse_query(request.args)
    result = service.round_leaderboard(db.session, current_user, round_id, query, clock.now())
    rnd: Round = result.view.board.subject
    data = export.board_workbook(db.session, result.view, result.filters, f"{rnd.contest.title} — {rnd.title}")
    return _xlsx(data, f"bang-xep-hang-vong-{rnd.id}.xlsx")


@bp.route("/contests/<int:contest_id>/leaderboard.xlsx")
def contest_xlsx(contest_id: int):
    query = service.parse_query(request.args)
    result = service.contest_leaderboard(db.session, current_user, contest_id, query, clock.now())
    contest: Contest = result.view.board.subject
    return _xlsx(export.board_workbook(db.session, result.view, result.filters, contest.title),
                 f"bang-xep-hang-cuoc-thi-{contest.id}.xlsx")


def _ranking() -> units.UnitRanking:
    raw = request.args.get("threshold", "").strip().replace(",", ".")
    threshold = None
    if raw:
        try:
            threshold = Decimal(raw)
        except InvalidOperation:
            threshold = None
        if threshold is None or not threshold.is_finite() or threshold < 0 or threshold > 10**9:
            raise ValidationFailed(_("The prize threshold must be a number of points."))
    return units.unit_ranking(db.session, current_user, request.view_args["contest_id"], threshold=threshold,
                              sort=request.args.get("sort", "participation"))


@bp.route("/api/contests/<int:contest_id>/units")
def contest_units_json(contest_id: int):
    response = jsonify(units.ranking_payload(_ranking()))
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/contests/<int:contest_id>/units")
def contest_units(contest_id: int):
    ranking = _ranking()
    args = {k: v for k, v in request.args.items() if k in ("threshold", "sort")}
    return render_template("leaderboards/units.html", ranking=ranking, args=args, sorts=units.SORTS,
                           xlsx_url=url_for("leaderboards.contest_units_xlsx", contest_id=contest_id, **args))


@bp.route("/contests/<int:contest_id>/units.xlsx")
def contest_units_xlsx(contest_id: int):
    return _xlsx(export.units_workbook(_ranking()), f"xep-hang-don-vi-{contest_id}.xlsx")
