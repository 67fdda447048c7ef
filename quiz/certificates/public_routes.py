"""The public verification page (and its date-of-birth check), the students' own certificates (page and JSON) and PDF
downloads."""
from __future__ import annotations

from flask import Response, current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quiz import rate_limits
from quiz.auth.session import client_ip, role_required
from quiz.certificates import bp, pdf, scoping, verification
from quiz.certificates.jobs import verify_url
from quiz.certificates.serials import normalise
from quiz.certificates.settings import contest_settings
from quiz.errors import ValidationFailed
from quiz.extensions import db
from quiz.models import Certificate, Role
from quiz.public_url import public_url


def signer_for(cert: Certificate) -> pdf.Signer:
    return pdf.Signer.from_settings(contest_settings(db.session, cert.contest,
                                                     current_app.config.get("DEPARTMENT_PLACE", "Tây Ninh")))


# One budget per address for every verification request (the page and the date-of-birth check).
VERIFY_LIMIT = "60/minute"


@bp.route("/verify/<serial>")
@rate_limits.limit(VERIFY_LIMIT, scope="verify", key=client_ip)
def verify(serial: str):
    """No login: what proves the certificate with this serial, and whether it is still valid."""
    cert = verification.find(db.session, serial)
    if cert is None:
        return render_template("certificates/verify_unknown.html", serial=serial), 404
    return render_template("certificates/verify.html", cert=verification.public_view(cert))


@bp.route("/verify/<serial>", methods=["POST"])
@rate_limits.limit(VERIFY_LIMIT, scope="verify", key=client_ip)
def verify_birth_date(serial: str):
    """No login: does the typed date of birth match the certificate? Yes or no, nothing more."""
    cert = verification.find(db.session, serial)
    if cert is None:
        return render_template("certificates/verify_unknown.html", serial=serial), 404
    try:
        typed = verification.parse_birth_date(request.form.get("date_of_birth"))
    except ValidationFailed as err:
        return render_template("certificates/verify.html", cert=verification.public_view(cert),
                               birth_error=err.message), 400
    rate_limits.hit(f"verify-birth:{cert.id}", verification.BIRTH_DATE_CHECK_LIMIT)
    response = make_response(render_template("certificates/verify.html", cert=verification.public_view(cert),
                                              birth_matches=verification.birth_date_matches(cert, typed)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/verify")
def verify_form():
    serial = normalise(request.args.get("serial", ""))
    if serial:
        return redirect(url_for("certificates.verify", serial=serial))
    return render_template("certificates/verify_form.html")


@bp.route("/certificates/mine")
@role_required(Role.STUDENT)
def mine():
    certs = scoping.student_certificates(db.session, current_user)
    signers = {c.contest_id: contest_settings(db.session, c.contest, current_app.config.get("DEPARTMENT_PLACE",
                                                                                          "Tây Ninh"))
               for c in certs}
    issuers = {cid: f"{row.signer_title} {row.department_name}".strip() for cid, row in signers.items()}
    return render_template("certificates/mine.html", certs=certs, issuers=issuers)


@bp.route("/api/me/certificates")
@login_required
def api_mine():
    if current_user.role is not Role.STUDENT:
        return jsonify([])
    return jsonify([{
        "serial": c.serial,
        "contest": c.contest_title,
        "round": c.round_title or None,
        "award": c.award,
        "pdf_url": public_url("certificates.download", serial=c.serial),
        "verify_url": verify_url(c.serial),
    } for c in scoping.student_certificates(db.session, current_user)])


@bp.route("/certificates/<serial>.pdf")
@login_required
def download(serial: str):
    """One certificate's PDF, rendered now (a few tens of milliseconds); others' certificates are a 404."""
    cert = scoping.get_visible(db.session, current_user, serial)
    body = pdf.render(cert, signer_for(cert), verify_url(cert.serial))
    response = Response(body, mimetype="application/pdf")
    disposition = "attachment" if request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{cert.serial}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
