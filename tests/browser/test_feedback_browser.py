"""The feedback widgets, the share links, the QR page, the leaflet and the dashboard in Debian's Chromium."""
import threading
import time
from io import BytesIO

import pyotp
import pytest
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.serving import make_server

from portal.extensions import db
from portal.feedback.models import PageFeedback, ServiceAnswer, ShareCount
from tests.helpers.app import ARTIFACTS, make_app
from tests.helpers.browser import DESKTOP, PHONE, PageVisit
from tests.helpers.staff import make_staff
from tests.helpers.survey import make_invitation

pytestmark = pytest.mark.browser

SHARE_HOSTS = ["https://vk.com/**", "https://t.me/**", "https://wa.me/**", "https://max.ru/**"]


def stored(app, model, **where):
    with app.app_context():
        return db.session.execute(select(model).filter_by(**where)).scalars().all()


def wait_for(condition, seconds=3.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


@pytest.fixture
def phone_without_js(browser):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    yield context
    context.close()


def test_vote_no_and_comment_with_javascript_off(phone_without_js, live_server, live_app, screenshots):
    guide = "/rabota/rezyume"
    before = len(stored(live_app, PageFeedback, page=guide))
    visit = PageVisit(phone_without_js, live_server, guide)
    visit.page.get_by_role("button", name="Нет", exact=True).click()
    assert "/otzyv/chto-ne-tak" in visit.page.url
    assert visit.page.locator("h1").inner_text() == "Спасибо за ответ"
    visit.page.fill("textarea[name=text]", "Не понял про опыт. Мой телефон 8 912 345-67-89")
    visit.screenshot(screenshots, "feedback-followup-nojs-phone")
    visit.page.get_by_role("button", name="Отправить").click()
    assert "/otzyv/spasibo" in visit.page.url
    assert "Мы прочитаем ваш комментарий" in visit.page.locator("main").inner_text()
    rows = stored(live_app, PageFeedback, page=guide)
    assert len(rows) == before + 1
    assert rows[-1].useful is False and rows[-1].text == "Не понял про опыт. Мой телефон [телефон скрыт]"
    assert visit.foreign_requests() == []
    assert visit.page.context.cookies() == []
    visit.close()


def test_vote_yes_with_javascript_answers_in_place_and_moves_focus(phone, live_server, live_app, screenshots):
    guide = "/rabota/sobesedovanie"
    visit = PageVisit(phone, live_server, guide)
    visit.page.get_by_role("button", name="Да", exact=True).click()
    message = visit.page.locator("section.feedback .feedback-done")
    message.wait_for()
    assert message.inner_text() == "Спасибо! Ваш ответ учтён."
    assert visit.page.url == live_server + guide, "answered in place, no page load"
    assert visit.page.evaluate("document.activeElement.className") == "feedback-done"
    assert wait_for(lambda: [r.useful for r in stored(live_app, PageFeedback, page=guide)] == [True])
    count, report = visit.axe_violations()
    assert count == 0, report
    visit.screenshot(screenshots, "feedback-voted-js-phone")
    assert visit.page.context.cookies() == []
    visit.close()


def test_vote_no_with_javascript_brings_the_comment_form_in_place(phone, live_server, live_app):
    guide = "/rabota/bystryi-zarabotok"
    visit = PageVisit(phone, live_server, guide)
    visit.page.get_by_role("button", name="Нет", exact=True).click()
    box = visit.page.locator("section.feedback textarea")
    box.wait_for()
    box.fill("напишите про вахту, почта a.b@mail.ru")
    visit.page.locator("section.feedback").get_by_role("button", name="Отправить").click()
    visit.page.locator("section.feedback").get_by_text("Мы прочитаем ваш комментарий").wait_for()
    assert visit.page.locator("section.feedback textarea").count() == 0
    assert visit.page.url == live_server + guide
    assert wait_for(lambda: [r.text for r in stored(live_app, PageFeedback, page=guide)]
                    == ["напишите про вахту, почта [e-mail скрыт]"])
    visit.close()


@pytest.mark.parametrize("javascript", [False, True], ids=["js-off", "js-on"])
def test_a_share_link_goes_straight_to_the_messenger_and_is_counted(browser, live_server, live_app,
                                                                     javascript):
    context = browser.new_context(java_script_enabled=javascript, **PHONE)
    opened = []

    def messenger(route):  # the closed network has no messengers: answer for them here
        opened.append(route.request.url)
        route.fulfill(status=200, body="ok", content_type="text/plain")

    for pattern in SHARE_HOSTS:
        context.route(pattern, messenger)
    guide = "/obuchenie/besplatnoe-obuchenie"
    channel = "telegram" if javascript else "max"
    visit = PageVisit(context, live_server, guide)
    before = sum(r.count for r in stored(live_app, ShareCount, page=guide, channel=channel))
    visit.page.locator(f".share-links a[ping*='channel={channel}']").click()
    assert wait_for(lambda: opened)
    canonical = live_app.config["SITE_URL"] + guide
    assert opened[0].endswith("=" + canonical.replace(":", "%3A").replace("/", "%2F"))
    assert wait_for(lambda: sum(r.count for r in stored(live_app, ShareCount, page=guide, channel=channel))
                    == before + 1)
    assert context.cookies() == []
    context.close()


def test_copy_button_copies_the_link_and_counts_it(browser, live_server, live_app):
    context = browser.new_context(**PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    guide = "/sudimost/pogashenie"
    visit = PageVisit(context, live_server, guide)
    button = visit.page.get_by_role("button", name="Скопировать")
    assert button.is_visible()
    button.click()
    status = visit.page.locator("[data-copy-status]")
    assert wait_for(lambda: status.inner_text() == "Ссылка скопирована.")
    assert visit.page.evaluate("navigator.clipboard.readText()") == live_app.config["SITE_URL"] + guide
    assert wait_for(lambda: [r.channel for r in stored(live_app, ShareCount, page=guide)] == ["copy"])
    context.close()


def test_without_javascript_the_copy_button_is_hidden_and_the_link_is_selectable(phone_without_js,
                                                                                 live_server):
    visit = PageVisit(phone_without_js, live_server, "/posobie/skolko-platyat")
    assert not visit.page.get_by_role("button", name="Скопировать").is_visible()
    field = visit.page.get_by_label("Ссылка на эту страницу")
    assert field.is_visible() and field.get_attribute("readonly") is not None
    visit.close()


PAGES = {
    "guide-widgets": "/kuda-idti/pervye-30-dney",
    "home-share": "/",
    "qr": "/qr?page=/posobie/kto-poluchaet",
    "thanks": "/otzyv/spasibo?page=/posobie/kto-poluchaet",
    "followup": "/otzyv/chto-ne-tak?page=/posobie/kto-poluchaet&t=x",
    "leaflet": "/listovka",
    "leaflet-too-many": "/listovka?" + "&".join(f"g=posobie/{s}" for s in
                                                ["kto-poluchaet", "skolko-platyat", "kak-vstat-na-uchet"]) +
                        "&g=rabota/gde-iskat&g=rabota/rezyume&g=rabota/sobesedovanie&g=rodnym/kak-pomoch",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_feedback_pages_pass_axe_fit_the_phone_and_ask_no_other_host(phone, live_server, screenshots, name):
    visit = PageVisit(phone, live_server, PAGES[name])
    assert visit.response.status == 200
    assert not visit.has_horizontal_scroll()
    count, report = visit.axe_violations()
    assert count == 0, report
    assert visit.foreign_requests() == []
    visit.screenshot(screenshots, f"feedback-{name}-phone")
    visit.close()


def test_guide_page_with_widgets_loads_no_qr_image_and_stays_light(phone, live_server):
    visit = PageVisit(phone, live_server, "/kuda-idti/pervye-30-dney")
    visit.page.wait_for_load_state("networkidle")
    assert not [r.url for r in visit.requests if "qr.svg" in r.url]
    total = visit.transferred_bytes()
    (ARTIFACTS / "guide-page-bytes.txt").write_text(f"/kuda-idti/pervye-30-dney transferred: {total} bytes\n")
    assert total < 40 * 1024, total
    visit.close()


def test_feedback_buttons_are_big_enough_to_tap_on_a_phone(phone, live_server):
    visit = PageVisit(phone, live_server, "/posobie/kak-vstat-na-uchet")
    sizes = visit.page.evaluate("""() => [...document.querySelectorAll(
        '.vote button, .share-links a')].map(b => [b.textContent.trim(),
        b.getBoundingClientRect().width, b.getBoundingClientRect().height])""")
    assert len(sizes) == 2 + 6
    assert [s for s in sizes if s[1] < 44 or s[2] < 44] == []
    assert visit.page.locator("input[name=score]").count() == 0, "guide pages no longer ask 0–10"
    visit.close()


def test_the_survey_works_on_a_phone_without_javascript_and_sets_no_cookie(phone_without_js, live_server,
                                                                           live_app, screenshots):
    token = make_invitation(live_app, "visit")
    before = len(stored(live_app, ServiceAnswer))
    visit = PageVisit(phone_without_js, live_server, f"/opros/{token}")
    rows = visit.page.evaluate("""() => [...document.querySelectorAll('.choice')].map(
        c => c.getBoundingClientRect().height)""")
    assert len(rows) == 11 and min(rows) >= 44
    visit.page.get_by_label("9", exact=True).check()
    visit.page.fill("textarea[name=improve]", "Быстрее отвечать. Мой телефон 8 912 345-67-89")
    visit.screenshot(screenshots, "survey-nojs-phone")
    visit.page.get_by_role("button", name="Отправить ответ").click()
    assert "/opros/spasibo" in visit.page.url
    answers = stored(live_app, ServiceAnswer)
    assert len(answers) == before + 1
    assert (answers[-1].score, answers[-1].served_via) == (9, "visit")
    assert answers[-1].improve == "Быстрее отвечать. Мой телефон [телефон скрыт]"
    assert visit.foreign_requests() == []
    assert visit.page.context.cookies() == []
    visit.page.goto(f"{live_server}/opros/{token}")
    assert "Эта ссылка уже использована или устарела" in visit.page.locator("main").inner_text()
    visit.close()


def _print_pdf(page, path):
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4")
    return PdfReader(BytesIO(path.read_bytes()))


@pytest.mark.parametrize("query", ["", "?g=sotrudnikam/podgotovka-k-osvobozhdeniyu&g=kuda-idti/pervye-30-dney"
                                       "&g=sudimost/govorit-li-rabotodatelyu&g=dokumenty/vosstanovit-pasport"
                                       "&g=kuda-idti/adresa-chelyabinsk&g=posobie/kak-vstat-na-uchet"],
                         ids=["default", "longest-titles"])
def test_the_leaflet_prints_on_exactly_one_a4_page(browser, live_server, screenshots, query):
    context = browser.new_context(**DESKTOP)
    visit = PageVisit(context, live_server, "/listovka" + query)
    visit.page.wait_for_load_state("networkidle")
    name = "leaflet-" + ("default" if not query else "long")
    reader = _print_pdf(visit.page, ARTIFACTS / f"{name}.pdf")
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Памятка: работа после освобождения" in text
    assert "Оставьте заявку на сайте" in text
    assert "Какие памятки поставить" not in text, "the staff's choice form is not printed"
    images = visit.page.evaluate(
        "[...document.querySelectorAll('.leaflet-guides img')].map(i => i.naturalWidth > 0)")
    assert images == [True] * 6
    visit.page.screenshot(path=str(screenshots / f"{name}-print.png"), full_page=True)
    context.close()


@pytest.fixture(scope="module")
def full_contacts_server(tmp_path_factory):
    """A second app with a long real-looking address and every contact configured: the worst case on paper."""
    app = make_app(tmp_path_factory.mktemp("leaflet"), SITE_URL="https://rabota-posle-osvobozhdeniya.czn74.ru",
                   CENTRE_PHONE="+7 (351) 000-00-00", CENTRE_HOURS="пн–чт 8:30–17:30, пт 8:30–16:15",
                   CENTRE_ADDRESS="г. Челябинск, ул. Примерная, д. 100, каб. 101",
                   CENTRE_EMAIL="priem@czn-chelyabinsk.example")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_leaflet_with_every_contact_and_a_long_address_still_fits_one_page(browser, full_contacts_server):
    context = browser.new_context(**DESKTOP)
    visit = PageVisit(context, full_contacts_server, "/listovka?g=sotrudnikam/podgotovka-k-osvobozhdeniyu"
                      "&g=kuda-idti/pervye-30-dney&g=sudimost/govorit-li-rabotodatelyu"
                      "&g=dokumenty/vosstanovit-pasport&g=kuda-idti/adresa-chelyabinsk&g=posobie/kak-vstat-na-uchet")
    visit.page.wait_for_load_state("networkidle")
    reader = _print_pdf(visit.page, ARTIFACTS / "leaflet-full-contacts.pdf")
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "+7 (351) 000-00-00" in text and "priem@czn-chelyabinsk.example" in text
    context.close()


def test_dashboard_passes_axe_after_a_real_sign_in(browser, live_server, live_app, screenshots):
    user = make_staff(live_app, username="figures")
    context = browser.new_context(**DESKTOP)
    visit = PageVisit(context, live_server, "/staff/dashboard/")
    page = visit.page
    assert "/staff/login" in page.url
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", user.password)
    page.locator("main form button[type=submit], main form button:not([type])").first.click()
    page.fill("input[name=code]", pyotp.TOTP(user.secret).now())
    page.locator("main form button[type=submit], main form button:not([type])").first.click()
    page.wait_for_url("**/staff/dashboard/**")
    assert page.locator("h1").inner_text() == "Показатели"
    count, report = visit.axe_violations()
    assert count == 0, report
    assert visit.foreign_requests() == []
    visit.screenshot(screenshots, "dashboard-desktop")
    context.close()
