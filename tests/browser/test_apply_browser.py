"""The application form in a real browser: errors, keyboard only, JavaScript off, confirmation."""
import pytest

from tests.helpers.browser import PHONE, PageVisit

pytestmark = pytest.mark.browser


def assert_accessible(visit, javascript):
    """axe runs inside the page, so it needs JavaScript; the JS-off run checks the same pages' behaviour."""
    if javascript:
        count, report = visit.axe_violations()
        assert count == 0, report


def fill_valid(page):
    page.fill("#name", "Сергей")
    page.fill("#contact_value", "8 912 345-67-89")
    page.check("input[name=help_needed][value=job]")
    page.check("#consent")


@pytest.mark.parametrize("javascript", [True, False])
def test_form_with_errors_then_sent_reaches_the_confirmation(browser, live_server, screenshots, javascript):
    context = browser.new_context(java_script_enabled=javascript, **PHONE)
    visit = PageVisit(context, live_server, "/zayavka")
    page = visit.page
    assert_accessible(visit, javascript)
    if javascript:
        assert not visit.has_horizontal_scroll()
    page.fill("#name", "Сергей")
    page.fill("#contact_value", "12-34")
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert "11 цифр" in page.locator("#contact_value-error").inner_text()
    assert page.input_value("#name") == "Сергей"
    assert_accessible(visit, javascript)
    if javascript:
        visit.screenshot(screenshots, "apply-errors-phone")
    fill_valid(page)
    page.click("main form button[type=submit]")
    assert page.locator("h1").inner_text() == "Заявка принята"
    assert page.locator(".reference strong").inner_text()
    assert_accessible(visit, javascript)
    assert visit.foreign_requests() == []
    if javascript:
        visit.screenshot(screenshots, "apply-done-phone")
    context.close()


def test_form_is_usable_with_the_keyboard_alone(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    visit = PageVisit(context, live_server, "/zayavka")
    page = visit.page
    page.focus("#applicant-0")
    page.keyboard.press("Tab")          # the link for prison-service officers to their referral form
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/zayavka/napravlenie"
    page.keyboard.press("Tab")          # to the name field
    assert page.evaluate("document.activeElement.id") == "name"
    page.keyboard.type("Анна")
    page.keyboard.press("Tab")          # contact method radio group
    page.keyboard.press("Tab")          # contact value
    assert page.evaluate("document.activeElement.id") == "contact_value"
    page.keyboard.type("+7 912 345 67 89")
    while page.evaluate("document.activeElement.name") != "help_needed":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    while page.evaluate("document.activeElement.id") != "consent":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(4):  # past the links to the consent and the policy
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url("**/zayavka/prinyata/**")
    assert page.locator("h1").inner_text() == "Заявка принята"
    context.close()


def test_honeypot_is_invisible_and_out_of_the_tab_order(browser, live_server):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, "/zayavka")
    assert not visit.page.locator("#website").is_visible() or visit.page.evaluate(
        "document.querySelector('#website').getBoundingClientRect().right < 0")
    assert visit.page.get_attribute("#website", "tabindex") == "-1"
    context.close()
