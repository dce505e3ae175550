"""Forms of the employers area: the sign-up, the staff card editor and the directory's GET filters.

The card fields live in one place (CardFields) and are shared by the sign-up and the staff editor; the
sign-up adds the company's contacts, the consents and the bot protection of the application form.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from portal.employers.cards import (
    HOW_TO_APPLY,
    INDUSTRIES,
    OFFER_COLUMNS,
    OFFERS,
    RECORD_STAGES,
    SCHEDULES,
    TEXT_LIMITS,
    normalise_email,
    normalise_inn,
)
from portal.public_forms import NAME_RE, BotProtectedForm, CheckboxListField, choices
from portal.text import DISTRICTS, clean_text, normalise_phone


def _text(field, name, required_message=None):
    """Clean the field's text in place and check its length; an optional field may stay empty."""
    field.data = clean_text(field.data if isinstance(field.data, str) else "")
    if not field.data:
        if required_message:
            raise ValidationError(required_message)
        return
    limit = TEXT_LIMITS[name]
    if len(field.data) > limit:
        raise ValidationError(_l("Too long: %(limit)d characters at most.", limit=limit))


def _one_of(field, options, message):
    if field.data not in options:
        raise ValidationError(message)


class CardFields(FlaskForm):
    """What the public card says, checked the same way for an employer and for staff."""

    district = SelectField(_l("District where the work is"), choices=choices({"": _l("Choose a district"),
                                                                             **DISTRICTS}),
                           default="", validate_choice=False)
    industry = SelectField(_l("Industry"), choices=choices({"": _l("Choose an industry"), **INDUSTRIES}),
                           default="", validate_choice=False)
    kinds_of_work = TextAreaField(_l("What work do you offer?"),
                                  description=_l("Jobs and what people will do. For example: «loaders, "
                                                 "packers at a food warehouse»."))
    schedule = RadioField(_l("Schedule"), choices=choices(SCHEDULES), validate_choice=False)
    pay_range = StringField(_l("Pay (optional)"),
                            description=_l("For example, «from 45,000 ₽ a month» or «2,500 ₽ a shift»."))
    offers = CheckboxListField(_l("What do you offer? (optional)"), choices=choices(OFFERS),
                               validate_choice=False, description=_l("Tick everything that fits."))
    cannot_accept = TextAreaField(
        _l("Whom can you not take? (optional)"),
        description=_l("If some convictions rule out a job, say which and why, for example: «not as a "
                       "storekeeper after a conviction for theft: full financial liability». Leave it "
                       "empty if there are no limits."))
    asks_about_record_at = RadioField(_l("When do you ask about a criminal record?"),
                                      choices=choices(RECORD_STAGES), validate_choice=False)
    how_to_apply = RadioField(_l("How should people apply?"), choices=choices(HOW_TO_APPLY),
                              default="centre", validate_choice=False)
    apply_contact = StringField(
        _l("Contact for applicants (if directly)"),
        description=_l("Everyone will see it. Give the HR office's work phone or address, not a personal "
                       "number."))

    def validate_district(self, field):
        _one_of(field, DISTRICTS, _l("Choose the district where the work is."))

    def validate_industry(self, field):
        _one_of(field, INDUSTRIES, _l("Choose an industry."))

    def validate_kinds_of_work(self, field):
        _text(field, "kinds_of_work", _l("Describe the work in a few words."))

    def validate_schedule(self, field):
        _one_of(field, SCHEDULES, _l("Choose a schedule."))

    def validate_pay_range(self, field):
        _text(field, "pay_range")

    def validate_offers(self, field):
        if not isinstance(field.data, list) or any(code not in OFFERS for code in field.data):
            raise ValidationError(_l("Tick only the options from the list."))

    def validate_cannot_accept(self, field):
        _text(field, "cannot_accept")

    def validate_asks_about_record_at(self, field):
        _one_of(field, RECORD_STAGES, _l("Choose when you ask about a criminal record."))

    def validate_how_to_apply(self, field):
        _one_of(field, HOW_TO_APPLY, _l("Choose how people should apply."))

    def validate_apply_contact(self, field):
        needed = _l("Write where people should call or come.") if self.how_to_apply.data == "direct" else None
        _text(field, "apply_contact", needed)

    def card_values(self):
        """The card columns, as the sign-up and the staff editor both store them."""
        offers = set(self.offers.data or ())
        values = {
            "district": self.district.data,
            "industry": self.industry.data,
            "kinds_of_work": self.kinds_of_work.data,
            "schedule": self.schedule.data,
            "pay_range": self.pay_range.data or None,
            "cannot_accept": self.cannot_accept.data or None,
            "asks_about_record_at": self.asks_about_record_at.data,
            "how_to_apply": self.how_to_apply.data,
            "apply_contact": self.apply_contact.data or None,
        }
        values.update({column: code in offers for code, column in OFFER_COLUMNS.items()})
        return values


