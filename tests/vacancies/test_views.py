"""/vakansii and /vakansii/<id>: search, filters, conviction-aware hiding, the source credit, bad input."""
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.vacancies.demo import load_demo
from portal.vacancies.models import Vacancy
from tests.helpers.app import make_app
from tests.helpers.pages import page_getter


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """One app with the demo sample for the whole module: the pages only read."""
    app = make_app(tmp_path_factory.mktemp("vacancies"))
    with app.app_context():
        load_demo()
    return app


@pytest.fixture
def client(demo_app):
    return demo_app.test_client()


def _count(page):
    match = re.search(r"(\d+) ваканс", page.soup.find(class_="result-count").get_text())
    return int(match.group(1))


def _titles(page):
    return [h.get_text(" ", strip=True) for h in page.soup.select(".vacancy-card h2")]


def test_search_page_lists_sample_vacancies_marked_as_examples(demo_app, page):
    result = page("/vakansii")
    assert _count(result) == 60
    cards = result.soup.select(".vacancy-card")
    assert len(cards) == 20 and all(card.find(class_="badge").get_text() == "Пример" for card in cards)
    assert "Данные: портал «Работа в России» (trudvsem.ru). Обновлено" in result.text()
    assert "Set-Cookie" not in result.response.headers


@pytest.mark.parametrize(("text", "expected_word", "corrected"), [
    ("сварщик", "сварщик", None),
    ("сварщика", "сварщик", None),
    ("свар", "сварщик", None),
    ("cdfhobr", "сварщик", "сварщик"),
    ("грущик", "грузчик", "грузчик"),
    ("грузчики", "грузчик", None),
])
def test_text_search_understands_forms_prefixes_typos_and_layout(demo_app, page, text, expected_word, corrected):
    result = page(f"/vakansii?q={text}")
    titles = _titles(result)
    assert titles and all(expected_word in title.casefold() for title in titles), titles
    if corrected:
        assert f"Показаны результаты для «{corrected}»" in result.text()


def test_shift_work_with_housing_finds_only_cards_with_housing(demo_app, page):
    result = page("/vakansii?q=вахта+с+проживанием")
    assert _count(result) > 0
    with demo_app.app_context():
        for title in _titles(result):
            card = db.session.execute(select(Vacancy).where(Vacancy.title == title.replace(" Пример", ""))
                                      ).scalars().first()
            assert card.housing


def test_no_experience_words_become_the_filter(demo_app, page):
    assert _count(page("/vakansii?q=работа+без+опыта")) == _count(page("/vakansii?no_experience=y"))


@pytest.mark.parametrize(("args", "column", "expected"), [
    ("housing=y", "housing", True), ("day=y", "day_shift", True), ("part_time=y", "part_time", True),
    ("no_medbook=y", "medical_book", False), ("no_experience=y", "no_experience", True),
])
def test_each_filter_keeps_only_matching_cards(demo_app, page, args, column, expected):
    result = page(f"/vakansii?{args}")
    with demo_app.app_context():
        wanted = db.session.execute(select(db.func.count()).where(getattr(Vacancy, column).is_(expected),
                                                                 Vacancy.status == "open")).scalar()
    assert 0 < _count(result) == wanted < 60


def test_salary_filter_and_highest_pay_first(demo_app, page):
    result = page("/vakansii?salary_from=60000&sort=pay")
    pays = [int(re.sub(r"\D", "", p.get_text().split("–")[-1]))
            for p in result.soup.select(".vacancy-card p strong")]
    assert pays and pays == sorted(pays, reverse=True) and min(pays) >= 60000


def test_closed_ban_groups_hide_vacancies_and_say_so(demo_app, page):
    everything = _count(page("/vakansii"))
    result = page("/vakansii?closed=deti,taksi")
    text = result.text()
    assert "Работа с детьми, в образовании, медицине и соцзащите" in text and "Водитель такси" in text
    hidden = int(re.search(r"Скрыт\w (\d+)", text).group(1))
    assert hidden > 0 and _count(result) == everything - hidden
    assert not any("такси" in t.casefold() or "воспитател" in t.casefold() for t in _titles(result))
    next_link = result.soup.find("a", rel="next")
    assert next_link is None or "closed=deti%2Ctaksi" in next_link["href"] or "closed=deti,taksi" in next_link["href"]


@pytest.mark.parametrize("query", [
    "salary_from=abc", "salary_from=-5", "salary_from=99999999999", "page=zz", "page=-3", "sort=evil",
    "closed=nonsense,<script>", "q=" + "а" * 5000, "q=%00%01", "day=maybe", "q=%25%25_%5C",
])
def test_bad_input_gets_a_friendly_page_not_an_error(demo_app, page, query):
    result = page(f"/vakansii?{query}")
    assert "<script>" not in result.html


