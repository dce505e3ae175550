"""`flask requests purge`: personal data of requests closed more than N days ago is erased; counts stay."""

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from portal.apply.models import Application, ApplicationNote
from portal.audit import AuditEvent
from portal.extensions import db
from portal.staff.retention import PERSONAL_COLUMNS, purge_closed_applications
from tests.helpers.staff import CANARY, add_application


def counts(app):
    with app.app_context():
        rows = db.session.execute(select(Application)).scalars().all()
        return (
            len(rows),
            Counter(a.applicant for a in rows),
            Counter(a.status for a in rows),
            Counter(code for a in rows for code in a.help_codes),
        )


def seed(app, clock):
    """Requests closed 31 and 40 days ago (due), 29 days ago (not yet), and two open ones (never)."""
    t = clock()
    ids = {
        "done_31": add_application(
            app,
            status="done",
            closed_at=t - timedelta(days=31),
            applicant="relative",
            help_needed="job,housing",
            created_at=t - timedelta(days=40),
        ),
        "unreachable_40": add_application(
            app,
            status="unreachable",
            closed_at=t - timedelta(days=40),
            applicant="prison_staff",
            help_needed="documents",
        ),
        "done_29": add_application(
            app, status="done", closed_at=t - timedelta(days=29), help_needed="benefit"
        ),
        "new_old": add_application(app, status="new", created_at=t - timedelta(days=300)),
        "in_progress": add_application(app, status="in_progress", created_at=t - timedelta(days=100)),
    }
    with app.app_context():
        for application_id in ids.values():
            db.session.add(ApplicationNote(application_id=application_id, text="заметка " + CANARY["name"]))
        db.session.commit()
    return ids


def test_purge_erases_only_requests_closed_more_than_30_days_ago(app, runner, clock):
    ids = seed(app, clock)
    before = counts(app)
    result = runner.invoke(args=["requests", "purge"])
    assert result.exit_code == 0, result.output
    assert "30" in result.output and ": 2." in result.output
    with app.app_context():
        for key, application_id in ids.items():
            application = db.session.get(Application, application_id)
            purged = key in ("done_31", "unreachable_40")
            assert (application.purged_at is not None) == purged, key
            values = [getattr(application, column) for column in PERSONAL_COLUMNS]
            if purged:
                assert values == [None] * len(PERSONAL_COLUMNS), key
                assert application.notes == []
                assert application.purged_at == clock()
            else:
                assert application.name == CANARY["name"] and len(application.notes) == 1, key
        event = db.session.execute(select(AuditEvent).filter_by(action="purge")).scalar_one()
        assert (event.actor, event.detail) == ("system", "purged=2; days=30")
    assert counts(app) == before


def test_purge_is_idempotent(app, runner, clock):
    seed(app, clock)
    assert ": 2." in runner.invoke(args=["requests", "purge"]).output
    second = runner.invoke(args=["requests", "purge"])
    assert second.exit_code == 0 and ": 0." in second.output
    with app.app_context():
        details = [
            e.detail for e in db.session.execute(select(AuditEvent).filter_by(action="purge")).scalars()
        ]
        assert details == ["purged=2; days=30", "purged=0; days=30"]


def test_the_clock_moving_on_makes_the_29_day_request_due(app, runner, clock):
    ids = seed(app, clock)
    runner.invoke(args=["requests", "purge"])
    clock.advance(days=2)
    assert ": 1." in runner.invoke(args=["requests", "purge"]).output
    with app.app_context():
        assert db.session.get(Application, ids["done_29"]).name is None
        assert db.session.get(Application, ids["new_old"]).name == CANARY["name"]


def test_days_option_and_config_set_the_period(app, runner, clock):
    ids = seed(app, clock)
    assert ": 3." in runner.invoke(args=["requests", "purge", "--days", "10"]).output
    assert runner.invoke(args=["requests", "purge", "--days", "-1"]).exit_code == 2
    app.config["APPLICATION_RETENTION_DAYS"] = 0
    assert runner.invoke(args=["requests", "purge"]).exit_code == 0
    with app.app_context():
        assert db.session.get(Application, ids["in_progress"]).purged_at is None


def test_a_purged_request_still_opens_on_the_desk_without_personal_data(app, runner, clock, signed_in):
    ids = seed(app, clock)
    runner.invoke(args=["requests", "purge"])
    html = signed_in.get(f"/staff/zayavki/{ids['done_31']}").get_data(as_text=True)
    assert CANARY["name"] not in html and CANARY["comment"] not in html
    purged_id = ids["done_31"]
    assert f'action="/staff/zayavki/{purged_id}/notes"' not in html
    assert signed_in.get("/staff/export.csv").status_code == 200


def test_purge_function_refuses_negative_days(app):
    import pytest

    with app.app_context(), pytest.raises(ValueError):
        purge_closed_applications(-1)
