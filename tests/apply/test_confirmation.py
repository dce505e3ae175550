"""The confirmation answers «что дальше»: the number, the working day by which the centre answers, how, the
centre's contacts only as configured, and for «Приду сам(а)» what to bring. Never cached."""
from datetime import date, datetime

import pytest

from portal import config
from portal.apply.confirmation import contact_due_date, masked_contact
from portal.working_days import load_calendar
from tests.helpers.app import make_app
from tests.helpers.apply import send_form

CALENDAR = load_calendar(config.HOLIDAYS_FILE)


def test_due_date_counts_working_days_from_the_chelyabinsk_day(app):
    with app.app_context():
        # Friday 20:30 UTC is already Saturday in Chelyabinsk: two working days later is Tuesday.
        assert contact_due_date(datetime(2026, 12, 4, 20, 30), None, 2, CALENDAR) == date(2026, 12, 8)
        # «Не раньше» Monday 14 December: the centre answers from that day, by Tuesday 15th.
        assert contact_due_date(datetime(2026, 12, 2, 5), date(2026, 12, 14), 2, CALENDAR) == date(2026, 12, 15)


@pytest.mark.parametrize("method, value, shown", [
    ("phone", "+79123456789", "+7 912 ***-**-89"),
    ("telegram", "@sergey_ivanov", "@se***"),
    ("in_person", None, ""),
])
def test_contact_is_repeated_masked(method, value, shown):
    assert masked_contact(method, value) == shown


def test_confirmation_names_the_day_the_method_and_is_not_cached(client, page, clock):
    clock.set(datetime(2026, 12, 30, 6, 0))  # Wednesday; 31 December and the January holidays are days off
    response = send_form(client, contact_method="whatsapp")
    done = page(response.headers["Location"])
    text = done.text()
    assert done.response.headers["Cache-Control"] == "no-store"
    assert "свяжется с вами до 12 января 2027" in text
    assert "WhatsApp, +7 912 ***-**-89" in text
    assert "+79123456789" not in done.html
    assert "уточните их в центре занятости" in text.lower()
    assert "tel:" not in " ".join(a.get("href", "") for a in done.soup.select("main a"))
    assert "0–10" not in text and "посоветуете" not in text.lower()


def test_confirmation_shows_the_configured_centre_contacts(tmp_path):
    app = make_app(tmp_path, CENTRE_PHONE="+7 351 000-00-00", CENTRE_ADDRESS="ул. Примерная, 1",
                   CENTRE_HOURS="пн–пт 9–18")
    client = app.test_client()
    done = client.get(send_form(client).headers["Location"]).get_data(as_text=True)
    assert 'href="tel:+73510000000"' in done and "ул. Примерная, 1" in done and "пн–пт 9–18" in done
    assert "пока нет" not in done


def test_coming_in_person_says_what_to_bring(client, page):
    response = send_form(client, contact_method="in_person", contact_value="")
    text = page(response.headers["Location"]).text()
    assert "Вы решили прийти сами" in text
    assert "паспорт" in text and "справку об освобождении" in text
    assert "свяжется с вами до" not in text
