"""Places fixtures: a place inserted straight into the database, and the staff sign-in of tests/staff."""
from datetime import date

import pytest

from portal.extensions import db
from portal.places.models import Place
from tests.staff.conftest import make_staff, sign_in

LUNCH_WEEK = {f"hours_{d}": "9:00-13:00, 14:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}


def add_place(app, **fields):
    """Insert one place (a realistic office with a lunch break by default); returns its id."""
    values = {"kind": "centre", "name": "Отдел на Тестовой", "district": "kalininsky",
              "address": "ул. Тестовая, 5", "phones": "+7 351 111-22-33 — приём", **LUNCH_WEEK,
              "confirmed_on": date(2026, 12, 1), "confirmed_by": "anna"}
    values.update(fields)
    with app.app_context():
        place = Place(**values)
        db.session.add(place)
        db.session.commit()
        return place.id


@pytest.fixture
def staff_client(app, clock):
    """A test client signed in to the staff desk through the real forms."""
    user = make_staff(app)
    client = app.test_client()
    response = sign_in(client, user, clock)
    assert response.status_code == 303
    client.staff = user
    return client
