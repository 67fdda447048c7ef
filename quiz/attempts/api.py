"""The attempt API (JSON), documented in docs/api.md."""
from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quiz import clock, rate_limits
from quiz.attempts import bp, present, review, service
from quiz.auth.identity import Identity
from quiz.auth.session import client_ip, identity_required
from quiz.contests.eligibility import RoundState, round_state, staff_contests_query, student_rounds
from quiz.errors import NotAllowed, ValidationFailed
from quiz.extensions import db
from quiz.models import Role

MAX_JSON_BYTES = 16 * 1024
# Autosaves: per (user, attempt), and per user over all the ids they send (a client probing many attempt ids is
# held on its own key); twice the first, so a student with two rounds open in two tabs is held by the first only.
AUTOSAVE_LIMIT = "10/second;300/minute"
AUTOSAVE_USER_LIMIT = "20/second;600/minute"


def _json_body(allowed: set[str]) -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_JSON_BYTES:
        raise ValidationFailed(_("The request body is too large."))
    raw = request.get_data(cache=True)
    if len(raw) > MAX_JSON_BYTES:
        raise ValidationFailed(_("The request body is too large."))
    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        raise ValidationFailed(_("The request body must be a JSON object."))
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.", fields=", ".join(unknown)))
    return body


def _grace() -> int:
    return int(current_app.config.get("ATTEMPT_GRACE_SECONDS", service.DEFAULT_GRACE_SECONDS))


def _lang() -> str:
    return str(get_locale() or "vi")


def _round_json(rnd, now) -> dict[str, Any]:
    return {"id": rnd.id, "contest_id": rnd.contest_id, "title": rnd.title, "contest": rnd.contest.title,
            "opens_at": rnd.opens_at.isoformat(), "closes_at": rnd.closes_at.isoformat(),
            "time_limit_minutes": rnd.time_limit_minutes, "status": round_state(rnd, now).value}


@bp.route("/api/time")
def api_time():
    return jsonify({"server_time": clock.now().isoformat()})


@bp.route("/api/rounds")
@login_required
def api_rounds():
    wanted = request.args.get("status", "all")
    if wanted not in ("open", "closed", "all"):
        raise ValidationFailed(_("“status” must be open, closed or all."))
    now = clock.now()
    if current_user.role is Role.STUDENT:
        rounds = student_rounds(db.session, current_user)
    else:
        contests = db.session.scalars(staff_contests_query(current_user)).all()
        rounds = sorted((r for c in contests for r in c.rounds), key=lambda r: (r.opens_at, r.id), reverse=True)
    states = {"open": {RoundState.OPEN}, "closed": {RoundState.CLOSED, RoundState.PUBLISHED}}
    if wanted != "all":
        rounds = [r for r in rounds if round_state(r, now) in states[wanted]]
    return jsonify([_round_json(r, now) for r in rounds])


@bp.route("/api/rounds/<int:round_id>/attempt", methods=["POST"])
@login_required
def api_start(round_id: int):
    now = clock.now()
    attempt = service.start_or_resume(db.session, current_user, round_id, now, grace=_grace(), ip=client_ip(),
                                      user_agent=request.user_agent.string)
    payload = present.attempt_payload(db.session, attempt, _lang(), now, grace=_grace())
    db.session.commit()
    return jsonify(payload)


@bp.route("/api/attempts/<int:attempt_id>")
@login_required
def api_attempt(attempt_id: int):
    now = clock.now()
    attempt = service.get_own_attempt(db.session, attempt_id, current_user)
    if attempt.submitted_at is None and now > attempt.deadline + _timedelta(_grace()):
        service.finish(db.session, attempt, now, by="deadline")
    payload = present.attempt_payload(db.session, attempt, _lang(), now, grace=_grace())
    db.session.commit()
    return jsonify(payload)


def _timedelta(seconds: int):
    from datetime import timedelta

    return timedelta(seconds=seconds)


@bp.route("/api/attempts/<int:attempt_id>/answers/<int:question_id>", methods=["PUT"])
@identity_required
def api_save(attempt_id: int, question_id: int, identity: Identity):
    # Keyed on the cookie's user, never on the attempt alone: another user's requests for this attempt id (404s)
    # spend their own allowance, not the owner's; a visitor got 401 above without being counted.
    cfg, user_id = current_app.config, identity.user_id
    rate_limits.hit_all(((f"autosave:{user_id}:{attempt_id}", cfg.get("AUTOSAVE_RATE_LIMIT", AUTOSAVE_LIMIT)),
                         (f"autosave-user:{user_id}", cfg.get("AUTOSAVE_USER_RATE_LIMIT", AUTOSAVE_USER_LIMIT))),
                        batched=True)
    body = _json_body({"options", "seq"})
    now = clock.now()
    try:
        result = service.save_answer(db.session, identity, attempt_id, question_id, body.get("options"),
                                     body.get("seq"), now, grace=_grace(), ip=client_ip(),
                                     user_agent=request.user_agent.string)
    except service.AttemptClosed as err:
        db.session.commit()  # keep the automatic finish
        return jsonify({"error": err.message}), 409
    db.session.commit()
    body = {"saved": True, "seq": result.seq, "server_time": now.isoformat()}
    if result.stale:
        body["stale"] = True
    return jsonify(body)


@bp.route("/api/attempts/<int:attempt_id>/submit", methods=["POST"])
@login_required
def api_submit(attempt_id: int):
    attempt = service.submit(db.session, current_user, attempt_id, clock.now())
    db.session.commit()
    return jsonify(present.result_payload(attempt))


@bp.route("/api/attempts/<int:attempt_id>/prediction", methods=["PUT"])
@login_required
def api_prediction(attempt_id: int):
    body = _json_body({"value"})
    try:
        value = service.set_prediction(db.session, current_user, attempt_id, body.get("value"), clock.now(),
                                       grace=_grace())
    except service.AttemptClosed as err:
        return jsonify({"error": err.message}), 409
    db.session.commit()
    return jsonify({"saved": True, "value": value})


@bp.route("/api/attempts/<int:attempt_id>/events", methods=["POST"])
@login_required
def api_event(attempt_id: int):
    body = _json_body({"kind"})
    service.record_event(db.session, current_user, attempt_id, body.get("kind"), clock.now())
    db.session.commit()
    return jsonify({"recorded": True})


@bp.route("/api/attempts/<int:attempt_id>/review")
@login_required
def api_review(attempt_id: int):
    now = clock.now()
    attempt = service.get_own_attempt(db.session, attempt_id, current_user)
    decision = review.key_decision(db.session, attempt, now, grace=_grace(), lock=True)
    if not decision.allowed:
        raise NotAllowed(decision.reason)
    body = {"result": present.result_payload(attempt),
            "questions": present.review_payload(db.session, attempt, _lang())}
    review.mark_key_shown(attempt, now)
    db.session.commit()
    return jsonify(body)
