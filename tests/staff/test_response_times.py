"""Response-time figures on a fixture of requests: percentiles, weeks, channels, «не дозвонились», overdue."""
from datetime import date, datetime, timedelta

import pytest

from portal import config
from portal.staff.figures import Timing, percentile, response_figures, spread
from portal.staff.overview import service_csv_rows
from portal.working_days import load_calendar

CALENDAR = load_calendar(config.HOLIDAYS_FILE)
MONDAY = datetime(2026, 11, 30, 5, 0)  # 10:00 in Chelyabinsk


def test_percentile_interpolates_between_ranks():
    assert percentile([], 0.5) is None
    assert percentile([7], 0.9) == 7
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile(list(range(1, 11)), 0.9) == pytest.approx(9.1)
    assert spread([4, 1, 3, 2, 10]) .median == 3 and spread([4, 1, 3, 2, 10]).p90 == pytest.approx(7.6)


def fixture():
    after = lambda hours: MONDAY + timedelta(hours=hours)  # noqa: E731
    return [
        Timing(MONDAY, "phone", "in_progress", after(1), after(1)),
        Timing(MONDAY, "phone", "done", after(3), after(5)),
        Timing(MONDAY, "phone", "unreachable", after(2)),
        Timing(MONDAY, "whatsapp", "in_progress", after(24), after(24)),
        Timing(MONDAY + timedelta(days=7), "telegram", "new"),          # next week, still waiting
        Timing(datetime(2026, 11, 24, 5), "phone", "new"),             # Tuesday before: overdue
        Timing(datetime(2026, 11, 26, 5), "phone", "new", contact_from=date(2026, 12, 20)),  # «не раньше»
    ]


def test_figures_per_channel_and_week_on_known_requests():
    figures = response_figures(fixture(), date(2026, 12, 2), 2, CALENDAR)
    channels = {key: (first, working, count) for key, first, working, count in figures.channels}
    first, working, count = channels["phone"]
    assert count == 5 and (first.count, first.median, first.p90) == (3, 2.0, 2.8)
    assert (working.count, working.median, working.p90) == (2, 3.0, 4.6)
    assert channels["whatsapp"][0].median == 24.0
    assert channels["telegram"][0].median is None
    weeks = {key: count for key, _f, _w, count in figures.weeks}
    assert weeks == {"2026-W48": 2, "2026-W49": 4, "2026-W50": 1}
    assert (figures.closed, figures.unreachable, figures.unreachable_share) == (2, 1, 50.0)
    # Only the Tuesday request is past its second working day; the one asking «не раньше 20.12» is not.
    assert figures.overdue == 1


def test_overdue_counts_working_days_across_a_holiday():
    # Sent on Tuesday 3 November 2026; 4 November is a holiday: due Thursday 5th... then Friday 6th.
    waiting = [Timing(datetime(2026, 11, 3, 5), "phone", "new")]
    assert response_figures(waiting, date(2026, 11, 6), 2, CALENDAR).overdue == 0
    assert response_figures(waiting, date(2026, 11, 7), 2, CALENDAR).overdue == 1


def test_the_export_hides_small_groups_and_their_percentiles_but_keeps_larger_ones(app):
    after = lambda hours: MONDAY + timedelta(hours=hours)  # noqa: E731
    timings = [Timing(MONDAY, "phone", "in_progress", after(h), after(h)) for h in (1, 2, 3, 4, 5, 6)]
    timings += [Timing(MONDAY, "whatsapp", "done", after(2), after(2))]
    with app.app_context():
        rows = service_csv_rows(response_figures(timings, date(2026, 12, 1), 2, CALENDAR))
    by_channel = {(r[1], r[2]): r[3] for r in rows if r[0] == "Скорость ответа по способу связи"}
    assert by_channel[("Звонок или СМС", "Заявок")] == "6"
    assert by_channel[("Звонок или СМС", "Первая попытка, медиана, ч")] == "3,5"
    assert by_channel[("WhatsApp", "Заявок")] == "<5"
    assert by_channel[("WhatsApp", "Первая попытка, медиана, ч")] == "—"
    totals = {r[2]: r[3] for r in rows if r[0] == "Скорость ответа"}
    assert totals == {"Ждут дольше обещанного": "0", "Закрытых заявок": "<5", "Не дозвонились": "0"}

