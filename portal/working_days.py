"""Working days of the centre: Russian weekends, public holidays and moved days off, read from data.

The calendar lives in portal/content/holidays.yaml (each year with its source). The arithmetic here takes
plain dates and a `WorkingCalendar`, so it is tested without an app; `calendar()` gives the app's one."""
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml
from flask import current_app

from portal.yaml_files import load_yaml_file

EXTENSION_KEY = "working_calendar"


class CalendarError(ValueError):
    """holidays.yaml is missing or malformed: the app refuses to start, naming the problem."""


@dataclass(frozen=True)
class WorkingCalendar:
    fixed_holidays: frozenset  # (month, day) pairs of ТК РФ ст. 112 ч. 1, valid for every year
    days_off: frozenset        # dates: weekdays not worked (moved days off)
    working_days: frozenset    # dates: weekend days worked because a day off was moved from them
    known_years: frozenset     # years whose moves are in the data (others: fixed holidays only)

    def is_working_day(self, day):
        if day in self.working_days:
            return True
        if day in self.days_off or (day.month, day.day) in self.fixed_holidays:
            return False
        return day.weekday() < 5


def _as_date(value, where):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise CalendarError(f"{where}: «{value}» is not a date YYYY-MM-DD") from error


def parse_calendar(data, name="holidays.yaml"):
    """A WorkingCalendar from the parsed YAML; raises CalendarError naming the bad entry."""
    if not isinstance(data, dict) or not isinstance(data.get("years"), dict):
        raise CalendarError(f"{name}: needs «fixed_holidays» and «years»")
    fixed = set()
    for item in data.get("fixed_holidays") or []:
        try:
            month, day = (int(part) for part in str(item).split("-"))
            date(2000, month, day)
        except ValueError as error:
            raise CalendarError(f"{name}: fixed_holidays: «{item}» is not MM-DD") from error
        fixed.add((month, day))
    days_off, worked = set(), set()
    for year, entry in data["years"].items():
        if not isinstance(entry, dict) or not entry.get("source"):
            raise CalendarError(f"{name}: {year}: every year needs its «source»")
        for key, target in (("days_off", days_off), ("working_days", worked)):
            for value in entry.get(key) or []:
                day = _as_date(value, f"{name}: {year}: {key}")
                if day.year != int(year):
                    raise CalendarError(f"{name}: {year}: {key}: {day} is in another year")
                target.add(day)
    return WorkingCalendar(frozenset(fixed), frozenset(days_off), frozenset(worked),
                           frozenset(int(year) for year in data["years"]))


def load_calendar(path):
    path = Path(path)
    try:
        data = load_yaml_file(path)
    except (OSError, yaml.YAMLError) as error:
        raise CalendarError(f"{path.name}: {error}") from error
    return parse_calendar(data, path.name)


def add_working_days(start, count, working_calendar):
    """The date `count` working days after `start` (start itself not counted; a request sent on a Friday
    with count 2 is due on Tuesday). count 0 gives start itself."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if working_calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end, working_calendar):
    """How many working days lie after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if working_calendar.is_working_day(day):
            count += 1
    return count


def calendar():
    """The app's calendar, loaded once at start-up."""
    return current_app.extensions[EXTENSION_KEY]


def init_app(app):
    app.extensions[EXTENSION_KEY] = load_calendar(app.config["HOLIDAYS_FILE"])
