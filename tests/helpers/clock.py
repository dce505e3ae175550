"""The `clock` fixture: holds `portal.clock` at a moment that moves only when a test says so."""
from datetime import UTC, datetime, time, timedelta

import pytest

from portal import clock as portal_clock


class Clock:
    """A frozen clock. `moment` is naive UTC, as the models store time; calling the clock returns it."""

    def __init__(self, start):
        self.moment = start
        self._apply()

    def _apply(self):
        portal_clock.set_now(self.moment.replace(tzinfo=UTC))

    def __call__(self):
        return self.moment

    def advance(self, **delta):
        self.moment += timedelta(**delta)
        self._apply()

    def set(self, moment):
        """Move to a naive UTC moment, or to an aware one in any zone."""
        self.moment = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
        self._apply()

    def set_local(self, day, at=time(12, 0)):
        """Move to a Chelyabinsk date (and local time of day)."""
        self.set(datetime.combine(day, at, portal_clock.zone()))

    @property
    def day(self):
        """Today in Chelyabinsk; setting it moves the clock to noon of that day."""
        return portal_clock.today_local()

    @day.setter
    def day(self, value):
        self.set_local(value)


@pytest.fixture
def clock():
    held = Clock(datetime.now(UTC).replace(tzinfo=None, microsecond=0))
    yield held
    portal_clock.set_now(None)
