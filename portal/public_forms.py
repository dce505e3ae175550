"""The one flow of the public forms that store personal data (the application, the employer sign-up).

Its promise: a success page is shown only for a row that is stored, and an honest person always gets through.
- `BotProtectedForm`: a honeypot, a signed start time and an idempotency key. The start time is signed once, at
  the first render, bound to the form and valid for `FORM_START_MAX_AGE` seconds; every re-render (a typing
  mistake, an expired page, a storage fault) carries it on, so a person who fixes a mistake and presses «Send»
  again within a second is measured from when they opened the form. A suspected bot is shown the form again
  with «send once more», never a fake «received».
- `Throttle`: per-client and global counts of *stored* requests (a validation error costs nothing). Over the
  global count the form is never closed: every client is slowed to the surge limit instead. The counters live in
  Flask-Limiter's storage (Redis with several workers).
- `submit()`: the POST path both forms share, in the order that keeps those promises.
- `choices`, `CheckboxListField`, `NAME_RE`: the field helpers every form of the site uses.
"""
import logging
import re
import secrets
import time
from dataclasses import dataclass

from flask import current_app, redirect, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse
from wtforms import HiddenField, SelectChoice, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from portal.clock import epoch_seconds
from portal.database import StorageUnavailable
from portal.extensions import anonymous_client_key, limit_key_prefix, limiter
from portal.logs import security_event

log = logging.getLogger("portal.public_forms")

NAME_RE = re.compile(r"^[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?$")


def choices(mapping):
    return [SelectChoice(value, label) for value, label in mapping.items()]


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# ---------------------------------------------------------------- the fill-time check

def _timer(form_name):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"form-started:{form_name}")


def sign_start_time(form_name):
    return _timer(form_name).dumps({"form": form_name, "at": int(epoch_seconds())})


def seconds_since_start(token, form_name):
    """Seconds since the form was first rendered; None when the token is missing, forged, for another form
    or older than FORM_START_MAX_AGE (then a fresh one is signed and the person asked to send once more)."""
    try:
        payload = _timer(form_name).loads(token)
        started = int(payload["at"]) if payload.get("form") == form_name else None
    except (BadSignature, TypeError, ValueError, KeyError, AttributeError):
        return None
    if started is None:
        return None
    elapsed = epoch_seconds() - started
    if elapsed < -5 or elapsed > current_app.config["FORM_START_MAX_AGE"]:
        return None
    return elapsed


class BotProtectedForm(FlaskForm):
    """A public form that stores data. Subclasses name themselves in `form_name` (it salts the timer)."""

    form_name = "form"
    # Bots fill every field; people never see this one (hidden by CSS, out of the tab order).
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()
    idempotency_key = HiddenField()

    def prepare_hidden_fields(self):
        """Before every render: keep a valid start time (sign one only when there is none) and the key."""
        if seconds_since_start(self.started.data, self.form_name) is None:
            self.started.data = sign_start_time(self.form_name)
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_hex(16)
        self.website.data = ""

    def bot_reason(self):
        """Why this send looks automatic («honeypot», «timer», «fast»), or None for a person."""
        if self.website.data:
            return "honeypot"
        elapsed = seconds_since_start(self.started.data, self.form_name)
        if elapsed is None:
            return "timer"
        if elapsed < current_app.config["APPLY_MIN_FILL_SECONDS"]:
            return "fast"
        return None

    def idempotency(self):
        """The key that makes a repeated send one row; a missing or blank key never collides with another."""
        key = (self.idempotency_key.data or "").strip()[:64]
        return key or secrets.token_hex(16)


# ---------------------------------------------------------------- counting stored requests

@dataclass(frozen=True)
class Throttle:
    """Limits of one form, each a config key holding a rate such as «5 per hour»."""

    kind: str
    client: str
    global_: str
    surge: str
    referral: str | None = None

    def _items(self):
        config = current_app.config
        names = {"client": self.client, "global": self.global_, "surge": self.surge}
        if self.referral:
            names["referral"] = self.referral
        return {role: parse(str(config[name])) for role, name in names.items()}

    def _enabled(self):
        return current_app.config.get("RATELIMIT_ENABLED", True)

    def check(self, referral=False):
        """(allowed, seconds to wait). Over the global count every client gets the surge limit instead."""
        if not self._enabled():
            return True, 0
        items, strategy, client, prefix = self._counters()
        surge = not strategy.test(items["global"], prefix, self.kind, "all-clients")
        role = "surge" if surge else ("referral" if referral and "referral" in items else "client")
        if strategy.test(items[role], prefix, self.kind, client):
            return True, 0
        reset, _remaining = strategy.get_window_stats(items[role], prefix, self.kind, client)
        return False, max(1, int(reset - time.time()))  # the limits library keeps its windows in real time

    def _counters(self):
        """This form's limits, the limiter's storage, this client's key and the app's key prefix."""
        return self._items(), limiter.limiter, anonymous_client_key(), limit_key_prefix(current_app.config)

    def count_stored(self):
        """One stored request: it counts against this client's limits and the global one."""
        if not self._enabled():
            return
        items, strategy, client, prefix = self._counters()
        for role, item in items.items():
            strategy.hit(item, prefix, self.kind, "all-clients" if role == "global" else client)
        if not strategy.test(items["global"], prefix, self.kind, "all-clients"):
            security_event("form_surge", form=self.kind)


# ---------------------------------------------------------------- the POST path

def submit(form, *, throttle, store, render, confirmation_url, referral=False):
    """Check the client's count of stored requests, validate, tell a person from a bot, store, redirect.

    `store(form)` returns (row, created) or raises StorageUnavailable; `render(form, status, problem)` shows the
    form again with the input kept; `confirmation_url(row)` is where a stored request is acknowledged."""
    allowed, wait = throttle.check(referral=referral)
    if not allowed:
        security_event("rate_limited", form=throttle.kind, retry_after=wait)
        response = render(form, 429, "rate")
        response.headers["Retry-After"] = str(wait)
        return response
    if not form.validate_on_submit():
        log.info("form rejected: form=%s fields=%s", throttle.kind, ",".join(sorted(form.errors)))
        return render(form, 422, None)
    reason = form.bot_reason()
    if reason:
        security_event("bot_check", form=throttle.kind, reason=reason)
        return render(form, 422, "check")
    try:
        row, created = store(form)
    except StorageUnavailable as error:
        security_event("storage_failed", form=throttle.kind, error=str(error), level=logging.ERROR)
        return render(form, 503, "storage")
    if created:
        throttle.count_stored()
    return redirect(confirmation_url(row, created), code=303)


def is_referral():
    """Someone sending for another person (a relative, an officer, an NGO) may send several in a row."""
    return request.form.get("applicant") in ("relative", "prison_staff")
