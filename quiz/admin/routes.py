from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from quiz import access
from quiz.admin import accounts, bp, units
from quiz.admin.forms import AccountForm, UnitForm
from quiz.auth.session import client_ip, role_required
from quiz.errors import DomainError, ValidationFailed, apply_to_form
from quiz.extensions import db
from quiz.models import ALLOWED_PARENTS, AuditEntry, Role, Unit, UnitKind
from quiz.bounded_numbers import db_id, page_number

STAFF = (Role.ADMIN, Role.MANAGER)


def _page() -> int:
    return max(1, request.args.get("page", 1, type=page_number))


# -- units -------------------------------------------------------------------
@bp.route("/units")
@role_required(*STAFF)
def units_index():
    return render_template("admin/units.html", tree=units.tree(db.session, current_user), kind_label=units.kind_label)


def _unit_form(form: UnitForm, kind: UnitKind) -> None:
    parents = [u for u, _depth in units.tree(db.session, current_user) if u.kind in ALLOWED_PARENTS[kind]]
    form.parent_id.choices = [(u.id, f"{units.kind_label(u.kind)} — {u.name}") for u in parents]


def _unit_input(form: UnitForm, kind: UnitKind) -> units.UnitInput:
    return units.UnitInput(kind=kind, name=form.name.data or "", parent_id=form.parent_id.data, code=form.code.data,
                           enrolled=form.enrolled.data, grade=form.grade.data)


@bp.route("/units/new/<kind>", methods=["GET", "POST"])
@role_required(*STAFF)
def unit_new(kind: str):
    try:
        unit_kind = UnitKind(kind)
    except ValueError:
        abort(404)
    if unit_kind is UnitKind.DEPARTMENT:
        abort(404)
    form = UnitForm()
    _unit_form(form, unit_kind)
    if request.method == "GET" and request.args.get("parent", type=db_id):
        form.parent_id.data = request.args.get("parent", type=db_id)
    status = 200
    if form.validate_on_submit():
        try:
            unit = units.create_unit(db.session, current_user, _unit_input(form, unit_kind), client_ip())
        except ValidationFailed as err:
            apply_to_form(form, err)
            status = 400
        else:
            db.session.commit()
            flash(_("%(name)s was created.", name=unit.name), "success")
            return redirect(url_for("admin.units_index"))
    elif request.method == "POST":
        status = 400
    return render_template("admin/unit_form.html", form=form, kind=unit_kind, unit=None,
                           kind_label=units.kind_label), status


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def unit_edit(unit_id: int):
    unit = access.get_managed_unit(db.session, current_user, unit_id)
    form = UnitForm(obj=unit)
    _unit_form(form, unit.kind)
    status = 200
    if form.validate_on_submit():
        try:
            units.update_unit(db.session, current_user, unit, _unit_input(form, unit.kind), client_ip())
        except ValidationFailed as err:
            apply_to_form(form, err)
            status = 400
        else:
            db.session.commit()
            flash(_("%(name)s was saved.", name=unit.name), "success")
            return redirect(url_for("admin.units_index"))
    elif request.method == "POST":
        status = 400
    return render_template("admin/unit_form.html", form=form, kind=unit.kind, unit=unit,
                           kind_label=units.kind_label), status


@bp.route("/units/<int:unit_id>/delete", methods=["POST"])
@role_required(*STAFF)
def unit_delete(unit_id: int):
    unit = access.get_managed_unit(db.session, current_user, unit_id)
    name = unit.name
    try:
        units.delete_unit(db.session, current_user, unit, client_ip())
    except DomainError as err:
        flash(err.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s was deleted.", name=name), "success")
    return redirect(url_for("admin.units_index"))


# -- accounts ----------------------------------------------------------------
@bp.route("/users")
@role_required(*STAFF)
def users_index():
    role = request.args.get("role") or None
    try:
        role_filter = Role(role) if role else None
    except ValueError:
        role_filter = None
    q = request.args.get("q", "")
    unit_id = request.args.get("unit", type=db_id)
    page = _page()
    rows, total = accounts.list_accounts(db.session, current_user, q=q, role=role_filter, unit_id=unit_id, page=page)
    return render_template("admin/users.html", rows=rows, total=total, page=page, per_page=50, q=q, role=role,
                           unit_id=unit_id, roles=list(Role), role_label=accounts.role_label,
                           tree=units.tree(db.session, current_user), kind_label=units.kind_label)


def _account_form(form: AccountForm) -> None:
    tree = units.tree(db.session, current_user)
    form.role.choices = [(r.value, accounts.role_label(r)) for r in accounts.assignable_roles(current_user)]
    form.unit_id.choices = [(u.id, ("— " * depth) + f"{units.kind_label(u.kind)}: {u.name}") for u, depth in tree]
    form.class_ids.choices = [(u.id, f"{u.name} — {u.parent.name}") for u, _d in tree if u.kind is UnitKind.CLASS]


def _account_input(form: AccountForm) -> accounts.AccountInput:
    try:
        role = Role(form.role.data)
    except ValueError:
        role = Role.STUDENT
    return accounts.AccountInput(full_name=form.full_name.data or "", role=role, unit_id=form.unit_id.data,
                                 username=form.username.data or "", password=form.password.data or "",
                                 date_of_birth=form.date_of_birth.data, class_ids=list(form.class_ids.data or []),
                                 is_active=bool(form.is_active.data))


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(*STAFF)
def user_new():
    form = AccountForm()
    _account_form(form)
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.create_account(db.session, current_user, _account_input(form), client_ip())
        except ValidationFailed as err:
            apply_to_form(form, err)
            status = 400
        else:
            db.session.commit()
            flash(_("Account %(username)s was created. The user must change the password at first login.",
                    username=user.username), "success")
            return redirect(url_for("admin.users_index"))
    elif request.method == "POST":
        status = 400
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def user_edit(user_id: int):
    user = access.get_visible_user(db.session, current_user, user_id)
    form = AccountForm(obj=user)
    _account_form(form)
    if request.method == "GET":
        form.role.data = user.role.value
        form.class_ids.data = [c.id for c in user.classes]
    status = 200
    if form.validate_on_submit():
        try:
            accounts.update_account(db.session, current_user, user, _account_input(form), client_ip())
        except ValidationFailed as err:
            apply_to_form(form, err)
            status = 400
        else:
            db.session.commit()
            flash(_("Account %(username)s was saved.", username=user.username), "success")
            return redirect(url_for("admin.users_index"))
    elif request.method == "POST":
        status = 400
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@role_required(*STAFF)
def user_reset_password(user_id: int):
    user = access.get_visible_user(db.session, current_user, user_id)
    otp = accounts.reset_password(db.session, current_user, user, client_ip())
    db.session.commit()
    return render_template("admin/password_reset.html", user=user, otp=otp)


# -- audit log -----------------------------------------------------------------
@bp.route("/audit")
@role_required(Role.ADMIN)
def audit_index():
    page = _page()
    action = request.args.get("action") or None
    stmt = select(AuditEntry)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(50).offset((page - 1) * 50))
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    return render_template("admin/audit.html", rows=list(rows), total=total, page=page, per_page=50,
                           action=action, actions=list(actions))
