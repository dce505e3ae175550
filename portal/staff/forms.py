"""Forms of the staff desk. CSRF comes from Flask-WTF on every POST form; the filter form is a GET form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.apply.applications import HELP_KINDS, STATUSES
from portal.feedback.survey import SERVED_VIA
from portal.staff.credentials import PASSWORD_MAX, password_problems
from portal.staff.desk import NOTE_MAX, REQUEST_KINDS, clean_note


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX * 4)])
    next = HiddenField()


class CodeForm(FlaskForm):
    code = StringField(
        _l("6-digit code from the app"),
        description=_l("Open the authenticator app on your phone and type the code it shows now."),
        validators=[DataRequired(_l("Type the 6-digit code.")), Length(max=20)],
    )


class SetupForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l(
            "At least 15 characters. A phrase of three or four unrelated words is best. "
            "Spaces and any letters are allowed."
        ),
        validators=[DataRequired(_l("Choose a password."))],
    )
    confirm = PasswordField(
        _l("The same password again"), validators=[DataRequired(_l("Type the password again."))]
    )
    code = StringField(
        _l("6-digit code from the app"),
        description=_l("After adding the account to the app, type the code it shows."),
        validators=[DataRequired(_l("Type the 6-digit code.")), Length(max=20)],
    )

    def __init__(self, *args, username=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.username = username

    def validate_password(self, field):
        problems = password_problems(field.data, self.username)
        if problems:
            raise ValidationError(" ".join(str(problem) for problem in problems))

    def validate_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords are different. Type the same password twice."))


def _choices(options, everything=None):
    first = [SelectChoice("", everything)] if everything is not None else []
    return first + [SelectChoice(code, text) for code, text in options.items()]


class FilterForm(FlaskForm):
    """The desk's filters, read from the query string; unknown values mean «all», never an error."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=_choices(STATUSES, _l("Any status")),
        validators=[Optional()],
        validate_choice=False,
    )
    help = SelectField(
        _l("Help needed"),
        choices=_choices(HELP_KINDS, _l("Any help")),
        validators=[Optional()],
        validate_choice=False,
    )
    kind = SelectField(
        _l("Kind"),
        choices=_choices(REQUEST_KINDS, _l("All requests")),
        validators=[Optional()],
        validate_choice=False,
    )
    page = IntegerField(validators=[Optional()])

    def chosen(self, field):
        value = field.data or ""
        return value if value and value in {choice.value for choice in field.choices} else None

    def page_number(self):
        try:
            return max(1, min(int(self.page.data or 1), 100_000))
        except (TypeError, ValueError):
            return 1


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=_choices(STATUSES))
    served_via = SelectField(
        _l("How the person was served (for the survey link)"),
        description=_l("Used only when the status becomes «Done»: the person gets a link to one anonymous "
                       "question."),
        choices=_choices(SERVED_VIA, _l("As the request's contact method suggests")),
        validators=[Optional()],
        validate_choice=False,  # an unknown or missing value means «as the contact method suggests»
    )


class AssignForm(FlaskForm):
    """Who handles the request: the choices are the active colleagues, filled in by the view."""

    colleague = SelectField(_l("Who handles it"), coerce=str)


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Internal note"),
        description=_l("Only staff see notes. Write what was agreed, not more than is needed."),
        validators=[DataRequired(_l("Write the note first."))],
    )

    def validate_text(self, field):
        cleaned = clean_note(field.data)
        if not cleaned:
            raise ValidationError(_l("Write the note first."))
        if len(cleaned) > NOTE_MAX:
            raise ValidationError(_l("The note is too long: at most %(max)d characters.", max=NOTE_MAX))
