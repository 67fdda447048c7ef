"""The Department's certificate settings page (admins), with a sample certificate."""
from __future__ import annotations

from datetime import date

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from quiz import clock
from quiz.auth.session import client_ip, role_required
from quiz.certificates import bp, labels, pdf
from quiz.certificates.jobs import verify_url
from quiz.certificates.settings import SettingsInput, department_of, save_settings, settings_for
from quiz.errors import ValidationFailed
from quiz.extensions import db
from quiz.models import Certificate, CertificateStatus, DocumentKind, Role


def _current():
    return settings_for(db.session, department_of(db.session, current_user.unit),
                        current_app.config.get("DEPARTMENT_PLACE", "Tây Ninh"))


@bp.route("/certificates/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings_page():
    row = _current()
    errors: list[str] = []
    if request.method == "POST":
        data = SettingsInput(**{name: request.form.get(name, "") for name in SettingsInput.__dataclass_fields__})
        upload = request.files.get("logo")
        logo = upload.read() if upload and upload.filename else None
        try:
            save_settings(db.session, current_user, data, clock.now(), logo=logo,
                          remove_logo=bool(request.form.get("remove_logo")), ip=client_ip())
        except ValidationFailed as err:
            db.session.rollback()
            errors = labels.messages(err.errors)
            return render_template("certificates/settings.html", row=row, form=request.form, errors=errors), 400
        db.session.commit()
        flash(_("The certificate settings were saved."), "success")
        return redirect(url_for("certificates.settings_page"))
    return render_template("certificates/settings.html", row=row, form=None, errors=errors)


@bp.route("/certificates/settings/sample.pdf")
@role_required(Role.ADMIN)
def settings_sample():
    """A sample certificate with the current settings (nothing is issued)."""
    sample = Certificate(serial="ASEAN-0000-MAU00000", full_name="Nguyễn Thị Ánh Tuyết", date_of_birth=date(2012, 5, 17),
                         class_name="9A1", school_name="Trường THCS Nguyễn Du",
                         contest_title="Cuộc thi tìm hiểu về ASEAN", round_title="Tuần 1", award="Giải Nhất",
                         document=DocumentKind.COMMENDATION, issued_at=clock.now(), status=CertificateStatus.VALID)
    body = pdf.render(sample, pdf.Signer.from_settings(_current()), verify_url(sample.serial))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="mau-giay-khen.pdf"'})
