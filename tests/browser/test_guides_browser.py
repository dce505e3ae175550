"""Home and guide pages in Debian's Chromium at a 360×740 phone viewport and at desktop width."""
import pytest

from tests.helpers.browser import DESKTOP, PHONE, PageVisit

pytestmark = pytest.mark.browser

PAGES = {"home": "/", "section": "/sudimost/", "guide-long": "/sudimost/zakrytye-professii",
         "guide-en": "/en/posobie/kto-poluchaet", "not-found": "/no-such-page"}


@pytest.fixture(params=["phone", "desktop"])
def context(request, browser):
    context = browser.new_context(**(PHONE if request.param == "phone" else DESKTOP))
    context.viewport_name = request.param
    yield context
    context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_fits_the_screen_passes_axe_and_asks_no_other_host(context, live_server, screenshots, name):
    visit = PageVisit(context, live_server, PAGES[name])
    try:
        assert visit.response.status == (404 if name == "not-found" else 200)
        assert not visit.has_horizontal_scroll(), "page scrolls sideways"
        count, report = visit.axe_violations()
        assert count == 0, report
        assert visit.foreign_requests() == []
        visit.screenshot(screenshots, f"{name}-{context.viewport_name}")
    finally:
        visit.close()


def test_home_main_action_is_visible_without_scrolling_on_a_phone(browser, live_server):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, "/")
    start = visit.page.locator(".start a")
    box = start.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["viewport"]["height"]
    first_tile = visit.page.locator(".tiles a").first.bounding_box()
    assert first_tile["y"] < PHONE["viewport"]["height"]
    context.close()


def test_tap_targets_are_at_least_44_px_high(browser, live_server):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, "/sudimost/zakrytye-professii")
    small = visit.page.evaluate("""() => [...document.querySelectorAll(
        '.site-header a, .tiles a, .guide-list a, .breadcrumbs a, .button, button')]
        .filter(a => a.getBoundingClientRect().height > 0 && a.getBoundingClientRect().height < 44)
        .map(a => a.textContent.trim() + ' ' + a.getBoundingClientRect().height)""")
    assert small == []
    context.close()


def test_base_text_is_at_least_18px(browser, live_server):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, "/posobie/kto-poluchaet")
    size = visit.page.evaluate("parseFloat(getComputedStyle(document.querySelector('.guide-body p')).fontSize)")
    assert size >= 18
    context.close()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(browser, live_server):
    context = browser.new_context(**DESKTOP)
    visit = PageVisit(context, live_server, "/posobie/kto-poluchaet")
    visit.page.keyboard.press("Tab")
    assert visit.page.evaluate("document.activeElement.className") == "skip-link"
    assert visit.page.evaluate("document.activeElement.getBoundingClientRect().left >= 0")
    visit.page.keyboard.press("Enter")
    assert visit.page.evaluate("location.hash") == "#main"
    context.close()


def test_pages_work_with_javascript_disabled(browser, live_server):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    visit = PageVisit(context, live_server, "/")
    visit.page.click(".tiles:not(.tool-tiles) a >> nth=0")
    visit.page.click("main .guide-list a >> nth=0")
    assert visit.page.locator("h1").inner_text()
    assert visit.page.locator(".sources li").count() >= 1
    context.close()


def test_guide_prints_without_navigation(browser, live_server, tmp_path):
    context = browser.new_context(**DESKTOP)
    visit = PageVisit(context, live_server, "/posobie/kto-poluchaet")
    visit.page.emulate_media(media="print")
    hidden = visit.page.evaluate("""() => ['.site-header', '.site-footer nav', '.breadcrumbs']
        .map(s => document.querySelector(s)).filter(Boolean)
        .every(el => getComputedStyle(el).display === 'none')""")
    assert hidden
    # The help box stays on paper: the centre's contacts are what a printed guide is for (issue 15).
    assert visit.page.evaluate("() => getComputedStyle(document.querySelector('.help')).display !== 'none'")
    pdf = tmp_path / "guide.pdf"
    visit.page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 1000
    context.close()
