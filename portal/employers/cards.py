"""Friendly employers: the cards of /rabotodateli, the sign-up, staff review and reports (the search hook is
search.py, `flask demo|employers` cli.py).

A card is public only while `status == "confirmed"` and the centre confirmed it within
EMPLOYER_CONFIRMATION_MONTHS (6); older confirmed cards are "stale": hidden from the public and flagged
to staff until someone confirms them again. A sign-up always starts as "pending".

The representative's contacts (EmployerSignup) are personal data: staff-only, and erased by
`flask employers purge` once the card has been hidden for EMPLOYER_CONTACT_RETENTION_DAYS. Reports of
«информация устарела» are a count per card and day, nothing about the visitor.

Employers from the centre's job fairs (facts-ru.md, section 5) are never loaded as data: staff see them
only as a list of whom to invite (INVITE_FIRST).
"""
import logging
import re
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.audit import record
from portal.clock import now_utc, today_local
from portal.database import storage_guard
from portal.employers.models import Employer, EmployerReport, EmployerSignup
from portal.extensions import db
from portal.text import DISTRICTS, clean_text, is_plain_email, normalise_phone

log = logging.getLogger("portal.employers.cards")

STATUSES = {
    "pending": _l("Waiting for review"),
    "confirmed": _l("Published"),
    "hidden": _l("Hidden"),
}
INDUSTRIES = {
    "construction": _l("Construction"),
    "manufacturing": _l("Factory and production"),
    "metalwork": _l("Metalwork and welding"),
    "warehouse": _l("Warehouse and logistics"),
    "transport": _l("Transport and drivers"),
    "food": _l("Food production"),
    "trade": _l("Shops and trade"),
    "catering": _l("Cafés and canteens"),
    "utilities": _l("Cleaning, repairs, housing services"),
    "agriculture": _l("Farming"),
    "other": _l("Other"),
}
SCHEDULES = {
    "day": _l("Day shifts, five days a week"),
    "shifts": _l("Shifts (for example, 2 days on, 2 off)"),
    "rotation": _l("Rotation work away from home (вахта)"),
    "part_time": _l("Part-time"),
    "flexible": _l("By agreement"),
}
# When the employer asks about a criminal record; the wording a job-seeker needs to plan the talk.
RECORD_STAGES = {
    "never": _l("Does not ask"),
    "law_only": _l("Only where the law requires a certificate for the job"),
    "after_interview": _l("After the interview, when offering the job"),
    "at_interview": _l("At the interview"),
    "in_application": _l("In the application form"),
}
HOW_TO_APPLY = {
    "centre": _l("Through the employment centre"),
    "direct": _l("Directly to the employer"),
}
# The form's «what do you offer» checkboxes and the card's boolean columns they set.
OFFERS = {
    "housing": _l("Housing or a hostel"),
    "transport": _l("Transport to work"),
    "training": _l("Training on the job"),
    "no_experience": _l("Experience not needed"),
}
OFFER_COLUMNS = {"housing": "housing", "transport": "transport", "training": "training",
                 "no_experience": "no_experience_ok"}

# Card columns staff may edit, in the order of the form; the audit names changed columns, never values.
CARD_COLUMNS = ("name", "district", "industry", "kinds_of_work", "schedule", "pay_range", "housing",
                "transport", "training", "no_experience_ok", "cannot_accept", "asks_about_record_at",
                "how_to_apply", "apply_contact")
TEXT_LIMITS = {"name": 120, "company": 120, "kinds_of_work": 500, "pay_range": 100, "cannot_accept": 300,
               "apply_contact": 200, "contact_name": 100, "email": 254}
PERSONAL_COLUMNS = ("inn", "contact_name", "phone", "email")
# How the card's history reads to staff (audit actions of object_type "employer").
ACTION_LABELS = {
    "employer_confirmed": _l("confirmed the card"),
    "employer_hidden": _l("hid the card"),
    "employer_edited": _l("edited the card"),
    "employer_viewed": _l("opened the card with the contacts"),
}

# Employers that took part in the centre's job fairs in ИК-8 (facts-ru.md, section 5, reliability
# «средняя»). Their readiness to hire people after release is NOT confirmed: staff invite them to sign
# up; they are never loaded into the database or shown to the public.
INVITE_FIRST = (
    ("ООО «ЖБИ-Восток»", "https://29ru.net/chelyabinsk/414963580"),
    ("ООО «Трест Магнитострой»", "https://29ru.net/chelyabinsk/414963580"),
    ("ПАО «Челябинский металлургический комбинат»", "https://tregion.info/?p=79634"),
    ("ООО «Авто-стиль»", "https://tregion.info/?p=79634"),
)

DEMO_PREFIX = "Пример:"
INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


# ---------------------------------------------------------------- checks

