"""The staff form for a place. Its checks are `directory.clean_values`, shared with the file import."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from portal.places.directory import FIELD_LABELS, KINDS, clean_values
from portal.places.models import WEEKDAY_COLUMNS
from portal.public_forms import choices
from portal.text import DISTRICTS

HOURS_HINT = _l("For example 9:00-18:00; with a lunch break 9:00-13:00, 14:00-18:00; «круглосуточно»; "
                "empty for a day off.")


class PlaceForm(FlaskForm):
    kind = SelectField(FIELD_LABELS["kind"], choices=choices({"": _l("Choose the kind"), **KINDS}), default="",
                       validate_choice=False)
    name = StringField(FIELD_LABELS["name"])
    district = SelectField(FIELD_LABELS["district"],
                           choices=choices({"": _l("Not in one district"), **DISTRICTS}), default="",
                           validate_choice=False)
    address = StringField(FIELD_LABELS["address"], description=_l("Street, house, entrance, floor, room."))
    directions = TextAreaField(FIELD_LABELS["directions"],
                               description=_l("A landmark and the bus or tram stop."))
    phones = TextAreaField(FIELD_LABELS["phones"],
                           description=_l("One per line, then what it is: «+7 351 000-00-00 — reception»."))
    hours_mon = StringField(FIELD_LABELS["hours_mon"], description=HOURS_HINT)
    hours_tue = StringField(FIELD_LABELS["hours_tue"])
    hours_wed = StringField(FIELD_LABELS["hours_wed"])
    hours_thu = StringField(FIELD_LABELS["hours_thu"])
    hours_fri = StringField(FIELD_LABELS["hours_fri"])
    hours_sat = StringField(FIELD_LABELS["hours_sat"])
    hours_sun = StringField(FIELD_LABELS["hours_sun"])
    hours_note = StringField(FIELD_LABELS["hours_note"],
                             description=_l("For example: «appointments only», «closed on the last Friday»."))
    what_to_bring = TextAreaField(FIELD_LABELS["what_to_bring"])
    serves = TextAreaField(FIELD_LABELS["serves"])
    note = TextAreaField(FIELD_LABELS["note"])
    is_main = BooleanField(FIELD_LABELS["is_main"],
                           description=_l("Its phone, address and hours appear in the help box on every page."))

    def validate(self, extra_validators=None):
        """CSRF and field types first, then the shared checks; each problem lands on its field."""
        ok = super().validate(extra_validators)
        values, errors = clean_values({name: self[name].data for name in self.value_names()})
        for name, message in errors.items():
            self[name].errors = [*self[name].errors, message]
        self.values = values
        return ok and not errors

    @staticmethod
    def value_names():
        return ("kind", "name", "district", "address", "directions", "phones", *WEEKDAY_COLUMNS, "hours_note",
                "what_to_bring", "serves", "note", "is_main")
