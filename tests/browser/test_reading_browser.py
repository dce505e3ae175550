"""Reading help (issue 18) in Debian's Chromium at 360 px: «Слушать» with a stubbed speech engine, and the
glossary notes.

The stub replaces `speechSynthesis` and `SpeechSynthesisUtterance` before any page script runs: it records
every utterance handed to the engine and ends one only when the test says so (`__speech.finish()`), so the
tests follow the reading step by step and never wait for a timer.
"""
import json
import re
from urllib.parse import urlencode

import pytest

from tests.helpers.browser import PHONE, PageVisit
from tests.helpers.places import add_place
from tests.helpers.plan import MUST_SHOW_URL

pytestmark = pytest.mark.browser

GUIDE = "/sotrudnikam/podgotovka-k-osvobozhdeniyu"  # glossary terms, lists, a feedback widget, sources
LONG_GUIDE = "/sudimost/zakrytye-professii"          # the page-weight budget's guide (tests/browser sweep)
# Complete answers (the questions grew since these were first written: an incomplete set shows a question,
# which has no «Слушать»). The same sets the area tests use.
CONVICTION = ("/proverka-sudimosti/otvet?vid=narkotiki&tyazhest=tyazhkoe&vozrast=18-i-starshe"
              "&nakazanie=lishenie-svobody&zamena=net&data=2020-03-15&dop=net&do2013=net")
PLAN = MUST_SHOW_URL
BENEFIT = "/plan/posobie/itog?" + urlencode({"released": "recent", "citizen": "russian", "blockers": "clear",
                                             "worked": "little", "passport": "have", "housing": "registered"})
RUSSIAN = [{"name": "Тестовый голос", "lang": "ru-RU"}]
ENGLISH_ONLY = [{"name": "Test voice", "lang": "en-US"}]
ONLINE_RUSSIAN = [{"name": "Онлайн-голос", "lang": "ru-RU", "localService": False}]

STUB = """
(() => {
  const voices = %s;
  const spoken = [];
  const listeners = {};
  let current = null;
  const synth = {
    getVoices: () => voices.map(v => ({localService: true, ...v, voiceURI: v.name, default: false})),
    speak(u) { spoken.push({text: u.text, rate: u.rate, lang: u.lang, voice: u.voice && u.voice.name}); current = u; },
    cancel() {  // a real engine reports the interrupted utterance as an error
      const u = current; current = null; if (u && u.onerror) u.onerror({error: "interrupted"});
    },
    pause() {}, resume() {},
    addEventListener(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; this.rate = 1; } };
  window.__speech = {
    spoken,
    finish() { const u = current; current = null; if (u && u.onend) u.onend({}); },
    addVoices(more) { voices.push(...more); (listeners.voiceschanged || []).forEach(fn => fn()); },
  };
})();
"""


def context_with(browser, voices):
    context = browser.new_context(**PHONE)
    context.add_init_script(STUB % json.dumps(voices))
    return context


def spoken(page):
    return page.evaluate("window.__speech.spoken")


def highlighted(page):
    return re.sub(r"\s+", " ", page.evaluate(
        "[...document.querySelectorAll('.listen-current')].map(e => e.textContent).join('')")).strip()


def read_to_the_end(page, limit=400):
    """End every utterance in turn until the reader stops asking for more."""
    for _ in range(limit):
        before = len(spoken(page))
        page.evaluate("window.__speech.finish()")
        if len(spoken(page)) == before:
            return spoken(page)
    raise AssertionError("reading never ended")


def clean(text):
    return re.sub(r"\s+", " ", text).strip()


