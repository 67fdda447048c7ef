"""Pages of a bank's questions: the filtered list, bulk actions, create/edit with live preview,
revision history and the review workflow."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

import question_bank as qb
from quiz.auth.session import role_required
from quiz.banks import bp, editing
from quiz.banks import images as bank_images
from quiz.banks.access import can_edit, get_visible_bank
from quiz.banks.authoring import (BULK_ACTIONS, bulk_action, change_status, check_form, create_question,
                                  get_question, similar_to, status_choices, update_question)
from quiz.banks.convert import question_to_domain, revision_to_domain
from quiz.banks.listing import QuestionFilters, bank_tags, list_questions, revisions
from quiz.banks.questions import revision_in_use, status_label
from quiz.banks.routes import STAFF, ui_lang
from quiz.errors import DomainError, ValidationFailed
from quiz.extensions import db
from quiz.models import QuestionStatus
from quiz.bounded_numbers import db_id


def _labels() -> dict:
    lang = ui_lang()
    return {
        "pillars": [(p.value, p.label(lang)) for p in qb.Pillar],
        "difficulties": [(d.value, d.label(lang)) for d in qb.Difficulty],
        "types": [(t.value, t.label(lang)) for t in qb.QuestionType],
        "statuses": [(s.value, status_label(s)) for s in QuestionStatus],
        "language_filters": [("vi", "Tiếng Việt"), ("en", "English")],  # "languages" is the switcher's
        "pillar_label": lambda v: qb.Pillar(v).label(lang) if v else "",
        "difficulty_label": lambda v: qb.Difficulty(v).label(lang) if v else "",
        "type_label": lambda v: qb.QuestionType(v).label(lang) if v else "",
        "status_label": status_label,
        "plain": qb.to_plain_text,
    }


@bp.route("/<int:bank_id>")
@role_required(*STAFF)
def questions(bank_id: int):
    bank = get_visible_bank(db.session, current_user, bank_id)
    filters = QuestionFilters.parse(request.args, [bank.id])
    page = list_questions(db.session, filters, after=request.args.get("after"), before=request.args.get("before"))
    return render_template("banks/questions.html", bank=bank, page=page, filters=filters,
                           editable=can_edit(current_user, bank), tags=bank_tags(db.session, bank.id),
                           bulk_actions=BULK_ACTIONS, **_labels())


@bp.route("/<int:bank_id>/bulk", methods=["POST"])
@role_required(*STAFF)
def bulk(bank_id: int):
    bank = get_visible_bank(db.session, current_user, bank_id)
    ids = request.form.getlist("ids", type=db_id)
    try:
        result = bulk_action(db.session, current_user, bank, ids, request.form.get("action", ""),
                             request.form.get("tag", ""))
    except ValidationFailed as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        db.session.commit()
        flash(_("%(changed)d questions changed, %(unchanged)d already so, %(refused)d not allowed by the workflow.",
                changed=result.changed, unchanged=result.unchanged, refused=result.refused),
              "success" if not result.refused else "warning")
    back = {k: v for k, v in request.form.items() if k in ("pillar", "tag_filter", "difficulty", "status", "language", "q")}
    if "tag_filter" in back:
        back["tag"] = back.pop("tag_filter")
    return redirect(url_for("banks.questions", bank_id=bank.id, **back))


def _editor(bank, question, data, problems=(), similar=(), status=200):
    return render_template("banks/question_form.html", bank=bank, question=question, data=data,
                           problems=list(problems), similar=list(similar), **_labels()), status


@bp.route("/<int:bank_id>/questions/new", methods=["GET", "POST"])
@role_required(*STAFF)
def question_new(bank_id: int):
    bank = get_visible_bank(db.session, current_user, bank_id)
    if not can_edit(current_user, bank):
        return render_template("errors/403.html", status=403,
                               message=_("You can read this bank but not change it.")), 403
    if request.method == "GET":
        return _editor(bank, None, editing.QuestionForm())
    data = editing.from_request(request.form)
    try:
        question = create_question(db.session, current_user, bank, data, lang=ui_lang())
    except ValidationFailed as err:
        db.session.rollback()
        return _editor(bank, None, data, problems=[m for ms in err.errors.values() for m in ms], status=400)
    similar = similar_to(db.session, bank, question_to_domain(question), exclude_id=question.id)
    db.session.commit()
    flash(_("The question was saved as a draft."), "success")
    _flash_similar(similar)
    return redirect(url_for("banks.question_show", bank_id=bank.id, question_id=question.id))


def _flash_similar(similar) -> None:
    for s in similar[:3]:
        flash(_("Possible duplicate: this question is %(p)d%% like question #%(id)d: %(text)s", p=s.percent,
                id=s.question_id, text=s.text[:120]), "warning")


@bp.route("/<int:bank_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def question_edit(bank_id: int, question_id: int):
    question = get_question(db.session, current_user, bank_id, question_id)
    bank = question.bank
    if not can_edit(current_user, bank):
        return render_template("errors/403.html", status=403,
                               message=_("You can read this bank but not change it.")), 403
    if request.method == "GET":
        return _editor(bank, question, editing.from_domain(question_to_domain(question)))
    data = editing.from_request(request.form)
    try:
        changed = update_question(db.session, current_user, question, data, lang=ui_lang())
    except ValidationFailed as err:
        db.session.rollback()
        return _editor(bank, question, data, problems=[m for ms in err.errors.values() for m in ms], status=400)
    similar = similar_to(db.session, bank, question_to_domain(question), exclude_id=question.id) if changed else []
    db.session.commit()
    flash(_("The question was saved.") if changed else _("Nothing changed."), "success" if changed else "info")
    _flash_similar(similar)
    return redirect(url_for("banks.question_show", bank_id=bank.id, question_id=question.id))


@bp.route("/<int:bank_id>/questions/preview", methods=["POST"])
@role_required(*STAFF)
def question_preview(bank_id: int):
    """The question of the (unsaved) form as a student will see it, its problems and look-alikes: an
    HTML fragment of sanitised markup for the editor's live preview."""
    bank = get_visible_bank(db.session, current_user, bank_id)
    data = editing.from_request(request.form)
    domain, problems = check_form(data, ui_lang())
    similar = []
    if domain is not None and domain.stem:
        exclude = request.form.get("question_id", type=db_id)
        similar = similar_to(db.session, bank, domain, exclude_id=exclude)
    return render_template("banks/_preview.html", bank=bank, shown=_shown(bank.id, domain),
                           problems=[p.describe(ui_lang()) for p in problems], similar=similar)


