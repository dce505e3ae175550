"""Working-day arithmetic over the holidays data, in Chelyabinsk time."""
from datetime import date, datetime, time

import pytest

from portal import config
from portal.clock import local_date
from portal.working_days import (
    CalendarError,
    add_working_days,
    load_calendar,
    parse_calendar,
    working_days_between,
)

CALENDAR = load_calendar(config.HOLIDAYS_FILE)


@pytest.mark.parametrize("day, working", [
    (date(2026, 1, 8), False),    # ст. 112: a January holiday
    (date(2026, 1, 9), False),    # moved from Saturday 3 January by the 2026 decree
    (date(2026, 1, 12), True),
    (date(2026, 2, 23), False),
    (date(2026, 3, 9), False),    # 8 March was a Sunday
    (date(2026, 5, 11), False),   # 9 May was a Saturday
    (date(2026, 6, 13), False),   # a Saturday
    (date(2026, 11, 4), False),
    (date(2026, 11, 5), True),
    (date(2026, 12, 31), False),  # moved from Sunday 4 January
    (date(2027, 5, 3), False),    # ст. 112 ч. 2: 1 May 2027 is a Saturday
    (date(2027, 2, 23), False),
    (date(2027, 2, 24), True),
    (date(2028, 3, 8), False),    # a year without data still keeps the fixed holidays
])
def test_calendar_knows_holidays_and_moved_days(day, working):
    assert CALENDAR.is_working_day(day) is working


def test_two_working_days_from_a_friday_skip_the_weekend():
    assert add_working_days(date(2026, 12, 4), 2, CALENDAR) == date(2026, 12, 8)


def test_working_days_across_new_year_holidays():
    # Wednesday 30 December 2026: 31 December is a moved day off, 1–8 January holidays, 9–10 a weekend.
    assert add_working_days(date(2026, 12, 30), 1, CALENDAR) == date(2027, 1, 11)
    assert add_working_days(date(2026, 12, 30), 2, CALENDAR) == date(2027, 1, 12)
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 12), CALENDAR) == 2


def test_sent_on_a_holiday_counts_from_the_next_working_day():
    assert add_working_days(date(2026, 11, 4), 1, CALENDAR) == date(2026, 11, 5)


def test_between_and_add_agree():
    start = date(2026, 4, 28)
    for count in range(0, 15):
        assert working_days_between(start, add_working_days(start, count, CALENDAR), CALENDAR) == count


def test_late_evening_utc_is_already_the_next_chelyabinsk_day(app):
    # 20:30 UTC on Friday 4 December is 01:30 on Saturday in Chelyabinsk: the count starts from Saturday.
    with app.app_context():
        sent = local_date(datetime.combine(date(2026, 12, 4), time(20, 30)))
    assert sent == date(2026, 12, 5)
    assert add_working_days(sent, 2, CALENDAR) == date(2026, 12, 8)
    with app.app_context():
        earlier = local_date(datetime.combine(date(2026, 12, 4), time(10, 0)))
    assert add_working_days(earlier, 1, CALENDAR) == date(2026, 12, 7)


@pytest.mark.parametrize("data, problem", [
    ({"years": {}, "fixed_holidays": ["13-01"]}, "MM-DD"),
    ({"years": {2026: {"days_off": ["2026-01-09"]}}}, "source"),
    ({"years": {2026: {"source": "x", "days_off": ["2027-01-09"]}}}, "another year"),
    ({"years": {2026: {"source": "x", "days_off": ["9 января"]}}}, "not a date"),
    ([], "fixed_holidays"),
])
def test_a_bad_calendar_names_the_problem(data, problem):
    with pytest.raises(CalendarError, match=problem):
        parse_calendar(data)
