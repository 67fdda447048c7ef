"""Leaderboard pages, JSON (polled with ETag / If-None-Match: ``poll.py``) and XLSX exports."""
from __future__ import annotations

from flask import current_app, jsonify, request
from quiz import clock
from quiz.auth.session import viewer_required_or_anonymous
from quiz.extensions import db
from quiz.leaderboards import bp, poll, service


def _json(kind: str, board_id: int, viewer):
    query = service.parse_query(request.args)
    answer = poll.answer(db.session, viewer, kind, board_id, query, clock.now(),
                         request.if_none_match.as_set(include_weak=True))
    response = current_app.response_class(status=304) if answer.payload is None else jsonify(answer.payload)
    response.set_etag(answer.etag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Cookie"
    response.headers["X-Leaderboard-Source"] = answer.source
    return response


@bp.route("/api/rounds/<int:round_id>/leaderboard")
@viewer_required_or_anonymous  # no ORM user per poll (quiz/auth/session.py)
def round_json(round_id: int, viewer):
    return _json("round", round_id, viewer)


@bp.route("/api/contests/<int:contest_id>/leaderboard")
@viewer_required_or_anonymous
def contest_json(contest_id: int, viewer):
    return _json("contest", contest_id, viewer)


from quiz.leaderboards import pages  # noqa: E402,F401
