"""Organisers' pages for contests: list, create/edit, the contest page, status changes, the join code."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from quiz import access, clock
from quiz.auth.session import client_ip, role_required
from quiz.contests import bp, labels, listing, paper, service
from quiz.contests.eligibility import can_manage, contest_state, get_managed_contest, get_staff_contest, round_state
from quiz.contests.forms import ContestForm, contest_input, merge_errors, note_expired_token
from quiz.errors import DomainError, NotFound
from quiz.extensions import db
from quiz.models import Contest, ContestScope, ReviewPolicy, Role, ScoringRule, Unit, UnitKind
from quiz.public_url import public_url

STAFF = (Role.ADMIN, Role.MANAGER, Role.TEACHER)


@bp.record_once
def _contest_labels(state) -> None:
    # A Jinja global (not a context processor) so that imported macros see it too.
    state.app.jinja_env.globals["contest_labels"] = labels


@bp.route("/")
@role_required(*STAFF)
def index():
    rows = listing.visible_contests(db.session, current_user, clock.now())
    return render_template("contests/index.html", rows=rows, can_create=bool(service.allowed_scopes(current_user)))


# -- create / edit -----------------------------------------------------------------
def _unit_choices() -> list[tuple[int, str]]:
    """Schools (admins: province contests) or classes (school staff) a contest may be for."""
    if current_user.role is Role.ADMIN:
        units = db.session.scalars(access.units_query(current_user).where(Unit.kind == UnitKind.SCHOOL)
                                   .order_by(Unit.name)).all()
        return [(u.id, u.name) for u in units]
    if current_user.role is Role.TEACHER:
        return [(c.id, _("Class %(cls)s", cls=c.name)) for c in current_user.classes]
    units = db.session.scalars(access.units_query(current_user).where(Unit.kind == UnitKind.CLASS)
                               .order_by(Unit.grade, Unit.name)).all()
    return [(u.id, _("Class %(cls)s", cls=u.name)) for u in units]


def _prepare(form: ContestForm, contest: Contest | None) -> None:
    scopes = [contest.scope] if contest else service.allowed_scopes(current_user)
    form.scope.choices = [(s.value, str(labels.SCOPE[s])) for s in scopes]
    if not form.scope.data or form.scope.data not in [s.value for s in ContestScope]:
        form.scope.data = scopes[0].value  # a scope that is valid but not allowed goes to the service: 403
    form.unit_ids.choices = _unit_choices()
    form.unit_ids.label.text = _("Schools taking part") if current_user.role is Role.ADMIN else _("Classes taking part")
    form.scoring_rule.choices = [(r.value, str(labels.SCORING_RULE[r])) for r in ScoringRule]
    form.review_policy.choices = [(p.value, str(labels.REVIEW_POLICY[p])) for p in ReviewPolicy]


def _render_form(form: ContestForm, contest: Contest | None, status: int):
    return render_template("contests/contest_form.html", form=form, contest=contest), status


def _submit(form: ContestForm, scope: ContestScope, save) -> tuple[Contest | None, int]:
    """Validate the form and the service's rules together, so every mistake is shown at once."""
    if request.method != "POST":
        return None, 200
    form_ok = form.validate_on_submit()
    note_expired_token(form)
    data = contest_input(form, scope)
    try:
        if form_ok:
            return save(data), 200
        service.check_contest(db.session, current_user, data)
    except DomainError as err:
        db.session.rollback()
        if err.status == 403:
            raise
        merge_errors(form, err)
    return None, 400


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def contest_new():
    if not service.allowed_scopes(current_user):
        abort(403)
    form = ContestForm()
    _prepare(form, None)
    contest, status = _submit(form, _scope(form), lambda data: service.create_contest(
        db.session, current_user, data, client_ip()))
    if contest is not None:
        db.session.commit()
        flash(_("The contest «%(title)s» was created as a draft. Now add its rounds.", title=contest.title),
              "success")
        return redirect(url_for("contests.show", contest_id=contest.id))
    return _render_form(form, None, status)


def _scope(form: ContestForm) -> ContestScope:
    try:
        return ContestScope(form.scope.data)
    except ValueError:
        abort(400)


@bp.route("/<int:contest_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def contest_edit(contest_id: int):
    contest = get_managed_contest(db.session, current_user, contest_id)
    form = ContestForm(obj=contest)
    if request.method == "GET":
        form.unit_ids.data = [cu.unit_id for cu in contest.units]
        form.scoring_rule.data = contest.scoring_rule.value
        form.review_policy.data = contest.review_policy.value
    form.scope.data = contest.scope.value
    _prepare(form, contest)
    saved, status = _submit(form, contest.scope, lambda data: service.update_contest(
        db.session, current_user, contest, data, client_ip()))
    if saved is not None:
        db.session.commit()
        flash(_("The contest was saved."), "success")
        return redirect(url_for("contests.show", contest_id=contest.id))
    return _render_form(form, contest, status)


# -- the contest page ----------------------------------------------------------------
@bp.route("/<int:contest_id>")
@role_required(*STAFF)
def show(contest_id: int):
    contest = get_staff_contest(db.session, current_user, contest_id)
    now = clock.now()
    rounds = [(r, round_state(r, now)) for r in contest.rounds]
    unusable = {r.id: paper.unusable_fixed_questions(db.session, r) for r in contest.rounds}
    return render_template("contests/show.html", contest=contest, state=contest_state(contest, now), rounds=rounds,
                           unusable=unusable,
                           manageable=can_manage(current_user, contest),
                           started=service.has_attempts(db.session, contest), now=now)


def _transition(contest_id: int, action, done: str):
    contest = get_managed_contest(db.session, current_user, contest_id)
    try:
        action(db.session, current_user, contest, client_ip())
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("contests.show", contest_id=contest_id))


@bp.route("/<int:contest_id>/schedule", methods=["POST"])
@role_required(*STAFF)
def schedule(contest_id: int):
    return _transition(contest_id, service.schedule,
                       _("The contest is scheduled: students see it and each round opens at its time."))


@bp.route("/<int:contest_id>/unschedule", methods=["POST"])
@role_required(*STAFF)
def unschedule(contest_id: int):
    return _transition(contest_id, service.unschedule, _("The contest is a draft again; students no longer see it."))


@bp.route("/<int:contest_id>/publish", methods=["POST"])
@role_required(*STAFF)
def publish(contest_id: int):
    return _transition(contest_id, service.publish_results, _("The results are published."))


# -- join code -------------------------------------------------------------------------
def _class_contest(contest_id: int) -> Contest:
    contest = get_staff_contest(db.session, current_user, contest_id)
    if contest.scope is not ContestScope.CLASS:
        raise NotFound("only class contests have a join code")
    return contest


@bp.route("/<int:contest_id>/code")
@role_required(*STAFF)
def join_code(contest_id: int):
    contest = _class_contest(contest_id)
    return render_template("contests/code.html", contest=contest, manageable=can_manage(current_user, contest),
                           join_url=public_url("attempts.join"))


@bp.route("/<int:contest_id>/code/new", methods=["POST"])
@role_required(*STAFF)
def join_code_new(contest_id: int):
    contest = _class_contest(contest_id)
    service.new_code(db.session, current_user, contest, client_ip())
    db.session.commit()
    flash(_("A new join code was made; the old one no longer works."), "success")
    return redirect(url_for("contests.join_code", contest_id=contest.id))


from quiz.contests import monitor_routes, round_routes  # noqa: E402,F401
