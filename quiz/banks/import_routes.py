"""Import (upload → preview → confirm, all or nothing), the import templates and export."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from question_bank import formats
from quiz import rate_limits
from quiz.auth.session import role_required
from quiz.banks import bp, uploads
from quiz.banks.access import can_edit, get_visible_bank
from quiz.banks.exporting import EXPORT_FORMATS, ExportError, export_bank
from quiz.banks.forms import ConfirmImportForm, ImportForm
from quiz.banks.importing import apply_import, plan_import
from quiz.banks.questions import status_label
from quiz.banks.routes import STAFF, ui_lang
from quiz.banks.service import get_editable_bank
from quiz.errors import ValidationFailed
from quiz.extensions import db
from quiz.models import QuestionStatus

# Uploads (preview) and confirmations of imports: 10 per minute per user together (BANK_IMPORT_RATE_LIMIT),
# and the CPU time they take counts against the user's import budget (IMPORT_CPU_BUDGET, shared with rosters).
import_limit = rate_limits.limit(lambda: current_app.config.get("BANK_IMPORT_RATE_LIMIT", "10/minute"),
                                 scope="bank-import", key=rate_limits.per_user, methods=("POST",))

def _max_questions() -> int:
    """Questions one import file may hold (``BANK_IMPORT_MAX_QUESTIONS``, ``QUIZ_IMPORT_MAX_QUESTIONS``)."""
    return current_app.config.get("BANK_IMPORT_MAX_QUESTIONS", formats.MAX_QUESTIONS)


FORMAT_NAMES = {"xlsx": "Excel (XLSX)", "csv": "CSV (UTF-8)", "moodle-xml": "Moodle XML", "gift": "GIFT",
                "aiken": "Aiken", "json": "JSON"}


def _render_plan(bank, plan, token, form, status=200):
    lang = ui_lang()
    return render_template("banks/import_preview.html", bank=bank, plan=plan, token=token, form=form,
                           problems=plan.problem_lines(lang), warnings=plan.warning_lines(lang),
                           skipped=plan.skipped_lines(lang), format_name=FORMAT_NAMES.get(plan.format, plan.format),
                           lang=lang), status


@bp.route("/<int:bank_id>/import", methods=["GET", "POST"])
@import_limit
@rate_limits.import_cpu
@role_required(*STAFF)
def import_upload(bank_id: int):
    bank = get_editable_bank(db.session, current_user, bank_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        filename = upload.filename or "upload"
        plan = plan_import(db.session, bank, data, filename, skip_unsupported=form.skip_unsupported.data,
                           language=form.language.data, max_questions=_max_questions())
        token = None
        if plan.ok:
            token = uploads.save(current_app.instance_path, current_user.id, bank.id, filename, data,
                                 language=form.language.data, skip_unsupported=form.skip_unsupported.data)
        return _render_plan(bank, plan, token, ConfirmImportForm(), 200 if plan.ok else 400)
    status = 400 if request.method == "POST" else 200
    return render_template("banks/import.html", bank=bank, form=form, formats=FORMAT_NAMES, editable=True), status


@bp.route("/<int:bank_id>/import/<token>", methods=["POST"])
@import_limit
@rate_limits.import_cpu
@role_required(*STAFF)
def import_confirm(bank_id: int, token: str):
    bank = get_editable_bank(db.session, current_user, bank_id)
    pending = uploads.load(current_app.instance_path, token, current_user.id, bank.id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    approve = bool(form.approve.data)  # every editor of the bank may approve (docs/banks.md)
    plan = plan_import(db.session, bank, pending.data, pending.filename, skip_unsupported=pending.skip_unsupported,
                       language=pending.language, find_duplicates=False,  # the warnings were shown already
                       max_questions=_max_questions())
    try:
        summary = apply_import(db.session, current_user, bank, plan, approve=approve)
    except ValidationFailed:
        db.session.rollback()
        return _render_plan(bank, plan, None, form, 400)
    db.session.commit()
    uploads.discard(current_app.instance_path, token)
    state = status_label(QuestionStatus.APPROVED if approve else QuestionStatus.DRAFT)
    flash(_("Imported %(file)s: %(added)d new questions (%(state)s), %(updated)d updated, %(unchanged)d unchanged.",
            file=pending.filename, added=summary.added, state=state, updated=summary.updated,
            unchanged=summary.unchanged), "success")
    return redirect(url_for("banks.questions", bank_id=bank.id))


@bp.route("/import-template.<fmt>")
@role_required(*STAFF)
def import_template(fmt: str):
    if fmt not in ("xlsx", "csv"):
        abort(404)
    response = Response(formats.write_template(fmt), mimetype=formats.MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f"attachment; filename=mau-cau-hoi.{fmt}"
    return response


@bp.route("/<int:bank_id>/export", methods=["GET"])
@role_required(*STAFF)
def export(bank_id: int):
    bank = get_visible_bank(db.session, current_user, bank_id)
    fmt = request.args.get("format")
    if fmt is None:
        return render_template("banks/export.html", bank=bank, formats=[(f, FORMAT_NAMES[f]) for f in EXPORT_FORMATS],
                               statuses=[(s.value, status_label(s)) for s in QuestionStatus],
                               editable=can_edit(current_user, bank))
    if fmt not in EXPORT_FORMATS:
        abort(404)
    language = request.args.get("language") if request.args.get("language") in ("vi", "en") else "vi"
    statuses = []
    for value in request.args.getlist("status"):
        try:
            statuses.append(QuestionStatus(value))
        except ValueError:
            continue
    try:
        exported = export_bank(db.session, bank, fmt, language=language, statuses=statuses or None)
    except ExportError as err:
        lang = ui_lang()
        return render_template("banks/export.html", bank=bank, formats=[(f, FORMAT_NAMES[f]) for f in EXPORT_FORMATS],
                               statuses=[(s.value, status_label(s)) for s in QuestionStatus],
                               problems=[p.describe(lang) for p in err.problems], chosen=fmt,
                               editable=can_edit(current_user, bank)), 400
    response = Response(exported.data, mimetype=exported.media_type)
    response.headers["Content-Disposition"] = f"attachment; filename={exported.filename}"
    return response
