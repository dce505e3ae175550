"""Vacancy search in a real browser at 360 px with JavaScript off: search, filter, the vacancy page, the
conviction-aware link and «close to me» from a pasted point; axe clean, no sideways scroll, no other host, no
cookie, under 30 KB."""
import re
from urllib.parse import unquote_plus

import pytest

from portal.extensions import db
from portal.vacancies.demo import clear_demo, load_demo
from portal.vacancies.models import Vacancy
from tests.helpers.browser import PHONE, PageVisit

pytestmark = pytest.mark.browser
MAX_PAGE_BYTES = 30 * 1024


@pytest.fixture
def demo_vacancies(live_app):
    with live_app.app_context():
        load_demo()
    yield
    with live_app.app_context():
        clear_demo()


def check_page(browser, live_server, path, screenshots, name):
    """axe needs JavaScript for itself, so the checks run in their own context; the flows run with it off."""
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, path)
    assert visit.response.status == 200
    assert not visit.has_horizontal_scroll(), "page scrolls sideways"
    count, report = visit.axe_violations()
    assert count == 0, report
    assert visit.foreign_requests() == []
    assert visit.transferred_bytes() < MAX_PAGE_BYTES
    assert context.cookies() == []
    visit.screenshot(screenshots, name)
    context.close()


def test_search_filter_and_vacancy_page_work_without_javascript(browser, live_server, screenshots, live_app,
                                                                demo_vacancies):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    check_page(browser, live_server, "/vakansii", screenshots, "vacancies-search-phone")
    visit = PageVisit(context, live_server, "/vakansii")
    page = visit.page
    page.fill("#q", "cdfhobr")
    page.click("form.vacancy-filters button[type=submit]")
    page.wait_for_load_state()
    assert "Показаны результаты для «сварщик»" in page.locator("main").inner_text()
    titles = page.locator(".vacancy-card h2").all_inner_texts()
    assert titles and all("сварщик" in t.casefold() for t in titles)
    page.fill("#q", "")
    page.check("#housing")
    page.click("form.vacancy-filters button[type=submit]")
    page.wait_for_load_state()
    assert "housing=y" in page.url
    page.locator(".vacancy-card h2 a").first.click()
    page.wait_for_load_state()
    assert "/vakansii/" in page.url and page.locator(".badge").first.inner_text() == "Пример"
    assert "Данные: портал «Работа в России» (trudvsem.ru)" in page.locator("main").inner_text()
    check_page(browser, live_server, page.url.replace(live_server, ""), screenshots, "vacancies-card-phone")
    check_page(browser, live_server, "/vakansii?q=cdfhobr&housing=y", screenshots, "vacancies-results-phone")
    assert context.cookies() == []
    context.close()


def test_conviction_aware_link_hides_closed_jobs_and_the_card_explains(browser, live_server, screenshots,
                                                                       live_app, demo_vacancies):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    closed = "/vakansii?closed=deti,taksi,obshchestvennyy-transport"
    check_page(browser, live_server, closed, screenshots, "vacancies-closed-phone")
    visit = PageVisit(context, live_server, closed)
    titles = " ".join(visit.page.locator(".vacancy-card h2").all_inner_texts()).casefold()
    assert "такси" not in titles and "автобус" not in titles and "воспитател" not in titles
    assert "Скрыт" in visit.page.locator("main").inner_text()
    with live_app.app_context():
        taxi = db.session.execute(db.select(Vacancy).where(Vacancy.title == "Водитель такси")).scalars().first()
    check_page(browser, live_server, f"/vakansii/{taxi.id}", screenshots, "vacancies-taxi-card-phone")
    card = PageVisit(context, live_server, f"/vakansii/{taxi.id}")
    assert "Закон может закрыть эту работу" in card.page.locator("main").inner_text()
    card.page.click("text=Проверьте, закрыта ли она для вас")
    card.page.wait_for_load_state()
    assert card.page.url.endswith("/proverka-sudimosti")
    context.close()


def test_close_to_my_own_point_works_without_javascript(browser, live_server, screenshots, live_app,
                                                       demo_vacancies):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = PageVisit(context, live_server, "/vakansii").page
    page.fill("#tochka", "55.160523, 61.402554")
    page.select_option("#km", "5")
    page.select_option("#sort", "near")
    page.click("form.vacancy-filters button[type=submit]")
    page.wait_for_load_state()
    assert "tochka=55.16, 61.40" in unquote_plus(page.url) and "160523" not in page.url
    assert page.input_value("#tochka") == "55.16, 61.40"
    distances = [float(d.replace(",", ".")) for d in page.locator(".vacancy-card").all_inner_texts()
                 for d in re.findall(r"≈ (\d+,\d) км", d)]
    assert distances and distances == sorted(distances) and max(distances) <= 5.05
    check_page(browser, live_server, page.url.replace(live_server, ""), screenshots, "vacancies-own-point-phone")
    page.locator(".vacancy-card h2 a").first.click()
    page.wait_for_load_state()
    page.click("text=Другие вакансии рядом с этой")
    page.wait_for_load_state()
    assert "sort=near" in page.url and "≈ 0," in page.locator(".vacancy-card").first.inner_text()
    assert context.cookies() == []
    context.close()
