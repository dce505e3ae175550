"""Public pages of the directory: by need, a district filter without JavaScript, a page and a print view
per place, honest when nothing is entered; no cookie, every page invariant kept."""
from datetime import UTC, date, datetime

import pytest

from tests.helpers.places import add_place


def test_with_no_place_the_directory_says_so_and_offers_the_request_form(page):
    result = page("/kuda-obratitsya")
    text = result.text()
    assert "Центр занятости сейчас наполняет этот список" in text
    assert result.soup.find("a", href="/zayavka") or "/zayavka" in result.html
    assert "Set-Cookie" not in result.response.headers


def test_places_are_grouped_by_need_and_filtered_by_district_with_a_get_form(app, page, clock):
    clock.set(datetime(2026, 12, 7, 5, 0, tzinfo=UTC))  # Monday 10:00 in Chelyabinsk
    add_place(app, kind="shelter", name="Ночлег Ленинский", district="leninsky", hours_mon="20:00-8:00")
    add_place(app, name="Отдел Калининский")
    result = page("/kuda-obratitsya")
    sleep = result.soup.find(id="nuzhno-nochleg").find_parent("section").get_text()
    assert "Ночлег Ленинский" in sleep and "Отдел Калининский" not in sleep
    register = result.soup.find(id="nuzhno-uchet").find_parent("section").get_text()
    assert "Отдел Калининский" in register and "Открыто сейчас, до 13:00." in register
    form = result.soup.find("form", class_="place-filters")
    assert form["method"] == "get" and form.find("select", attrs={"name": "rayon"})
    filtered = page("/kuda-obratitsya?rayon=leninsky").text()
    assert "Ночлег Ленинский" in filtered and "Отдел Калининский" not in filtered
    one_need = page("/kuda-obratitsya?nuzhno=uchet&rayon=nowhere").text()
    assert "Отдел Калининский" in one_need and "Ночлег Ленинский" not in one_need


def test_a_place_page_has_tel_links_hours_status_what_to_bring_and_a_print_view(app, page, clock):
    clock.set(datetime(2026, 12, 7, 8, 15, tzinfo=UTC))  # Monday 13:15 in Chelyabinsk: lunch break
    place_id = add_place(app, what_to_bring="Паспорт.\nСНИЛС.", directions="Остановка «Тестовая»")
    result = page(f"/kuda-obratitsya/{place_id}")
    text = result.text()
    assert "Закрыто. Откроется сегодня в 14:00." in text
    assert result.soup.find("a", href="tel:+73511112233")
    assert "Паспорт." in text and "Остановка «Тестовая»" in text and "Понедельник" in text
    assert result.soup.find("tr", class_="today")
    printed = page(f"/kuda-obratitsya/{place_id}/pechat")
    assert "ул. Тестовая, 5" in printed.text() and not printed.soup.find("form")


def test_an_unknown_or_hidden_place_is_a_404(app, page):
    hidden = add_place(app, hidden=True)
    page(f"/kuda-obratitsya/{hidden}", status=404)
    page("/kuda-obratitsya/999", status=404)


def test_a_stale_place_says_the_information_may_be_out_of_date(app, page, clock):
    clock.set_local(date(2026, 12, 2))
    place_id = add_place(app, confirmed_on=date(2026, 1, 1))
    assert "Сведения могли устареть" in page(f"/kuda-obratitsya/{place_id}").text()
    assert "Сведения могли устареть" in page("/kuda-obratitsya").text()


@pytest.mark.parametrize("query", ["?rayon=%00", "?nuzhno=<script>", "?rayon[]=1", "?page=x"])
def test_odd_filter_values_are_ignored_never_an_error(app, page, query):
    add_place(app)
    assert "Отдел на Тестовой" in page("/kuda-obratitsya" + query).text()
