"""The desk's menu and its «to re-check» list, which other areas add to: staff code never names them.

An area calls `register_staff_page(app, endpoint, label)` for a page of its own under /staff, and
`register_reminder(app, reminder)` for something staff must look at again (places not confirmed lately,
employer sign-ups waiting). The desk and the figures page list the reminders that have something due.
"""
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from portal.database import StorageUnavailable
from portal.extensions import db


@dataclass(frozen=True)
class Reminder:
    """One line of the «to re-check» list: what is due, how many, and the page where staff deal with it."""
    text: str
    count: int
    url: str


def register_staff_page(app, endpoint, label):
    """Add a page of an area to the desk's menu, after the requests and the figures."""
    app.extensions.setdefault("staff_pages", []).append((endpoint, label))


def register_reminder(app, reminder):
    """`reminder()` runs inside a staff request and returns a Reminder, or None when nothing is due."""
    app.extensions.setdefault("staff_reminders", []).append(reminder)


def menu_items():
    """(url, label, endpoint) of the desk's menu: the requests, the figures, then the areas' pages."""
    pages = [("staff.desk", _("Incoming requests")), ("dashboard.index", _("Figures"))]
    pages += current_app.extensions.get("staff_pages", [])
    return [(url_for(endpoint), str(label), endpoint) for endpoint, label in pages
            if endpoint in current_app.view_functions]


def due_reminders():
    """The reminders with something due; one that cannot read the database is left out, not a 500."""
    due = []
    for reminder in current_app.extensions.get("staff_reminders", []):
        try:
            item = reminder()
        except (SQLAlchemyError, StorageUnavailable):
            db.session.rollback()
            continue
        if item is not None and item.count > 0:
            due.append(item)
    return due

