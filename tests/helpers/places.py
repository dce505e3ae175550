"""The places tests' helpers: a place inserted straight into the database."""
from datetime import date

from portal.extensions import db
from portal.places.models import Place

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
