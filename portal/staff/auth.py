"""Staff authentication: server-side sessions, the two-step login with mandatory TOTP, sign-in throttling,
accounts and setup links. Passwords and codes are portal/staff/credentials.py, `flask staff` portal/staff/cli.py.

Any blueprint closes itself to the public with `bp.before_request(require_staff)`; views read the signed-in
person with `current_staff()`. The Flask session cookie carries only a random token; its SHA-256 is kept in
StaffSession, so logout, disabling an account or a password reset revoke a copied cookie at once.
"""

import hashlib
import hmac
import logging
import re
import secrets
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import OperationalError

from portal.audit import AuditEvent, log_event, record
from portal.clock import now_utc
from portal.extensions import anonymous_client_key, db
from portal.logs import security_event
from portal.staff.credentials import fold, hash_password, match_totp, verify_password
from portal.staff.models import StaffSession, StaffSetupToken, StaffUser

log = logging.getLogger("portal.staff")

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
TOKEN_SESSION_KEY = "staff_token"
PENDING_KEY = "staff_pending"


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()



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
        return fold(name)
    if isinstance(pending, dict):
        user = db.session.get(StaffUser, pending.get("id")) if isinstance(pending.get("id"), int) else None
        return user.username if user else f"id:{pending.get('id')}"
    return ""


def account_hmac(name):
    """An HMAC of a (folded) username: what logs and limit keys carry instead of the name itself."""
    secret = f"{current_app.config['SECRET_KEY']}:staff-account".encode()
    return hmac.new(secret, fold(name).encode(), hashlib.sha256).hexdigest()[:32]


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
    username = fold(username or "").strip()
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


def unlock_staff(username):
    """Start the failed-sign-in counts of this account again, from every address."""
    user = find_user(username)
    if user is None:
        raise StaffError(f"Нет учётной записи {username}.")
    record("cli", "staff_unlocked", "staff_user", user.id)


# ---------------------------------------------------------------- wiring

def init_app(app):
    app.jinja_env.globals["current_staff"] = current_staff

    @app.after_request
    def staff_pages_are_never_cached(response):
        # Every /staff response, including redirects and error pages, from any blueprint.
        if request.path == "/staff" or request.path.startswith("/staff/"):
            response.headers["Cache-Control"] = "no-store"
            response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response
