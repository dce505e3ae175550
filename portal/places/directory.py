"""The places directory's rules: kinds and needs, what is public, what is stale, the centre's contacts,
and the staff changes (each one audited). Plain functions over values and the Place model."""
import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.audit import record
from portal.clock import now_local, today_local
from portal.database import StorageUnavailable
from portal.extensions import db
from portal.places import hours
from portal.places.models import WEEKDAY_COLUMNS, Place
from portal.text import DISTRICTS

KINDS = {
    "centre": _l("Employment centre office"),
    "probation": _l("Probation inspection (УИИ)"),
    "mfc": _l("МФЦ (public services centre)"),
    "passport": _l("Passport and migration office"),
    "shelter": _l("Shelter or night stay"),
    "adaptation": _l("Social adaptation centre"),
    "legal_aid": _l("Free legal aid"),
    "medical": _l("Medical or addiction service"),
    "ngo": _l("Non-profit organisation"),
}

# The needs the public page is ordered by, each with the kinds of place that meet it (a kind may meet two).
NEEDS = {
    "nochleg": (_l("Somewhere to sleep tonight"), ("shelter", "adaptation")),
    "uchet": (_l("Register with the employment centre"), ("centre",)),
    "probaciya": (_l("Probation"), ("probation",)),
    "dokumenty": (_l("Documents"), ("passport", "mfc", "adaptation")),
    "yurist": (_l("A lawyer"), ("legal_aid",)),
    "zdorove": (_l("Health"), ("medical",)),
    "pomosch": (_l("Other help"), ("ngo",)),
}
URGENT_NEEDS = ("nochleg", "uchet")  # shown on the page that found nothing

EDITABLE_COLUMNS = ("kind", "name", "district", "address", "directions", "phones", *WEEKDAY_COLUMNS,
                    "hours_note", "what_to_bring", "serves", "note", "is_main")
DEMO_PREFIX = "Пример: "
PHONE_RE = re.compile(r"^\s*(\+?[0-9][0-9 ()\-]{4,22}[0-9])\s*(?:[—–,:-]\s*)?(.*)$")


def stale_days():
    return int(current_app.config["PLACES_STALE_DAYS"])


def is_stale(place, on=None):
    """True when the centre has not confirmed the place within PLACES_STALE_DAYS (or never)."""
    day = on or today_local()
    return place.confirmed_on is None or place.confirmed_on < day - timedelta(days=stale_days())


def public_query(district=None, kinds=None):
    query = select(Place).where(Place.hidden.is_(False))
    if district:
        query = query.where(Place.district == district)
    if kinds:
        query = query.where(Place.kind.in_(kinds))
    return query.order_by(Place.is_demo, Place.name, Place.id)


def public_places(district=None, kinds=None):
    return db.session.execute(public_query(district, kinds)).scalars().all()


def public_place(place_id):
    """The place if it exists and is not hidden, else None."""
    place = db.session.get(Place, place_id)
    return place if place is not None and not place.hidden else None


def places_by_need(district=None, need=None):
    """[(need code, title, places)] in NEEDS order; one need only when `need` is one of them."""
    places = public_places(district)
    groups = []
    for code, (title, kinds) in NEEDS.items():
        if need and need != code:
            continue
        groups.append((code, title, [p for p in places if p.kind in kinds]))
    return groups


def places_of_kind(kind):
    """The public places of a kind; none when the database cannot answer (an error page must still render)."""
    try:
        return public_places(kinds=[kind])
    except (SQLAlchemyError, StorageUnavailable):  # a missing or locked database: «no place entered yet»
        db.session.rollback()
        return []


def kind_label(kind):
    return KINDS.get(kind, kind)


def district_label(code):
    return DISTRICTS.get(code, code) if code else None


def week_of(place):
    """The place's seven days as intervals; a day that cannot be read counts as unknown (closed)."""
    days = []
    for text in place.weekly_hours():
        try:
            days.append(hours.parse_day(text))
        except hours.HoursError:
            days.append(())
    return tuple(days)


