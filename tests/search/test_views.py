"""The search page, the search box on every page, and the suggestions endpoint with its script."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.search.query import MAX_PAGES
from tests.helpers.app import ROOT, make_app
from tests.helpers.search import page_text, result_keys

SUGGEST_JS = ROOT / "portal" / "static" / "suggest.js"


# ---------------------------------------------------------------- the results page

def test_results_show_title_section_highlighted_snippet_and_a_russian_count(search_page):
    shown = search_page("/search?q=справка о судимости")
    assert re.search(r"Найден[оа]? \d+ материал(а|ов)? по запросу «справка о судимости»", shown.text())
    first = shown.soup.select_one("ol.search-results li")
    assert first.select_one("a.guide-link")["href"].startswith("/")
    assert first.select_one(".result-section").get_text(strip=True) in {
        "Работа с судимостью", "Документы", "Найти работу"}
    assert first.select_one(".snippet mark")


@pytest.mark.parametrize(("count", "expected"), [(1, "Найден 1 материал"), (3, "Найдено 3 материала"),
                                                  (5, "Найдено 5 материалов"), (21, "Найден 21 материал"),
                                                  (12, "Найдено 12 материалов")])
def test_the_count_uses_russian_plural_forms(search_app, count, expected):
    from flask_babel import ngettext
    with search_app.test_request_context("/search"):
        text = ngettext("%(num)d guide found for «%(query)s»", "%(num)d guides found for «%(query)s»", count,
                        query="пособие")
    assert text == f"{expected} по запросу «пособие»"


def test_the_query_is_escaped_everywhere_it_is_shown(search_page):
    shown = search_page("/search?q=<script>alert(1)</script> пособие")
    assert "<script>alert" not in shown.html
    assert "&lt;script&gt;" in shown.html


def test_a_latin_layout_query_is_repaired_and_the_page_says_so(search_page):
    shown = search_page("/search?q=gjcj,bt")
    assert "Показаны результаты для «пособие». Вы набрали «gjcj,bt» в английской раскладке." in shown.text()
    assert result_keys(shown.response)[0].startswith("posobie/")


def test_did_you_mean_links_to_the_corrected_search(search_page):
    shown = search_page("/search?q=пособе по безработеце")
    link = shown.soup.select_one(".did-you-mean a")
    assert "Возможно, вы искали:" in shown.text()
    assert link.get_text() == "пособие по безработице"
    assert link["href"] == "/search?q=пособие+по+безработице" or "q=%D0%BF" in link["href"]


def test_a_query_that_finds_nothing_offers_the_most_needed_guides_and_the_contacts(search_page):
    shown = search_page("/search?q=qqqzzzxxx")
    text = shown.text()
    assert "По запросу «qqqzzzxxx» ничего не нашлось." in text
    assert "Самые нужные материалы" in text
    assert len(shown.soup.select("main .guide-list li")) >= 5
    assert shown.soup.select_one("main .help")  # the contacts, in the page itself …
    assert not shown.soup.select_one("footer .help")  # … and not a second time in the footer


def test_an_empty_search_is_not_a_dead_end_either(search_page):
    shown = search_page("/search?q=")
    assert "Самые нужные материалы" in shown.text()
    assert shown.soup.select_one("main .help")


def test_search_responses_are_never_stored_and_set_no_cookie(search_client):
    for url in ("/search?q=пособие", "/search", "/search/suggest?q=пос", "/en/search?q=пособие"):
        response = search_client.get(url)
        assert response.headers["Cache-Control"] == "private, no-store", url
        assert "Set-Cookie" not in response.headers, url


def test_search_pages_are_not_indexed_by_search_engines(search_page):
    assert search_page("/search?q=пособие").soup.find("meta", attrs={"name": "robots", "content": "noindex"})


def test_a_10_kb_query_is_cut_not_rejected(search_page):
    shown = search_page("/search", query_string={"q": "пособие " * 1300})
    assert "Запрос слишком длинный, поэтому мы искали по первым 200 символам." in shown.text()
    assert result_keys(shown.response)


def test_results_are_paginated(tmp_path, shared_index_dir):
    app = make_app(tmp_path, SEARCH_INDEX_DIR=str(shared_index_dir), SEARCH_RESULTS_PER_PAGE=3)
    client = app.test_client()
    first = client.get("/search?q=работа")
    keys = result_keys(first)
    assert len(keys) == 3 and "Страница 1 из" in page_text(first)
    next_link = 'rel="next" href="/search?q=%D1%80%D0%B0%D0%B1%D0%BE%D1%82%D0%B0&amp;page=2"'
    assert next_link in first.get_data(True)
    second = client.get("/search?q=работа&page=2")
    assert 'rel="prev"' in second.get_data(True) and 'start="4"' in second.get_data(True)
    assert not set(result_keys(second)) & set(keys)


@pytest.mark.parametrize("page", ["0", "-3", "abc", "999999999999999999999", str(MAX_PAGES + 5), "1.5"])
def test_odd_page_numbers_still_show_a_page(search_client, page):
    response = search_client.get(f"/search?q=пособие&page={page}")
    assert response.status_code == 200 and result_keys(response)


def test_english_interface_searches_the_same_guides(search_page):
    shown = search_page("/en/search?q=пособие")
    assert shown.soup.html["lang"] == "en"
    assert re.search(r"\d+ guides found for «пособие»", shown.text())
    assert all(a["href"].startswith("/en/") for a in shown.soup.select("ol.search-results a.guide-link"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(q=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=10_000),
       page=st.one_of(st.none(), st.text(max_size=30)))
def test_no_query_ever_gives_a_server_error(search_app, q, page):
    args = {"q": q} if page is None else {"q": q, "page": page}
    response = search_app.test_client().get("/search", query_string=args)
    assert response.status_code == 200


# ---------------------------------------------------------------- the search box on every page

@pytest.mark.parametrize("url", ["/", "/posobie/", "/posobie/kto-poluchaet", "/search?q=пособие",
                                 "/posobie/nope"])
def test_every_page_has_a_labelled_get_search_box(search_client, url):
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(search_client.get(url).get_data(as_text=True), "html.parser")
    form = soup.select_one("form[role=search]")
    assert form["method"] == "get" and form["action"] == "/search"
    field = form.select_one("input[name=q]")
    assert soup.select_one(f"label[for={field['id']}]").get_text(strip=True) == "Поиск по сайту"
    assert field["type"] == "search" and field["maxlength"] == "200"
    assert field["autocomplete"] == "off"  # a shared phone should not remember what was searched
    scripts = soup.find_all("script")
    assert "/static/suggest.js" in [s.get("src", "").split("?")[0] for s in scripts]
    assert all(s.get("src") and s.has_attr("defer") and not s.string for s in scripts)


def test_english_pages_search_in_english(search_client):
    assert 'action="/en/search"' in search_client.get("/en/").get_data(as_text=True)


def test_the_results_page_keeps_the_query_in_the_box(search_page):
    assert search_page("/search?q=пособие").soup.select_one("input[name=q]")["value"] == "пособие"


# ---------------------------------------------------------------- suggestions

def test_suggestions_are_guide_titles_with_links(search_client):
    items = search_client.get("/search/suggest?q=посо").get_json()
    assert items and len(items) <= 6
    assert {"title", "url"} == set(items[0])
    assert any(item["url"] == "/posobie/kto-poluchaet" for item in items)


def test_suggestions_come_from_keywords_too_and_survive_the_latin_layout(search_client):
    items = search_client.get("/search/suggest?q=шабаш").get_json()
    assert any(item["url"] == "/rabota/bystryi-zarabotok" for item in items)
    assert search_client.get("/search/suggest?q=gjcj").get_json()  # «посо»


def test_english_suggestions_link_to_english_pages(search_client):
    items = search_client.get("/search/suggest?q=миф&lang=en").get_json()
    assert items[0] == {"title": "Myths about work with a criminal record", "url": "/en/sudimost/mify"}


@pytest.mark.parametrize("q", ["", "п", " ", "x" * 10_000, "\x00", "?&=", "<script>"])
def test_suggestions_never_fail(search_client, q):
    response = search_client.get("/search/suggest", query_string={"q": q})
    assert response.status_code == 200 and isinstance(response.get_json(), list)


def test_suggest_script_is_small_same_origin_and_stores_nothing():
    source = SUGGEST_JS.read_text(encoding="utf-8")
    assert len(SUGGEST_JS.read_bytes()) < 3000
    assert "localStorage" not in source and "sessionStorage" not in source and "document.cookie" not in source
    assert not re.search(r"https?://", source)
    for aria in ('"combobox"', '"listbox"', '"option"', "aria-activedescendant", "aria-expanded"):
        assert aria in source
