"""The desk's menu and its «to re-check» list: areas add their pages and reminders, the staff code names none;
the list shows only what is due and a reminder that cannot read the database is left out, not a 500."""
from datetime import date

from bs4 import BeautifulSoup
from sqlalchemy.exc import OperationalError

from portal.staff.menu import register_reminder
from tests.helpers.employers import add_card
from tests.helpers.places import add_place


def _soup(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_menu_lists_the_requests_the_figures_and_every_area_that_registered_a_page(signed_in):
    links = [(a.get_text(strip=True), a["href"]) for a in _soup(signed_in, "/staff/").select("nav a")]
    for expected in [("Заявки", "/staff/"), ("Показатели", "/staff/dashboard/"),
                     ("Работодатели", "/staff/rabotodateli"), ("Места", "/staff/mesta"),
                     ("Вакансии", "/staff/vakansii/")]:
        assert expected in links, links


def test_nothing_due_shows_no_list(signed_in):
    assert _soup(signed_in, "/staff/").select_one(".staff-reminders") is None


def test_stale_places_and_waiting_sign_ups_are_listed_on_the_desk_and_the_figures(app, signed_in):
    add_place(app, name="Давно не проверяли", confirmed_on=date(2026, 1, 15))
    add_place(app, name="Проверили вчера")
    add_card(app, name='ООО "Новая заявка"', status="pending", confirmed_at=None)
    for url in ("/staff/", "/staff/dashboard/"):
        items = {a.get_text(" ", strip=True): a["href"]
                 for a in _soup(signed_in, url).select(".staff-reminders a")}
        assert items == {"Места, не подтверждённые больше 90 дней: 1": "/staff/mesta#stale",
                         "Заявки работодателей на проверку: 1": "/staff/rabotodateli#pending"}, (url, items)
    stale = _soup(signed_in, "/staff/mesta").find(id="stale").find_next("ul")
    assert "Давно не проверяли" in stale.get_text() and "Проверили вчера" not in stale.get_text()


def test_a_reminder_that_cannot_read_the_database_is_left_out(app, signed_in):
    def broken():
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    register_reminder(app, broken)
    add_place(app, name="Давно не проверяли", confirmed_on=date(2026, 1, 15))
    items = [a.get_text(" ", strip=True) for a in _soup(signed_in, "/staff/").select(".staff-reminders a")]
    assert items == ["Места, не подтверждённые больше 90 дней: 1"]
