"""Staff-desk fixtures: a movable clock, a staff member with a known password and TOTP secret, a client
signed in through the real forms, and requests inserted straight into the database."""

import secrets
from datetime import UTC, datetime
from functools import cache
from types import SimpleNamespace
from urllib.parse import quote

import pyotp
import pytest
from bs4 import BeautifulSoup

from portal.apply.applications import new_reference
from portal.apply.models import Application
from portal.extensions import db
from portal.staff import credentials as staff_credentials
from portal.staff.models import StaffUser

PASSWORD = "лодка тихо плывёт по Миассу 🚣 в семь утра"
CANARY = {
    "name": "Иван Петров-Канарейкин",
    "contact_value": "+79991234567",
    "comment": "канарейка-комментарий",
    "district": "kalininsky",
}


@cache
def password_hash():
    """Hashing costs ~0.1 s, so the known password is hashed once for the whole run."""
    return staff_credentials.hash_password(PASSWORD)


def code_at(secret, moment, steps=0):
    """The TOTP code an app would show at `moment` (a naive UTC datetime), `steps` periods later."""
    timestamp = int(moment.replace(tzinfo=UTC).timestamp()) + steps * staff_credentials.TOTP_STEP
    return pyotp.TOTP(secret).at(timestamp)


def make_staff(app, username="anna", password_hash_value=None, active=True):
    with app.app_context():
        user = StaffUser(
            username=username,
            password_hash=password_hash_value or password_hash(),
            totp_secret=pyotp.random_base32(),
            is_active=active,
        )
        db.session.add(user)
        db.session.commit()
        return SimpleNamespace(id=user.id, username=username, password=PASSWORD, secret=user.totp_secret)


@pytest.fixture
def staff(app):
    return make_staff(app)


def hidden_fields(response, action=None):
    """The hidden inputs (CSRF token, next …) of the page's form with this action (else its last form)."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    forms = soup.find_all("form", action=action) if action else soup.find_all("form")
    assert forms, f"no form with action {action}"
    return {field["name"]: field.get("value", "") for field in forms[-1].find_all("input", type="hidden")}


def csrf_token(response):
    """The page's CSRF token (every form on a page carries the same one)."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return soup.find("input", attrs={"name": "csrf_token"})["value"]


def password_step(client, user, password=None, next_url=None, username=None):
    page = client.get("/staff/login" + (f"?next={quote(next_url, safe='')}" if next_url else ""))
    data = hidden_fields(page, "/staff/login")
    data.update(username=username or user.username, password=user.password if password is None else password)
    return client.post("/staff/login", data=data)


def code_step(client, code):
    page = client.get("/staff/login/code")
    return client.post("/staff/login/code", data={**hidden_fields(page, "/staff/login/code"), "code": code})


def sign_in(client, user, clock, next_url=None):
    """Both real steps; returns the response of the code step (303 to the desk on success)."""
    response = password_step(client, user, next_url=next_url)
    assert response.status_code == 303 and response.location.endswith("/staff/login/code")
    return code_step(client, code_at(user.secret, clock()))


@pytest.fixture
def signed_in(app, staff, clock):
    """A test client with a full staff session for `staff`."""
    client = app.test_client()
    response = sign_in(client, staff, clock)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def logout(client):
    page = client.get("/staff/")
    return client.post("/staff/logout", data={"csrf_token": csrf_token(page)})


def add_application(app, **fields):
    """Insert one request directly (the public form is another module); returns its id."""
    now = datetime.now(UTC).replace(tzinfo=None)
    values = {
        "reference": new_reference(),
        "idempotency_key": secrets.token_hex(16),
        "applicant": "self",
        "help_needed": "job",
        "status": "new",
        "consent_version": "c" * 64,
        "consented_at": now,
        "created_at": now,
        "name": CANARY["name"],
        "contact_method": "phone",
        "contact_value": CANARY["contact_value"],
        "convenient_time": "morning",
        "district": CANARY["district"],
        "comment": CANARY["comment"],
    }
    values.update(fields)
    with app.app_context():
        application = Application(**values)
        db.session.add(application)
        db.session.commit()
        return application.id


def staff_rules(app):
    return [
        rule for rule in app.url_map.iter_rules() if rule.rule == "/staff" or rule.rule.startswith("/staff/")
    ]


def example_url(rule):
    values = {
        name: 1 if "int" in type(rule._converters[name]).__name__.lower() else "x" * 40
        for name in rule.arguments
    }
    return rule.build(values, append_unknown=False)[1]


def sweep(client, app, skip=()):
    """(endpoint, method, url, status, location) for every method of every /staff rule."""
    results = []
    for rule in staff_rules(app):
        if rule.endpoint in skip:
            continue
        url = example_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            results.append((rule.endpoint, method, url, response.status_code, response.location or ""))
    return results