def test_a_wrong_salary_says_how_to_write_it(demo_app, page):
    assert "Напишите зарплату числом в рублях" in page("/vakansii?salary_from=abc").text()


def test_vacancy_page_explains_a_possible_ban_and_links_the_check(demo_app, page):
    with demo_app.app_context():
        card = db.session.execute(select(Vacancy).where(Vacancy.title == "Водитель такси")).scalars().first()
    result = page(f"/vakansii/{card.id}")
    text = result.text()
    assert "Закон может закрыть эту работу при некоторых судимостях" in text and "328.1" in text
    assert result.soup.find("a", href="/proverka-sudimosti")
    assert "Пример" in text and "Данные: портал «Работа в России» (trudvsem.ru)" in text


def test_vacancy_page_marks_a_refusal_of_people_with_a_record(demo_app, page):
    with demo_app.app_context():
        card = db.session.execute(select(Vacancy).where(Vacancy.says_no_record.is_(True))).scalars().first()
    assert "не берёт людей с судимостью" in page(f"/vakansii/{card.id}").text()


def test_real_vacancy_links_the_official_card_without_referrer(tmp_path):
    from portal.vacancies import store
    from portal.vacancies.demo import sample_records
    from portal.vacancies.sync import Fetched
    app = make_app(tmp_path)
    with app.app_context():
        store.apply(Fetched(records=sample_records(3, marker=""), total=3, complete=True), "api")
        card = db.session.execute(select(Vacancy)).scalars().first()
    result = page_getter(app.test_client())(f"/vakansii/{card.id}")
    link = result.soup.find("a", href=card.vac_url)
    assert link and "noreferrer" in link["rel"] and link["href"].startswith("https://trudvsem.ru/vacancy/card/")
    assert not result.soup.find(class_="badge") and "Это пример" not in result.text()


def test_unknown_vacancy_is_404(page):
    page("/vakansii/424242", status=404)


def test_staff_sync_log_needs_a_sign_in(demo_app, client):
    response = client.get("/staff/vakansii/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_demo_load_refuses_production(tmp_path):
    app = make_app(tmp_path, ENV="production", OPERATOR_NAME="x", OPERATOR_ADDRESS="x", OPERATOR_EMAIL="x",
                   OPERATOR_PHONE="x", CENTRE_PHONE="x", CENTRE_ADDRESS="x", SESSION_COOKIE_SECURE=True)
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 1
    with app.app_context():
        assert db.session.execute(select(db.func.count()).select_from(Vacancy)).scalar() == 0


def test_flask_demo_load_adds_marked_vacancies_and_clear_removes_them(tmp_path):
    app = make_app(tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "Загружено примеров (вакансии): 60" in result.output
    with app.app_context():
        cards = db.session.execute(select(Vacancy)).scalars().all()
        assert len(cards) == 60 and all(c.is_demo and c.employer_name.startswith("Пример: ") for c in cards)
    assert "Удалено примеров (вакансии): 60" in runner.invoke(args=["demo", "clear"]).output


def test_inn_in_the_url_lists_one_employers_vacancies(demo_app, page):
    with demo_app.app_context():
        card = db.session.execute(select(Vacancy)).scalars().first()
        expected = db.session.execute(select(db.func.count()).where(Vacancy.employer_inn == card.employer_inn)
                                      ).scalar()
    result = page(f"/vakansii?inn={card.employer_inn}")
    assert _count(result) == expected < 60
    assert "неверный ИНН" not in result.text()
    assert _count(page("/vakansii?inn=12ab")) == 60


def test_vacancy_page_offers_to_ask_the_centre_with_the_vacancy_in_the_link(demo_app, page):
    with demo_app.app_context():
        card = db.session.execute(select(Vacancy)).scalars().first()
    link = page(f"/vakansii/{card.id}").soup.find("a", string="Спросить центр об этой вакансии")
    assert link["href"] == f"/zayavka?help=job&vacancy={card.id}"


def test_friendly_employer_card_links_its_current_vacancies_by_inn(tmp_path):
    from portal.clock import now_utc
    from portal.employers.demo import load_demo as load_demo_employers
    from portal.employers.models import Employer, EmployerSignup
    app = make_app(tmp_path)
    with app.app_context():
        load_demo_employers(actor="test")
        employer = db.session.execute(select(Employer)).scalars().first()
        columns = {c.name: c for c in EmployerSignup.__table__.columns}
        values = {name: ("x" if isinstance(c.type, db.String) else now_utc())
                  for name, c in columns.items() if not c.nullable and not c.primary_key and c.default is None}
        db.session.add(EmployerSignup(**{**values, "employer_id": employer.id, "inn": "7400000003"}))
        db.session.commit()
        load_demo()
    result = page_getter(app.test_client())("/rabotodateli")
    link = result.soup.find("a", href="/vakansii?inn=7400000003")
    assert link and "на «Работа в России»" in link.get_text()
