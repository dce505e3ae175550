"""What the confirmation page (and its printed slip) promises: by which working day the centre answers, how,
and what to bring when the person comes in. Plain functions over stored values."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from portal.apply.applications import CONTACT_METHODS
from portal.clock import local_date
from portal.working_days import add_working_days

# What to take to the centre: the list of the guide «Список документов» (dokumenty/spisok-dokumentov), which
# follows /work/shared/facts (УИК РФ ст. 173: what the colony hands out on release). The current list
# under 565-ФЗ is not known, so the page says to check with the centre.
DOCUMENTS_TO_BRING = (
    _l("your passport"),
    _l("the certificate of release"),
    _l("the documents about your work in the colony"),
    _l("your work record book, if you have one"),
    _l("a diploma, school certificate or trade certificate, if you have one"),
)
DOCUMENTS_GUIDE = "dokumenty/spisok-dokumentov"


def contact_due_date(created_at, contact_from, answer_days, working_calendar):
    """The last working day by which the centre contacts the person: `answer_days` working days after the
    Chelyabinsk day the request arrived, or after the day before «не раньше» when the person gave one."""
    start = local_date(created_at)
    if contact_from is not None and contact_from - timedelta(days=1) > start:
        start = contact_from - timedelta(days=1)
    return add_working_days(start, answer_days, working_calendar)


def masked_contact(method, value):
    """The contact repeated so the person recognises it, without putting it whole on a page reached by a
    link: «+7 912 ***-**-89», «@se***»."""
    if not value:
        return ""
    if value.startswith("+7") and len(value) == 12:
        return f"+7 {value[2:5]} ***-**-{value[-2:]}"
    return value[:3] + "***"


@dataclass(frozen=True)
class NextSteps:
    reference: str
    due: date
    method: str           # a code of CONTACT_METHODS
    method_label: str
    contact: str          # masked
    contact_from: date | None
    comes_in_person: bool


def next_steps(application, answer_days, working_calendar):
    method = application.contact_method or ""
    return NextSteps(
        reference=application.reference,
        due=contact_due_date(application.created_at, application.contact_from, answer_days, working_calendar),
        method=method,
        method_label=str(CONTACT_METHODS.get(method, "")),
        contact=masked_contact(method, application.contact_value),
        contact_from=application.contact_from,
        comes_in_person=method == "in_person",
    )
