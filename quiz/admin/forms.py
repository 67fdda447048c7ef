from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from quiz.bounded_numbers import db_id


class UnitForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Enter a name.")), Length(max=200)])
    code = StringField(_l("Code"), validators=[Optional(), Length(max=40)])
    parent_id = SelectField(_l("Belongs to"), coerce=db_id, validate_choice=False)
    enrolled = IntegerField(_l("Enrolled students"), validators=[Optional(), NumberRange(min=0, max=100000)])
    grade = IntegerField(_l("Grade"), validators=[Optional(), NumberRange(min=1, max=12)])


class AccountForm(FlaskForm):
    username = StringField(_l("Username"), validators=[Optional(), Length(max=40)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(message=_l("Enter the full name.")), Length(max=200)])
    role = SelectField(_l("Role"), validate_choice=False)
    unit_id = SelectField(_l("Unit"), coerce=db_id, validate_choice=False)
    class_ids = SelectMultipleField(_l("Classes taught"), coerce=db_id, validate_choice=False)
    date_of_birth = DateField(_l("Date of birth"), validators=[Optional()])
    password = PasswordField(_l("Initial password"), validators=[Optional(), Length(max=200)])
    is_active = BooleanField(_l("Active"), default=True)


class RosterForm(FlaskForm):
    school_id = SelectField(_l("School"), coerce=db_id, validate_choice=False)
    file = FileField(_l("Roster file (XLSX or CSV)"), validators=[FileRequired(message=_l("Choose a file."))])
