"""The optional «new request» e-mail: no personal data, never an exception, off without SMTP settings."""

import logging
import socket
from types import SimpleNamespace

import pytest

from portal.apply import notify
from tests.helpers.staff import CANARY

APPLICATION = SimpleNamespace(
    id=42,
    reference="K7F-3QX",
    name=CANARY["name"],
    contact_value=CANARY["contact_value"],
    comment=CANARY["comment"],
    district=CANARY["district"],
    help_needed="housing",
)


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_notice_says_only_new_request_and_links_to_the_desk(app):
    subject, body = notify.build_notice(app, APPLICATION)
    assert subject == "Новая заявка K7F-3QX"
    assert "http://localhost/staff/zayavki/42" in body and "K7F-3QX" in body
    for value in (
        CANARY["name"],
        "Иван",
        CANARY["contact_value"],
        "9991234567",
        CANARY["comment"],
        "kalininsky",
        "Калинин",
        "housing",
        "Жильё",
    ):
        assert value not in subject + body


def test_the_notice_is_in_russian_even_inside_an_english_request(app):
    with app.test_request_context("/en/zayavka"):
        subject, _body = notify.build_notice(app, APPLICATION)
    assert subject.startswith("Новая заявка")


def test_nothing_is_sent_without_smtp_settings(app, monkeypatch):
    monkeypatch.setattr(notify.smtplib, "SMTP", lambda *a, **k: pytest.fail("no SMTP expected"))
    assert notify.notify_new_application(app, APPLICATION) is None


def test_a_closed_mail_port_is_logged_without_personal_data_and_not_raised(app, caplog):
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=closed_port(),
        SMTP_TO="czn@example.org",
        SMTP_STARTTLS=False,
        SMTP_IN_BACKGROUND=False,
    )
    with caplog.at_level(logging.INFO, logger="portal.apply.notify"):
        assert notify.notify_new_application(app, APPLICATION) is False
    assert "not sent: ConnectionRefusedError" in caplog.text
    for value in CANARY.values():
        assert value not in caplog.text


def test_background_sending_never_raises_either(app):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=closed_port(), SMTP_TO="czn@example.org")
    thread = notify.notify_new_application(app, APPLICATION)
    thread.join(timeout=10)
    assert not thread.is_alive()


class FakeSMTP:
    sent = []

    def __init__(self, host, port, timeout):
        self.calls = [("connect", host, port, timeout)]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        FakeSMTP.sent.append(self.calls)

    def starttls(self, context):
        self.calls.append(("starttls",))

    def login(self, user, password):
        self.calls.append(("login", user))

    def send_message(self, message):
        self.calls.append(("send", message["From"], message["To"], message["Subject"], message.get_content()))


def test_a_configured_server_gets_starttls_login_and_one_message(app, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(notify.smtplib, "SMTP", FakeSMTP)
    app.config.update(
        SMTP_HOST="mail.czn.example",
        SMTP_PORT=587,
        SMTP_USERNAME="robot",
        SMTP_PASSWORD="x",
        SMTP_FROM="site@czn.example",
        SMTP_TO="a@czn.example, b@czn.example",
        SMTP_IN_BACKGROUND=False,
    )
    assert notify.notify_new_application(app, APPLICATION) is True
    (calls,) = FakeSMTP.sent
    assert calls[0] == ("connect", "mail.czn.example", 587, 5.0)
    assert calls[1] == ("starttls",) and calls[2] == ("login", "robot")
    _send, sender, to, subject, body = calls[3]
    assert (sender, to, subject) == (
        "site@czn.example",
        "a@czn.example, b@czn.example",
        "Новая заявка K7F-3QX",
    )
    assert CANARY["name"] not in body


def test_a_broken_application_object_is_swallowed_too(app):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_TO="czn@example.org")
    assert notify.notify_new_application(app, object()) is False
