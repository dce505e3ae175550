"""Text as people type it, made safe to store and show: one rule for every free-text field of the site.

`clean_text` NFC-normalises, drops control and invisible characters — zero-width ones, the bidi overrides
(U+202A–U+202E) and the bidi isolates (U+2066–U+2069, review F-19), which could reorder what staff read — and
folds runs of spaces while keeping line breaks. `is_plain_email` is the strict address a `mailto:` link may
carry: no `?`, `&`, `=` or `%` that would add mail headers (review F-20). `normalise_phone` is the one phone
rule and `DISTRICTS` the one list of Chelyabinsk's districts (the form, employers, places, vacancies).
"""
import re
import unicodedata

from flask_babel import lazy_gettext as _l

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
PLAIN_EMAIL_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._+-]{0,62}[A-Za-z0-9])?@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                            r"[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def strip_controls(value):
    return CONTROL_RE.sub("", value)


def clean_text(value):
    """NFC-normalise, drop control and invisible characters, fold runs of spaces (newlines kept)."""
    value = strip_controls(unicodedata.normalize("NFC", value or ""))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in value.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def is_plain_email(value):
    return isinstance(value, str) and len(value) <= 254 and bool(PLAIN_EMAIL_RE.match(value))


# The districts of Chelyabinsk, so that the centre can suggest the office and jobs near home.
DISTRICTS = {
    "kalininsky": "Калининский",
    "kurchatovsky": "Курчатовский",
    "leninsky": "Ленинский",
    "metallurgichesky": "Металлургический",
    "sovetsky": "Советский",
    "traktorozavodsky": "Тракторозаводский",
    "tsentralny": "Центральный",
    "outside": _l("Outside Chelyabinsk"),
}
PHONE_DIGITS_RE = re.compile(r"\d")
PHONE_ALLOWED_RE = re.compile(r"^[\d\s()+\-.]+$")


def normalise_phone(value):
    """Russian mobile or landline in any common spelling -> '+7XXXXXXXXXX', or None if it is not one."""
    if not value or not PHONE_ALLOWED_RE.match(value.strip()):
        return None
    if value.count("+") > 1 or ("+" in value and not value.strip().startswith("+")):
        return None
    digits = "".join(PHONE_DIGITS_RE.findall(value))
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    elif len(digits) != 10:
        return None
    if value.strip().startswith("+") and not value.strip().startswith("+7"):
        return None
    if digits[0] not in "3489":  # Russian geographic (3, 4, 8) and mobile (9) numbers
        return None
    return "+7" + digits
