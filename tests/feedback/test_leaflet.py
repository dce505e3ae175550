"""The leaflet for prison-service staff: QR codes of the chosen guides, the site's address, the contacts."""
from urllib.parse import parse_qs, urlsplit

from tests.helpers.app import make_app

DEFAULT = ["kuda-idti/pervye-30-dney", "posobie/kto-poluchaet", "dokumenty/spisok-dokumentov",
           "sudimost/zakrytye-professii", "rabota/gde-iskat", "kuda-idti/probaciya"]


def qr_pages(rendered):
    images = rendered.soup.select(".leaflet-guides img")
    return [parse_qs(urlsplit(img["src"]).query)["page"][0] for img in images]


def test_the_leaflet_has_the_six_most_needed_guides_by_default(page):
    leaflet = page("/listovka")
    assert leaflet.soup.h1.get_text(strip=True) == "Памятка: работа после освобождения"
    assert qr_pages(leaflet) == ["/" + key for key in DEFAULT]
    addresses = [span.get_text(strip=True) for span in leaflet.soup.select(".leaflet-address")]
    assert addresses == ["localhost/" + key for key in DEFAULT]
    assert "Сайт: localhost" in leaflet.text()
    assert sorted(box["value"] for box in leaflet.soup.select("input[name=g][checked]")) == sorted(DEFAULT)


def test_staff_choose_which_guides_go_on_the_leaflet(page):
    leaflet = page("/listovka?g=rodnym/kak-pomoch&g=rabota/rezyume&g=no/such&g=rabota/rezyume")
    assert qr_pages(leaflet) == ["/rodnym/kak-pomoch", "/rabota/rezyume"]
    assert not leaflet.soup.select_one(".error-summary")


def test_more_than_six_guides_get_a_plain_message_and_the_choice_is_kept(page):
    chosen = ["posobie/kto-poluchaet", "posobie/skolko-platyat", "posobie/kak-vstat-na-uchet",
              "rabota/gde-iskat", "rabota/rezyume", "rabota/sobesedovanie", "rodnym/kak-pomoch"]
    leaflet = page("/listovka?" + "&".join(f"g={key}" for key in chosen))
    summary = leaflet.soup.select_one(".error-summary").get_text(" ", strip=True)
    assert "Выберите не больше 6 памяток." in summary and "Вы выбрали: 7." in summary
    assert qr_pages(leaflet) == ["/" + key for key in chosen[:6]]
    assert sorted(box["value"] for box in leaflet.soup.select("input[name=g][checked]")) == sorted(chosen)


def test_without_contacts_in_the_facts_the_leaflet_says_to_leave_a_request_on_the_site(page, app):
    assert app.config["CENTRE_PHONE"] == ""
    text = page("/listovka").soup.select_one(".leaflet-contacts").get_text(" ", strip=True)
    assert "Оставьте заявку на сайте — специалист свяжется с вами: localhost/zayavka" in text
    assert "Телефон" not in text


def test_configured_contacts_are_printed(tmp_path):
    from tests.helpers.pages import Page
    app = make_app(tmp_path, CENTRE_PHONE="+7 (351) 000-00-00", CENTRE_ADDRESS="ул. Примерная, 1",
                   CENTRE_HOURS="пн–пт 9–18")
    leaflet = Page(app.test_client().get("/listovka")).check_invariants()
    text = leaflet.soup.select_one(".leaflet-contacts").get_text(" ", strip=True)
    assert "Телефон: +7 (351) 000-00-00 , пн–пт 9–18" in text and "Адрес: ул. Примерная, 1" in text


def test_the_leaflet_is_linked_from_the_staff_section_and_the_staff_guide(page):
    for url in ["/sotrudnikam/", "/sotrudnikam/podgotovka-k-osvobozhdeniyu"]:
        links = [a["href"] for a in page(url).soup.select("main a")]
        assert "/listovka" in links, url
    assert "/listovka" not in [a["href"] for a in page("/posobie/kto-poluchaet").soup.select("main a")]


def test_the_leaflet_has_its_own_print_stylesheet_and_no_inline_style(page):
    leaflet = page("/listovka")
    sheets = [link["href"] for link in leaflet.soup.find_all("link", rel="stylesheet")]
    assert any(href.startswith("/static/leaflet.css") for href in sheets)
    assert any(href.startswith("/static/site.css") for href in sheets)


def test_the_english_leaflet_exists_too(page):
    assert page("/en/listovka").soup.h1.get_text(strip=True) == "Leaflet: work after release"
