"""One API record → the values of one card: HTML stripped, contacts scrubbed, flags derived, a fold key.

Only whitelisted fields are read; `contact_person`, `contact_list` and `company.email` are never touched,
and phones and e-mails written into the free texts are cut out, so no personal data reaches the database.
"""
import hashlib
import html
import json
import re
from datetime import UTC, datetime

TAG_RE = re.compile(r"<[^>]*>")
BREAK_RE = re.compile(r"<\s*(br|/p|/li|/div|p|li)\b[^>]*>", re.I)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# A Russian phone: +7 / 8 then 10 digits with any separators; short city numbers (2-22-33) are not cut.
PHONE_RE = re.compile(r"(\+7|\b8)[\s(\-]*\d{3}[\s)\-]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}\b")
CONTACT_CUT = "[контакт — на trudvsem.ru]"

HOUSING_RE = re.compile(r"жиль|общежит|аренд\w* жил|проживани|квартир", re.I)
DAY_SHIFT_RE = re.compile(r"дневн", re.I)
PART_TIME_RE = re.compile(r"частичн|неполн|временн|сезонн|подработ|совместител", re.I)
NO_EXPERIENCE_RE = re.compile(r"без опыта|опыт\w* не (требуется|обязателен|нужен)", re.I)


def clean_text(value, limit=4000):
    """Plain text from an API text field: tags and entities gone, contacts cut, spaces tidy."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = BREAK_RE.sub("\n", value)
    text = TAG_RE.sub(" ", text)
    text = html.unescape(text).replace("\xa0", " ")
    text = TAG_RE.sub(" ", text)  # tags that were themselves escaped (&lt;b&gt;)
    text = EMAIL_RE.sub(CONTACT_CUT, text)
    text = PHONE_RE.sub(CONTACT_CUT, text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    return text[:limit] or None


def _str(value, limit=300):
    if value is None or isinstance(value, dict | list):
        return None
    text = clean_text(str(value), limit)
    return text


def _int(value):
    try:
        number = int(float(str(value).strip()))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None  # 0 means «not specified» in the API


def _coordinate(value, low, high):
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _moment(value):
    """'2026-11-30T10:00:00+0300' → naive UTC datetime, or None."""
    if not isinstance(value, str):
        return None
    for pattern in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(value.strip(), pattern)
        except ValueError:
            continue
        if moment.tzinfo is None:
            return moment
        return moment.astimezone(UTC).replace(tzinfo=None)
    return None


def _dig(record, *keys):
    value = record
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _first_address(record):
    addresses = _dig(record, "addresses", "address")
    if isinstance(addresses, dict):
        addresses = [addresses]
    if not isinstance(addresses, list) or not addresses or not isinstance(addresses[0], dict):
        return None, None, None
    first = addresses[0]
    return (_str(first.get("location"), 500), _coordinate(first.get("lat"), -90, 90),
            _coordinate(first.get("lng"), -180, 180))


def _joined(value):
    if isinstance(value, list):
        return ", ".join(str(item) for item in value if isinstance(item, str | int))
    return value if isinstance(value, str) else ""


def fold_key(employer_inn, employer_name, title, address):
    """Same employer, title and address → the same card (the API re-posts identical vacancies)."""
    parts = [employer_inn or (employer_name or "").casefold(), (title or "").casefold(),
             (address or "").casefold()]
    normal = "\x1f".join(" ".join(part.replace("ё", "е").split()) for part in parts)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def card_values(record):
    """The stored values of one API vacancy, or None when it lacks an id or a title."""
    if not isinstance(record, dict):
        return None
    api_id = _str(record.get("id"), 64)
    title = _str(record.get("job-name"), 300)
    if not api_id or not title:
        return None
    company = record.get("company") if isinstance(record.get("company"), dict) else {}
    employer_name = _str(company.get("name"), 300) or "Работодатель не указан"
    inn = re.sub(r"\D", "", str(company.get("inn") or ""))[:12] or None
    address, lat, lng = _first_address(record)
    requirement = record.get("requirement") if isinstance(record.get("requirement"), dict) else {}
    shift = _joined(record.get("shift"))
    benefit = _str(record.get("benefit"), 1000) or ""
    medical = _str(record.get("medicalDocuments"), 200) or ""
    term = _str(_dig(record, "term", "text"), 1000) or ""
    conditions = "\n".join(part for part in (
        f"Льготы: {benefit}" if benefit else "", f"Смена: {shift}" if shift else "",
        f"Срок: {term}" if term else "", medical) if part)
    requirements = "\n".join(part for part in (
        clean_text(record.get("requirements")), clean_text(record.get("qualification")),
        clean_text(requirement.get("qualification"))) if part) or None
    employment = _str(record.get("employment"), 100)
    schedule = _str(record.get("schedule"), 100)
    salary_min, salary_max = _int(record.get("salary_min")), _int(record.get("salary_max"))
    if salary_min and salary_max and salary_max < salary_min:
        salary_max = None
    everything = " ".join(filter(None, (title, requirements, conditions, employment, schedule,
                                        clean_text(record.get("duty")))))
    vac_url = _str(record.get("vac_url"), 500)
    if vac_url and not vac_url.startswith("https://trudvsem.ru/"):
        vac_url = None  # only the official card is linked; anything else could lead the person astray
    return {
        "api_id": api_id, "title": title, "employer_name": employer_name, "employer_inn": inn,
        "hr_agency": company.get("hr-agency") in (True, "true", "True"),
        "address": address, "lat": lat, "lng": lng,
        "salary_min": salary_min, "salary_max": salary_max, "pay": salary_max or salary_min or 0,
        "employment": employment, "schedule": schedule,
        "specialisation": _str(_dig(record, "category", "specialisation"), 200),
        "code_profession": _str(record.get("code_profession"), 20),
        "education": _str(requirement.get("education"), 200),
        "duty": clean_text(record.get("duty")), "requirements": requirements,
        "conditions": conditions or None,
        "social_protected": _str(record.get("social_protected"), 300),
        "vac_url": vac_url, "modified_at": _moment(record.get("date_modify")),
        "day_shift": bool(DAY_SHIFT_RE.search(shift)) and "ноч" not in shift.casefold(),
        "housing": bool(HOUSING_RE.search(benefit + " " + conditions)),
        # requirement.experience is an undocumented code, not years (vacancies-api.md 2.3): only the text counts.
        "no_experience": bool(NO_EXPERIENCE_RE.search(everything)),
        "medical_book": "книжк" in medical.casefold(),
        "part_time": bool(PART_TIME_RE.search(f"{employment or ''} {schedule or ''}")),
        "fold_key": fold_key(inn, employer_name, title, address),
    }


def content_hash(values):
    """A digest of what a card shows, to tell an updated vacancy from an unchanged one."""
    shown = {key: (value.isoformat() if isinstance(value, datetime) else value)
             for key, value in sorted(values.items()) if key not in ("api_id", "pay")}  # pay: derived
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
