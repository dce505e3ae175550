"""The directory's rules over the database: stale places, the open status in Chelyabinsk time through the
one clock, phones as tel: links, the centre's contacts from the directory or the settings."""
from datetime import UTC, date, datetime, timedelta

from portal.places import directory
from portal.places.models import Place
from tests.helpers.places import add_place


def test_a_place_confirmed_longer_ago_than_the_setting_is_stale(app, clock):
    clock.set_local(date(2026, 12, 2))
    fresh = add_place(app, confirmed_on=date(2026, 12, 2) - timedelta(days=90))
    old = add_place(app, confirmed_on=date(2026, 12, 2) - timedelta(days=91))
    never = add_place(app, confirmed_on=None)
    with app.app_context():
        assert not directory.is_stale(app.extensions["sqlalchemy"].session.get(Place, fresh))
        assert [p.id for p in directory.stale_places()] == [never, old]
        app.config["PLACES_STALE_DAYS"] = 200
        assert [p.id for p in directory.stale_places()] == [never]


def test_a_hidden_place_is_not_public_and_not_on_the_recheck_list(app, clock):
    hidden = add_place(app, hidden=True, confirmed_on=None)
    with app.app_context():
        assert directory.public_place(hidden) is None
        assert directory.stale_places() == []


def test_open_status_uses_chelyabinsk_time_through_the_clock(app, clock):
    place_id = add_place(app)
    # Monday 7 December 2026, 04:30 UTC = 09:30 in Chelyabinsk: open; UTC alone would say closed.
    clock.set(datetime(2026, 12, 7, 4, 30, tzinfo=UTC))
    with app.test_request_context("/"):
        place = directory.public_place(place_id)
        assert directory.open_status(place) == "Открыто сейчас, до 13:00."
    # Friday 11 December 19:10 UTC = Saturday 00:10 in Chelyabinsk: a day off.
    clock.set(datetime(2026, 12, 11, 19, 10, tzinfo=UTC))
    with app.test_request_context("/"):
        assert directory.open_status(directory.public_place(place_id)) == "Закрыто. Откроется в понедельник в 9:00."


def test_phones_become_dialable_tel_values():
    phones = directory.phone_list("+7 351 111-22-33 — приём\n8 (351) 222-33-44\nзвонить не нужно")
    assert [(p.tel, p.label) for p in phones] == [("+73511112233", "приём"), ("+73512223344", ""),
                                                  ("", "звонить не нужно")]


def test_hours_summary_groups_equal_days(app):
    with app.test_request_context("/"):
        place = Place(hours_mon="9:00-18:00", hours_tue="9:00-18:00", hours_wed="9:00-18:00",
                      hours_thu="9:00-18:00", hours_fri="9:00-17:00", hours_sat=None, hours_sun=None)
        assert directory.hours_summary(place) == "пн–чт 9:00–18:00; пт 9:00–17:00"


def test_centre_contacts_come_from_the_settings_until_a_centre_office_is_entered(app):
    app.config.update(CENTRE_PHONE="+7 351 000-11-22", CENTRE_ADDRESS="ул. Настроек, 1")
    with app.app_context():
        assert directory.centre_contacts().address == "ул. Настроек, 1"
    add_place(app, kind="shelter", name="Ночлег", address="ул. Ночная, 2")
    add_place(app, name="Главный отдел", address="ул. Главная, 3", is_main=True)
    with app.test_request_context("/"):
        contacts = directory.centre_contacts()
        assert (contacts.address, contacts.tel) == ("ул. Главная, 3", "+73511112233")
        assert contacts.hours == "пн–пт 9:00–13:00, 14:00–18:00"


def test_clean_values_names_each_bad_field(app):
    with app.test_request_context("/"):
        values, errors = directory.clean_values({"kind": "castle", "name": "", "address": "ул. 1",
                                                 "district": "moon", "hours_mon": "с утра"})
        assert set(errors) == {"kind", "name", "district", "hours_mon"}
        values, errors = directory.clean_values({"kind": "mfc", "name": "МФЦ", "address": "ул. 1",
                                                 "hours_tue": "9-20"})
        assert errors == {} and values["hours_tue"] == "9:00-20:00"
