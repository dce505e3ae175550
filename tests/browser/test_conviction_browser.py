"""«Судимость и работа» in Debian's Chromium at a 360×740 phone viewport: the whole flow with JavaScript off,
the first screen of the answer (the date, or why there is none, and the main closed and open work), axe-core
on every kind of page (details opened too), «Выйти» staying on screen, and with JavaScript on a flow that
leaves no answers in the address bar or the Back history."""
import pytest

from tests.helpers.browser import PHONE, PageVisit

pytestmark = pytest.mark.browser

PRISON_ANSWERS = [("radio", "narkotiki"), ("radio", "tyazhkoe"), ("radio", "18-i-starshe"),
                  ("radio", "lishenie-svobody"), ("radio", "net"), ("text", "data", "15.03.2020"),
                  ("radio", "net"), ("radio", "net")]
SUSPENDED_ANSWERS = [("radio", "zhizn-zdorove"), ("radio", "sredney"), ("radio", "18-i-starshe"),
                     ("radio", "uslovno"), ("text", "prigovor", "10.02.2025"), ("text", "srok_let", "2"),
                     ("radio", "da"), ("text", "dop_data", "01.06.2027")]
ANSWER = "/proverka-sudimosti/otvet?"
# The answer pages whose first screen is checked: the common adult case, a suspended sentence with two
# conditions said above the date, no single day (category not known), a crime before 18, and an
# expunged conviction with bans lifted.
FIRST_SCREENS = {
    "adult-prison": "vid=narkotiki&tyazhest=tyazhkoe&vozrast=18-i-starshe&nakazanie=lishenie-svobody&zamena=net"
                    "&data=2020-03-15&dop=net&do2013=net",
    "suspended-unknowns": "vid=sobstvennost&tyazhest=ne-znayu&vozrast=18-i-starshe&nakazanie=uslovno"
                          "&prigovor=2024-03-15&srok_let=2&srok_mes=6&dop=ne-znayu",
    "no-single-day": "vid=zhizn-zdorove&tyazhest=ne-znayu&vozrast=18-i-starshe&nakazanie=lishenie-svobody"
                     "&zamena=ne-znayu&data=2022-06-01&dop=da&dop_data=2023-06-01&do2013=ne-znayu",
    "minor": "vid=sobstvennost&tyazhest=sredney&vozrast=do-18&nakazanie=lishenie-svobody&zamena=da"
             "&data=2026-01-10&dop=net",
    "expunged": "vid=zhizn-zdorove&tyazhest=nebolshoy&vozrast=18-i-starshe&nakazanie=drugoe&data=2015-01-01"
                "&dop=net",
}
NEUTRAL = "https://ya.ru/"


def _answer(page, steps):
    for step in steps:
        if step[0] == "radio":
            page.click(f"input[value='{step[1]}'] + label")
        else:
            page.fill(f"#{step[1]}", step[2])
        page.click("form.question button[type=submit]")


def _check_page(context, live_server, url, screenshots, name, open_details=False):
    """axe, sideways scroll, 44 px tap targets and a screenshot; in a context with JavaScript on, because
    Playwright's evaluate (and so axe) cannot run where JavaScript is off."""
    visit = PageVisit(context, live_server, url)
    try:
        if open_details:
            visit.page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert not visit.has_horizontal_scroll(), f"{name} scrolls sideways"
        count, report = visit.axe_violations()
        assert count == 0, report
        small = visit.page.evaluate("""() => [...document.querySelectorAll(
            'main .plan-choice label, main .exit-link, main .back-link, main button, main details.more > summary')]
            .filter(el => el.getBoundingClientRect().height > 0 && el.getBoundingClientRect().height < 44)
            .map(el => el.textContent.trim())""")
        assert small == [], f"tap targets under 44 px on {name}: {small}"
        visit.screenshot(screenshots, f"conviction-{name}-phone")
        assert visit.foreign_requests() == []
    finally:
        visit.close()


def test_the_whole_check_works_with_javascript_off_on_a_phone(browser, live_server, screenshots):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    context.set_default_timeout(15000)
    visit = PageVisit(context, live_server, "/sudimost/")
    page = visit.page
    seen = {}
    try:
        page.click("main a[href='/proverka-sudimosti']")
        assert page.locator("h1").inner_text() == "Какое это было преступление?"
        seen["question"] = page.url[len(live_server):]

        page.click("form.question button[type=submit]")  # no answer: a friendly error, not a dead end
        assert page.locator(".error-summary").inner_text().strip().endswith("Выберите один ответ.")
        seen["question-error"] = page.url[len(live_server):]

        _answer(page, PRISON_ANSWERS)
        assert page.url.startswith(f"{live_server}{ANSWER}")
        assert page.locator("h1").inner_text() == "Ваш ответ"
        assert page.locator(".short-answer .result-date").inner_text() == "Судимость погасится 15 марта 2028 года."
        assert page.locator(".rule-card").count() >= 5
        page.click("details#more-closed > summary")  # <details> opens without JavaScript
        assert page.locator("#ban-deti").is_visible()
        seen["answer"] = page.url[len(live_server):]

        page.goto(f"{live_server}/proverka-sudimosti")
        _answer(page, SUSPENDED_ANSWERS)
        short = page.locator(".short-answer").inner_text()
        assert "Судимость погасится 1 июня 2027 года." in short
        assert short.index("Дополнительное наказание кончается позже") < short.index("Судимость погасится")
        seen["answer-suspended"] = page.url[len(live_server):]
        assert visit.foreign_requests() == []
    finally:
        context.close()

    checks = browser.new_context(**PHONE)
    try:
        for name, url in seen.items():
            _check_page(checks, live_server, url, screenshots, name)
        _check_page(checks, live_server, seen["answer"], screenshots, "answer-open", open_details=True)
        _check_page(checks, live_server, "/proverka-sudimosti?vid=drugoe&tyazhest=sredney&vozrast=18-i-starshe"
                    "&nakazanie=uslovno&prigovor=2024-01-01&shag=prigovor", screenshots, "probation-length")
    finally:
        checks.close()


