"""The application form: every field validated server-side with a plain Russian message next to it."""
import re
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.applications import (
    APPLICANTS,
    CONTACT_METHODS,
    CONVENIENT_TIMES,
    DISTRICTS,
    HELP_KINDS,
    clean_text,
    normalise_contact,
)
from portal.clock import today_local
from portal.public_forms import BotProtectedForm

NAME_RE = re.compile(r"^[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?$")


def choices(mapping):
    return [SelectChoice(value, label) for value, label in mapping.items()]


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _parse_date(value):
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


class ApplicationForm(BotProtectedForm):
    form_name = "apply"
    applicant = RadioField(_l("Who is asking for help?"), choices=choices(APPLICANTS), default="self")
    name = StringField(_l("How should we address you?"),
                       description=_l("A first name is enough. So the specialist knows who to ask for."))
    contact_method = RadioField(_l("How can we contact you?"), choices=choices(CONTACT_METHODS),
                                default="phone")
    contact_value = StringField(_l("Phone number or username"),
                                description=_l("For example, 8 912 345-67-89 or @username for Telegram. "
                                               "Not needed if you will come in person."))
    convenient_time = RadioField(_l("When is it convenient to talk?"), choices=choices(CONVENIENT_TIMES),
                                 default="any")
    help_needed = CheckboxListField(_l("What help do you need?"), choices=choices(HELP_KINDS),
                                    description=_l("Tick everything that fits."))
    contact_from = StringField(_l("From which date should we contact you? (optional)"),
                               description=_l("If you are still inside or busy now. For example, 15.03.2027."))
    district = SelectField(_l("Your district of Chelyabinsk (optional)"),
                           choices=choices({"": _l("Not important"), **DISTRICTS}), default="",
                           description=_l("So we can suggest an office and jobs closer to home."))
    comment = TextAreaField(_l("Anything else we should know? (optional)"),
                            description=_l("Do not describe the conviction, the article or the colony: "
                                           "we do not need it to help you."))
    consent = BooleanField(_l("I agree to the processing of my personal data"))

    def validate_name(self, field):
        field.data = clean_text(field.data)
        if not field.data:
            raise ValidationError(_l("Write how we should address you, for example «Сергей»."))
        if len(field.data) > 100:
            raise ValidationError(_l("The name is too long: 100 characters at most."))
        if not NAME_RE.match(field.data):
            raise ValidationError(_l("Use letters only, for example «Сергей» or «Анна Петровна»."))

    def validate_contact_value(self, field):
        method = self.contact_method.data
        raw = clean_text(field.data)
        field.data = raw
        if method == "in_person":
            return
        if not raw:
            raise ValidationError(_l("Write a phone number or a username, so we can reach you."))
        if len(raw) > 100 or normalise_contact(method, raw) is None:
            if method in ("phone", "whatsapp", "max"):
                raise ValidationError(_l("Check the number: 11 digits starting with +7 or 8, "
                                         "for example 8 912 345-67-89."))
            raise ValidationError(_l("Check the contact: a phone number or a username like @sergey_ivanov."))

    def validate_help_needed(self, field):
        if not field.data:
            raise ValidationError(_l("Tick at least one kind of help."))

    def validate_contact_from(self, field):
        field.data = clean_text(field.data)
        if not field.data:
            return
        parsed = _parse_date(field.data)
        if parsed is None:
            raise ValidationError(_l("Write the date as day.month.year, for example 15.03.2027."))
        today = today_local()
        if parsed < today - timedelta(days=1):
            raise ValidationError(_l("This date has passed. Leave the field empty if we can call now."))
        if parsed > today + timedelta(days=3 * 366):
            raise ValidationError(_l("This date is too far ahead: three years at most."))

    def validate_comment(self, field):
        field.data = clean_text(field.data)
        limit = current_app.config["APPLY_COMMENT_MAX"]
        if len(field.data) > limit:
            raise ValidationError(_l("The comment is too long: %(limit)d characters at most.", limit=limit))

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError(_l("Without your consent we cannot store the request. Tick the box."))

    def contact_from_date(self):
        return _parse_date(self.contact_from.data) if self.contact_from.data else None
