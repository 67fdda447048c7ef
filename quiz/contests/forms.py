"""Forms of the organisers' pages, and their conversion into the services' inputs."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, IntegerField, RadioField, SelectMultipleField, StringField
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, DateTimeLocalInput, ListWidget, NumberInput

from question_bank import Difficulty, Pillar
from quiz.contests.localtime import DEFAULT_TZ, parse_local, to_local_input
from quiz.contests.service import ContestInput, RoundInput
from quiz.errors import DomainError, ValidationFailed, apply_to_form
from quiz.models import ContestScope, PaperMode, ReviewPolicy, ScoringRule
from quiz.bounded_numbers import db_id, whole_number

GRADES = list(range(1, 13))
PILLARS = [Pillar.HISTORY, Pillar.POLITICAL_SECURITY, Pillar.ECONOMIC, Pillar.SOCIO_CULTURAL]
DIFFICULTIES = [Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD]


def _tz() -> str:
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TZ


class WholeNumberField(IntegerField):
    """An integer field whose parse error is in the page's language."""

    widget = NumberInput(min=0)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "") or ""
        if not str(raw).strip():
            self.data = None
            return
        try:
            self.data = whole_number(raw)  # within the database's integer range
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a whole number.")) from None

    def pre_validate(self, form) -> None:
        if self.process_errors:  # "abc": say "Enter a whole number." once, not also "From 0 to 500."
            raise StopValidation()


class LocalDateTimeField(Field):
    """A date and time typed in local time (Asia/Ho_Chi_Minh); ``data`` is the UTC instant."""

    widget = DateTimeLocalInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return to_local_input(self.data, _tz()) if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_local(valuelist[0], _tz())
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date and time, e.g. 20/11/2026 09:00.")) from None


class GroupErrors(HiddenField):
    """Carries the service's errors about a group of inputs (the blueprint grid); never holds a value,
    even when the form is built from an object that has an attribute of the same name."""

    def process_data(self, value) -> None:
        self.data = ""

    def process_formdata(self, valuelist) -> None:
        self.data = ""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ContestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Length(max=255)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    scope = RadioField(_l("Kind of contest"), validate_choice=False)
    unit_ids = MultiCheckboxField(_l("Taking part"), coerce=db_id, validate_choice=False)
    grades = MultiCheckboxField(_l("Grades"), coerce=whole_number, choices=[(g, str(g)) for g in GRADES],
                                validate_choice=False)
    attempts_allowed = WholeNumberField(_l("Attempts allowed per round"), default=1,
                                        validators=[InputRequired(message=_l("Enter a whole number."))])
    scoring_rule = RadioField(_l("With several attempts"), default=ScoringRule.BEST.value, validate_choice=False)
    points_per_question = WholeNumberField(_l("Points per question"), default=1,
                                           validators=[InputRequired(message=_l("Enter a whole number."))])
    review_policy = RadioField(_l("Students may review their answers with the key"),
                               default=ReviewPolicy.AFTER_CLOSE.value, validate_choice=False)
    results_public = BooleanField(_l("Results are public"))
    leaderboard_public = BooleanField(_l("Leaderboard is public"))
    leaderboard_initials = BooleanField(_l("Show names on public pages as initials (e.g. N. V. An)"))


class RoundForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Length(max=255)])
    opens_at = LocalDateTimeField(_l("Opens at"))
    closes_at = LocalDateTimeField(_l("Closes at"))
    time_limit_minutes = WholeNumberField(_l("Time limit (minutes)"), default=30)
    paper_mode = RadioField(_l("How the paper is made"), default=PaperMode.DRAW.value, validate_choice=False)
    bank_ids = MultiCheckboxField(_l("Banks to draw from"), coerce=db_id, validate_choice=False)
    blueprint = GroupErrors()  # carries the blueprint grid's errors; the counts are the cell_* fields
    question_ids = MultiCheckboxField(_l("Questions"), coerce=db_id, validate_choice=False)
    q = StringField(_l("Search the question text"), validators=[Optional(), Length(max=200)])
    shuffle_questions = BooleanField(_l("Shuffle the order of questions for each student"), default=True)
    shuffle_options = BooleanField(_l("Shuffle the order of options for each student"), default=True)
    prediction_question = TextAreaField(_l("Prediction question (tie-break)"),
                                        validators=[Optional(), Length(max=1000)])
    prediction_answer = WholeNumberField(_l("True answer of the prediction question"), validators=[Optional()])
    freeze_minutes = WholeNumberField(_l("Freeze the public leaderboard for the last … minutes"),
                                      validators=[Optional()])
    confirm_earlier_close = BooleanField(_l("Close earlier anyway: the running attempts end at the new close"))

    def cell(self, pillar: Pillar, difficulty: Difficulty) -> Field:
        return self[cell_name(pillar.value, difficulty.value)]

    def blueprint_counts(self) -> dict[tuple[str, str], int]:
        out = {}
        for p in PILLARS:
            for d in DIFFICULTIES:
                n = self.cell(p, d).data
                if n:
                    out[(p.value, d.value)] = n
        return out


