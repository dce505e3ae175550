"""The application form: every field validated server-side with a plain Russian message next to it."""
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from portal.apply import subjects
from portal.apply.applications import (
    APPLICANTS,
    CONTACT_METHODS,
    CONVENIENT_TIMES,
    HELP_KINDS,
    INSTITUTIONS,
    REACH_VIA,
    normalise_contact,
)
from portal.clock import today_local
from portal.public_forms import NAME_RE, BotProtectedForm, CheckboxListField, choices
from portal.text import DISTRICTS, clean_text, normalise_phone


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
    about = HiddenField()  # «vacancy:12»: what the form was opened from (portal/apply/subjects.py)

    def subject(self):
        """What the request is about, looked up again from its id; None when there is none or it is unknown."""
        return subjects.from_token(self.about.data)

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

    def values(self):
        """The request as plain values for `store_application`."""
        return dict(
            key=self.idempotency(), applicant=self.applicant.data, help_codes=list(self.help_needed.data),
            name=self.name.data, contact_method=self.contact_method.data, contact_value=self.contact_value.data,
            convenient_time=self.convenient_time.data, contact_from=self.contact_from_date(),
            district=self.district.data, comment=self.comment.data, about=self.subject())


class ReferralForm(BotProtectedForm):
    """An officer of the prison service refers a person who is about to be released (/zayavka/napravlenie).
    The officer's own fields come back filled after a send, so several referrals go in a row."""

    form_name = "referral"
    person_name = StringField(_l("The person's first name"),
                              description=_l("A first name is enough, so the specialist knows who to ask for."))
    release_date = StringField(_l("Expected release date"), description=_l("For example, 15.03.2027."))
    institution = SelectField(_l("Institution (optional)"),
                              choices=choices({"": _l("Not chosen"), **INSTITUTIONS, "other": _l("Another one")}),
                              default="")
    institution_other = StringField(_l("Another institution (optional)"),
                                    description=_l("If it is not in the list: a short name, for example «ИК-1»."))
    reach_via = RadioField(_l("How can the centre reach the person after release?"), choices=choices(REACH_VIA),
                           default="own_phone")
    reach_phone = StringField(_l("Phone number for the centre to call"),
                              description=_l("The person's or the relative's. Not needed through the inspection."))
    help_needed = CheckboxListField(_l("What help is needed?"), choices=choices(HELP_KINDS),
                                    description=_l("Tick everything that fits."))
    referrer_name = StringField(_l("Your name and position"),
                                description=_l("For example, «Иванова Мария, инспектор». Kept after sending."))
    referrer_phone = StringField(_l("Your work phone"),
                                 description=_l("So the centre can ask you a question. Kept after sending."))
    consent = BooleanField(_l("The person has agreed that the employment centre contacts them and processes "
                              "these data"))

    def validate_person_name(self, field):
        field.data = clean_text(field.data)
        if not field.data:
            raise ValidationError(_l("Write the person's first name, for example «Сергей»."))
        if len(field.data) > 100 or not NAME_RE.match(field.data):
            raise ValidationError(_l("Use letters only, for example «Сергей» or «Анна Петровна»."))

    def validate_release_date(self, field):
        field.data = clean_text(field.data)
        parsed = _parse_date(field.data)
        if not field.data:
            raise ValidationError(_l("Write the expected release date, for example 15.03.2027."))
        if parsed is None:
            raise ValidationError(_l("Write the date as day.month.year, for example 15.03.2027."))
        today = today_local()
        if parsed < today - timedelta(days=31):
            raise ValidationError(_l("This date was more than a month ago. Check the year."))
        if parsed > today + timedelta(days=3 * 366):
            raise ValidationError(_l("This date is too far ahead: three years at most."))

    def validate_institution_other(self, field):
        field.data = clean_text(field.data)
        if len(field.data) > 100:
            raise ValidationError(_l("The name is too long: 100 characters at most."))

    def validate_reach_phone(self, field):
        field.data = clean_text(field.data)
        if self.reach_via.data == "inspection":
            return
        if not field.data:
            raise ValidationError(_l("Write a phone number, or choose «through the inspection»."))
        if normalise_phone(field.data) is None:
            raise ValidationError(_l("Check the number: 11 digits starting with +7 or 8, "
                                     "for example 8 912 345-67-89."))

    def validate_help_needed(self, field):
        if not field.data:
            raise ValidationError(_l("Tick at least one kind of help."))

    def validate_referrer_name(self, field):
        field.data = clean_text(field.data)
        if not field.data:
            raise ValidationError(_l("Write your name and position, so the centre knows who sent it."))
        if len(field.data) > 100:
            raise ValidationError(_l("The name is too long: 100 characters at most."))

    def validate_referrer_phone(self, field):
        field.data = clean_text(field.data)
        if normalise_phone(field.data) is None:
            raise ValidationError(_l("Write your work phone: 11 digits starting with +7 or 8, "
                                     "for example 8 351 123-45-67."))

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError(_l("Send a referral only with the person's agreement. Tick the box."))

    def values(self):
        """The referral as plain values for `store_referral`."""
        institution = (INSTITUTIONS.get(self.institution.data) if self.institution.data != "other" else None)
        return dict(
            key=self.idempotency(), person_name=self.person_name.data,
            release_date=_parse_date(self.release_date.data),
            institution=institution or self.institution_other.data or None,
            reach_via=self.reach_via.data,
            reach_phone=None if self.reach_via.data == "inspection" else normalise_phone(self.reach_phone.data),
            help_codes=list(self.help_needed.data), referrer_name=self.referrer_name.data,
            referrer_phone=normalise_phone(self.referrer_phone.data))

    def keep_referrer(self, name, phone):
        """A fresh form for the next referral with the officer's own fields filled in."""
        self.referrer_name.data = name or ""
        self.referrer_phone.data = phone or ""
