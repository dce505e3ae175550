"""The staff desk's plain functions: the filtered list, status changes, notes and the CSV export."""


from flask_babel import force_locale, format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, literal, select

from portal.apply import subjects
from portal.apply.applications import (
    APPLICANTS,
    CLOSED_STATUSES,
    CONTACT_METHODS,
    CONVENIENT_TIMES,
    HELP_KINDS,
    STATUSES,
)
from portal.apply.confirmation import contact_due_date
from portal.apply.models import Application, ApplicationNote
from portal.audit import record
from portal.clock import local_date
from portal.exports import csv_text
from portal.extensions import db
from portal.feedback import survey
from portal.text import DISTRICTS, clean_text
from portal.working_days import working_days_between

NOTE_MAX = 2000  # characters
# Unanswered requests first, then those in progress, then closed ones; newest first within each group.
STATUS_ORDER = {"new": 0, "in_progress": 1, "unreachable": 2, "done": 3}
# A cell starting with one of these is a formula to Excel and LibreOffice (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"  # what Excel with Russian regional settings expects (the list separator there is «;»)
# The desk's «kind» filter: officers' referrals come soonest release first, so the centre calls on time.
CONSENT_TITLES = {"application": _l("Consent of the application form"),
                  "referral": _l("Consent of an officer's referral")}
REQUEST_KINDS = {"referral": _l("Officers' referrals, by release date")}


def desk_query(status=None, help_code=None, kind=None):
    """Requests for the desk, optionally of one status, needing one kind of help, or only officers' referrals
    (then by release date, soonest first), in desk order."""
    query = select(Application)
    if status in STATUSES:
        query = query.where(Application.status == status)
    if help_code in HELP_KINDS:
        # help_needed is «job,housing»: wrap it in commas so «job» never matches inside another code.
        query = query.where(
            (literal(",") + Application.help_needed + literal(",")).contains(f",{help_code},")
        )
    order = case(STATUS_ORDER, value=Application.status, else_=len(STATUS_ORDER))
    if kind == "referral":
        query = query.where(Application.release_date.is_not(None))
        return query.order_by(order, Application.release_date, Application.id)
    return query.order_by(order, Application.created_at.desc(), Application.id.desc())


def waiting(application, today, answer_days, working_calendar):
    """(working days the request has waited, overdue?) — overdue when still «new» after the promised day."""
    if application.status != "new":
        return None, False
    waited = working_days_between(local_date(application.created_at), today, working_calendar)
    due = contact_due_date(application.created_at, application.contact_from, answer_days, working_calendar)
    return waited, due < today


def contact_action(method, value):
    """(link, text) that opens the person's chosen channel from the list, or None when there is no safe link.
    MAX has no public link format for a phone number that we could source, so MAX gets a tel: link."""
    if not value:
        return None
    phone = value if value.startswith("+7") and len(value) == 12 and value[1:].isdigit() else None
    if method in ("phone", "max") and phone:
        return f"tel:{phone}", value
    if method == "whatsapp" and phone:
        return f"https://wa.me/{phone[1:]}", value
    if method == "telegram":
        if phone:
            return f"https://t.me/{phone}", value
        handle = value.lstrip("@")
        if handle.replace("_", "").isalnum():
            return f"https://t.me/{handle}", value
    if method == "vk" and value.replace("_", "").replace(".", "").isalnum():
        return f"https://vk.com/{value}", value
    return None


def consent_title(application):
    """The consent a request was sent with, by name: «Согласие … (заявка), текущая редакция» or an older one."""
    from portal.consent import consent_version

    kind = "referral" if application.release_date is not None else "application"
    title = CONSENT_TITLES[kind]
    if application.consent_version == consent_version(kind=kind):
        return _l("%(title)s, current text", title=title)
    return _l("%(title)s, an earlier text (code %(code)s)", title=title, code=(application.consent_version or "")[:12])


