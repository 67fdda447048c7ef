from __future__ import annotations

from flask import Response, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from quiz import access, rate_limits
from quiz.admin import bp, roster, units
from quiz.admin.forms import RosterForm
from quiz.auth.session import client_ip, role_required
from quiz.errors import NotFound, ValidationFailed
from quiz.extensions import db
from quiz.models import Role, RosterImport
from quiz.public_url import public_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible_import(import_id: int) -> RosterImport:
    record = db.session.get(RosterImport, import_id)
    if record is None:
        raise NotFound("import not found")
    access.get_visible_unit(db.session, current_user, record.school_id)
    return record


@bp.route("/roster", methods=["GET", "POST"])
@rate_limits.import_cpu
@role_required(Role.ADMIN, Role.MANAGER)
def roster_upload():
    form = RosterForm()
    schools = units.schools(db.session, current_user)
    form.school_id.choices = [(s.id, s.name) for s in schools]
    errors = None
    message = None
    status = 200
    if form.validate_on_submit():
        school = access.get_visible_unit(db.session, current_user, form.school_id.data)
        upload = form.file.data
        try:
            record = roster.import_roster(db.session, current_user, school, upload.read(), upload.filename or "roster",
                                          client_ip())
        except ValidationFailed as err:
            db.session.rollback()
            message, errors, status = err.message, err.errors, 400
        else:
            db.session.commit()
            flash(_("%(n)d student accounts were created.", n=len(record.accounts)), "success")
            return redirect(url_for("admin.roster_result", import_id=record.id))
    elif request.method == "POST":
        status = 400
    recent = db.session.scalars(select(RosterImport).where(RosterImport.school_id.in_([s.id for s in schools]))
                                .order_by(RosterImport.created_at.desc()).limit(20))
    return render_template("admin/roster.html", form=form, errors=errors, message=message,
                           recent=list(recent)), status


@bp.route("/roster/template.<fmt>")
@role_required(Role.ADMIN, Role.MANAGER)
def roster_template(fmt: str):
    if fmt == "xlsx":
        return Response(roster.template_xlsx(), mimetype=XLSX,
                        headers={"Content-Disposition": "attachment; filename=mau-danh-sach-hoc-sinh.xlsx"})
    if fmt == "csv":
        body = "\ufeffSTT,Họ và tên,Ngày sinh,Lớp,Giới tính\r\n1,Nguyễn Văn An,25/03/2011,9A1,Nam\r\n"
        return Response(body.encode("utf-8"), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=mau-danh-sach-hoc-sinh.csv"})
    raise NotFound("no such template")


@bp.route("/roster/<int:import_id>")
@role_required(Role.ADMIN, Role.MANAGER)
def roster_result(import_id: int):
    record = _visible_import(import_id)
    response = make_response(render_template("admin/roster_result.html", record=record,
                                             rows=roster.credentials(db.session, record)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/roster/<int:import_id>.xlsx")
@role_required(Role.ADMIN, Role.MANAGER)
def roster_result_xlsx(import_id: int):
    record = _visible_import(import_id)
    data = roster.credentials_xlsx(roster.printable_credentials(db.session, record), record.school.name)
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f"attachment; filename=tai-khoan-{record.id}.xlsx",
                                                  "Cache-Control": "private, no-store"})


@bp.route("/roster/<int:import_id>/slips")
@role_required(Role.ADMIN, Role.MANAGER)
def roster_slips(import_id: int):
    record = _visible_import(import_id)
    rows = roster.printable_credentials(db.session, record)
    response = make_response(render_template("admin/roster_slips.html", record=record, rows=rows,
                                             not_printed=len(record.accounts) - len(rows),
                                             login_url=public_url("auth.login")))
    response.headers["Cache-Control"] = "private, no-store"
    return response
