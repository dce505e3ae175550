"""Applications ("заявки"): the choices the form offers, contact normalisation, storing a request whole."""
import re
import secrets

from flask_babel import lazy_gettext as _l

from portal.database import StorageUnavailable, storage_guard
from portal.text import clean_text, normalise_phone

APPLICANTS = {
    "self": _l("For myself"),
    "relative": _l("For a relative or friend"),
    "prison_staff": _l("As a prison-service officer"),
}
CONTACT_METHODS = {
    "phone": _l("Phone call or SMS"),
    "whatsapp": _l("WhatsApp"),
    "telegram": _l("Telegram"),
    "max": _l("MAX"),
    "vk": _l("VK (VKontakte)"),
    "in_person": _l("I will come in person"),
}
CONVENIENT_TIMES = {
    "any": _l("Any time"),
    "morning": _l("Morning, 9–12"),
    "afternoon": _l("Afternoon, 12–15"),
    "evening": _l("Late afternoon, 15–18"),
}
HELP_KINDS = {
    "benefit": _l("The unemployment benefit"),
    "job": _l("Finding a job"),
    "training": _l("Training, a new trade"),
    "cv_interview": _l("A CV and the job interview"),
    "documents": _l("Documents"),
    "housing": _l("Housing"),
    "other": _l("Something else"),
}
# Referrals by a prison-service officer (/zayavka/napravlenie). Only institutions named in the sourced facts
# (/work/shared/facts/facts-ru.md, sections 3 and 5: ИК-8 and ИК-18 of ГУФСИН по Челябинской области,
# СИЗО-1 in Chelyabinsk); any other is written as short free text.
INSTITUTIONS = {
    "ik8": "ИК-8 ГУФСИН России по Челябинской области",
    "ik18": "ИК-18 ГУФСИН России по Челябинской области",
    "sizo1": "СИЗО-1 ГУФСИН России по Челябинской области",
}
REACH_VIA = {
    "own_phone": _l("The person's own phone"),
    "relative_phone": _l("A relative's phone"),
    "inspection": _l("Through the probation inspection (УИИ)"),
}
STATUSES = {
    "new": _l("New"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "unreachable": _l("Could not reach"),
}
CLOSED_STATUSES = {"done", "unreachable"}

# An unambiguous alphabet for reference numbers read out over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
HANDLE_RE = re.compile(r"^@?[A-Za-z0-9_.]{3,64}$")


def new_reference():
    """A short reference like «К7F-3QX»: 6 characters, about 887 million possibilities."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"{code[:3]}-{code[3:]}"


def normalise_contact(method, value):
    """The contact in one stored form for its method, or None when it is not valid for that method."""
    value = clean_text(value)
    if method == "in_person":
        return ""
    if method in ("phone", "whatsapp", "max"):
        return normalise_phone(value)
    if method == "telegram":
        phone = normalise_phone(value)
        if phone:
            return phone
        handle = value.removeprefix("https://t.me/").removeprefix("t.me/")
        return "@" + handle.lstrip("@") if HANDLE_RE.match(handle) and len(handle.lstrip("@")) >= 5 else None
    if method == "vk":
        phone = normalise_phone(value)
        if phone:
            return phone
        handle = re.sub(r"^(https?://)?(m\.)?vk\.(com|ru)/", "", value)
        return handle.lstrip("@") if HANDLE_RE.match(handle) else None
    return None


def store_application(*, key, applicant, help_codes, name, contact_method, contact_value, convenient_time,
                      contact_from, district, comment, consent_version, about=None, now=None):
    """Store one request whole and return (application, created). A repeated idempotency key returns the
    request stored the first time. Raises StorageUnavailable when the database cannot take it."""
    return store_once(key, consent_version, now, dict(
        applicant=applicant, help_needed=",".join(help_codes), name=name, contact_method=contact_method,
        contact_value=normalise_contact(contact_method, contact_value) or None,
        convenient_time=convenient_time or None, contact_from=contact_from, district=district or None,
        comment=comment or None, **about_columns(about)))


def about_columns(subject):
    """The columns of what a request is about (a portal.apply.subjects.Subject), all empty without one."""
    if subject is None:
        return {}
    return dict(about_kind=subject.kind, about_ref=subject.ref, about_title=subject.title, about_url=subject.url)


def store_referral(*, key, person_name, release_date, institution, reach_via, reach_phone, help_codes,
                   referrer_name, referrer_phone, consent_version, now=None):
    """Store an officer's referral as a request of applicant «prison_staff»; returns (application, created)."""
    return store_once(key, consent_version, now, dict(
        applicant="prison_staff", help_needed=",".join(help_codes), name=person_name,
        contact_method="phone" if reach_phone else None, contact_value=reach_phone or None,
        release_date=release_date, institution=institution or None, reach_via=reach_via,
        referrer_name=referrer_name, referrer_phone=referrer_phone))


def store_once(key, consent_version, now, columns):
    """Insert one request with a fresh reference, or return the one already stored under `key`."""
    from sqlalchemy.exc import IntegrityError

    from portal.apply.models import Application
    from portal.clock import now_utc
    from portal.extensions import db

    now = now or now_utc()
    with storage_guard():
        existing = db.session.execute(db.select(Application).filter_by(idempotency_key=key)).scalar_one_or_none()
        if existing is not None:
            return existing, False
        for _attempt in range(5):
            application = Application(
                reference=new_reference(), idempotency_key=key, created_at=now, status="new",
                consent_version=consent_version, consented_at=now, **columns)
            db.session.add(application)
            try:
                db.session.commit()
                return application, True
            except IntegrityError:
                db.session.rollback()
                # Either a double tap stored the same key a moment ago, or the reference collided.
                existing = db.session.execute(
                    db.select(Application).filter_by(idempotency_key=key)).scalar_one_or_none()
                if existing is not None:
                    return existing, False
        raise StorageUnavailable("no free reference number")