def label(choices, code):
    """The human label of a stored code; an unknown code is shown as it is (escaped by the template)."""
    return str(choices[code]) if code in choices else (code or "")


def help_labels(application):
    return [label(HELP_KINDS, code) for code in application.help_codes]


def change_status(application, new_status, staff, moment):
    """Set a new status; closing stamps closed_at (the retention clock), reopening clears it."""
    if new_status not in STATUSES:
        raise ValueError("unknown status")
    old = application.status
    if new_status == old:
        return False
    application.status = new_status
    application.status_changed_at = moment
    if new_status in CLOSED_STATUSES:
        if application.closed_at is None or old not in CLOSED_STATUSES:
            application.closed_at = moment
    else:
        application.closed_at = None
    record(staff, "status_changed", "application", application.id, f"{old}->{new_status}")
    return True


SURVEY_STATUS = "done"  # only a request the centre actually served gets the survey link, not «could not reach»


def offer_survey(application, chosen, staff):
    """A single-use survey link's token for a request just marked done (shown once, never stored).

    The invitation keeps only the token's hash, how the person was served and the month; the audit says
    that a link was offered for this request, without the token, so the two cannot be joined."""
    token = survey.create_invitation(survey.served_via_for(application.contact_method, chosen))
    record(staff, "survey_offered", "application", application.id)
    return token


def assign(application, colleague, staff):
    """Hand the request to a colleague (None: to nobody); the audit names the colleague's username."""
    new_id = colleague.id if colleague is not None else None
    if application.assigned_staff_id == new_id:
        return False
    application.assigned_staff_id = new_id
    record(staff, "assigned", "application", application.id, f"to={colleague.username if colleague else '-'}")
    return True


def clean_note(text):
    return clean_text(text or "")


def add_note(application, text, staff, moment):
    note = ApplicationNote(
        application_id=application.id, staff_id=staff.id, created_at=moment, text=clean_note(text)
    )
    db.session.add(note)
    # The note's text is personal data about the person: the audit says only that a note was added.
    record(staff, "note_added", "application", application.id)
    return note


def _local(moment):
    return format_datetime(moment, "dd.MM.yyyy HH:mm") if moment else ""


EXPORT_HEADER = [
    _l("Reference"),
    _l("Received"),
    _l("Status"),
    _l("Who is asking"),
    _l("Help needed"),
    _l("Name"),
    _l("Contact method"),
    _l("Contact"),
    _l("Convenient time"),
    _l("Contact from"),
    _l("District"),
    _l("Comment"),
    _l("Asks about"),
    _l("Link"),
    _l("Closed"),
    _l("Personal data deleted"),
]


def about(application):
    """«Вакансия: Сварщик — ООО …»: what the request asks about, when it was sent from a vacancy or a card."""
    if not application.about_title:
        return ""
    return f"{subjects.label(application.about_kind)}: {application.about_title}"


def about_link(application):
    """The subject's link, only when it is ours or https (a copy from the API is not trusted blindly)."""
    url = application.about_url or ""
    return url if url.startswith(("https://", "/")) and not url.startswith("//") else None


def export_csv(applications):
    """The requests as a spreadsheet for staff (see csv_text)."""
    rows = []
    with force_locale("ru"):
        header = [str(title) for title in EXPORT_HEADER]
        for a in applications:
            row = [
                a.reference,
                _local(a.created_at),
                label(STATUSES, a.status),
                label(APPLICANTS, a.applicant),
                ", ".join(help_labels(a)),
                a.name,
                label(CONTACT_METHODS, a.contact_method),
                a.contact_value,
                label(CONVENIENT_TIMES, a.convenient_time),
                a.contact_from.strftime("%d.%m.%Y") if a.contact_from else "",
                label(DISTRICTS, a.district),
                a.comment,
                about(a),
                a.about_url,
                _local(a.closed_at),
                _local(a.purged_at),
            ]
            rows.append(row)
    return csv_text(header, rows)
