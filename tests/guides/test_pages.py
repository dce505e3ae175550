"""Every page a reader meets: status, invariants, Russian by default, English selectable, friendly errors."""
import re
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale, ngettext

from portal.guides.content import load_library
from tests.helpers.app import ROOT
from tests.helpers.pages import Page

LIBRARY = load_library(ROOT / "portal" / "content")
GUIDE_URLS = [f"/{key}" for key in sorted(LIBRARY.guides)]
SECTION_URLS = [f"/{slug}/" for slug in sorted(LIBRARY.sections)]


def test_home_answers_what_do_you_need_now_with_every_section(page):
    home = page("/")
    assert home.soup.h1.get_text(strip=True) == "Что вам нужно сейчас?"
    tiles = [a["href"] for a in home.soup.select(".tiles:not(.tool-tiles) a")]
    assert tiles == [f"/{s.slug}/" for s in LIBRARY.ordered_sections()]
    assert home.soup.select_one(".start a")["href"] == "/kuda-idti/pervye-30-dney"
    tools = [a["href"] for a in home.soup.select(".tool-tiles a")]
    assert tools == ["/plan", "/plan/posobie", "/proverka-sudimosti", "/kuda-obratitsya"]  # issue 15


@pytest.mark.parametrize("url", SECTION_URLS)
def test_every_section_lists_its_guides_with_summaries(page, url):
    section = page(url)
    slug = url.strip("/")
    expected = [f"/{g.key}" for g in LIBRARY.section_guides(slug)]
    assert [a["href"] for a in section.soup.select("main .guide-list a.guide-link")] == expected
    for guide in LIBRARY.section_guides(slug):
        assert guide.summary in section.text()


@pytest.mark.parametrize("url", GUIDE_URLS)
def test_every_guide_renders_with_checked_date_sources_and_help(page, url):
    guide = LIBRARY.guides[url.lstrip("/")]
    rendered = page(url)
    assert rendered.soup.h1.get_text(strip=True) == guide.title
    assert re.search(r"Проверено: \d{1,2} [а-я]+ 20\d\d", rendered.text())
    sources = rendered.soup.select(".sources li")
    assert len(sources) == len(guide.sources) >= 1
    assert rendered.soup.select_one(".help h2").get_text(strip=True) == "Нужна помощь? Мы поможем."
    crumbs = [li.get_text(strip=True) for li in rendered.soup.select(".breadcrumbs li")]
    assert crumbs[0] == "Главная" and crumbs[-1] == guide.title


@pytest.mark.parametrize("url", GUIDE_URLS)
def test_every_guide_opens_with_its_short_what_to_do_lines_right_after_the_title(page, url):
    guide = LIBRARY.guides[url.lstrip("/")]
    article = page(url).soup.select_one("article.guide")
    first_blocks = [child for child in article.children if getattr(child, "name", None)]
    assert first_blocks[0].name == "h1"
    short = first_blocks[1]
    assert short.name == "section" and short.h2.get_text(strip=True) == "Коротко"
    assert [li.get_text(strip=True) for li in short.select("li")] == list(guide.short)


def test_english_guide_shows_its_short_block_in_english(page):
    short = page("/en/sudimost/mify").soup.select_one("article .short")
    assert short.h2.get_text(strip=True) == "In short"
    assert short.select_one("li").get_text(strip=True) == "People with a record do get hired."


def test_checked_date_is_written_out_in_russian(fixture_app):
    rendered = Page(fixture_app.test_client().get("/posobie/kto-poluchaet")).check_invariants()
    assert "Проверено: 12 ноября 2026" in rendered.text()


def test_long_guide_has_a_table_of_contents_short_one_does_not(fixture_app):
    client = fixture_app.test_client()
    long_guide = Page(client.get("/kuda-idti/pervye-30-dney"))
    assert [a["href"] for a in long_guide.soup.select(".toc a")][:1] == ["#shag-1"]
    short = Page(client.get("/en/kuda-idti/pervye-30-dney"))
    assert short.soup.select_one(".toc") is None


def _same_origin_links(soup):
    for link in soup.find_all("a", href=True):
        parts = urlsplit(link["href"])
        if not parts.scheme and not parts.netloc and parts.path.startswith("/"):
            yield parts.path


def test_every_internal_link_on_every_page_resolves(client):
    seen, queue, broken = set(), ["/", "/en/"], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow_redirects=True)
        if response.status_code != 200:
            broken.append((url, response.status_code))
            continue
        if response.mimetype == "text/html":
            queue.extend(_same_origin_links(Page(response).soup))
    assert not broken, broken
    assert {f"/{key}" for key in LIBRARY.guides} <= seen