def test_with_a_russian_voice_the_button_appears_and_reads_the_guide_in_order(browser, live_server):
    context = context_with(browser, RUSSIAN)
    visit = PageVisit(context, live_server, GUIDE)
    page = visit.page
    try:
        play = page.locator(".listen-play")
        assert play.is_visible() and play.inner_text() == "Слушать"
        assert spoken(page) == []  # nothing is read until the reader asks
        play.click()
        first = spoken(page)
        assert len(first) == 1 and first[0]["voice"] == "Тестовый голос" and first[0]["lang"] == "ru-RU"
        texts = [u["text"] for u in read_to_the_end(page)]
        assert texts[0] == clean(page.locator("h1").inner_text())
        # «Коротко» is read first, right after the title (issue 18), then the lead and the «checked» line.
        assert texts[1] == "Коротко"
        short = " ".join(clean(line) for line in page.locator(".short li").all_inner_texts())
        lead = clean(page.locator(".lead").inner_text())
        lead_at = next(i for i, t in enumerate(texts) if lead.startswith(t))
        assert clean(" ".join(texts[2:lead_at])) == short
        after_lead = lead_at
        while after_lead < len(texts) and texts[after_lead] in lead:
            after_lead += 1
        assert texts[after_lead].startswith("Проверено")
        # Headings come as their own sentences, in the order of the page.
        headings = [clean(h) for h in page.locator(".guide-body h2").all_inner_texts()]
        positions = [texts.index(h) for h in headings]
        assert positions == sorted(positions)
        # Every sentence of the guide's text is read, list items included, and nothing else is.
        body = clean(page.locator(".guide-body").inner_text())
        assert all(clean(t) in body for t in texts[after_lead + 1:])
        for item in page.locator(".guide-body li").all_inner_texts():
            assert clean(item.split("\n")[0])[:40] in " ".join(texts)
        joined = " ".join(texts)
        assert any(t.startswith("По ст. 180 УИК не позже") for t in texts)  # «ст.» does not end a sentence
        for not_read in ("Слушать", "Что значит", "Источники", "Вы здесь", "Главная"):
            assert not_read not in joined, not_read
        assert play.inner_text() == "Слушать" and highlighted(page) == ""  # back to the start at the end
    finally:
        context.close()


def test_the_sentence_being_read_is_highlighted_with_a_class(browser, live_server):
    context = context_with(browser, RUSSIAN)
    visit = PageVisit(context, live_server, GUIDE)
    page = visit.page
    try:
        page.click(".listen-play")
        for _ in range(4):
            assert highlighted(page) == spoken(page)[-1]["text"]
            page.evaluate("window.__speech.finish()")
        assert page.locator(".listen-current").count() >= 1
        assert page.locator("main [style]").count() == 0  # a class, never an inline style (CSP)
        count, report = visit.axe_violations()
        assert count == 0, report
    finally:
        context.close()


def test_pause_continue_and_speed(browser, live_server):
    context = context_with(browser, RUSSIAN)
    visit = PageVisit(context, live_server, GUIDE)
    page = visit.page
    play, slower, stop = page.locator(".listen-play"), page.locator(".listen-slower"), page.locator(".listen-stop")
    try:
        assert not stop.is_visible()
        play.click()
        page.evaluate("window.__speech.finish()")
        second = spoken(page)[-1]["text"]
        assert play.inner_text() == "Пауза" and stop.is_visible()

        play.click()  # pause
        assert play.inner_text() == "Продолжить"
        count = len(spoken(page))
        page.evaluate("window.__speech.finish()")  # an engine event after the pause moves nothing
        assert len(spoken(page)) == count and highlighted(page) == second

        play.click()  # continue: the interrupted sentence again, from its start
        assert play.inner_text() == "Пауза"
        assert spoken(page)[-1]["text"] == second and len(spoken(page)) == count + 1

        assert slower.get_attribute("aria-pressed") == "false" and spoken(page)[-1]["rate"] == 1
        slower.click()
        assert slower.get_attribute("aria-pressed") == "true"
        assert spoken(page)[-1] == {**spoken(page)[-2], "rate": 0.7}  # the same sentence, slower
        page.evaluate("window.__speech.finish()")
        assert spoken(page)[-1]["rate"] == 0.7
        slower.click()
        assert spoken(page)[-1]["rate"] == 1 and slower.get_attribute("aria-pressed") == "false"

        stop.click()
        assert play.inner_text() == "Слушать" and not stop.is_visible() and highlighted(page) == ""
        play.click()
        assert spoken(page)[-1]["text"] == clean(page.locator("h1").inner_text())  # from the top again
    finally:
        context.close()


def test_a_local_russian_voice_that_arrives_after_the_page_still_brings_the_button(browser, live_server):
    context = context_with(browser, [])
    visit = PageVisit(context, live_server, GUIDE)
    try:
        assert not visit.page.locator(".listen-play").is_visible()
        visit.page.evaluate("voices => window.__speech.addVoices(voices)", ENGLISH_ONLY)
        assert not visit.page.locator(".listen-play").is_visible()
        visit.page.evaluate("voices => window.__speech.addVoices(voices)", ONLINE_RUSSIAN)
        assert not visit.page.locator(".listen-play").is_visible()  # it would send the text to its vendor
        visit.page.evaluate("voices => window.__speech.addVoices(voices)", RUSSIAN)
        assert visit.page.locator(".listen-play").is_visible()
    finally:
        context.close()


