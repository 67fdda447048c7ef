"""Organisers' pages for rounds: create/edit (with the blueprint grid and the question picker) and preview."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from quiz import clock
from quiz.auth.session import client_ip, role_required
from quiz.contests import bp, labels, paper, preview, question_picker, service
from quiz.contests.eligibility import get_managed_contest, get_staff_contest
from quiz.contests.forms import (DIFFICULTIES, PILLARS, RoundForm, cell_name, merge_errors, note_expired_token,
                                 round_input)
from quiz.errors import DomainError, NotFound, ValidationFailed
from quiz.extensions import db
from quiz.models import Contest, PaperMode, Role, Round
from quiz.bounded_numbers import db_id, whole_number

STAFF = (Role.ADMIN, Role.MANAGER, Role.TEACHER)


def _lang() -> str:
    return str(get_locale() or "vi")


def staff_round(round_id: int) -> Round:
    """A round of a contest the current user may see (404 otherwise)."""
    rnd = db.session.get(Round, round_id)
    if rnd is None:
        raise NotFound("round not found")
    get_staff_contest(db.session, current_user, rnd.contest_id)
    return rnd


def managed_round(round_id: int) -> Round:
    rnd = db.session.get(Round, round_id)
    if rnd is None:
        raise NotFound("round not found")
    get_managed_contest(db.session, current_user, rnd.contest_id)
    return rnd


def _prepare(form: RoundForm) -> set[int]:
    form.paper_mode.choices = [(m.value, str(labels.PAPER_MODE[m])) for m in (PaperMode.DRAW, PaperMode.FIXED)]
    banks = question_picker.usable_banks(db.session, current_user)
    form.bank_ids.choices = [(b.id, b.name) for b in banks]
    return {b.id for b in banks}


def _render(form: RoundForm, contest: Contest, rnd: Round | None, usable: set[int], status: int, locked: bool):
    chosen_banks = [b for b in (form.bank_ids.data or []) if b in usable]
    chosen_ids = list(dict.fromkeys(form.question_ids.data or []))
    chosen = question_picker.chosen(db.session, current_user, chosen_ids, _lang())
    results = [] if locked else question_picker.search(db.session, current_user, form.q.data or "", _lang(),
                                                       exclude=chosen_ids)
    grid = [(p, [(d, form[cell_name(p.value, d.value)]) for d in DIFFICULTIES]) for p in PILLARS]
    return render_template(
        "contests/round_form.html", form=form, contest=contest, rnd=rnd, locked=locked, grid=grid,
        available={f"{p}:{d}": n for (p, d), n in paper.availability(db.session, chosen_banks).items()},
        chosen=chosen, results=results, lang=_lang(),
        show_prediction_answer=rnd is not None and clock.now() >= rnd.closes_at), status


def _submit(form: RoundForm, contest: Contest, rnd: Round | None) -> tuple[Round | None, int]:
    """Handle a POST: "refresh" only redraws (counts, search results); "save" validates the form and the
    service's rules together, so that every mistake is shown at once, and saves when all is well."""
    if request.method != "POST":
        return None, 200
    if request.form.get("action") == "refresh":
        form.validate()  # show typing mistakes, save nothing
        form.blueprint.errors = []
        return None, 200
    form_ok = form.validate_on_submit()
    note_expired_token(form)
    show_answer = rnd is not None and clock.now() >= rnd.closes_at
    data = round_input(form, keep_prediction_answer=rnd.prediction_answer if rnd else None,
                       show_prediction_answer=show_answer)
    try:
        if form_ok:
            if rnd is None:
                return service.add_round(db.session, current_user, contest, data, client_ip()), 200
            return service.update_round(db.session, current_user, rnd, data, client_ip(), now=clock.now()), 200
        if rnd is None or not service.round_has_attempts(db.session, rnd):
            service.check_round(db.session, current_user, data)
    except DomainError as err:
        db.session.rollback()
        merge_errors(form, err)
    return None, 400


@bp.route("/<int:contest_id>/rounds/new", methods=["GET", "POST"])
@role_required(*STAFF)
def round_new(contest_id: int):
    contest = get_managed_contest(db.session, current_user, contest_id)
    form = RoundForm()
    usable = _prepare(form)
    if request.method == "GET":
        form.title.data = _("Round %(n)d", n=len(contest.rounds) + 1)
        if len(usable) == 1:  # the usual case: draw from the Department's bank
            form.bank_ids.data = sorted(usable)
    rnd, status = _submit(form, contest, None)
    if rnd is not None:
        db.session.commit()
        flash(_("The round «%(title)s» was added.", title=rnd.title), "success")
        return redirect(url_for("contests.show", contest_id=contest.id))
    return _render(form, contest, None, usable, status, locked=False)


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def round_edit(round_id: int):
    rnd = managed_round(round_id)
    contest = rnd.contest
    locked = service.round_has_attempts(db.session, rnd)
    form = RoundForm(obj=rnd)
    usable = _prepare(form)
    if request.method == "GET":
        form.paper_mode.data = rnd.paper_mode.value
        form.bank_ids.data = [rb.bank_id for rb in rnd.banks]
        form.question_ids.data = [rq.question_id for rq in rnd.fixed_questions]
        for cell in rnd.blueprint:
            form[cell_name(cell.pillar, cell.difficulty)].data = cell.count
    saved, status = _submit(form, contest, rnd)
    if saved is not None:
        db.session.commit()
        flash(_("The round «%(title)s» was saved.", title=rnd.title), "success")
        return redirect(url_for("contests.show", contest_id=contest.id))
    return _render(form, contest, rnd, usable, status, locked=locked)


@bp.route("/rounds/<int:round_id>/publish", methods=["POST"])
@role_required(*STAFF)
def round_publish(round_id: int):
    """Publish one closed round's results (weekly rounds announce their winners week by week)."""
    rnd = managed_round(round_id)
    try:
        service.publish_round_results(db.session, current_user, rnd, client_ip())
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        db.session.commit()
        flash(_("The results of «%(title)s» are published.", title=rnd.title), "success")
    return redirect(url_for("contests.show", contest_id=rnd.contest_id))


@bp.route("/availability.json")
@role_required(*STAFF)
def availability_json():
    """Approved questions per pillar × difficulty in the chosen banks (only banks the user may use count)."""
    usable = {b.id for b in question_picker.usable_banks(db.session, current_user)}
    wanted = [b for b in request.args.getlist("bank_ids", type=db_id) if b in usable]
    cells = paper.availability(db.session, wanted)
    return jsonify({"cells": {f"{p}:{d}": n for (p, d), n in cells.items()}})


@bp.route("/rounds/<int:round_id>/preview")
@role_required(*STAFF)
def round_preview(round_id: int):
    rnd = managed_round(round_id)  # the paper is secret until the round opens: organisers only
    sample = max(1, min(request.args.get("sample", 1, type=whole_number) or 1, 1000))
    show_key = request.args.get("key") == "1"
    problem = None
    try:
        questions = preview.sample_paper(db.session, rnd, _lang(), sample)
    except ValidationFailed as err:
        questions, problem = [], err.message
    return render_template("contests/preview.html", rnd=rnd, contest=rnd.contest, questions=questions,
                           show_key=show_key, sample=sample, problem=problem,
                           unusable=paper.unusable_fixed_questions(db.session, rnd))
