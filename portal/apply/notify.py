"""The optional e-mail notice to the centre's mailbox about a new request.

It says only «new request К7F-3QX» and links to the staff desk: no name, contact or comment ever leaves the
server (ч. 5 ст. 18 152-ФЗ). Nothing is sent unless PORTAL_SMTP_HOST is set. A mail failure is logged without
personal data and swallowed: the request is already stored when this runs.
"""

import logging
import smtplib
import ssl
import threading
from contextlib import nullcontext
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _

log = logging.getLogger("portal.apply.notify")

SMTP_SETTINGS = ("SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_FROM",
                 "SMTP_TO", "SMTP_TIMEOUT", "SMTP_IN_BACKGROUND")  # defaults in portal/config.py


def desk_link(app, application_id):
    return f"{app.config['SITE_URL'].rstrip('/')}/staff/zayavki/{application_id}"


def build_notice(app, application):
    """(subject, body) of the notice, in Russian whatever language the form was filled in."""
    # Only these two values are read from the request: nothing else can end up in the letter.
    reference, application_id = application.reference, application.id
    same_app = has_app_context() and current_app._get_current_object() is app
    with nullcontext() if same_app else app.app_context(), force_locale("ru"):
        subject = _("New request %(reference)s", reference=reference)
        body = (
            "\n\n".join(
                [
                    _("A new request %(reference)s has come in through the website.", reference=reference),
                    _(
                        "Open it on the staff desk (sign-in required): %(link)s",
                        link=desk_link(app, application_id),
                    ),
                    _("For privacy this letter contains no personal data."),
                ]
            )
            + "\n"
        )
    return subject, body


def _recipients(config):
    return [address.strip() for address in str(config.get("SMTP_TO") or "").split(",") if address.strip()]


def send_notice(config, subject, body):
    """Send one message; True on success. Any failure is logged by type only and never raised."""
    recipients = _recipients(config)
    if not config.get("SMTP_HOST") or not recipients:
        return False
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.get("SMTP_FROM") or recipients[0]
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid()
    message.set_content(body)
    try:
        with smtplib.SMTP(
            config["SMTP_HOST"],
            int(config.get("SMTP_PORT") or 587),
            timeout=float(config.get("SMTP_TIMEOUT") or 5),
        ) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except Exception as error:  # noqa: BLE001 - a notice must never break the request that was stored
        log.warning("new-request notice not sent: %s", type(error).__name__)
        return False
    log.info("new-request notice sent")
    return True


def notify_new_application(app, application):
    """Send the notice for a stored request when SMTP is configured; never raises.

    Returns None when notices are off, the sending thread when sending in the background, else True/False.
    """
    try:
        config = {key: app.config[key] for key in SMTP_SETTINGS}
        if not config["SMTP_HOST"]:
            return None
        subject, body = build_notice(app, application)
    except Exception as error:  # noqa: BLE001
        log.warning("new-request notice not built: %s", type(error).__name__)
        return False
    if config["SMTP_IN_BACKGROUND"]:
        thread = threading.Thread(
            target=send_notice, args=(config, subject, body), daemon=True, name="new-request-notice"
        )
        thread.start()
        return thread
    return send_notice(config, subject, body)
