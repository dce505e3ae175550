"""The employers directory and the employer sign-up in a real browser at the phone viewport: axe, no sideways
scroll, no other host, filters and the report button without JavaScript, screenshots."""
import pytest

from portal.employers.demo import DEMO_CARDS, clear_demo, load_demo
from portal.employers.models import Employer
from portal.extensions import db
from tests.helpers.browser import PHONE, PageVisit

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_cards(live_app):
    """The demo set in the shared live app's database, removed again after the test with anything it added."""
    with live_app.app_context():
        before = set(db.session.execute(db.select(Employer.id)).scalars())
        load_demo(actor="browser-test")
        db.session.commit()
    yield
    with live_app.app_context():
        clear_demo(actor="browser-test")
        added = set(db.session.execute(db.select(Employer.id)).scalars()) - before
        for card in db.session.execute(db.select(Employer).where(Employer.id.in_(added))).scalars():
            db.session.delete(card)
        db.session.commit()


def check_page(visit, screenshots, name):
    assert not visit.has_horizontal_scroll(), "page scrolls sideways"
    count, report = visit.axe_violations()
    assert count == 0, report
    assert visit.foreign_requests() == []
    visit.screenshot(screenshots, name)


def test_the_empty_directory_is_friendly_and_accessible(browser, live_server, screenshots):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, "/rabotodateli")
    assert visit.response.status == 200
    assert "наполняет этот список" in visit.page.locator("main").inner_text()
    check_page(visit, screenshots, "employers-empty-phone")
    assert context.cookies() == []
    context.close()


def test_the_directory_with_demo_cards_passes_axe_and_fits_a_phone(browser, live_server, screenshots,
                                                                   demo_cards):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, "/rabotodateli")
    assert visit.page.locator(".employer-card").count() == len(DEMO_CARDS)
    assert visit.page.locator(".employer-card .badge").count() == len(DEMO_CARDS)
    check_page(visit, screenshots, "employers-directory-phone")
    assert context.cookies() == []  # reading the list sets no cookie
    context.close()


def test_filters_and_the_report_button_work_with_javascript_disabled(browser, live_server, screenshots,
                                                                    demo_cards):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    visit = PageVisit(context, live_server, "/rabotodateli")
    page = visit.page
    page.check("#housing")
    page.click("form.employer-filters button[type=submit]")
    page.wait_for_load_state()
    assert "housing=" in page.url
    with_housing = [card["name"] for card in DEMO_CARDS if card["housing"]]
    shown = page.locator(".employer-card h2").all_inner_texts()
    assert len(shown) == len(with_housing) < len(DEMO_CARDS)
    assert all(any(title.startswith(name) for name in with_housing) for title in shown)
    page.select_option("#district", "metallurgichesky")
    page.click("form.employer-filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".employer-card").count() == 0
    assert page.locator("main .note").first.is_visible()
    page.click("text=Сбросить условия")
    page.wait_for_load_state()
    assert page.locator(".employer-card").count() == len(DEMO_CARDS)

    page.locator(".report-form button").first.click()
    page.wait_for_load_state()
    assert page.locator(".employer-card .note[role=status]").inner_text() == (
        "Спасибо! Сотрудники центра проверят эту карточку.")
    assert context.cookies() == []
    visit.screenshot(screenshots, "employers-reported-nojs-phone")
    context.close()


def test_the_sign_up_form_at_the_phone_viewport(browser, live_server, screenshots, live_app):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, "/rabotodateli/stat-partnerom")
    page = visit.page
    check_page(visit, screenshots, "employers-signup-phone")
    page.fill("#company", 'ООО "Браузер-Тест"')
    page.fill("#inn", "7707083894")  # a wrong control digit
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert "не проходит проверку" in page.locator("#inn-error").inner_text()
    assert page.input_value("#company") == 'ООО "Браузер-Тест"'
    check_page(visit, screenshots, "employers-signup-errors-phone")
    page.fill("#inn", "7707083893")
    page.fill("#contact_name", "Анна")
    page.fill("#phone", "8 351 123-45-67")
    page.fill("#email", "hr@example.ru")
    page.select_option("#district", "sovetsky")
    page.select_option("#industry", "warehouse")
    page.fill("#kinds_of_work", "Грузчики на складе.")
    page.check("input[name=schedule][value=day]")
    page.check("input[name=asks_about_record_at][value=never]")
    page.check("#consent")
    page.check("#publish")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Спасибо! Форма отправлена"
    check_page(visit, screenshots, "employers-signup-done-phone")
    with live_app.app_context():
        card = db.session.execute(db.select(Employer).filter_by(name='ООО "Браузер-Тест"')).scalar_one()
        assert card.status == "pending"
        db.session.delete(card)
        db.session.commit()
    context.close()
