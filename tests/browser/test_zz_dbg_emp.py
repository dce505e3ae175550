import pytest
from tests.browser.helpers import PageVisit
pytestmark = pytest.mark.browser

def test_dbg(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    visit = PageVisit(context, live_server, "/zayavka")
    page = visit.page
    page.focus("#applicant-0")
    page.keyboard.press("Tab")
    print("after tab:", page.evaluate("document.activeElement.id"))
    page.keyboard.type("Анна")
    page.keyboard.press("Tab"); page.keyboard.press("Tab")
    print("contact:", page.evaluate("document.activeElement.id"))
    page.keyboard.type("+7 912 345 67 89")
    while page.evaluate("document.activeElement.name") != "help_needed":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    while page.evaluate("document.activeElement.id") != "consent":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    seq = []
    for _ in range(6):
        page.keyboard.press("Tab")
        seq.append(page.evaluate("document.activeElement.outerHTML.slice(0,80)"))
    print(seq)
    page.keyboard.press("Shift+Tab"); page.keyboard.press("Shift+Tab"); page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab"); page.keyboard.press("Tab")
    print("focus", page.evaluate("document.activeElement.outerHTML.slice(0,80)"))
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.keyboard.press("Enter")
    print("status", info.value.status)
    page.wait_for_load_state()
    print(page.locator("main").inner_text()[:600])
