"""The directory where people need it: the help box on every page, guides that name a kind of place (with
an honest fallback), the confirmation page, the printed plan and the leaflet; a staff change shows at once
on cached pages, in every worker."""
import os
import time

import pytest

from portal.extensions import db
from portal.guides.content import ContentError, load_library
from portal.places.models import Place
from portal.plan.loading import load_rules
from portal.plan.rules import RULES_FILE
from tests.helpers.app import ROOT
from tests.helpers.apply import send_form
from tests.helpers.places import add_place
from tests.helpers.plan import MUST_SHOW_URL
from tests.helpers.staff import csrf_token


def test_without_a_place_or_settings_the_help_box_links_to_work_russia(page):
    help_box = page("/posobie/kto-poluchaet").soup.select_one(".help")
    link = help_box.find("a", href="https://trudvsem.ru/")
    assert link and "noreferrer" in link["rel"]


def test_the_help_box_shows_the_settings_until_a_main_office_is_entered(app, page):
    app.config.update(CENTRE_PHONE="+7 351 000-11-22", CENTRE_ADDRESS="ул. Настроек, 1")
    assert "ул. Настроек, 1" in page("/posobie/kto-poluchaet").soup.select_one(".help").get_text()


def test_the_help_box_shows_the_main_office_of_the_directory(app, page):
    add_place(app, name="Главный отдел", address="ул. Главная, 3", is_main=True)
    help_box = page("/posobie/kto-poluchaet").soup.select_one(".help")
    assert "ул. Главная, 3" in help_box.get_text() and "пн–пт 9:00–13:00, 14:00–18:00" in help_box.get_text()
    assert help_box.find("a", href="tel:+73511112233")


def test_a_guide_naming_a_kind_shows_its_places_and_says_so_when_there_are_none(app, page):
    empty = page("/kuda-idti/zhile").soup.select_one(".guide-places")
    assert "Центр пока не внёс ни одного такого места" in empty.get_text()
    assert not empty.find("a", href="/kuda-idti/zhile")  # never a loop back to the guide itself
    assert empty.find("a", href="/zayavka")
    add_place(app, kind="shelter", name="Ночлег на Ночной", address="ул. Ночная, 2", hours_mon="20:00-8:00")
    app.extensions["page_cache"] and app.extensions["page_cache"].invalidate()
    found = page("/kuda-idti/zhile").soup.select_one(".guide-places")
    assert "Ночлег на Ночной" in found.get_text() and "ул. Ночная, 2" in found.get_text()


def test_the_confirmation_page_and_the_printed_plan_say_where_and_when_to_come(app, client, page):
    add_place(app, name="Отдел на Тестовой")
    confirmation = send_form(client).headers["Location"]  # a confirmation exists only for a stored request
    for url in (confirmation, MUST_SHOW_URL):
        section = page(url).soup.select_one(".come-in-person")
        assert "ул. Тестовая, 5" in section.get_text() and "пн–пт" in section.get_text(), url


def _steps_by_title(soup):
    return {s.select_one(".step-title").get_text(" ", strip=True): s for s in soup.select("li.plan-step")}


def test_a_plan_step_naming_a_kind_lists_its_places_once_and_later_steps_point_back(app, page):
    add_place(app, kind="probation", name="Инспекция на Пробной", address="ул. Пробная, 9")
    add_place(app, kind="mfc", name="МФЦ на Документной", address="ул. Документная, 7")
    soup = page(MUST_SHOW_URL).soup
    steps = _steps_by_title(soup)
    first = steps["Шаг 5 Узнайте о пробации"]
    listed = first.select_one("#places-probation")
    assert "Инспекция на Пробной" in listed.get_text() and "ул. Пробная, 9" in listed.get_text()
    assert "пн–пт 9:00–13:00, 14:00–18:00" in listed.get_text()  # hours, not «open now»: a plan is printed
    housing = steps["Шаг 8 Найдите, где жить первое время"]
    assert housing.find("a", href="#places-probation").get_text() == \
        "Уголовно-исполнительная инспекция (УИИ): адреса — в шаге 5"
    assert not housing.select_one("#places-probation .place-card")
    # The housing step's kinds with nothing entered share one honest note with a next step that exists.
    empty = housing.select_one(".note")
    assert "Центр пока не внёс ни одного такого места (Ночлег, приют; Центр социальной адаптации)" in \
        empty.get_text(" ", strip=True), empty.get_text(" ", strip=True)
    assert empty.find("a", href="/zayavka")
    assert "МФЦ на Документной" in steps["Шаг 7 Проверьте СНИЛС, ИНН, полис и военный учёт"].get_text()
    assert str(soup).count("ул. Пробная, 9") == 1  # listed once, however many steps name the kind


def test_a_plan_step_naming_an_unknown_kind_of_place_stops_the_app_naming_the_step(tmp_path):
    rules = (ROOT / "portal" / "content" / RULES_FILE).read_text(encoding="utf-8")
    broken = tmp_path / RULES_FILE
    broken.write_text(rules.replace("places: [probation]", "places: [prison]", 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_rules(broken, load_library(ROOT / "portal" / "content").guides)
    assert "steps[6] «prison-probation»: поле «places»: неизвестный вид места «prison»" in str(error.value)


def test_the_leaflet_shows_the_main_office(app, page):
    add_place(app, name="Главный отдел", address="ул. Главная, 3", is_main=True)
    text = page("/listovka").soup.select_one(".leaflet-contacts").get_text()
    assert "ул. Главная, 3" in text and "+7 351 111-22-33" in text


def test_a_staff_change_shows_at_once_on_a_cached_guide(app, client, staff_client):
    place_id = add_place(app, kind="shelter", name="Старое имя", address="ул. Ночная, 2")
    assert "Старое имя" in client.get("/kuda-idti/zhile").get_data(as_text=True)
    assert "Старое имя" in client.get("/kuda-idti/zhile").get_data(as_text=True)  # now from the page cache
    form = staff_client.get(f"/staff/mesta/{place_id}")
    with app.app_context():
        place = db.session.get(Place, place_id)
        data = {name: getattr(place, name) or "" for name in ("kind", "district", "address", "phones",
                                                               "hours_mon", "hours_tue", "hours_wed",
                                                               "hours_thu", "hours_fri")}
    data.update(name="Новое имя", csrf_token=csrf_token(form))
    assert staff_client.post(f"/staff/mesta/{place_id}", data=data).status_code == 303
    assert "Новое имя" in client.get("/kuda-idti/zhile").get_data(as_text=True)


def test_another_worker_drops_its_cached_pages_when_the_stamp_file_changes(app, tmp_path):
    from portal.page_cache import PageCache

    stamp = tmp_path / "stamp"
    other_worker = PageCache(lambda environ, start: [b""], stamp_file=str(stamp))
    other_worker.pages["x"] = "cached"
    this_worker = PageCache(lambda environ, start: [b""], stamp_file=str(stamp))
    this_worker.invalidate()
    os.utime(stamp, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # coarse file systems: a new mtime
    other_worker.stamp_checked = 0  # the once-a-second check is due
    other_worker._check_stamp()
    assert other_worker.pages == {}
