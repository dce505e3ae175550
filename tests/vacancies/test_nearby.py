"""«Рядом с районом»: the district points are data with their sources (a wrong file names the district and
the field), the shipped file invents none, and the filter keeps exactly the vacancies within the radius,
closest first when asked, in a shareable link."""
import math
import re
from urllib.parse import unquote_plus

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.vacancies.demo import load_demo
from portal.vacancies.models import Vacancy
from portal.vacancies.nearby import CENTRES_FILE, CentresError, load_centres, parse_point
from tests.helpers.app import make_app, production_config
from tests.helpers.pages import page_getter
from tests.helpers.plan import MUST_SHOW_URL

POINT = """centres:
  kalininsky:
    name: Тестовая точка
    lat: 55.16
    lng: 61.40
    source: https://example.org/test-point
    checked: 2026-12-01
"""


def test_the_shipped_file_invents_no_point():
    assert load_centres(CENTRES_FILE) == {}


def test_a_wrong_file_names_every_district_and_field(tmp_path):
    path = tmp_path / "district_centres.yaml"
    path.write_text("""centres:
  atlantida: {lat: 55.1, lng: 61.4, source: https://example.org/a, checked: 2026-12-01}
  kalininsky: {lat: 61.4, lng: 55.1, source: https://example.org/a, checked: 2026-12-01}
  leninsky: {lat: 55.1, lng: 61.4, source: http://example.org/a, checked: вчера}
  sovetsky: {lat: 55.1, lng: 61.4, sorce: https://example.org/a, checked: 2026-12-01}
""", encoding="utf-8")
    with pytest.raises(CentresError) as error:
        load_centres(path)
    message = str(error.value)
    for expected in ("centres → atlantida: неизвестный район",
                     "centres → kalininsky: поле «lat»: число от 54.9 до 55.4",
                     "centres → kalininsky: поле «lng»: число от 61.0 до 61.8",
                     "centres → leninsky: поле «source»: нужна ссылка https://",
                     "centres → leninsky: поле «checked»: дата проверки",
                     "centres → sovetsky: неизвестное поле «sorce»"):
        assert expected in message, message


def test_without_points_the_page_says_so_and_offers_no_distance_filter(tmp_path):
    page = page_getter(make_app(tmp_path, VACANCY_DEMO_CENTRES=False).test_client())
    result = page("/vakansii")
    assert result.soup.find(id="rayon") is None
    assert "нет проверенных координат центров районов" in result.text()
    assert result.soup.find(id="tochka") is not None  # a visitor's own point needs no district data
    assert "Для этого района у нас нет точки" in page("/vakansii?rayon=kalininsky").text()


def test_development_gets_the_marked_sample_points_and_production_never_does(tmp_path):
    development = make_app(tmp_path / "dev")
    centres = development.extensions["district_centres"]
    assert centres and all(c.is_demo and c.name.startswith("Пример: ") for c in centres.values())
    text = page_getter(development.test_client())("/vakansii").text()
    assert "Пример: точки районов ниже — образцы для проверки фильтра" in text
    production = make_app(tmp_path / "prod", **production_config())
    assert production.extensions["district_centres"] == {}


@pytest.fixture(scope="module")
def near_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nearby")
    (folder / "centres.yaml").write_text(POINT, encoding="utf-8")
    app = make_app(folder, VACANCY_DISTRICT_CENTRES_FILE=str(folder / "centres.yaml"))
    with app.app_context():
        load_demo()
    return app


def _km(card):
    return math.dist(((card.lat - 55.16) * 111.2, 0), (0, (card.lng - 61.40) * 111.2 * math.cos(math.radians(55.16))))


