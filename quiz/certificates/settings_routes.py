"""Certificate settings pages, with a sample certificate: the Department's (admins) and each school's (the
school's manager, and the Department's admins)."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from quiz import clock
from quiz.auth.session import client_ip, role_required
from quiz.certificates import bp, labels, pdf
from quiz.certificates.jobs import verify_url
from quiz.certificates.settings import (SettingsInput, department_of, may_edit, missing, save_settings,
                                        settings_of)
from quiz.errors import ValidationFailed
from quiz.extensions import db
from quiz.models import Certificate, CertificateStatus, DocumentKind, Role, Unit, UnitKind


def _place() -> str:
    return current_app.config.get("DEPARTMENT_PLACE", "Tây Ninh")


def _school(school_id: int) -> Unit:
    school = db.session.get(Unit, school_id)
    if school is None or school.kind is not UnitKind.SCHOOL or not may_edit(current_user, school):
        abort(404)
    return school


def _page(unit: Unit, sample_url: str, self_url: str):
    row = settings_of(db.session, unit, _place())
    context = {"row": row, "unit": unit, "school": unit.kind is UnitKind.SCHOOL, "sample_url": sample_url,
               "gaps": missing(row)}
    if request.method == "POST":
        data = SettingsInput(**{name: request.form.get(name, "") for name in SettingsInput.__dataclass_fields__})
        upload = request.files.get("logo")
        logo = upload.read() if upload and upload.filename else None
        try:
            save_settings(db.session, current_user, data, clock.now(), unit=unit, logo=logo,
                          remove_logo=bool(request.form.get("remove_logo")), ip=client_ip())
        except ValidationFailed as err:
            db.session.rollback()
            return render_template("certificates/settings.html", form=request.form, errors=labels.messages(err.errors),
                                   **context), 400
        db.session.commit()
        flash(_("The certificate settings were saved."), "success")
        return redirect(self_url)
    return render_template("certificates/settings.html", form=None, errors=[], **context)


@bp.route("/certificates/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings_page():
    unit = department_of(db.session, current_user.unit)
    return _page(unit, url_for("certificates.settings_sample"), url_for("certificates.settings_page"))


@bp.route("/certificates/schools/<int:school_id>/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.MANAGER)
def school_settings_page(school_id: int):
    school = _school(school_id)
    return _page(school, url_for("certificates.school_settings_sample", school_id=school.id),
                 url_for("certificates.school_settings_page", school_id=school.id))


def _sample(unit: Unit, document: DocumentKind, school_name: str) -> Response:
    """A sample certificate with the unit's current settings (nothing is issued)."""
    sample = Certificate(serial="ASEAN-0000-MAU00000", full_name="Nguyễn Thị Ánh Tuyết", date_of_birth=date(2012, 5, 17),
                         class_name="9A1", school_name=school_name,
                         contest_title="Cuộc thi tìm hiểu về ASEAN", round_title="Tuần 1", award="Giải Nhất",
                         document=document, issued_at=clock.now(), status=CertificateStatus.VALID)
    body = pdf.render(sample, pdf.Signer.from_settings(settings_of(db.session, unit, _place())),
                      verify_url(sample.serial))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="mau-giay-khen.pdf"'})


@bp.route("/certificates/settings/sample.pdf")
@role_required(Role.ADMIN)
def settings_sample():
    return _sample(department_of(db.session, current_user.unit), DocumentKind.COMMENDATION, "Trường THCS Nguyễn Du")


@bp.route("/certificates/schools/<int:school_id>/settings/sample.pdf")
@role_required(Role.ADMIN, Role.MANAGER)
def school_settings_sample(school_id: int):
    school = _school(school_id)
    return _sample(school, DocumentKind.COMMENDATION, school.name)