def _inn_digit(digits, weights):
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_is_valid(value):
    """The ФНС checksum: 10 digits (organisation), one control digit; 12 (sole trader, person), two."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return False
    if len(value) == 10:
        return _inn_digit(value, INN10_WEIGHTS) == int(value[9])
    if len(value) == 12:
        return (_inn_digit(value, INN11_WEIGHTS) == int(value[10])
                and _inn_digit(value, INN12_WEIGHTS) == int(value[11]))
    return False


def normalise_inn(value):
    """Digits only (spaces and dashes people type are dropped); None when it is not a valid INN."""
    digits = re.sub(r"[\s-]", "", clean_text(value))
    return digits if inn_is_valid(digits) else None


def normalise_email(value):
    """A plausible e-mail address, lower-cased domain; None when it is not one."""
    value = clean_text(value)
    if len(value) > TEXT_LIMITS["email"] or not is_plain_email(value):
        return None
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


# ---------------------------------------------------------------- dates


def months_before(day, months):
    """The same day `months` calendar months earlier (31 March − 1 month = 28/29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - date.resolution).day
    return date(year, month, min(day.day, last_day))


def months_after(day, months):
    return months_before(day, -months)


def confirmation_months():
    return int(current_app.config["EMPLOYER_CONFIRMATION_MONTHS"])


def fresh_since(on=None):
    """Cards confirmed on or after this date are public."""
    return months_before(on or today_local(), confirmation_months())


def is_public(card, on=None):
    return (card.status == "confirmed" and card.confirmed_at is not None
            and card.confirmed_at >= fresh_since(on))


def is_stale(card, on=None):
    """Confirmed once, but too long ago: hidden from the public and flagged to staff."""
    return card.status == "confirmed" and not is_public(card, on)


def public_until(card):
    return months_after(card.confirmed_at, confirmation_months()) if card.confirmed_at else None


# ---------------------------------------------------------------- the public directory

def public_query(on=None, district=None, industry=None, housing=False, training=False, no_experience=False):
    """Public cards, optionally narrowed by the directory's filters (unknown codes are ignored)."""
    query = select(Employer).where(Employer.status == "confirmed", Employer.confirmed_at >= fresh_since(on))
    if district in DISTRICTS:
        query = query.where(Employer.district == district)
    if industry in INDUSTRIES:
        query = query.where(Employer.industry == industry)
    if housing:
        query = query.where(Employer.housing.is_(True))
    if training:
        query = query.where(Employer.training.is_(True))
    if no_experience:
        query = query.where(Employer.no_experience_ok.is_(True))
    return query


def public_cards(**filters):
    cards = db.session.execute(public_query(**filters)).scalars().all()
    return sorted(cards, key=lambda card: (card.name.casefold(), card.id))


def public_count():
    return db.session.execute(select(func.count()).select_from(public_query().subquery())).scalar_one()


def label(choices, code):
    return str(choices[code]) if code in choices else (code or "")


def offers_of(card):
    """The labels of what the card offers, in the form's order."""
    return [str(text) for code, text in OFFERS.items() if getattr(card, OFFER_COLUMNS[code])]


# ---------------------------------------------------------------- sign-up

def store_signup(key, company, inn, contact_name, phone, email, card, consent_version, now=None):
    """Store a sign-up and its pending card whole; returns (signup, created). `card` holds the card columns
    (EmployerSignupForm.values()). A repeated idempotency key returns the sign-up stored the first time.
    Raises StorageUnavailable when the database cannot take it."""
    now = now or now_utc()
    with storage_guard():
        by_key = select(EmployerSignup).filter_by(idempotency_key=key)
        existing = db.session.execute(by_key).scalar_one_or_none()
        if existing is not None:
            return existing, False
        card = Employer(name=company, status="pending", created_at=now, updated_at=now, **card)
        signup = EmployerSignup(employer=card, idempotency_key=key, created_at=now,
                                consent_version=consent_version, consented_at=now, company=company,
                                inn=normalise_inn(inn), contact_name=contact_name, phone=normalise_phone(phone),
                                email=normalise_email(email))
        db.session.add_all([card, signup])
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # a double tap stored the same key a moment ago
            existing = db.session.execute(by_key).scalar_one()
            return existing, False
        return signup, True


# ---------------------------------------------------------------- «информация устарела»

def report_outdated(card_id, on=None):
    """Count one anonymous report on a public card for today; False when the card is not public."""
    card = db.session.get(Employer, card_id)
    if card is None or not is_public(card, on):
        return False
    day = on or today_local()
    for _attempt in range(3):
        row = db.session.execute(
            select(EmployerReport).filter_by(employer_id=card.id, day=day)).scalar_one_or_none()
        if row is None:
            db.session.add(EmployerReport(employer_id=card.id, day=day, count=1))
        else:
            row.count += 1
        try:
            db.session.commit()
            return True
        except IntegrityError:
            db.session.rollback()  # two taps on the same card created the day's row at once: add to it
    return False