def cell_name(pillar: str, difficulty: str) -> str:
    return f"cell_{pillar}_{difficulty}"


for _p in PILLARS:
    for _d in DIFFICULTIES:
        setattr(RoundForm, cell_name(_p.value, _d.value),
                WholeNumberField(f"{_p.value} {_d.value}", validators=[Optional(), NumberRange(
                    min=0, max=500, message=_l("From 0 to 500."))]))


class MinutesForm(FlaskForm):
    """Extend one student's time, or reopen their attempt, by a number of minutes."""

    student_id = WholeNumberField(validators=[InputRequired()])
    minutes = WholeNumberField(_l("Minutes"), validators=[InputRequired(message=_l("Enter a whole number.")),
                                                          NumberRange(min=1, max=240, message=_l("From 1 to 240."))])


def note_expired_token(form: FlaskForm) -> None:
    """A form whose security token is missing or stale says so at the top (the token field is hidden)."""
    token = getattr(form, "csrf_token", None)
    if token is not None and token.errors:
        form.form_errors = list(getattr(form, "form_errors", []) or []) + [
            _l("The form expired or the security token is missing. Reload the page and try again.")]


def merge_errors(form: FlaskForm, err: DomainError) -> None:
    """Show a service's refusal on the form; a field that already has its own (typing) error keeps only that."""
    if not isinstance(err, ValidationFailed):
        err = ValidationFailed(err.message)
    fresh = {name: msgs for name, msgs in err.errors.items()
             if not getattr(getattr(form, name, None), "errors", None)}
    apply_to_form(form, ValidationFailed(err.message, fresh) if err.errors else err)


# -- form → service input --------------------------------------------------------
def contest_input(form: ContestForm, scope: ContestScope) -> ContestInput:
    def enum_or(cls, value, default):
        try:
            return cls(value)
        except ValueError:
            return default

    return ContestInput(
        title=form.title.data or "", scope=scope, description=form.description.data or "",
        unit_ids=list(form.unit_ids.data or []), grades=list(form.grades.data or []),
        attempts_allowed=form.attempts_allowed.data or 0,
        scoring_rule=enum_or(ScoringRule, form.scoring_rule.data, ScoringRule.BEST),
        points_per_question=form.points_per_question.data or 0,
        review_policy=enum_or(ReviewPolicy, form.review_policy.data, ReviewPolicy.AFTER_CLOSE),
        results_public=bool(form.results_public.data), leaderboard_public=bool(form.leaderboard_public.data),
        leaderboard_initials=bool(form.leaderboard_initials.data))


def round_input(form: RoundForm, keep_prediction_answer: int | None = None,
                show_prediction_answer: bool = True) -> RoundInput:
    try:
        mode = PaperMode(form.paper_mode.data)
    except ValueError:
        mode = PaperMode.DRAW
    return RoundInput(
        title=form.title.data or "", opens_at=form.opens_at.data, closes_at=form.closes_at.data,
        time_limit_minutes=form.time_limit_minutes.data, paper_mode=mode,
        question_ids=list(dict.fromkeys(form.question_ids.data or [])),
        bank_ids=list(dict.fromkeys(form.bank_ids.data or [])),
        blueprint=form.blueprint_counts(),
        shuffle_questions=bool(form.shuffle_questions.data), shuffle_options=bool(form.shuffle_options.data),
        prediction_question=form.prediction_question.data or None,
        prediction_answer=form.prediction_answer.data if show_prediction_answer else keep_prediction_answer,
        freeze_minutes=form.freeze_minutes.data, confirm_earlier_close=bool(form.confirm_earlier_close.data))
