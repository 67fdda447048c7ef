"""Pages of the banks themselves: the list, creating and editing a bank, its images.

Questions: ``question_routes.py``; import and export: ``import_routes.py``.
"""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from quiz import clock
from quiz.auth.session import role_required
from quiz.banks import bp
from quiz.banks import images as bank_images
from quiz.banks.access import can_edit, get_visible_bank
from quiz.banks.forms import BankForm, ImageForm
from quiz.banks.questions import status_label
from quiz.banks.service import (BankInput, create_bank, get_editable_bank, list_banks, update_bank,
                                visibility_choices, visibility_label)
from quiz.errors import DomainError, ValidationFailed, apply_to_form
from quiz.extensions import db
from quiz.models import BankImage, BankVisibility, QuestionStatus, Role

STAFF = (Role.ADMIN, Role.MANAGER, Role.TEACHER)


def ui_lang() -> str:
    lang = str(get_locale() or "vi")
    return lang if lang in ("vi", "en") else "vi"


def _visibility_choices(form: BankForm, bank=None) -> None:
    if bank is not None and bank.visibility is BankVisibility.PROVINCE:
        choices = [BankVisibility.PROVINCE]
    else:
        choices = visibility_choices(current_user)
    form.visibility.choices = [(v.value, visibility_label(v)) for v in choices]


def _input(form: BankForm) -> BankInput:
    try:
        visibility = BankVisibility(form.visibility.data) if form.visibility.data else None
    except ValueError:
        visibility = None
    return BankInput(name=form.name.data or "", description=form.description.data or "", visibility=visibility)


@bp.route("/")
@role_required(*STAFF)
def index():
    return render_template("banks/index.html", rows=list_banks(db.session, current_user), statuses=list(QuestionStatus),
                           visibility_label=visibility_label, status_label=status_label)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new():
    form = BankForm()
    _visibility_choices(form)
    status = 200
    if form.validate_on_submit():
        try:
            bank = create_bank(db.session, current_user, _input(form))
        except ValidationFailed as err:
            apply_to_form(form, err)
            status = 400
        else:
            db.session.commit()
            flash(_("The bank %(name)s was created.", name=bank.name), "success")
            return redirect(url_for("banks.questions", bank_id=bank.id))
    elif request.method == "POST":
        status = 400
    return render_template("banks/bank_form.html", form=form, bank=None), status


@bp.route("/<int:bank_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit(bank_id: int):
    bank = get_editable_bank(db.session, current_user, bank_id)
    form = BankForm(obj=bank)
    _visibility_choices(form, bank)
    if request.method == "GET":
        form.visibility.data = bank.visibility.value
    status = 200
    if form.validate_on_submit():
        try:
            update_bank(db.session, current_user, bank, _input(form))
        except ValidationFailed as err:
            apply_to_form(form, err)
            status = 400
        else:
            db.session.commit()
            flash(_("The bank %(name)s was saved.", name=bank.name), "success")
            return redirect(url_for("banks.questions", bank_id=bank.id))
    elif request.method == "POST":
        status = 400
    return render_template("banks/bank_form.html", form=form, bank=bank), status


# -- images ------------------------------------------------------------------
@bp.route("/<int:bank_id>/images", methods=["GET", "POST"])
@role_required(*STAFF)
def images(bank_id: int):
    bank = get_visible_bank(db.session, current_user, bank_id)
    editable = can_edit(current_user, bank)
    form = ImageForm()
    status = 200
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            upload = form.file.data
            name = bank_images.clean_name(upload.filename or "anh.png")
            try:
                stored = bank_images.store_image(db.session, bank, name, upload.read(), clock.now())
            except DomainError as err:
                db.session.rollback()
                problems = getattr(err, "errors", {}).get("file") or [err.message]
                form.file.errors = list(form.file.errors) + problems
                status = 400
            else:
                db.session.commit()
                if stored is None:
                    flash(_("The bank already has this image as %(name)s.", name=name), "info")
                else:
                    flash(_("The image %(name)s was added. Use it in a question text as %(code)s.", name=name,
                            code=f'<img src="{name}" alt="">'), "success")
                return redirect(url_for("banks.images", bank_id=bank.id))
        else:
            status = 400
    return render_template("banks/images.html", bank=bank, form=form, editable=editable,
                           images=bank_images.list_images(db.session, bank)), status


def _image_response(image: BankImage) -> Response:
    response = Response(bytes(image.data), mimetype=image.content_type)
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@bp.route("/<int:bank_id>/images/<path:filename>")
@role_required(*STAFF)
def image(bank_id: int, filename: str):
    bank = get_visible_bank(db.session, current_user, bank_id)
    found = db.session.scalar(select(BankImage).where(BankImage.bank_id == bank.id, BankImage.filename == filename))
    if found is None:
        abort(404)
    return _image_response(found)


@bp.route("/img/<sha256>")
def public_image(sha256: str):
    """A bank picture by its SHA-256, for any logged-in user (students see pictures in their papers)."""
    if not current_user.is_authenticated:
        abort(404)
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        abort(404)
    found = db.session.scalar(select(BankImage).where(BankImage.sha256 == sha256).limit(1))
    if found is None:
        abort(404)
    return _image_response(found)


from quiz.banks import import_routes, question_routes  # noqa: E402,F401
