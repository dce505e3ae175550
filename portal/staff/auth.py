"""Staff authentication: argon2id passwords, the password policy, mandatory TOTP, server-side sessions,
setup links and the `flask staff` commands.

Any blueprint closes itself to the public with `bp.before_request(require_staff)`; views read the signed-in
person with `current_staff()`. The Flask session cookie carries only a random token; its SHA-256 is kept in
StaffSession, so logout, disabling an account or a password reset revoke a copied cookie at once.
"""

import base64
import hashlib
import hmac
import io
import logging
import re
import secrets
import unicodedata
from datetime import UTC, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import click
import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, flash, g, redirect, request, session, url_for
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import OperationalError

from portal.audit import AuditEvent, log_event, record
from portal.clock import now_utc
from portal.extensions import anonymous_client_key, db
from portal.logs import security_event
from portal.staff.models import StaffSession, StaffSetupToken, StaffUser

log = logging.getLogger("portal.staff")

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

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
TOTP_STEP = 30  # seconds (RFC 6238)
TOKEN_SESSION_KEY = "staff_token"
PENDING_KEY = "staff_pending"

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


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


# ---------------------------------------------------------------- passwords


@cache
def common_passwords():
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _fold(text):
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
    folded = _fold(password)
    squashed = re.sub(r"\s+", "", folded)
    spellings = {squashed, squashed.translate(LEET)}
    problems = []
    if any(word in spelling for word in CONTEXT_WORDS for spelling in spellings):
        problems.append(MSG_CONTEXT)
    if username and len(username) >= 3 and any(_fold(username) in spelling for spelling in spellings):
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


# ---------------------------------------------------------------- sessions


def _limits():
    config = current_app.config
    return timedelta(minutes=config["STAFF_IDLE_MINUTES"]), timedelta(hours=config["STAFF_ABSOLUTE_HOURS"])


def start_session(user):
    """A fresh cookie and a new server-side session row: whatever the browser held before is dropped."""
    idle, absolute = _limits()
    moment = now_utc()
    # Housekeeping: sessions that can no longer be used are removed whenever someone signs in.
    db.session.execute(
        delete(StaffSession).where(
            or_(StaffSession.last_seen_at < moment - idle, StaffSession.created_at < moment - absolute)
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        StaffSession(token_hash=_token_hash(token), staff_id=user.id, created_at=moment, last_seen_at=moment)
    )
    session.clear()
    session.permanent = False  # a browser-session cookie: no remember-me
    session[TOKEN_SESSION_KEY] = token
    g.staff = user
    record(user, "login")


def end_session():
    """Log out: the server forgets the token, so a copy of the cookie is useless from now on."""
    token = session.get(TOKEN_SESSION_KEY)
    user = current_staff()
    if isinstance(token, str):
        db.session.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))
        db.session.commit()
    session.clear()
    if user is not None:
        record(user, "logout")
    g.staff = None


def revoke_sessions(user):
    db.session.execute(delete(StaffSession).where(StaffSession.staff_id == user.id))


def _load_staff():
    token = session.get(TOKEN_SESSION_KEY)
    if not isinstance(token, str):
        return None
    row = db.session.execute(
        select(StaffSession).filter_by(token_hash=_token_hash(token))
    ).scalar_one_or_none()
    if row is None:
        session.pop(TOKEN_SESSION_KEY, None)
        return None
    idle, absolute = _limits()
    moment = now_utc()
    user = row.staff
    timed_out = moment - row.last_seen_at > idle or moment - row.created_at > absolute
    if timed_out or not user.is_active or not user.password_hash or not user.totp_secret:
        db.session.delete(row)
        db.session.commit()
        session.pop(TOKEN_SESSION_KEY, None)
        g.staff_timed_out = timed_out
        log_event("staff_session_ended", actor=user.username, reason="timeout" if timed_out else "account")
        return None
    row.last_seen_at = moment
    try:
        db.session.commit()
    except OperationalError as error:
        # A write lock or a read-only disk must not turn the (read-only) desk into a 500: the idle clock
        # is just not moved this time.
        db.session.rollback()
        security_event("storage_failed", what="staff_last_seen", error=type(error.orig).__name__)
    return user


def current_staff():
    """The signed-in StaffUser for this request, or None."""
    if "staff" not in g:
        g.staff = _load_staff()
    return g.staff


def require_staff():
    """A before_request hook: None (and g.staff set) for a signed-in person, else a redirect to the login."""
    if current_staff() is not None:
        return None
    if g.get("staff_timed_out"):
        flash(_l("You were signed out because of a long break. Please sign in again."))
    wanted = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
    return redirect(url_for("staff.login", next=wanted))


