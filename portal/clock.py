"""The one clock: `now_utc()` for what is stored, `today_local()` for what a person or the centre calls «today».

Every date that counts something (statistics, retention, the dashboard, «открыто сейчас», whether a record is
already expunged) is a Chelyabinsk date (`BABEL_DEFAULT_TIMEZONE`, UTC+5), never the server's or UTC's:
a search at 03:00 Chelyabinsk time belongs to the Chelyabinsk day, which UTC still calls yesterday.
Tests move the clock through `portal.clock.set_now` (the `clock` fixture), never by patching modules."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Yekaterinburg"

_frozen = None  # an aware datetime while a test holds the clock


def set_now(moment):
    """Freeze the clock at an aware datetime (None releases it). For tests and benchmarks only."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("set_now needs an aware datetime")
    _frozen = moment


def zone():
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_ZONE)


def _now_aware():
    return _frozen if _frozen is not None else datetime.now(UTC)


def now_utc():
    """The current UTC time as a naive datetime, as the models store it."""
    return _now_aware().astimezone(UTC).replace(tzinfo=None)


def epoch_seconds():
    """The current time as seconds since the epoch (signed timers, rate-limit windows)."""
    return _now_aware().timestamp()


def now_local():
    """The current time in Chelyabinsk, aware."""
    return _now_aware().astimezone(zone())


def today_local():
    """Today's date in Chelyabinsk."""
    return now_local().date()


def local_date(moment_utc):
    """The Chelyabinsk date of a stored (naive UTC) moment."""
    return moment_utc.replace(tzinfo=UTC).astimezone(zone()).date()


def local_day_bounds(start: date, end: date):
    """The Chelyabinsk days start..end inclusive as naive UTC datetimes [low, high), to filter stored moments."""
    tz = zone()
    low = datetime.combine(start, time.min, tz).astimezone(UTC).replace(tzinfo=None)
    high = datetime.combine(end + timedelta(days=1), time.min, tz).astimezone(UTC).replace(tzinfo=None)
    return low, high
