"""WTForms of the bank pages (the question form is read by ``quiz.banks.editing``)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class BankForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Enter a name.")), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    visibility = SelectField(_l("Who can see it"), validate_choice=False)


class ImageForm(FlaskForm):
    file = FileField(_l("Image (PNG, JPEG, GIF or WebP, at most 1 MB)"),
                     validators=[FileRequired(message=_l("Choose a file."))])


class ImportForm(FlaskForm):
    file = FileField(_l("Question file"), validators=[FileRequired(message=_l("Choose a file."))])
    language = SelectField(_l("Language of one-language files (Moodle XML, GIFT, Aiken)"),
                           choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi")
    skip_unsupported = BooleanField(_l("Skip questions of unsupported types (they are listed)"))


class ConfirmImportForm(FlaskForm):
    approve = BooleanField(_l("Approve the imported questions at once (otherwise they are drafts)"))
