"""Opening hours: reading a day's text, and «открыто сейчас / откроется в 9:00» in Chelyabinsk time."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.places import hours
from portal.places.hours import DAY, HoursError, parse_day, parse_week, status_at

CHEL = ZoneInfo("Asia/Yekaterinburg")
OFFICE = parse_week(["9:00-13:00, 14:00-18:00"] * 5 + ["", ""])  # Monday to Friday, lunch 13–14
NIGHT_STAY = parse_week(["20:00-8:00"] * 7)


def at(day, hour, minute=0):
    """2026-12-07 is a Monday."""
    return datetime(2026, 12, day, hour, minute, tzinfo=CHEL)


@pytest.mark.parametrize("text, expected", [
    ("9:00-18:00", ((540, 1080),)),
    ("9-18", ((540, 1080),)),
    ("09.00 – 13.00, 14:00—18:00", ((540, 780), (840, 1080))),
    ("", ()), ("выходной", ()), ("Выходной.", ()), (None, ()),
    ("круглосуточно", ((0, DAY),)), ("0:00-24:00", ((0, DAY),)),
    ("20:00-8:00", ((1200, DAY + 480),)),
])
def test_a_day_text_is_read_as_intervals(text, expected):
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["9", "9:60-18:00", "25:00-26:00", "с 9 до 18", "9:00-13:00, 12:00-18:00",
                                  "24:00-8:00", "abc"])
def test_a_day_text_that_is_not_hours_is_refused(text):
    with pytest.raises(HoursError):
        parse_day(text)


def test_open_in_the_morning_until_the_lunch_break():
    status = status_at(OFFICE, at(7, 10, 30))
    assert status.is_open and status.until == 13 * 60


def test_closed_during_the_lunch_break_opens_again_today():
    status = status_at(OFFICE, at(7, 13, 15))
    assert not status.is_open
    assert (status.opens_in_days, status.opens_at) == (0, 14 * 60)


def test_the_minute_the_break_ends_it_is_open():
    assert status_at(OFFICE, at(7, 14, 0)).is_open
    assert not status_at(OFFICE, at(7, 18, 0)).is_open


def test_on_a_day_off_it_opens_on_monday():
    status = status_at(OFFICE, at(12, 11))  # Saturday
    assert not status.is_open
    assert (status.opens_in_days, status.opens_weekday, status.opens_at) == (2, 0, 9 * 60)


def test_after_closing_on_friday_it_opens_on_monday():
    status = status_at(OFFICE, at(11, 19))
    assert (status.opens_in_days, status.opens_weekday) == (3, 0)


def test_after_closing_on_a_weekday_it_opens_tomorrow():
    status = status_at(OFFICE, at(8, 18, 30))
    assert (status.opens_in_days, status.opens_at) == (1, 9 * 60)


def test_a_night_stay_is_open_after_midnight_and_closes_in_the_morning():
    status = status_at(NIGHT_STAY, at(8, 2))
    assert status.is_open and status.until == 8 * 60
    assert status_at(NIGHT_STAY, at(8, 23)).is_open
    closed = status_at(NIGHT_STAY, at(8, 12))
    assert not closed.is_open and (closed.opens_in_days, closed.opens_at) == (0, 20 * 60)


def test_a_night_stay_open_on_sunday_night_only_is_open_early_monday():
    week = parse_week(["", "", "", "", "", "", "22:00-6:00"])
    assert status_at(week, at(7, 3)).is_open  # Monday 03:00, from Sunday's night
    assert not status_at(week, at(7, 7)).is_open


def test_around_the_clock_every_day_is_open_all_the_time():
    status = status_at(parse_week(["круглосуточно"] * 7), at(9, 4))
    assert status.is_open and status.all_the_time


def test_no_hours_entered_is_unknown_never_closed():
    assert status_at(parse_week([""] * 7), at(7, 10)).known is False


def test_at_midnight_in_chelyabinsk_the_local_day_counts_while_utc_is_still_yesterday():
    # 00:30 on Saturday in Chelyabinsk is 19:30 on Friday UTC: a place open Friday 19:00-20:00 only is closed.
    week = parse_week(["", "", "", "", "19:00-20:00", "", ""])
    moment_utc = datetime(2026, 12, 11, 19, 30, tzinfo=UTC)
    assert not status_at(week, moment_utc.astimezone(CHEL)).is_open
    assert status_at(week, moment_utc).is_open  # what a server reading UTC would wrongly say


def test_describe_says_it_in_russian(app):
    with app.test_request_context("/"):
        assert hours.describe(status_at(OFFICE, at(7, 10))) == "Открыто сейчас, до 13:00."
        assert hours.describe(status_at(OFFICE, at(7, 13, 30))) == "Закрыто. Откроется сегодня в 14:00."
        assert hours.describe(status_at(OFFICE, at(8, 19))) == "Закрыто. Откроется завтра в 9:00."
        assert hours.describe(status_at(OFFICE, at(12, 10))) == "Закрыто. Откроется в понедельник в 9:00."


def test_normalise_day_stores_one_spelling():
    assert hours.normalise_day("09.00 – 13.00 ,14-18") == "9:00-13:00, 14:00-18:00"
    assert hours.normalise_day("24/7") == "круглосуточно"
    assert hours.normalise_day("выходной") == ""
