"""«Рядом с районом»: the district points are data with their sources (a wrong file names the district and
the field), the shipped file invents none, and the filter keeps exactly the vacancies within the radius,
closest first when asked, in a shareable link."""
import math
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.vacancies.demo import load_demo
from portal.vacancies.models import Vacancy
from portal.vacancies.nearby import CENTRES_FILE, CentresError, load_centres
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
