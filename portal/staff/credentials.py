"""What a staff member signs in with: argon2id passwords and the password policy, and TOTP codes.

Sessions, the two-step login and setup links that use them are portal/staff/auth.py.
"""
import base64
import hashlib
import hmac
import io
import re
import secrets
import unicodedata
from datetime import UTC
from functools import cache
from pathlib import Path

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.audit import log_event
from portal.clock import now_utc
from portal.extensions import db

# argon2id, t=3, m=64 MiB, p=4: argon2-cffi's defaults (RFC 9106 second choice), above ASVS 5 Appendix C.
hasher = PasswordHasher()

PASSWORD_MIN = 15  # characters; ASVS 5 6.2.1 "strongly recommends" 15 without a second factor
PASSWORD_MAX = 128  # characters; ASVS 5 6.2.9 asks that at least 64 be allowed
PASSWORD_MIN_DISTINCT = 5  # «aaaaaaaaaaaaaaa» or «121212121212121» is a pattern, not a password
# Words everyone who knows the centre would try first; ё is folded to е and l33t spelling to letters.
CONTEXT_WORDS = (
    "цзн",
    "czn",
    "tszn",
    "челябинск",
    "chelyabinsk",
    "chelabinsk",
    "занятост",
    "zanyatost",
    "password",
    "пароль",
    "parol",
    "освобожден",
    "osvobozhden",
)
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"
TOTP_STEP = 30  # seconds (RFC 6238)

MSG_TOO_SHORT = _l(
    "Use at least %(min)d characters. A phrase of three or four words is long enough and easy to remember."
)
MSG_TOO_LONG = _l("Use at most %(max)d characters.")
MSG_COMMON = _l("This password is too common or too easy to guess. Choose a phrase of a few unrelated words.")
MSG_CONTEXT = _l(
    "Do not use the name of the centre, the city, the site or the word «password» in your "
    "password: they are the first things someone would try."
)
MSG_USERNAME = _l("Do not use your username in the password.")


# ---------------------------------------------------------------- passwords


@cache
def common_passwords():
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def fold(text):
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")


def _is_sequence(text):
    """«123456789», «987654321», «abcdef»: every step between neighbours is the same -1, 0 or +1."""
    if len(text) < 3:
        return bool(text)
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def password_problems(password, username=None):
    """Everything wrong with a new password, as messages for the person; an empty list means it is fine."""
    password = password or ""
    length = len(unicodedata.normalize("NFC", password))
    if length < PASSWORD_MIN:
        return [MSG_TOO_SHORT % {"min": PASSWORD_MIN}]
    if length > PASSWORD_MAX:
        return [MSG_TOO_LONG % {"max": PASSWORD_MAX}]
    folded = fold(password)
    squashed = re.sub(r"\s+", "", folded)
    spellings = {squashed, squashed.translate(LEET)}
    problems = []
    if any(word in spelling for word in CONTEXT_WORDS for spelling in spellings):
        problems.append(MSG_CONTEXT)
    if username and len(username) >= 3 and any(fold(username) in spelling for spelling in spellings):
        problems.append(MSG_USERNAME)
    letters = "".join(ch for ch in squashed if ch.isalpha())
    digits = "".join(ch for ch in squashed if ch.isdigit())
    common = common_passwords()
    if (
        len(set(squashed)) < PASSWORD_MIN_DISTINCT
        or squashed in common
        or letters in common
        or squashed.translate(LEET) in common
        or "".join(ch for ch in squashed.translate(LEET) if ch.isalpha()) in common
        or (len(letters) <= 3 and _is_sequence(digits))
    ):
        problems.append(MSG_COMMON)
    return problems


def _normal(password):
    # NFC so that «й» typed on a phone (one code point) and on a PC (и + breve) is the same password.
    return unicodedata.normalize("NFC", password or "")


def hash_password(password):
    return hasher.hash(_normal(password))


@cache
def _dummy_hash():
    return hasher.hash(secrets.token_urlsafe(16))


def verify_password(user, password):
    """True when `password` is this active user's; unknown or disabled users cost the same argon2 work."""
    stored = user.password_hash if user is not None and user.is_active and user.password_hash else None
    try:
        hasher.verify(stored or _dummy_hash(), _normal(password))
    except (VerificationError, InvalidHashError):
        return False
    if stored is None:
        return False
    if hasher.check_needs_rehash(stored):
        user.password_hash = hash_password(password)
        db.session.commit()
        log_event("staff_password_rehashed", actor=user.username)
    return True


# ---------------------------------------------------------------- TOTP


def totp_step(moment):
    return int(moment.replace(tzinfo=UTC).timestamp()) // TOTP_STEP


def match_totp(secret, code, last_step=None):
    """The time step of a valid code (±1 step of the clock), or None. A step at or before `last_step` was
    already used, so a code works only once."""
    code = re.sub(r"[\s-]", "", code if isinstance(code, str) else "")
    if not secret or not re.fullmatch(r"[0-9]{6}", code):  # not \d: it also matches «٣» and other digits
        return None
    totp = pyotp.TOTP(secret)
    current = totp_step(now_utc())
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def enrolment_secret(row):
    """The TOTP secret offered while a setup link is open, derived on the server from the link's row: nothing
    of it travels in the session cookie (review F-22), and every opening of the link shows the same one."""
    digest = hmac.new(f"{current_app.config['SECRET_KEY']}:totp-enrol".encode(), row.token_hash.encode(),
                      hashlib.sha256).digest()[:20]  # 160 bits
    return base64.b32encode(digest).decode()


def enrolment_qr(secret, username):
    """The authenticator QR code as a data: URI of an SVG drawn here (the CSP allows img-src data:)."""
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=username, issuer_name=current_app.config["STAFF_TOTP_ISSUER"]
    )
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=4, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def grouped_secret(secret):
    """«ABCD EFGH …»: easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
