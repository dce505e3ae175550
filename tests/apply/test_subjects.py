"""A request about something the site published: «Спросить центр об этой вакансии» and a friendly
employer's «Оставить заявку» open the form with the subject shown; the request keeps a copy of its title
and link, looked up again from the id (never the visitor's text); staff see it; the purge erases it."""
import csv
import io

from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.apply import subjects
from portal.apply.models import Application
from portal.extensions import db
from portal.vacancies.demo import load_demo
from portal.vacancies.models import Vacancy
from tests.helpers.apply import send_form
from tests.helpers.employers import add_card


def _first_vacancy(app):
    with app.app_context():
        load_demo()
        card = db.session.execute(select(Vacancy).order_by(Vacancy.id)).scalars().first()
        return card.id, card.title, card.employer_name, card.vac_url


def _stored(app):
    with app.app_context():
        return db.session.execute(select(Application)).scalar_one()


def _form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_a_vacancy_link_opens_the_form_with_it_and_staff_see_it_with_the_official_card(app, client, signed_in):
    vacancy_id, title, employer, vac_url = _first_vacancy(app)
    assert employer.startswith("Пример: ")  # a sample vacancy says so wherever its employer is named
    soup = _form(client, f"/zayavka?help=job&vacancy={vacancy_id}")
    shown = soup.select_one(".request-subject").get_text(" ", strip=True)
    assert f"Вакансия «{title} — {employer}»" in shown
    assert soup.find("input", attrs={"name": "about"})["value"] == f"vacancy:{vacancy_id}"
    assert soup.find("input", attrs={"name": "help_needed", "value": "job"}).has_attr("checked")

    assert send_form(client, f"/zayavka?help=job&vacancy={vacancy_id}").status_code == 303
    stored = _stored(app)
    assert (stored.about_kind, stored.about_ref) == ("vacancy", str(vacancy_id))
    assert stored.about_title == f"{title} — {employer}" and stored.about_url == vac_url

    detail = BeautifulSoup(signed_in.get(f"/staff/zayavki/{stored.id}").get_data(as_text=True), "html.parser")
    link = detail.find("a", href=vac_url)
    assert link.get_text(strip=True) == f"Вакансия: {title} — {employer}"
    desk = signed_in.get("/staff/").get_data(as_text=True)
    assert f"Вакансия: {title}" in desk
    rows = list(csv.reader(io.StringIO(signed_in.get("/staff/export.csv").get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["О чём спрашивает"] == f"Вакансия: {title} — {employer}" and row["Ссылка"] == vac_url


def test_the_subject_is_looked_up_again_so_a_changed_hidden_field_stores_only_what_the_site_published(app, client):
    vacancy_id, title, _employer, _url = _first_vacancy(app)
    assert send_form(client, about=f"vacancy:{vacancy_id}").status_code == 303
    assert _stored(app).about_title.startswith(title)
    with app.app_context():
        db.session.execute(db.delete(Application))
        db.session.commit()
    for forged in ("vacancy:99999999", "Сварщик — ООО Мечта"):  # a few sends: the form's rate limit is real
        assert send_form(client, about=forged).status_code == 303, forged
        stored = _stored(app)
        assert (stored.about_kind, stored.about_title, stored.about_url) == (None, None, None), forged
        with app.app_context():
            db.session.execute(db.delete(Application))
            db.session.commit()
    with app.test_request_context():
        for forged in ("vacancy:<script>", "evil:1", "vacancy:1" * 40, "vacancy:-1", "vacancy:", ":"):
            assert subjects.from_token(forged) is None, forged
        assert subjects.from_token(f"vacancy:{vacancy_id}").title.startswith(title)


def test_an_unknown_or_malformed_subject_in_the_link_just_opens_the_plain_form(app, client):
    _first_vacancy(app)
    for url in ("/zayavka?vacancy=abc", "/zayavka?vacancy=99999999", "/zayavka?vacancy=", "/zayavka?employer=-1",
                "/zayavka?vacancy=" + "9" * 500):
        soup = _form(client, url)
        assert soup.select_one(".request-subject") is None, url
        assert soup.find("input", attrs={"name": "about"})["value"] == "", url


def test_a_friendly_employers_request_link_carries_the_employer_and_a_hidden_card_is_not_offered(app, client):
    card_id = add_card(app, name='ООО "Добрый Склад"')
    hidden_id = add_card(app, name='ООО "Скрытый"', status="hidden")
    link = _form(client, "/rabotodateli").find("a", href=f"/zayavka?help=job&employer={card_id}")
    assert link.get_text(strip=True) == "Оставить заявку об этом работодателе"
    soup = _form(client, link["href"])
    assert 'Работодатель «ООО "Добрый Склад"»' in soup.select_one(".request-subject").get_text(" ", strip=True)
    assert _form(client, f"/zayavka?employer={hidden_id}").select_one(".request-subject") is None
    assert send_form(client, link["href"]).status_code == 303
    stored = _stored(app)
    assert stored.about_title == 'ООО "Добрый Склад"' and stored.about_url == f"/rabotodateli#employer-{card_id}"


def test_the_purge_erases_what_the_request_was_about(app, client, runner):
    vacancy_id, *_rest = _first_vacancy(app)
    send_form(client, about=f"vacancy:{vacancy_id}")
    with app.app_context():
        stored = db.session.execute(select(Application)).scalar_one()
        stored.status, stored.closed_at = "done", stored.created_at.replace(year=2025)
        db.session.commit()
    assert runner.invoke(args=["requests", "purge", "--days", "30"]).exit_code == 0
    stored = _stored(app)
    assert stored.purged_at and (stored.about_kind, stored.about_ref, stored.about_title, stored.about_url) == \
        (None, None, None, None)
