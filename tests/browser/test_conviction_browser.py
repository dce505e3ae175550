"""«Судимость и работа» in Debian's Chromium at a 360×740 phone viewport: the whole flow with JavaScript off,
axe-core on a question page, an error page and the answer page, no sideways scroll, no other host asked."""
import pytest

from tests.browser.helpers import PageVisit
from tests.conftest import PHONE

pytestmark = pytest.mark.browser

ANSWERS = [("radio", "narkotiki"), ("radio", "tyazhkoe"), ("radio", "lishenie-svobody"),
           ("date", "2020-03-15"), ("radio", "18-i-starshe"), ("radio", "net")]
AGE_QUESTION = "Сколько вам было лет, когда было совершено преступление?"


def _check_page(context, live_server, url, screenshots, name):
    """axe, sideways scroll, 44 px tap targets and a screenshot; in a context with JavaScript on, because
    Playwright's evaluate (and so axe) cannot run where JavaScript is off."""
    visit = PageVisit(context, live_server, url)
    try:
        assert not visit.has_horizontal_scroll(), f"{name} scrolls sideways"
        count, report = visit.axe_violations()
        assert count == 0, report
        small = visit.page.evaluate("""() => [...document.querySelectorAll(
            'main .plan-choice label, main .exit-link, main .back-link, main button')]
            .filter(el => el.getBoundingClientRect().height > 0 && el.getBoundingClientRect().height < 44)
            .map(el => el.textContent.trim())""")
        assert small == [], f"tap targets under 44 px on {name}: {small}"
        visit.screenshot(screenshots, f"conviction-{name}-phone")
        assert visit.foreign_requests() == []
    finally:
        visit.close()


def _path(page, live_server):
    return page.url[len(live_server):]


def test_the_whole_check_works_with_javascript_off_on_a_phone(browser, live_server, screenshots):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    context.set_default_timeout(15000)
    visit = PageVisit(context, live_server, "/sudimost/")
    page = visit.page
    seen = {}
    try:
        page.click("main a[href='/proverka-sudimosti']")
        assert page.locator("h1").inner_text() == "Какое это было преступление?"
        seen["question"] = _path(page, live_server)

        page.click("form.question button[type=submit]")  # no answer: a friendly error, not a dead end
        assert page.locator(".error-summary").inner_text().strip().endswith("Выберите один ответ.")
        seen["question-error"] = _path(page, live_server)

        for kind, value in ANSWERS:
            if kind == "radio":
                page.click(f"input[value='{value}'] + label")
            else:
                page.fill("#data", value)
            page.click("form.question button[type=submit]")
        assert page.url.startswith(f"{live_server}/proverka-sudimosti/otvet?")
        assert page.locator("h1").inner_text() == "Ваш ответ: судимость и работа"
        assert "Судимость погасится 15 марта 2028 года." in page.locator(".outcome").inner_text()
        assert page.locator(".rule-card").count() >= 5
        seen["answer"] = _path(page, live_server)
        assert visit.foreign_requests() == []
    finally:
        context.close()

    checks = browser.new_context(**PHONE)
    try:
        for name, url in seen.items():
            _check_page(checks, live_server, url, screenshots, name)
    finally:
        checks.close()


def test_the_date_typed_as_text_is_accepted_and_a_wrong_one_is_kept(browser, live_server, screenshots):
    url = "/proverka-sudimosti?vid=drugoe&tyazhest=sredney&nakazanie=uslovno&data=31.02.2024&shag=data"
    context = browser.new_context(java_script_enabled=False, **PHONE)
    context.set_default_timeout(15000)
    visit = PageVisit(context, live_server, url)
    try:
        field = visit.page.locator("#data")
        assert field.get_attribute("type") == "text" and field.input_value() == "31.02.2024"
        field.fill("28.02.2027")
        visit.page.click("form.question button[type=submit]")
        assert visit.page.locator("h1").inner_text() == AGE_QUESTION
        assert visit.foreign_requests() == []
    finally:
        context.close()
    checks = browser.new_context(**PHONE)
    try:
        _check_page(checks, live_server, url, screenshots, "date-error")
    finally:
        checks.close()


def test_exit_replaces_the_answer_in_the_history_when_javascript_runs(browser, live_server):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(15000)
    # The neutral site is answered locally, so the test never reaches the outside world.
    context.route("https://ya.ru/**", lambda route: route.fulfill(status=200, content_type="text/html",
                                                                   body="<title>neutral</title>"))
    page = context.new_page()
    try:
        page.goto(f"{live_server}/sudimost/")
        page.goto(f"{live_server}/proverka-sudimosti/otvet?vid=narkotiki&tyazhest=sredney&nakazanie=uslovno"
                  "&data=2027-01-01&vozrast=18-i-starshe")
        page.click("main .exit-link")
        page.wait_for_url("https://ya.ru/")
        page.go_back()
        assert page.url == f"{live_server}/sudimost/"
    finally:
        context.close()