def reports_since(card_ids, since_by_id):
    """{card id: reports since its last confirmation (or ever)}."""
    if not card_ids:
        return {}
    rows = db.session.execute(
        select(EmployerReport).where(EmployerReport.employer_id.in_(card_ids))).scalars()
    counts = dict.fromkeys(card_ids, 0)
    for row in rows:
        since = since_by_id.get(row.employer_id)
        if since is None or row.day >= since:
            counts[row.employer_id] += row.count
    return counts


def reports_of(card):
    return db.session.execute(select(EmployerReport).filter_by(employer_id=card.id)
                              .order_by(EmployerReport.day.desc())).scalars().all()


# ---------------------------------------------------------------- staff

def staff_groups(on=None):
    """The staff list: new sign-ups, stale cards to re-confirm, published ones and hidden ones."""
    newest_first = select(Employer).order_by(Employer.created_at.desc(), Employer.id.desc())
    cards = db.session.execute(newest_first).scalars().all()
    groups = {"pending": [], "stale": [], "confirmed": [], "hidden": []}
    for card in cards:
        if card.status == "confirmed":
            groups["stale" if is_stale(card, on) else "confirmed"].append(card)
        else:
            groups.setdefault(card.status, []).append(card)
    return groups


def update_card(card, values, staff):
    """Save the card columns of the staff form (EmployerCardForm.values()); audit which columns changed
    (names, never values)."""
    changed = [column for column in CARD_COLUMNS if getattr(card, column) != values[column]]
    for column in changed:
        setattr(card, column, values[column])
    if changed:
        card.updated_at = now_utc()
        record(staff, "employer_edited", "employer", card.id, "fields=" + ",".join(changed))
    return changed


def confirm_card(card, staff, on=None):
    """Publish (or re-confirm) a card: confirmed_at becomes today."""
    old = "stale" if is_stale(card, on) else card.status
    card.status = "confirmed"
    card.confirmed_at = on or today_local()
    card.status_changed_at = now_utc()
    record(staff, "employer_confirmed", "employer", card.id, f"{old}->confirmed")


def hide_card(card, staff):
    old = card.status
    card.status = "hidden"
    card.status_changed_at = now_utc()
    record(staff, "employer_hidden", "employer", card.id, f"{old}->hidden")

EXPORT_HEADER = [_l("Card"), _l("Status"), _l("Confirmed by the centre"), _l("Company"), _l("INN"),
                 _l("Contact person"), _l("Phone"), _l("E-mail"), _l("District"), _l("Industry"),
                 _l("Kinds of work"), _l("Schedule"), _l("Pay"), _l("What they offer"), _l("Cannot accept"),
                 _l("Asks about a record"), _l("How to apply"), _l("Contact for applicants"),
                 _l("Reports «outdated»"), _l("Example card")]


def export_rows(cards, on=None):
    """One row per card for the staff CSV (contacts included: staff-only, and the export is audited)."""
    counts = reports_since([c.id for c in cards], {c.id: c.confirmed_at for c in cards})
    with force_locale("ru"):
        header = [str(title) for title in EXPORT_HEADER]
        rows = []
        for card in cards:
            signup = card.signup
            status = _l("Needs re-confirmation") if is_stale(card, on) else STATUSES.get(card.status)
            contacts = ([signup.company, signup.inn, signup.contact_name, signup.phone, signup.email]
                        if signup else ["", "", "", "", ""])
            rows.append([
                card.name, str(status or card.status),
                card.confirmed_at.strftime("%d.%m.%Y") if card.confirmed_at else "", *contacts,
                label(DISTRICTS, card.district), label(INDUSTRIES, card.industry), card.kinds_of_work,
                label(SCHEDULES, card.schedule), card.pay_range, ", ".join(offers_of(card)),
                card.cannot_accept,
                label(RECORD_STAGES, card.asks_about_record_at), label(HOW_TO_APPLY, card.how_to_apply),
                card.apply_contact, counts.get(card.id, 0), str(_l("yes")) if card.is_demo else "",
            ])
    return header, rows


# ---------------------------------------------------------------- retention

def purge_contacts(days, actor="system", now=None):
    """Erase the representative's contacts of cards hidden more than `days` days ago; returns how many."""
    from datetime import timedelta
    if days < 0:
        raise ValueError("days must not be negative")
    moment = now or now_utc()
    due = db.session.execute(
        select(EmployerSignup).join(Employer).where(
            Employer.status == "hidden", Employer.status_changed_at < moment - timedelta(days=days),
            EmployerSignup.purged_at.is_(None))).scalars().all()
    for signup in due:
        for column in PERSONAL_COLUMNS:
            setattr(signup, column, None)
        signup.purged_at = moment
    record(actor, "employer_purge", detail=f"purged={len(due)}; days={days}")
    return len(due)
