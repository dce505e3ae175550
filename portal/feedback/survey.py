"""The 0–10 question asked after the service: staff hand out a single-use link /opros/<token> when they
close a request as done; the person answers once, anonymously (docs/feedback.md, «Опрос после обращения»).

Only the SHA-256 of a token is stored, with how the person was served and the month: no request, person,
staff member, IP, cookie or time of day. Answering deletes the invitation in the same transaction, so a
link works once and nothing is left that could join the answer to the request. A link not used within
SURVEY_LINK_DAYS (counted from the end of its month) is out of date, and `flask survey purge` deletes it.
"""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from portal.clock import today_local
from portal.database import storage_guard
from portal.extensions import db
from portal.feedback.models import ServiceAnswer, SurveyInvitation
from portal.feedback.widgets import SCORES, clean_comment

SERVED_VIA = {
    "call": _l("By phone"),
    "visit": _l("In person at the centre"),
    "messenger": _l("In a messenger"),
}
# How a request's contact method becomes the way the person was served (the clerk may choose another).
SERVED_VIA_BY_CONTACT = {
    "phone": "call",
    "whatsapp": "messenger",
    "telegram": "messenger",
    "max": "messenger",
    "vk": "messenger",
    "in_person": "visit",
}
TOKEN_BYTES = 16
IMPROVE_MAX = 500  # characters of «Что нам улучшить?», as typed


def token_hash(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


def served_via_for(contact_method, chosen=None):
    """The clerk's choice when it is a known one, else what the request's contact method suggests."""
    if chosen in SERVED_VIA:
        return chosen
    return SERVED_VIA_BY_CONTACT.get(contact_method, "call")


def this_month():
    return today_local().strftime("%Y-%m")


def oldest_valid_month(today, link_days):
    """Links of this month («2026-10») and later still work on `today`; earlier ones are out of date."""
    return (today - timedelta(days=link_days)).strftime("%Y-%m")


def _valid_from():
    return oldest_valid_month(today_local(), current_app.config["SURVEY_LINK_DAYS"])


def create_invitation(served_via):
    """A new single-use token (returned, never stored) and its hashed invitation (added to the session;
    the caller's commit stores it)."""
    if served_via not in SERVED_VIA:
        raise ValueError("unknown way of service")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(SurveyInvitation(token_hash=token_hash(token), served_via=served_via, month=this_month()))
    return token


def find_invitation(token):
    """The unused, not out-of-date invitation of this token, or None."""
    if not isinstance(token, str) or not 10 <= len(token) <= 64:
        return None
    invitation = db.session.get(SurveyInvitation, token_hash(token))
    return invitation if invitation is not None and invitation.month >= _valid_from() else None


def parse_score(value):
    """0–10 from a form value of ASCII digits, else None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 2:
        return None
    score = int(value)
    return score if score in SCORES else None


def record_answer(token, score, improve):
    """Store one answer and delete its invitation in one transaction. False when the link is unknown, used or
    out of date."""
    hashed = token_hash(token)
    with storage_guard():
        invitation = find_invitation(token)
        if invitation is None:
            return False
        served_via, month = invitation.served_via, invitation.month
        deleted = db.session.execute(sa.delete(SurveyInvitation).where(SurveyInvitation.token_hash == hashed))
        if deleted.rowcount != 1:  # answered a moment ago from another tab
            db.session.rollback()
            return False
        db.session.expunge(invitation)
        db.session.add(ServiceAnswer(score=int(score), served_via=served_via, month=month,
                                     improve=clean_comment(improve or "")))
        db.session.commit()
    return True


def purge_expired_invitations():
    """Delete the unused invitations that are out of date; returns how many. Safe to run again."""
    deleted = db.session.execute(sa.delete(SurveyInvitation).where(SurveyInvitation.month < _valid_from()))
    db.session.commit()
    return deleted.rowcount


# ---------------------------------------------------------------- figures for staff

def _months(start, end):
    return start.strftime("%Y-%m"), end.strftime("%Y-%m")


def _answers_by(column, keys, start, end):
    """{key: answers} grouped by `column` in the months touching the period [start, end]; every key present."""
    low, high = _months(start, end)
    rows = db.session.execute(
        sa.select(column, sa.func.count()).where(ServiceAnswer.month.between(low, high)).group_by(column))
    counts = dict.fromkeys(keys, 0)
    for key, count in rows:
        if key in counts:
            counts[key] = int(count)
    return counts


def service_distribution(start, end):
    """{score: answers} for every score 0–10 in the months touching the period [start, end]."""
    return _answers_by(ServiceAnswer.score, SCORES, start, end)


def answers_by_channel(start, end):
    """{served_via: answers} in the months touching the period, every way of service present."""
    return _answers_by(ServiceAnswer.served_via, SERVED_VIA, start, end)


def min_answers():
    return current_app.config["SURVEY_NPS_MIN_ANSWERS"]


# ---------------------------------------------------------------- the form

class SurveyForm(FlaskForm):
    """The one question and the optional text. No CSRF token: the page sets no cookie, and the feedback
    blueprint accepts same-origin posts only (portal/feedback/views.py)."""

    class Meta:
        csrf = False

    score = RadioField(_l("Would you recommend the employment centre to someone in a similar situation?"),
                       description=_l("0 means “certainly not”, 10 means “certainly yes”."),
                       choices=[SelectChoice(str(n), str(n)) for n in SCORES], validate_choice=False)
    improve = TextAreaField(_l("What should we improve?"),
                            description=_l("Optional. Please do not write your name, phone or other personal "
                                           "data: the answer is anonymous."))

    def validate_score(self, field):
        if parse_score(field.data) is None:
            raise ValidationError(_l("Choose a number from 0 to 10."))

    def validate_improve(self, field):
        length = len(field.data or "")
        if length > IMPROVE_MAX:
            raise ValidationError(_l("The text is too long: %(count)d characters. Please shorten it to "
                                     "%(max)d.", count=length, max=IMPROVE_MAX))


def latest_improvements(start, end, limit=20):
    """The newest «Что нам улучшить?» texts (already masked) in the months touching the period:
    (month, served_via, text)."""
    low, high = _months(start, end)
    rows = db.session.execute(
        sa.select(ServiceAnswer.month, ServiceAnswer.served_via, ServiceAnswer.improve)
        .where(ServiceAnswer.month.between(low, high), ServiceAnswer.improve.is_not(None))
        .order_by(ServiceAnswer.month.desc(), ServiceAnswer.id).limit(limit))
    return [tuple(row) for row in rows]