def open_status(place, moment=None):
    """«Открыто сейчас, до 18:00.» for the place at `moment` (default: now in Chelyabinsk)."""
    return hours.describe(hours.status_at(week_of(place), moment or now_local()))


def hours_rows(place, moment=None):
    return hours.week_rows(week_of(place), (moment or now_local()).weekday())


def hours_summary(place):
    """The week in one line for the help box and paper: «пн: 9:00–18:00; …» compressed to ranges of days."""
    week = week_of(place)
    if not any(week):
        return ""
    short = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
    parts, start = [], 0
    for i in range(1, 8):
        if i == 7 or week[i] != week[start]:
            if week[start]:
                days = short[start] if i - 1 == start else f"{short[start]}–{short[i - 1]}"
                parts.append(f"{days} {hours.day_text(week[start])}")
            start = i
    return "; ".join(parts)


@dataclass(frozen=True)
class Phone:
    shown: str
    tel: str
    label: str


def phone_list(text):
    """Phones of a place, one per line («+7 351 000-00-00 — регистратура»), each with a dialable tel: value.

    A line that holds no number is kept as plain text (label only), never turned into a link."""
    phones = []
    for line in str(text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = PHONE_RE.match(line)
        if not match:
            phones.append(Phone(shown="", tel="", label=line))
            continue
        digits = re.sub(r"\D", "", match[1])
        if len(digits) == 11 and digits[0] == "8":
            digits = "7" + digits[1:]
        tel = ("+" + digits) if len(digits) == 11 else digits
        phones.append(Phone(shown=match[1].strip(), tel=tel, label=match[2].strip()))
    return phones


@dataclass(frozen=True)
class Contacts:
    """How to reach the centre: from its main office in the directory, else the PORTAL_CENTRE_* settings."""

    name: str
    phone: str
    tel: str
    address: str
    hours: str
    email: str
    place_id: int | None = None

    @property
    def known(self):
        return bool(self.phone or self.address)


def _tel(phone):
    found = phone_list(phone)
    return found[0].tel if found and found[0].tel else ""


def centre_contacts():
    """The centre's contacts for the help box, the confirmation page, the leaflet and the printed plan."""
    config = current_app.config
    place = None
    try:
        place = db.session.execute(
            select(Place).where(Place.hidden.is_(False), Place.kind == "centre")
            .order_by(Place.is_main.desc(), Place.is_demo, Place.id).limit(1)).scalar_one_or_none()
    except Exception:  # a fresh database before `flask db upgrade`: the settings still answer
        db.session.rollback()
    if place is not None:
        phones = phone_list(place.phones)
        first = next((p for p in phones if p.tel), None)
        return Contacts(name=place.name, phone=first.shown if first else "", tel=first.tel if first else "",
                        address=place.address, hours=hours_summary(place), email=config.get("CENTRE_EMAIL") or "",
                        place_id=place.id)
    phone = str(config.get("CENTRE_PHONE") or "")
    return Contacts(name=str(config.get("CENTRE_NAME") or ""), phone=phone, tel=_tel(phone),
                    address=str(config.get("CENTRE_ADDRESS") or ""), hours=str(config.get("CENTRE_HOURS") or ""),
                    email=str(config.get("CENTRE_EMAIL") or ""))


# ---------------------------------------------------------------- staff changes (each audited)

def stale_places(on=None):
    """Public places the centre should re-check, oldest confirmation first."""
    places = [p for p in db.session.execute(select(Place).where(Place.hidden.is_(False))).scalars()
              if is_stale(p, on)]
    return sorted(places, key=lambda p: (p.confirmed_on is not None, p.confirmed_on or today_local(), p.id))


def staff_groups(on=None):
    places = db.session.execute(select(Place).order_by(Place.kind, Place.name, Place.id)).scalars().all()
    groups = {"stale": [], "current": [], "hidden": []}
    for place in places:
        key = "hidden" if place.hidden else ("stale" if is_stale(place, on) else "current")
        groups[key].append(place)
    return groups


def _apply(place, values):
    changed = [column for column in EDITABLE_COLUMNS if column in values and getattr(place, column) != values[column]]
    for column in changed:
        setattr(place, column, values[column])
    return changed


def create_place(values, staff, confirm=True):
    """A new place from validated values; confirmed today by `staff` unless told otherwise."""
    place = Place(hidden=False, is_demo=False, is_main=False)
    _apply(place, values)
    if confirm:
        place.confirmed_on = today_local()
        place.confirmed_by = _staff_name(staff)
    db.session.add(place)
    db.session.flush()
    record(staff, "place_created", "place", place.id, f"kind={place.kind}")
    return place


def update_place(place, values, staff):
    """Store changed fields; returns the names changed (the audit line names fields, not their values)."""
    changed = _apply(place, values)
    if changed:
        record(staff, "place_edited", "place", place.id, "fields=" + ",".join(changed))
    return changed


def confirm_place(place, staff, on=None):
    place.confirmed_on = on or today_local()
    place.confirmed_by = _staff_name(staff)
    record(staff, "place_confirmed", "place", place.id, place.confirmed_on.isoformat())


def set_hidden(place, hidden, staff):
    place.hidden = bool(hidden)
    record(staff, "place_hidden" if hidden else "place_shown", "place", place.id)


def _staff_name(staff):
    from portal.audit import actor_name
    return actor_name(staff)


# ---------------------------------------------------------------- checking what staff or a file give

TEXT_LIMITS = {"name": 200, "address": 300, "directions": 500, "phones": 300, "hours_note": 300,
               "what_to_bring": 2000, "serves": 500, "note": 2000}
REQUIRED = ("kind", "name", "address")
FIELD_LABELS = {
    "kind": _l("Kind of place"), "name": _l("Name"), "district": _l("District"), "address": _l("Address"),
    "directions": _l("How to get there"), "phones": _l("Phones"), "hours_mon": hours.WEEKDAYS[0],
    "hours_tue": hours.WEEKDAYS[1], "hours_wed": hours.WEEKDAYS[2], "hours_thu": hours.WEEKDAYS[3],
    "hours_fri": hours.WEEKDAYS[4], "hours_sat": hours.WEEKDAYS[5], "hours_sun": hours.WEEKDAYS[6],
    "hours_note": _l("About the hours"), "what_to_bring": _l("What to bring"), "serves": _l("Who it serves"),
    "note": _l("Note"), "is_main": _l("The centre's main office"),
}
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "да", "+", "on"})