def test_the_filter_keeps_exactly_the_vacancies_within_the_radius_closest_first(near_app):
    page = page_getter(near_app.test_client())
    with near_app.app_context():
        cards = db.session.execute(select(Vacancy).where(Vacancy.status == "open")).scalars().all()
        expected = sorted((c for c in cards if c.lat is not None and _km(c) <= 5), key=_km)
    assert 0 < len(expected) < len(cards)  # the demo spreads vacancies wider than 5 km
    result = page("/vakansii?rayon=kalininsky&km=5&sort=near")
    count = int(re.search(r"(\d+) ваканс", result.soup.find(class_="result-count").get_text()).group(1))
    assert count == len(expected)
    shown = [h.get_text(" ", strip=True).removesuffix(" Пример") for h in result.soup.select(".vacancy-card h2")]
    assert shown == [c.title for c in expected][:len(shown)]
    distances = [float(m.replace(",", ".")) for m in re.findall(r"≈ (\d+,\d) км", result.text())]
    assert distances == sorted(distances) and all(d <= 5.05 for d in distances) and distances
    assert result.soup.find(id="rayon").find("option", selected=True)["value"] == "kalininsky"
    pager = result.soup.select_one(".pager a[rel=next]")
    if pager:  # the shareable link keeps the district and the radius
        assert "rayon=kalininsky" in pager["href"] and "km=5" in pager["href"]


def test_a_wrong_radius_falls_back_to_the_default_and_an_unknown_district_to_everywhere(near_app):
    page = page_getter(near_app.test_client())
    assert page("/vakansii?rayon=kalininsky&km=7").soup.find(id="km").find("option", selected=True)["value"] == "5"
    everywhere = page("/vakansii?rayon=leninsky")
    assert "Для этого района у нас нет точки, поэтому показываем вакансии везде." in everywhere.text()
    assert "≈" not in everywhere.text()


def test_the_plans_job_step_searches_close_to_the_persons_district(near_app):
    page = page_getter(near_app.test_client())
    form = page(MUST_SHOW_URL).soup.select_one("form.step-district")
    assert form["action"] == "/vakansii" and form["method"] == "get"
    assert [o["value"] for o in form.select("select[name=rayon] option")] == ["kalininsky"]
    result = page(f"{form['action']}?rayon=kalininsky")
    assert result.soup.find(id="rayon").find("option", selected=True)["value"] == "kalininsky"
    assert re.findall(r"≈ \d+,\d км", result.text())


@pytest.mark.parametrize(("pasted", "expected"), [
    ("55.160523, 61.402554", (55.16, 61.40)),                      # a map app's long press
    ("55,16 61,40", (55.16, 61.40)),                               # decimal commas
    ("55,16,61,40", (55.16, 61.40)),
    ("61.402554,55.160523", (55.16, 61.40)),                       # longitude first, as many links write it
    ("https://yandex.ru/maps/56/chelyabinsk/?ll=61.402554%2C55.160523&z=16", (55.16, 61.40)),
    ("https://www.google.com/maps/place/55°09'38.0\"N+61°24'09.0\"E/@55.1605,61.4025,17z", (55.16, 61.40)),
    ("geo:55.154,61.395", (55.15, 61.40)),
    ("53.41, 59.05", (53.41, 59.05)),                              # Magnitogorsk: still Chelyabinsk oblast
    ("59.93, 30.31", None),                                        # St Petersburg
    ("55, 61", None),                                              # whole degrees say nothing about a street
    ("Калининский район", None),
    ("", None),
])
def test_a_pasted_point_is_read_in_any_order_and_rounded_to_about_a_kilometre(pasted, expected):
    point = parse_point(pasted)
    assert (None if point is None else (point.lat, point.lng)) == expected


@pytest.fixture(scope="module")
def pointless_app(tmp_path_factory):
    """Like production today: no district point at all, the demo vacancies to measure."""
    app = make_app(tmp_path_factory.mktemp("own-point"), VACANCY_DEMO_CENTRES=False)
    with app.app_context():
        load_demo()
    return app