def test_unknown_page_gets_a_friendly_404_with_a_way_home(page):
    missing = page("/posobie/net-takoi-stranicy", status=404)
    assert missing.soup.h1.get_text(strip=True) == "Страница не найдена"
    assert missing.soup.select_one("main a.button")["href"] == "/"
    assert "Traceback" not in missing.html


def test_unknown_section_is_a_404_too(page):
    assert page("/net-razdela/", status=404).soup.h1.get_text(strip=True) == "Страница не найдена"


def test_english_404_is_in_english(page):
    missing = page("/en/posobie/no-such-page", status=404)
    assert missing.soup.html["lang"] == "en"
    assert missing.soup.h1.get_text(strip=True) == "Page not found"


def test_unexpected_error_shows_a_friendly_500_with_an_error_code(app, caplog):
    canary = "".join(["+7999", "1234567"])

    @app.route("/boom")
    def boom():
        raise RuntimeError(f"секрет {canary}")

    response = app.test_client().get("/boom?q=канарейка")
    rendered = Page(response).check_invariants()
    assert response.status_code == 500
    assert rendered.soup.h1.get_text(strip=True) == "Что-то пошло не так"
    assert re.search(r"Код ошибки: [0-9a-f]{8}", rendered.text())
    assert "Traceback" not in rendered.html and "секрет" not in rendered.html
    assert "+79991234567" not in caplog.text and "канарейка" not in caplog.text


def test_russian_is_the_default_interface_language(page):
    home = page("/")
    assert home.soup.html["lang"] == "ru"
    assert home.soup.select_one(".lang-switch")["href"] == "/en/"


def test_english_interface_is_selectable_and_keeps_the_page(page):
    english = page("/en/posobie/kto-poluchaet")
    assert english.soup.html["lang"] == "en"
    assert english.soup.select_one(".help h2").get_text(strip=True) == "Need help? We will help you."
    assert english.soup.select_one(".lang-switch")["href"] == "/posobie/kto-poluchaet"
    assert "This guide is not translated yet" in english.text()
    assert english.soup.select_one("article")["lang"] == "ru"


def test_translated_guide_is_shown_in_english_without_the_fallback_note(page):
    english = page("/en/sudimost/mify")
    assert "This guide is not translated yet" not in english.text()
    assert english.soup.select_one("article").get("lang") is None


@pytest.mark.parametrize(("count", "expected"), [
    (1, "В разделе 1 материал."), (2, "В разделе 2 материала."), (5, "В разделе 5 материалов."),
    (21, "В разделе 21 материал."), (11, "В разделе 11 материалов."), (22, "В разделе 22 материала."),
])
def test_russian_plural_forms(app, count, expected):
    with app.test_request_context("/"), force_locale("ru"):
        assert ngettext("This section has %(num)d guide.", "This section has %(num)d guides.", count) == expected


def test_sitemap_lists_every_guide_with_its_checked_date(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    body = response.get_data(as_text=True)
    for guide in LIBRARY.guides.values():
        assert f"<loc>http://localhost/{guide.key}</loc><lastmod>{guide.updated.isoformat()}</lastmod>" in body


def test_robots_txt_points_to_the_sitemap_and_keeps_staff_out(client):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in body
    assert "Disallow: /staff" in body


def test_guide_has_opengraph_preview_tags(page):
    guide = LIBRARY.guides["posobie/kto-poluchaet"]
    rendered = page("/posobie/kto-poluchaet")
    meta = {m.get("property"): m.get("content") for m in rendered.soup.find_all("meta", property=True)}
    assert meta["og:title"] == guide.title
    assert meta["og:description"] == guide.summary
    assert meta["og:url"] == "http://localhost/posobie/kto-poluchaet"
    assert meta["og:type"] == "article"


def test_reading_sets_no_cookie(client):
    for url in ["/", SECTION_URLS[0], GUIDE_URLS[0], "/en/", "/no-such-page"]:
        assert "Set-Cookie" not in client.get(url).headers, url


def test_static_files_are_fingerprinted_and_cached_for_a_year(client, page):
    css = page("/").soup.find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"/static/site\.css\?v=[0-9a-f]{12}", css)
    response = client.get(css)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_favicon_exists(client):
    response = client.get("/favicon.ico", follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_html_is_compressed_for_browsers_that_ask(client):
    response = client.get(GUIDE_URLS[0], headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"


def test_guide_page_html_and_css_stay_under_30_kb_compressed(client):
    import gzip
    longest = max(LIBRARY.guides.values(), key=lambda g: len(g.html))
    html = client.get(f"/{longest.key}").get_data()
    css = (ROOT / "portal" / "static" / "site.css").read_bytes()
    assert len(gzip.compress(html)) + len(gzip.compress(css)) < 30 * 1024