def _article_html(context, live_server, path):
    visit = PageVisit(context, live_server, path)
    try:
        visible = visit.page.locator(".listen-play").is_visible()
        # The readable root only: the feedback widgets below it have scripts of their own.
        return visible, visit.page.locator("[data-listen-root]").inner_html()
    finally:
        visit.close()


def test_without_a_russian_voice_or_without_javascript_there_is_no_button_and_the_page_is_unchanged(
        browser, live_server):
    no_voice = context_with(browser, ENGLISH_ONLY)
    no_js = browser.new_context(java_script_enabled=False, **PHONE)
    try:
        shown_no_voice, html_no_voice = _article_html(no_voice, live_server, GUIDE)
        shown_no_js, html_no_js = _article_html(no_js, live_server, GUIDE)
        assert not shown_no_voice and not shown_no_js
        assert html_no_voice == html_no_js
        assert "listen-sentence" not in html_no_voice
    finally:
        no_voice.close()
        no_js.close()


@pytest.mark.parametrize("path", [GUIDE, "/slovar", CONVICTION, PLAN, BENEFIT])
def test_pages_with_the_button_pass_axe_and_read_their_main_text(browser, live_server, path):
    context = context_with(browser, RUSSIAN)
    visit = PageVisit(context, live_server, path)
    page = visit.page
    try:
        assert page.locator(".listen-play").is_visible()
        assert not visit.has_horizontal_scroll()
        count, report = visit.axe_violations()
        assert count == 0, report
        page.click(".listen-play")
        texts = [u["text"] for u in read_to_the_end(page)]
        assert clean(page.locator("h1").inner_text()) in texts[:2]  # the benefit check puts a label above it
        joined = " ".join(texts)
        assert "Выйти" not in joined and "Слушать" not in joined  # the exit link and the controls
        assert visit.foreign_requests() == []
    finally:
        context.close()


def test_a_glossary_note_opens_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    visit = PageVisit(context, live_server, GUIDE)
    try:
        note = visit.page.locator(".guide-body details.term-note").first
        assert not note.locator("p").is_visible()
        note.locator("summary").click()
        assert note.locator("p").is_visible()
    finally:
        context.close()


def test_an_open_glossary_note_passes_axe_and_is_read_in_place(browser, live_server):
    # axe runs scripts in the page, so this half runs with JavaScript on.
    context = context_with(browser, RUSSIAN)
    visit = PageVisit(context, live_server, GUIDE)
    page = visit.page
    try:
        note = page.locator(".guide-body details.term-note").first
        note.locator("summary").click()
        count, report = visit.axe_violations()
        assert count == 0, report
        explanation = clean(note.locator("p").inner_text())
        page.click(".listen-play")
        texts = [u["text"] for u in read_to_the_end(page)]
        assert any(t in explanation for t in texts), "an open note is read like the rest of the text"
    finally:
        context.close()


def test_a_guide_with_the_script_stays_under_30_kb(browser, live_server):
    context = context_with(browser, RUSSIAN)
    visit = PageVisit(context, live_server, LONG_GUIDE)
    try:
        assert any(r.url.split("?")[0].endswith("/static/listen.js") for r in visit.requests)
        assert visit.transferred_bytes() <= 30 * 1024, visit.transferred_bytes()
    finally:
        context.close()


def test_a_place_page_has_the_button_and_reads_the_place(browser, live_server, live_app):
    place_id = add_place(live_app, name="Отдел для чтения вслух", address="ул. Читальная, 3")
    context = context_with(browser, RUSSIAN)
    visit = PageVisit(context, live_server, f"/kuda-obratitsya/{place_id}")
    page = visit.page
    try:
        assert page.locator(".listen-play").is_visible()
        count, report = visit.axe_violations()
        assert count == 0, report
        page.click(".listen-play")
        texts = [u["text"] for u in read_to_the_end(page)]
        assert texts[0] == "Отдел для чтения вслух"
        assert any("ул. Читальная, 3" in t for t in texts)  # «ул.» does not end a sentence
        joined = " ".join(texts)
        assert "Слушать" not in joined and "Выйти" not in joined
    finally:
        context.close()