def test_without_district_points_a_visitor_searches_close_to_their_own_point(pointless_app):
    client = pointless_app.test_client()
    page = page_getter(client)
    assert page("/vakansii").soup.find(id="tochka") is not None
    moved = client.get("/vakansii?tochka=55.160523,%2061.402554&km=5&sort=near")
    assert moved.status_code == 302  # the precise point leaves the address bar for the rounded one
    location = unquote_plus(moved.headers["Location"])
    assert "tochka=55.16, 61.40" in location and "km=5" in location and "sort=near" in location
    assert "160523" not in location
    result = page(location)
    with pointless_app.app_context():
        cards = db.session.execute(select(Vacancy).where(Vacancy.status == "open")).scalars().all()
        expected = sorted((c for c in cards if c.lat is not None and _km(c) <= 5), key=_km)
    assert 0 < len(expected) < len(cards)
    count = int(re.search(r"(\d+) ваканс", result.soup.find(class_="result-count").get_text()).group(1))
    assert count == len(expected)
    distances = [float(m.replace(",", ".")) for m in re.findall(r"≈ (\d+,\d) км", result.text())]
    assert distances == sorted(distances) and distances and all(d <= 5.05 for d in distances)
    assert result.soup.find(id="tochka")["value"] == "55.16, 61.40"
    assert "160523" not in result.html
    pager = result.soup.select_one(".pager a[rel=next]")
    if pager:
        assert "tochka=55.16" in unquote_plus(pager["href"])


def test_an_unreadable_point_says_how_to_paste_one_and_searches_everywhere(pointless_app):
    result = page_getter(pointless_app.test_client())("/vakansii?tochka=Москва&sort=near")  # no redirect
    text = result.text()
    assert "Не получилось прочитать точку. Вставьте два числа из приложения карт" in text
    assert "Чтобы показать сначала ближайшие, выберите район или вставьте свою точку." in text
    assert "≈" not in text
    assert result.soup.find(id="tochka")["value"] == "Москва"  # kept, so the person can mend it
    with pointless_app.app_context():
        open_cards = db.session.execute(select(db.func.count()).where(Vacancy.status == "open")).scalar()
    assert f"Нашлось {open_cards} вакансий" in text


def test_a_point_and_a_district_together_measure_from_the_point(near_app):
    result = page_getter(near_app.test_client())("/vakansii?rayon=kalininsky&tochka=55.10,%2061.30&km=3")
    assert "Расстояние считаем от вашей точки, а не от района." in result.text()
    assert result.soup.find(id="rayon").find("option", selected=True)["value"] == ""
    with near_app.app_context():
        cards = db.session.execute(select(Vacancy).where(Vacancy.status == "open")).scalars().all()
    near_point = [c for c in cards if math.dist(((c.lat - 55.10) * 111.2, 0),
                                                (0, (c.lng - 61.30) * 111.2 * math.cos(math.radians(55.10)))) <= 3]
    count = int(re.search(r"(\d+) ваканс", result.soup.find(class_="result-count").get_text()).group(1))
    assert count == len(near_point)


def test_a_vacancy_page_links_the_vacancies_close_to_it_and_it_comes_first(pointless_app):
    page = page_getter(pointless_app.test_client())
    with pointless_app.app_context():
        card = db.session.execute(select(Vacancy).where(Vacancy.status == "open").order_by(Vacancy.id)
                                  .limit(1)).scalar()
        card_id, title = card.id, card.title
    link = page(f"/vakansii/{card_id}").soup.find("a", string="Другие вакансии рядом с этой")
    result = page(link["href"])
    assert "sort=near" in link["href"] and "km=5" in link["href"]
    first = result.soup.select_one(".vacancy-card")
    assert title in first.get_text() and re.search(r"≈ 0,\d км", first.get_text())


def test_a_vacancy_without_coordinates_offers_no_search_around_it(pointless_app):
    with pointless_app.app_context():
        card = db.session.execute(select(Vacancy).order_by(Vacancy.id.desc()).limit(1)).scalar()
        place, card.lat, card.lng = (card.lat, card.lng), None, None
        db.session.commit()
        card_id = card.id
    try:
        assert "Другие вакансии рядом" not in page_getter(pointless_app.test_client())(f"/vakansii/{card_id}").text()
    finally:
        with pointless_app.app_context():
            card = db.session.get(Vacancy, card_id)
            card.lat, card.lng = place
            db.session.commit()