@pytest.mark.parametrize("name", list(FIRST_SCREENS))
def test_the_first_screen_of_the_answer_states_the_date_and_the_main_closed_and_open_work(browser, live_server,
                                                                                         screenshots, name):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, ANSWER + FIRST_SCREENS[name])
    try:
        boxes = visit.page.evaluate("""() => {
            const box = el => el && { top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom,
                                      text: el.textContent.trim() };
            const lines = [...document.querySelectorAll('.short-answer p, .short-answer li')];
            return { date: box(document.querySelector('.short-answer .result-date')),
                     closed: box(lines.find(p => p.textContent.trim().startsWith('Закрыто'))
                                 || lines.find(p => p.textContent.trim().startsWith('Снова открыто'))),
                     open: box(lines.find(p => p.textContent.trim().startsWith("Открыто:"))),
                     height: window.innerHeight, scrolled: window.scrollY };
        }""")
        assert boxes["height"] == 740 and boxes["scrolled"] == 0
        for part in ("date", "closed", "open"):
            assert boxes[part], f"{name}: no {part} line"
            assert boxes[part]["bottom"] <= 740, f"{name}: the {part} line is below the first screen: {boxes[part]}"
        assert boxes["date"]["top"] < boxes["closed"]["top"] < boxes["open"]["top"]
        assert any(word in boxes["date"]["text"] for word in ("погасится", "погашена", "назвать нельзя"))
        visit.page.screenshot(path=str(screenshots / f"conviction-first-screen-{name}.png"))
    finally:
        context.close()


def test_exit_stays_on_screen_while_the_answer_scrolls(browser, live_server):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, ANSWER + FIRST_SCREENS["adult-prison"])
    try:
        page = visit.page
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        # Through the whole answer (the <main> element, all details open), down to its last line; below it
        # is the site footer, where the bar scrolls away with <main> (docs/conviction-check.md).
        for fraction in (0.25, 0.5, 0.75, 1.0):
            page.evaluate(f"""() => {{ const main = document.querySelector('main');
                const end = main.offsetTop + main.offsetHeight - window.innerHeight;
                window.scrollTo(0, main.offsetTop + (end - main.offsetTop) * {fraction}); }}""")
            box = page.locator("main .exit-link").bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= 740, (fraction, box)
            # and it is the element a tap at its centre reaches, not covered by anything
            hit = page.evaluate(f"() => document.elementFromPoint({box['x'] + box['width'] / 2}, "
                                f"{box['y'] + box['height'] / 2}).closest('a.exit-link') !== null")
            assert hit, fraction
    finally:
        context.close()


def test_with_javascript_the_answers_stay_out_of_the_address_bar_and_the_back_history(browser, live_server):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(15000)
    # The neutral site is answered locally, so the test never reaches the outside world.
    context.route(f"{NEUTRAL}**", lambda route: route.fulfill(status=200, content_type="text/html",
                                                                body="<title>neutral</title>"))
    page = context.new_page()
    try:
        page.goto(f"{live_server}/sudimost/")
        page.click("main a[href='/proverka-sudimosti']")
        page.wait_for_url(f"{live_server}/proverka-sudimosti")
        entries = page.evaluate("history.length")
        for step in PRISON_ANSWERS:
            heading = page.locator("h1").inner_text()
            if step[0] == "radio":
                page.click(f"input[value='{step[1]}'] + label")
            else:
                page.fill(f"#{step[1]}", step[2])
            page.click("form.question button[type=submit]")
            page.wait_for_function("h => document.querySelector('h1').textContent.trim() !== h", arg=heading)
            assert page.url == f"{live_server}/proverka-sudimosti"   # no answer in the address
            assert page.evaluate("history.length") == entries         # no new entry in the history
        assert page.locator("h1").inner_text() == "Ваш ответ"
        assert page.locator(".short-answer .result-date").inner_text() == "Судимость погасится 15 марта 2028 года."
        assert page.title().startswith("Ваш ответ")
        assert page.evaluate("document.activeElement.tagName") == "H1"  # a screen reader hears the new page
        page.click("main .exit-link")
        page.wait_for_url(NEUTRAL)
        page.go_back()
        assert page.url == f"{live_server}/sudimost/"  # Back skips the whole check
    finally:
        context.close()


def test_with_javascript_a_mistake_shows_the_error_and_back_works_inside_the_check(browser, live_server):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/proverka-sudimosti")
        page.click("form.question button[type=submit]")
        page.wait_for_selector(".error-summary")
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        page.click("input[value='narkotiki'] + label")
        page.click("form.question button[type=submit]")
        page.wait_for_function("() => document.querySelector('h1').textContent.includes('категории')")
        page.click("main a.back-link")
        page.wait_for_function("() => document.querySelector('h1').textContent.includes('Какое это было')")
        assert page.locator("input[value='narkotiki']").is_checked()
        assert page.url == f"{live_server}/proverka-sudimosti"
    finally:
        context.close()
