"""«Мой план» in Debian's Chromium: the whole questionnaire with JavaScript off on a phone, axe, fit,
no other hosts, no cookies, and the plan printed to an A4 PDF."""
from io import BytesIO
from urllib.parse import urlencode

import pytest
from pypdf import PdfReader

from tests.helpers.app import ARTIFACTS
from tests.helpers.browser import DESKTOP, PHONE, PageVisit

pytestmark = pytest.mark.browser

MUST_SHOW = {"released": "soon", "passport": "missing", "housing": "no_place", "supervision": "none",
             "benefit": "wanted", "goal": "job", "situation": "nothing"}
MUST_SHOW_URL = "/plan/itog?" + urlencode(MUST_SHOW)
BENEFIT_URL = "/plan/posobie/itog?" + urlencode(
    {"released": "recent", "citizen": "russian", "blockers": "clear", "worked": "colony", "passport": "have",
     "housing": "unregistered"})
PAGES = {"plan-question": "/plan?released=soon&step=2", "plan-question-error": "/plan?released=soon&step=3",
         "plan-result": MUST_SHOW_URL, "plan-benefit-question": "/plan/posobie?released=recent",
         "plan-benefit-result": BENEFIT_URL}


def test_whole_questionnaire_works_with_javascript_off_on_a_phone_and_stores_nothing(browser, live_server,
                                                                                      screenshots):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    visit = PageVisit(context, live_server, "/")
    page = visit.page
    try:
        page.click(".start-plan a")
        for number, (name, code) in enumerate(MUST_SHOW.items(), 1):
            assert page.locator(".progress").inner_text() == f"Мой план. Вопрос {number} из 7"
            page.click(f"label[for=answer-{code}]")  # a tap on the big option, not the small circle
            assert page.is_checked(f"input[name={name}][value={code}]")
            if number == 2:
                visit.screenshot(screenshots, "plan-question-nojs-phone")
            page.click("button.plan-submit")
        assert page.url == live_server + MUST_SHOW_URL
        assert page.locator("h1").inner_text() == "Ваш план по шагам"
        titles = page.locator(".plan-step .step-title").all_inner_texts()
        assert "паспорт" in titles[0] and "негде жить" in titles[2]
        assert any("Встаньте на учёт в центре занятости" in t for t in titles)
        page.go_back()
        assert page.locator("h1").inner_text() == "Что из этого про вас?"
        assert context.cookies() == []
        assert visit.foreign_requests() == []
    finally:
        context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_plan_pages_pass_axe_fit_the_phone_and_ask_no_other_host(browser, live_server, screenshots, name):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, PAGES[name])
    try:
        assert visit.response.status == 200
        assert not visit.has_horizontal_scroll(), "page scrolls sideways"
        count, report = visit.axe_violations()
        assert count == 0, report
        assert visit.foreign_requests() == []
        assert context.cookies() == []
        visit.screenshot(screenshots, f"{name}-phone")
    finally:
        context.close()


def test_answer_options_and_buttons_are_big_enough_to_tap(browser, live_server):
    context = browser.new_context(**PHONE)
    visit = PageVisit(context, live_server, "/plan?released=soon&step=2")
    try:
        small = visit.page.evaluate("""() => [...document.querySelectorAll(
            '.plan-choice label, .plan-submit, .back-link')]
            .map(el => [el.textContent.trim(), el.getBoundingClientRect().height,
                        el.getBoundingClientRect().width, el.tagName])
            .filter(([, h, w, tag]) => h < 44 || (tag === 'LABEL' && w < 300))""")
        assert small == [], "answer options fill the phone's width and every target is 44 px high"
    finally:
        context.close()


def test_plan_prints_on_a4_without_navigation_or_buttons(browser, live_server, screenshots):
    context = browser.new_context(**DESKTOP)
    visit = PageVisit(context, live_server, MUST_SHOW_URL)
    try:
        visit.page.emulate_media(media="print")
        hidden = visit.page.evaluate("""() => ['.site-header', '.site-footer nav', '.plan-actions',
            '.back-link', '.your-answers dd a'].map(s => document.querySelector(s)).filter(Boolean)
            .map(el => getComputedStyle(el).display)""")
        assert hidden and set(hidden) == {"none"}
        shown = visit.page.evaluate("getComputedStyle(document.querySelector('p.print-only')).display")
        assert shown == "block"
        pdf = visit.page.pdf(format="A4")
        (ARTIFACTS / "plan-a4.pdf").write_bytes(pdf)
        reader = PdfReader(BytesIO(pdf))
        assert len(reader.pages) >= 1
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2  # A4 in points
        text = " ".join(p.extract_text() for p in reader.pages)
        assert "Ваш план по шагам" in text and "Шаг 1" in text
        assert "Telegram" not in text and "Все разделы" not in text
        assert "/plan/itog?released=soon" in text.replace("\n", "")  # the way back online, on paper
        visit.page.screenshot(path=str(screenshots / "plan-result-print.png"), full_page=True)
    finally:
        context.close()
