"""Organisers' certificate pages: contests, award rules, preview and issue, revoke and reissue."""
from __future__ import annotations

from decimal import Decimal

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from quiz import clock, rate_limits
from quiz.auth.session import client_ip, role_required
from quiz.certificates import bp, issuing, labels, lifecycle, rules, scoping
from quiz.contests.eligibility import can_manage, get_managed_contest, get_staff_contest, staff_contests_query
from quiz.errors import DomainError, ValidationFailed
from quiz.extensions import db
from quiz.models import AwardKind, Certificate, CertificateJob, Contest, DocumentKind, Role
from quiz.bounded_numbers import db_id, page_number, whole_number

STAFF = (Role.ADMIN, Role.MANAGER, Role.TEACHER)
PER_PAGE = 50


def _per_user() -> str:
    """Rate-limit key: the logged-in user (colleagues behind one school address keep their own budget)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else (request.remote_addr or "unknown")


# Issuing and ZIP exports start heavy work: 10 per minute per user together (CERTIFICATE_JOB_RATE_LIMIT).
job_limit = rate_limits.limit(lambda: current_app.config.get("CERTIFICATE_JOB_RATE_LIMIT", "10/minute"),
                              scope="certificate-jobs", key=_per_user, methods=("POST",))


@bp.app_context_processor
def _certificate_labels() -> dict:
    return {"certificate_labels": labels}


def _round_arg(contest: Contest, raw: str | None):
    """``?round=<id>`` → that round of the contest; empty or ``contest`` → the whole contest (None)."""
    if not raw or raw == "contest":
        return None
    try:
        return rules.round_of(contest, db_id(raw))
    except ValueError:
        abort(404)


@bp.route("/certificates/")
@role_required(*STAFF)
def index():
    contests = db.session.scalars(staff_contests_query(current_user).order_by(Contest.created_at.desc())).all()
    counts = dict(db.session.execute(
        scoping.visible_query(current_user).with_only_columns(Certificate.contest_id, func.count(Certificate.id))
        .group_by(Certificate.contest_id)).all())
    rows = [(c, counts.get(c.id, 0), can_manage(current_user, c)) for c in contests
            if c.status.value != "draft"]
    return render_template("certificates/index.html", rows=rows)


@bp.route("/certificates/contests/<int:contest_id>")
@role_required(*STAFF)
def contest_page(contest_id: int):
    contest = get_staff_contest(db.session, current_user, contest_id)
    rnd = _round_arg(contest, request.args.get("round")) if request.args.get("round") else None
    stmt = scoping.visible_query(current_user).where(Certificate.contest_id == contest.id)
    if rnd is not None:
        stmt = stmt.where(Certificate.round_id == rnd.id)
    elif request.args.get("round") == "contest":
        stmt = stmt.where(Certificate.round_id.is_(None))
    q = " ".join(request.args.get("q", "").split())
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Certificate.full_name.ilike(like), Certificate.serial.ilike(like),
                              Certificate.school_name.ilike(like), Certificate.class_name.ilike(like)))
    total = db.session.scalar(stmt.with_only_columns(func.count(Certificate.id)))
    page = request.args.get("page", 1, type=page_number)
    certs = db.session.scalars(stmt.order_by(Certificate.round_id, Certificate.rule_id, Certificate.rank,
                                             Certificate.full_name, Certificate.id)
                               .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    jobs = db.session.scalars(select(CertificateJob).where(CertificateJob.contest_id == contest.id,
                                                           CertificateJob.requested_by_id == current_user.id)
                              .order_by(CertificateJob.id.desc()).limit(5)).all()
    rounds = [(r, issuing.results_published(contest, r), rules.rules_of(db.session, contest, r)) for r in contest.rounds]
    return render_template("certificates/contest.html", contest=contest, rounds=rounds, certs=certs, total=total,
                           page=page, per_page=PER_PAGE, q=q, selected=request.args.get("round", ""), jobs=jobs,
                           contest_rules=rules.rules_of(db.session, contest, None),
                           contest_published=issuing.results_published(contest, None),
                           manageable=can_manage(current_user, contest))


# -- award rules ---------------------------------------------------------------------
def _rule_input(form, round_id: int | None) -> rules.RuleInput:
    def whole(name: str) -> int | None:
        raw = (form.get(name) or "").strip()
        if not raw:
            return None
        try:
            return whole_number(raw)
        except ValueError:
            return -1  # refused by the rule's validation

    try:
        kind = AwardKind(form.get("kind", ""))
        document = DocumentKind(form.get("document", ""))
    except ValueError:
        raise ValidationFailed("bad choice", {"kind": ["required"]}) from None
    return rules.RuleInput(kind=kind, name=form.get("name", ""), document=document, round_id=round_id,
                           count=whole("count"), percent=(form.get("percent") or "").strip() or None,
                           min_score=(form.get("min_score") or "").strip() or None)


@bp.route("/certificates/contests/<int:contest_id>/rules", methods=["GET", "POST"])
@role_required(*STAFF)
def rules_page(contest_id: int):
    contest = get_managed_contest(db.session, current_user, contest_id)
    rnd = _round_arg(contest, request.values.get("round"))
    errors: list[str] = []
    field_errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        action = request.form.get("action", "add")
        now = clock.now()
        try:
            if action == "usual":
                rules.add_usual_rules(db.session, current_user, contest, rnd, now, client_ip())
            elif action == "delete":
                rules.delete_rule(db.session, current_user, contest, request.form.get("rule_id", type=db_id) or 0,
                                  client_ip())
            else:
                rules.add_rule(db.session, current_user, contest, _rule_input(request.form, rnd.id if rnd else None),
                               now, client_ip())
        except ValidationFailed as err:
            db.session.rollback()
            errors, status = labels.messages(err.errors) or [err.message], 400
            field_errors = labels.by_field(err.errors)
        except DomainError as err:
            db.session.rollback()
            flash(_("This award cannot be removed: certificates were issued for it.")
                  if action == "delete" else err.message, "error")
            return redirect(url_for("certificates.rules_page", contest_id=contest.id, round=rnd.id if rnd else "contest"))
        else:
            db.session.commit()
            flash(_("The award rules were saved."), "success")
            return redirect(url_for("certificates.rules_page", contest_id=contest.id, round=rnd.id if rnd else "contest"))
    return render_template("certificates/rules.html", contest=contest, rnd=rnd, errors=errors, form=request.form,
                           field_errors=field_errors, rules=rules.rules_of(db.session, contest, rnd), kinds=AwardKind,
                           documents=rules.documents_for(contest), top=rules.maximum_score(contest, rnd)), status


# -- preview and issue ---------------------------------------------------------------
@bp.route("/certificates/contests/<int:contest_id>/preview")
@role_required(*STAFF)
def preview(contest_id: int):
    contest = get_managed_contest(db.session, current_user, contest_id)
    rnd = _round_arg(contest, request.args.get("round"))
    the_plan = issuing.plan(db.session, contest, rnd)
    return render_template("certificates/preview.html", contest=contest, rnd=rnd, plan=the_plan, changed=None)


@bp.route("/certificates/contests/<int:contest_id>/issue", methods=["POST"])
@job_limit
@role_required(*STAFF)
def issue(contest_id: int):
    contest = get_managed_contest(db.session, current_user, contest_id)
    rnd = _round_arg(contest, request.form.get("round"))
    try:
        outcome = issuing.issue(db.session, current_user, contest, rnd, clock.now(), client_ip(),
                                confirmed=request.form.get("fingerprint", ""))
    except issuing.ListChanged as changed:
        db.session.commit()  # the attempts scored on the way stay scored; no certificate was issued
        return render_template("certificates/preview.html", contest=contest, rnd=rnd, plan=changed.plan,
                               changed=changed), 409
    except DomainError:
        db.session.rollback()
        flash(_("Certificates can be issued only after the results are published."), "error")
        return redirect(url_for("certificates.preview", contest_id=contest.id, round=rnd.id if rnd else "contest"))
    db.session.commit()
    flash(_("%(n)d certificates were issued; %(m)d had been issued before.", n=outcome.issued, m=outcome.already),
          "success")
    return redirect(url_for("certificates.contest_page", contest_id=contest.id, round=rnd.id if rnd else "contest"))


# -- revoke and reissue ----------------------------------------------------------------
def _change(serial: str, action) -> object:
    cert = scoping.get_managed(db.session, current_user, serial)
    try:
        result = action(db.session, current_user, cert, request.form.get("reason", ""), clock.now(), client_ip())
    except ValidationFailed:
        db.session.rollback()
        flash(_("Give a reason (at least 3 characters)."), "error")
        return redirect(url_for("certificates.staff_certificate", serial=serial))
    except DomainError:
        db.session.rollback()
        flash(_("This certificate is no longer valid, so it cannot be changed."), "error")
        return redirect(url_for("certificates.staff_certificate", serial=serial))
    db.session.commit()
    return result


@bp.route("/certificates/<serial>")
@role_required(*STAFF)
def staff_certificate(serial: str):
    cert = scoping.get_visible(db.session, current_user, serial)
    return render_template("certificates/certificate.html", cert=cert, manageable=can_manage(current_user, cert.contest))


@bp.route("/certificates/<serial>/revoke", methods=["POST"])
@role_required(*STAFF)
def revoke(serial: str):
    result = _change(serial, lifecycle.revoke)
    if not isinstance(result, Certificate):
        return result
    flash(_("The certificate %(serial)s was revoked.", serial=serial), "success")
    return redirect(url_for("certificates.staff_certificate", serial=serial))


@bp.route("/certificates/<serial>/reissue", methods=["POST"])
@role_required(*STAFF)
def reissue(serial: str):
    result = _change(serial, lifecycle.reissue)
    if not isinstance(result, Certificate):
        return result
    flash(_("A new certificate %(new)s replaces %(old)s.", new=result.serial, old=serial), "success")
    return redirect(url_for("certificates.staff_certificate", serial=result.serial))


def _decimal(value) -> str:
    return "" if value is None else f"{Decimal(value).normalize():f}"


@bp.app_template_filter("num")
def _num_filter(value) -> str:
    return _decimal(value)


from quiz.certificates import job_routes, public_routes, settings_routes  # noqa: E402,F401