def clean_values(raw):
    """(values, errors) from a form's or a file row's raw strings; errors map a column to a message.

    The same checks serve the staff form and `flask places import`, so a file can hold nothing the desk
    would refuse."""
    from portal.text import clean_text

    values, errors = {}, {}
    for column in ("name", "address", "directions", "phones", "hours_note", "what_to_bring", "serves", "note"):
        text = clean_text(str(raw.get(column) or ""))
        if len(text) > TEXT_LIMITS[column]:
            errors[column] = _l("Too long: %(limit)d characters at most.", limit=TEXT_LIMITS[column])
        values[column] = text or None
    kind = str(raw.get("kind") or "").strip()
    if kind not in KINDS:
        errors["kind"] = _l("Choose the kind of place.")
    values["kind"] = kind
    district = str(raw.get("district") or "").strip()
    if district and district not in DISTRICTS:
        errors["district"] = _l("Choose a district from the list.")
    values["district"] = district or None
    for column in WEEKDAY_COLUMNS:
        text = clean_text(str(raw.get(column) or ""))
        try:
            values[column] = hours.normalise_day(text) or None
        except hours.HoursError as error:
            errors[column] = error.message
            values[column] = text
    flag = raw.get("is_main")
    values["is_main"] = flag if isinstance(flag, bool) else str(flag or "").strip().lower() in TRUE_WORDS
    for column in REQUIRED:
        if not values.get(column) and column not in errors:
            errors[column] = _l("Please fill this in.")
    return values, errors