def _shown(bank_id: int, domain: qb.Question | None) -> list[dict]:
    """Per language: the sanitised stem, options and explanation with image names resolved."""
    if domain is None:
        return []
    urls = bank_images.image_urls(db.session, bank_id)

    def show(text: str) -> str:
        return bank_images.resolve(qb.sanitize(text or ""), urls)

    return [{"lang": lang, "stem": show(domain.stem.get(lang)), "multiple": domain.type is qb.QuestionType.MULTIPLE,
             "options": [{"text": show(o.text.get(lang)), "correct": o.correct} for o in domain.options],
             "explanation": show(domain.explanation.get(lang))}
            for lang in domain.languages if lang in qb.LANGUAGES]


@bp.route("/<int:bank_id>/questions/<int:question_id>")
@role_required(*STAFF)
def question_show(bank_id: int, question_id: int):
    question = get_question(db.session, current_user, bank_id, question_id)
    history = [(rev, revision_in_use(db.session, rev), _shown(question.bank_id, revision_to_domain(rev)))
               for rev in revisions(db.session, question)]
    return render_template("banks/question.html", bank=question.bank, question=question, history=history,
                           editable=can_edit(current_user, question.bank), moves=status_choices(question),
                           **_labels())


@bp.route("/<int:bank_id>/questions/<int:question_id>/status", methods=["POST"])
@role_required(*STAFF)
def question_status(bank_id: int, question_id: int):
    question = get_question(db.session, current_user, bank_id, question_id)
    try:
        target = QuestionStatus(request.form.get("status", ""))
    except ValueError:
        flash(_("Choose a status."), "error")
        return redirect(url_for("banks.question_show", bank_id=bank_id, question_id=question.id))
    try:
        change_status(db.session, current_user, question, target)
    except DomainError as err:
        db.session.rollback()
        if err.status == 403:
            raise
        flash(err.message, "error")
    else:
        db.session.commit()
        flash(_("The question is now %(status)s.", status=status_label(target)), "success")
    return redirect(url_for("banks.question_show", bank_id=bank_id, question_id=question.id))
