"""Demo data: only through `flask demo load`, refused in production, every card marked «Пример»."""

import secrets

from portal.employers.demo import DEMO_CARDS
from tests.helpers.app import make_app
from tests.helpers.employers import add_card, card_ids_on, cards
from tests.helpers.pages import Page


def production_app(tmp_path):
    return make_app(
        tmp_path,
        ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        OPERATOR_ADDRESS="г. Челябинск",
        OPERATOR_EMAIL="op@example.ru",
        OPERATOR_PHONE="+7 351 000-00-00",
        CENTRE_PHONE="+7 000 000-00-00",
        CENTRE_ADDRESS="г. Челябинск (тестовый адрес)",
    )


def test_nothing_is_loaded_automatically(app):
    assert cards(app) == []


def test_demo_load_is_refused_in_production_with_a_message(tmp_path):
    app = production_app(tmp_path)
    for command in (["demo", "load"], ["demo", "clear"]):
        result = app.test_cli_runner().invoke(args=command)
        assert result.exit_code == 1, result.output
        assert "PORTAL_ENV=production" in result.output
    assert cards(app) == []


def test_demo_load_marks_every_card_and_the_page_shows_the_badge(app, runner, client, today):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    loaded = cards(app)
    assert len(loaded) == len(DEMO_CARDS) >= 5
    assert all(
        card.name.startswith("Пример:") and card.is_demo and card.status == "confirmed" for card in loaded
    )
    directory = Page(client.get("/rabotodateli")).check_invariants()
    shown = card_ids_on(directory.html)
    assert sorted(shown) == sorted(card.id for card in loaded)
    for card_id in shown:
        item = directory.soup.select_one(f"#employer-{card_id}")
        assert item.select_one(".badge").get_text() == "Пример"
        assert item.h2.get_text().startswith("Пример:")
        assert "такой организации нет" in item.get_text()


def test_demo_cards_cover_every_filter(app, runner, client, today):
    runner.invoke(args=["demo", "load"])
    for query in (
        {"housing": "1"},
        {"training": "1"},
        {"no_experience": "1"},
        {"district": "sovetsky"},
        {"industry": "metalwork"},
    ):
        assert card_ids_on(client.get("/rabotodateli", query_string=query).get_data(as_text=True)), query


def test_loading_twice_keeps_one_set_and_clear_leaves_real_cards_alone(app, runner, today):
    real_id = add_card(app, name='ООО "Настоящая"')
    runner.invoke(args=["demo", "load"])
    runner.invoke(args=["demo", "load"])
    assert len(cards(app)) == len(DEMO_CARDS) + 1
    result = runner.invoke(args=["demo", "clear"])
    assert result.exit_code == 0 and f": {len(DEMO_CARDS)}." in result.output
    assert [card.id for card in cards(app)] == [real_id]


def test_demo_cards_are_found_by_the_site_search_and_leave_it_on_clear(app, runner, client, today):
    runner.invoke(args=["demo", "load"])
    html = client.get("/search", query_string={"q": "Ромашка"}).get_data(as_text=True)
    assert "/rabotodateli#employer-" in html
    runner.invoke(args=["demo", "clear"])
    assert "/rabotodateli#employer-" not in client.get("/search", query_string={"q": "Ромашка"}).get_data(
        as_text=True
    )


def test_the_demo_set_names_no_employer_from_the_job_fairs():
    from portal.employers.cards import INVITE_FIRST

    names = " ".join(card["name"] for card in DEMO_CARDS).lower()
    for name, _source in INVITE_FIRST:
        core = name.split("«")[1].rstrip("»").lower()
        assert core not in names
