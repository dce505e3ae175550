"""How fast the centre answers, from the timestamps the desk keeps: when a request arrived, and the audit
trail of its status changes. The first change away from «new» is the first contact attempt; the first change
to «in_progress» is «в работе». Figures are per ISO week and per channel (how the person asked to be
contacted), as median and 90th percentile in hours; plus the share of «не дозвонились» among closed requests
and how many requests wait longer than APPLY_ANSWER_WORKING_DAYS working days.

Staff see exact counts here; anything that leaves the desk suppresses small numbers
(`portal.exports.suppress_small`)."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.apply.confirmation import contact_due_date
from portal.apply.models import Application
from portal.audit import AuditEvent
from portal.clock import local_date, local_day_bounds
from portal.extensions import db


@dataclass(frozen=True)
class Timing:
    """One request's moments (naive UTC) and what the desk needs to judge it."""

    created_at: datetime
    channel: str
    status: str
    first_attempt_at: datetime | None = None
    in_progress_at: datetime | None = None
    contact_from: object = None


@dataclass(frozen=True)
class Spread:
    count: int
    median: float | None  # hours
    p90: float | None


@dataclass(frozen=True)
class ResponseFigures:
    weeks: list          # [(ISO week label, Spread to first attempt, Spread to in progress, requests)]
    channels: list       # [(channel code, Spread to first attempt, Spread to in progress, requests)]
    closed: int
    unreachable: int
    unreachable_share: float | None  # percent of closed requests
    overdue: int


def percentile(values, fraction):
    """The `fraction` quantile (0..1) with linear interpolation between ranks; None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def spread(hours):
    hours = list(hours)
    median, p90 = percentile(hours, 0.5), percentile(hours, 0.9)
    return Spread(len(hours), None if median is None else round(median, 1), None if p90 is None else round(p90, 1))


def _hours(start, end):
    return (end - start).total_seconds() / 3600 if end is not None else None


def is_overdue(timing, today, answer_days, working_calendar):
    """Still waiting for a first contact attempt after the promised working day."""
    if timing.first_attempt_at is not None or timing.status != "new":
        return False
    return contact_due_date(timing.created_at, timing.contact_from, answer_days, working_calendar) < today


def week_label(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def response_figures(timings, today, answer_days, working_calendar):
    """The figures over plain Timing values (see the module docstring)."""
    by_week, by_channel = defaultdict(list), defaultdict(list)
    for timing in timings:
        day = local_date(timing.created_at)
        by_week[week_label(day - timedelta(days=day.weekday()))].append(timing)
        by_channel[timing.channel or "none"].append(timing)

    def row(key, group):
        first = [h for h in (_hours(t.created_at, t.first_attempt_at) for t in group) if h is not None]
        working = [h for h in (_hours(t.created_at, t.in_progress_at) for t in group) if h is not None]
        return key, spread(first), spread(working), len(group)

    closed = [t for t in timings if t.status in ("done", "unreachable")]
    unreachable = sum(1 for t in closed if t.status == "unreachable")
    return ResponseFigures(
        weeks=[row(key, by_week[key]) for key in sorted(by_week)],
        channels=[row(key, by_channel[key]) for key in sorted(by_channel)],
        closed=len(closed), unreachable=unreachable,
        unreachable_share=round(100 * unreachable / len(closed), 1) if closed else None,
        overdue=sum(1 for t in timings if is_overdue(t, today, answer_days, working_calendar)))


def _first_changes(application_ids):
    """{application id: (first attempt, first «in progress»)} from the audit trail of status changes."""
    found = {}
    if not application_ids:
        return found
    events = db.session.execute(
        sa.select(AuditEvent.object_id, AuditEvent.created_at, AuditEvent.detail)
        .where(AuditEvent.object_type == "application", AuditEvent.action == "status_changed",
               AuditEvent.object_id.in_(application_ids))
        .order_by(AuditEvent.created_at, AuditEvent.id))
    for object_id, moment, detail in events:
        first, working = found.get(object_id, (None, None))
        old, _, new = (detail or "").partition("->")
        if first is None and old == "new":
            first = moment
        if working is None and new == "in_progress":
            working = moment
        found[object_id] = (first, working)
    return found


def load_timings(start, end):
    """Timing of every request that arrived on the Chelyabinsk days start..end."""
    low, high = local_day_bounds(start, end)
    rows = db.session.execute(
        sa.select(Application.id, Application.created_at, Application.contact_method, Application.status,
                  Application.contact_from)
        .where(Application.created_at >= low, Application.created_at < high)).all()
    changes = _first_changes([row.id for row in rows])
    return [Timing(row.created_at, row.contact_method or "none", row.status, *changes.get(row.id, (None, None)),
                   contact_from=row.contact_from) for row in rows]

