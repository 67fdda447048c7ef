"""Leaderboard pages, JSON (polled with ETag / If-None-Match) and XLSX exports."""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from quiz import clock
from quiz.extensions import db
from quiz.leaderboards import bp, service
from quiz.leaderboards.payload import etag_of


def _json(result: service.Result):
    response = jsonify(result.payload)
    response.set_etag(etag_of(result.payload))
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Cookie"
    response.headers["X-Leaderboard-Source"] = result.page.source
    return response.make_conditional(request)


@bp.route("/api/rounds/<int:round_id>/leaderboard")
def round_json(round_id: int):
    query = service.parse_query(request.args)
    return _json(service.round_leaderboard(db.session, current_user, round_id, query, clock.now()))


@bp.route("/api/contests/<int:contest_id>/leaderboard")
def contest_json(contest_id: int):
    query = service.parse_query(request.args)
    return _json(service.contest_leaderboard(db.session, current_user, contest_id, query, clock.now()))


from quiz.leaderboards import pages  # noqa: E402,F401
