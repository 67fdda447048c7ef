from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(message=_l("Enter your username.")), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password.")), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(message=_l("Enter a new password.")), Length(max=200)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[DataRequired(message=_l("Repeat the new password."))])
