"""Retention (ст. 21 152-ФЗ): personal data of requests closed more than N days ago is erased, while the
anonymous columns stay so that counts by help needed, applicant and status do not change.

Run daily from cron: `flask requests purge` (see docs/staff.md).
"""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete, select

from portal.apply.applications import CLOSED_STATUSES
from portal.apply.models import Application, ApplicationNote
from portal.audit import record
from portal.clock import now_utc
from portal.extensions import db

PERSONAL_COLUMNS = (
    "name",
    "contact_method",
    "contact_value",
    "convenient_time",
    "contact_from",
    "district",
    "comment",
    "release_date",
    "institution",
    "reach_via",
    "referrer_name",
    "referrer_phone",
    "about_kind",
    "about_ref",
    "about_title",
    "about_url",
)


def purge_closed_applications(days, actor="system"):
    """Erase personal data of requests closed more than `days` days ago; return how many were purged."""
    if days < 0:
        raise ValueError("days must not be negative")
    moment = now_utc()
    cutoff = moment - timedelta(days=days)
    due = (
        db.session.execute(
            select(Application).where(
                Application.status.in_(CLOSED_STATUSES),
                Application.closed_at.is_not(None),
                Application.closed_at < cutoff,
                Application.purged_at.is_(None),
            )
        )
        .scalars()
        .all()
    )
    for application in due:
        for column in PERSONAL_COLUMNS:
            setattr(application, column, None)
        application.purged_at = moment
    if due:
        db.session.execute(
            delete(ApplicationNote).where(ApplicationNote.application_id.in_([a.id for a in due]))
        )
    # One audit event per run, with the count only; committed together with the erasure.
    record(actor, "purge", detail=f"purged={len(due)}; days={days}")
    return len(due)


requests_cli = AppGroup("requests", help="Requests («заявки») from the site.")


@requests_cli.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=None,
    help="Erase personal data of requests closed more than this many days ago "
    "(default: APPLICATION_RETENTION_DAYS, 30).",
)
def purge_command(days):
    """Erase personal data of long-closed requests; anonymous counts stay. Safe to run again."""
    if days is None:
        days = int(current_app.config["APPLICATION_RETENTION_DAYS"])
    count = purge_closed_applications(days)
    click.echo(f"Удалены личные данные из заявок, закрытых более {days} дн. назад: {count}.")


def init_app(app):
    app.cli.add_command(requests_cli)