def safe_next(value):
    """`value` when it is a path inside the staff desk of this site, else None (no open redirect)."""
    if not isinstance(value, str) or not value or len(value) > 500:
        return None
    if re.search(r"[\x00-\x20\x7f\\]", value) or not value.startswith("/") or value.startswith("//"):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value if parts.path == "/staff" or parts.path.startswith("/staff/") else None


# ---------------------------------------------------------------- rate-limit keys


def _typed_account():
    pending = session.get(PENDING_KEY)
    name = request.form.get("username") or ""
    if isinstance(name, str) and name:
        return _fold(name)
    if isinstance(pending, dict):
        user = db.session.get(StaffUser, pending.get("id")) if isinstance(pending.get("id"), int) else None
        return user.username if user else f"id:{pending.get('id')}"
    return ""


def account_hmac(name):
    """An HMAC of a (folded) username: what logs and limit keys carry instead of the name itself."""
    secret = f"{current_app.config['SECRET_KEY']}:staff-account".encode()
    return hmac.new(secret, _fold(name).encode(), hashlib.sha256).hexdigest()[:32]


def unlock_generation(name):
    """How many times `flask staff unlock` has cleared this account's failure counts (from the audit trail)."""
    user = find_user(name)
    if user is None:
        return 0
    latest = db.session.execute(select(func.max(AuditEvent.id)).where(
        AuditEvent.action == "staff_unlocked", AuditEvent.object_id == user.id)).scalar()
    return latest or 0


def account_key():
    """Failure counter key: this account *from this address*. A wrong password typed elsewhere never locks the
    account for its owner; `flask staff unlock` starts every address's count again (a new generation)."""
    name = _typed_account()
    return f"staff-account:{account_hmac(name)}:{anonymous_client_key()}:{unlock_generation(name)}"


def note_failure(step, name=None):
    """Count this POST as a failed attempt (the account limit deducts only failures) and log it."""
    g.staff_login_failed = True
    account = account_hmac(name if name is not None else _typed_account())
    security_event("staff_login_failed", step=step, account=account)


def login_failed(_response):
    return bool(g.get("staff_login_failed"))


# ---------------------------------------------------------------- the two-step login


def find_user(username):
    username = _fold(username or "").strip()
    if not username or len(username) > 80:
        return None
    return db.session.execute(select(StaffUser).filter_by(username=username)).scalar_one_or_none()


def check_password_step(username, password, wanted=None):
    """Step one. On success, remember the half-done login in the session and return True."""
    user = find_user(username)
    if not verify_password(user, password) or not user.totp_secret:
        note_failure("password")
        return False
    session.clear()
    session[PENDING_KEY] = {
        "id": user.id,
        "at": int(now_utc().replace(tzinfo=UTC).timestamp()),
        "next": safe_next(wanted),
    }
    return True