class EmployerSignupForm(CardFields, BotProtectedForm):
    """«Я работодатель и готов брать людей после освобождения»."""

    form_name = "employer-signup"

    company = StringField(_l("Company or sole trader name"),
                          description=_l("As in your documents, for example «ООО Ромашка»."))
    inn = StringField(_l("INN"), description=_l("10 digits for a company, 12 for a sole trader."))
    contact_name = StringField(_l("Contact person"),
                               description=_l("Who at your company the centre should talk to."))
    phone = StringField(_l("Phone"), description=_l("For example, 8 351 123-45-67."))
    email = StringField(_l("E-mail"))
    consent = BooleanField(_l("I agree to the processing of my personal data"))
    publish = BooleanField(_l("I agree that after checking, the centre publishes the card on this site"))

    def validate_company(self, field):
        _text(field, "company", _l("Write the name of the company."))
        if not any(ch.isalpha() for ch in field.data):
            raise ValidationError(_l("Write the name of the company."))

    def validate_inn(self, field):
        field.data = clean_text(field.data if isinstance(field.data, str) else "")
        if not field.data:
            raise ValidationError(_l("Write the INN: 10 or 12 digits."))
        if normalise_inn(field.data) is None:
            raise ValidationError(_l("This INN does not pass the check. Look at the digits again: 10 for a "
                                     "company, 12 for a sole trader."))

    def validate_contact_name(self, field):
        _text(field, "contact_name", _l("Write the name of the person we should talk to."))
        if not NAME_RE.match(field.data):
            raise ValidationError(_l("Use letters only, for example «Анна Петровна»."))

    def validate_phone(self, field):
        field.data = clean_text(field.data if isinstance(field.data, str) else "")
        if not field.data:
            raise ValidationError(_l("Write a phone number, so the centre can call you."))
        if len(field.data) > 30 or normalise_phone(field.data) is None:
            raise ValidationError(_l("Check the number: 11 digits starting with +7 or 8, for example "
                                     "8 351 123-45-67."))

    def validate_email(self, field):
        field.data = clean_text(field.data if isinstance(field.data, str) else "")
        if not field.data:
            raise ValidationError(_l("Write an e-mail address."))
        if normalise_email(field.data) is None:
            raise ValidationError(_l("Check the e-mail address, for example hr@example.ru."))

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError(_l("Without your consent we cannot store the form. Tick the box."))

    def validate_publish(self, field):
        if not field.data:
            raise ValidationError(_l("The directory is public: tick the box to agree that the card is "
                                     "published."))

    def values(self):
        """The sign-up as plain values for `store_signup`."""
        return dict(key=self.idempotency(), company=self.company.data, inn=self.inn.data,
                    contact_name=self.contact_name.data, phone=self.phone.data, email=self.email.data,
                    card=self.card_values())


class EmployerCardForm(CardFields):
    """The staff editor: the card fields plus the name shown on the card."""

    name = StringField(_l("Name on the card"))

    def validate_name(self, field):
        _text(field, "name", _l("Write the name of the company."))

    def values(self):
        """The card columns for `update_card`."""
        return {"name": self.name.data, **self.card_values()}


class DirectoryFilterForm(FlaskForm):
    """The directory's filters, read from the query string: a GET form, no CSRF; unknown values mean «any»."""

    class Meta:
        csrf = False

    district = SelectField(_l("District"), choices=choices({"": _l("Any district"), **DISTRICTS}),
                           default="", validate_choice=False)
    industry = SelectField(_l("Industry"), choices=choices({"": _l("Any industry"), **INDUSTRIES}),
                           default="", validate_choice=False)
    housing = BooleanField(_l("With housing"))
    training = BooleanField(_l("With training"))
    no_experience = BooleanField(_l("No experience needed"))

    def filters(self):
        """The chosen filters as keyword arguments of employers.public_query."""
        return {
            "district": self.district.data if self.district.data in DISTRICTS else None,
            "industry": self.industry.data if self.industry.data in INDUSTRIES else None,
            "housing": bool(self.housing.data),
            "training": bool(self.training.data),
            "no_experience": bool(self.no_experience.data),
        }

    def any_chosen(self):
        return any(self.filters().values())