def pending_user():
    """The person who passed the password step in the last few minutes, or None."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("id"), int):
        return None
    age = now_utc().replace(tzinfo=UTC).timestamp() - float(pending.get("at") or 0)
    if not 0 <= age <= current_app.config["STAFF_CODE_MINUTES"] * 60:
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(StaffUser, pending["id"])
    if user is None or not user.is_active or not user.password_hash or not user.totp_secret:
        return None
    return user


def check_code_step(code):
    """Step two. On success start the real session and return where to go next; else None."""
    user = pending_user()
    if user is None:
        return None
    step = match_totp(user.totp_secret, code, user.totp_last_step)
    if step is None:
        note_failure("code", user.username)
        return None
    # Spend the step with a conditional UPDATE: of two requests racing with the same code, one wins.
    spent = db.session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id, or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step)
        )
        .values(totp_last_step=step)
    )
    if spent.rowcount != 1:
        db.session.rollback()
        note_failure("code-replay", user.username)
        return None
    wanted = (session.get(PENDING_KEY) or {}).get("next")
    start_session(user)
    return safe_next(wanted) or url_for("staff.desk")


# ---------------------------------------------------------------- accounts and setup links


class StaffError(Exception):
    """A staff command cannot be done; the message says why, in Russian, for the administrator."""


def setup_link(token):
    """The link carries its secret in the query string, which no log here writes (gunicorn.conf.py, portal/logs.py),
    and the page sends it back in the form body — never in a path that access logs keep."""
    return current_app.config["SITE_URL"].rstrip("/") + "/staff/setup?t=" + token


def issue_setup_token(user):
    """A new single-use link secret; earlier unused links of this person stop working."""
    db.session.execute(delete(StaffSetupToken).where(StaffSetupToken.staff_id == user.id))
    token = secrets.token_urlsafe(32)
    hours = current_app.config["STAFF_SETUP_HOURS"]
    db.session.add(
        StaffSetupToken(
            token_hash=_token_hash(token), staff_id=user.id, expires_at=now_utc() + timedelta(hours=hours)
        )
    )
    return token


def find_setup_token(token):
    """The setup token row when the link is unused, unexpired and its account active; else None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    row = db.session.execute(
        select(StaffSetupToken).filter_by(token_hash=_token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now_utc() or not row.staff.is_active:
        return None
    return row


def complete_setup(row, password, secret, step):
    """Save the new password and second factor, spend the link and end every older session."""
    user = row.staff
    user.password_hash = hash_password(password)
    user.totp_secret = secret
    user.totp_last_step = step  # the code just typed cannot be replayed to sign in
    row.used_at = now_utc()
    revoke_sessions(user)
    record("system", "staff_setup_done", "staff_user", user.id)


def create_staff(username):
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise StaffError(
            "Имя пользователя: 2–40 символов, строчные латинские буквы, цифры, точка, дефис "
            "или подчёркивание."
        )
    if find_user(username) is not None:
        raise StaffError(
            f"Сотрудник {username} уже есть. Новая ссылка: flask staff reset-password {username}"
        )
    user = StaffUser(username=username, is_active=True)
    db.session.add(user)
    db.session.flush()
    token = issue_setup_token(user)
    record("cli", "staff_created", "staff_user", user.id)
    return setup_link(token)


def _existing(username):
    user = find_user(username)
    if user is None:
        raise StaffError(f"Сотрудника {username} нет.")
    return user


def reset_staff(username):
    """Clear password and second factor, end all sessions and return a new setup link."""
    user = _existing(username)
    user.password_hash = None
    user.totp_secret = None
    user.totp_last_step = None
    revoke_sessions(user)
    token = issue_setup_token(user)
    record("cli", "staff_reset", "staff_user", user.id)
    return setup_link(token)


def disable_staff(username):
    user = _existing(username)
    user.is_active = False
    revoke_sessions(user)
    db.session.execute(delete(StaffSetupToken).where(StaffSetupToken.staff_id == user.id))
    record("cli", "staff_disabled", "staff_user", user.id)


def enable_staff(username):
    user = _existing(username)
    user.is_active = True
    record("cli", "staff_enabled", "staff_user", user.id)


staff_cli = AppGroup("staff", help="Staff accounts of the desk at /staff.")


def _run(action, *args):
    try:
        return action(*args)
    except StaffError as error:
        raise click.ClickException(str(error)) from None


def _print_link(link):
    hours = current_app.config["STAFF_SETUP_HOURS"]
    click.echo(f"Одноразовая ссылка (действует {hours} ч, открыть можно один раз до конца настройки):")
    click.echo(link)
    click.echo(
        "Передайте её сотруднику лично или по рабочему каналу. По ссылке он задаст пароль "
        "и подключит приложение для кодов."
    )


@staff_cli.command("create")
@click.argument("username")
def create_command(username):
    """Add a staff member and print a one-time setup link."""
    _print_link(_run(create_staff, username))


@staff_cli.command("reset-password")
@click.argument("username")
def reset_command(username):
    """Sign the person out everywhere and print a new setup link (password and codes are set anew)."""
    _print_link(_run(reset_staff, username))


@staff_cli.command("disable")
@click.argument("username")
def disable_command(username):
    """Block the account and end its sessions at once."""
    _run(disable_staff, username)
    click.echo(f"Учётная запись {username} отключена, все её сеансы завершены.")


@staff_cli.command("enable")
@click.argument("username")
def enable_command(username):
    """Unblock an account (give a new link with reset-password if the password is not known)."""
    _run(enable_staff, username)
    click.echo(f"Учётная запись {username} снова включена.")


def unlock_staff(username):
    """Start the failed-sign-in counts of this account again, from every address."""
    user = find_user(username)
    if user is None:
        raise StaffError(f"Нет учётной записи {username}.")
    record("cli", "staff_unlocked", "staff_user", user.id)


@staff_cli.command("unlock")
@click.argument("username")
def unlock_command(username):
    """Let the person sign in again at once after too many wrong tries (from any address)."""
    _run(unlock_staff, username)
    click.echo(f"Счётчик неудачных попыток для {username} сброшен: можно входить снова.")


@staff_cli.command("list")
def list_command():
    """Every staff account: active or not, set up or waiting for the setup link."""
    for user in db.session.execute(select(StaffUser).order_by(StaffUser.username)).scalars():
        state = "включена" if user.is_active else "отключена"
        ready = "настроена" if user.password_hash and user.totp_secret else "ждёт настройки по ссылке"
        click.echo(f"{user.username}\t{state}\t{ready}")


# ---------------------------------------------------------------- wiring

def init_app(app):
    app.cli.add_command(staff_cli)
    app.jinja_env.globals["current_staff"] = current_staff

    @app.after_request
    def staff_pages_are_never_cached(response):
        # Every /staff response, including redirects and error pages, from any blueprint.
        if request.path == "/staff" or request.path.startswith("/staff/"):
            response.headers["Cache-Control"] = "no-store"
            response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response
