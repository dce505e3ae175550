"""The employer sign-up: fields, Russian messages with the input kept, consent, PRG, idempotency, bots,
CSRF, rate limit and a locked database."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from portal.consent import EMPLOYER_DATA_ITEMS, consent_text
from portal.employers.forms import EmployerSignupForm
from tests.helpers.app import make_app
from tests.helpers.employers import VALID_SIGNUP, cards, error_messages, hidden_fields, send_signup, signups

URL = "/rabotodateli/stat-partnerom"


def test_the_form_page_asks_what_the_card_needs_and_keeps_every_page_invariant(page):
    form_page = page(URL)
    names = {field.get("name") for field in form_page.soup.select("main form[method=post] [name]")}
    assert names == {
        "csrf_token",
        "started",
        "idempotency_key",
        "website",
        "consent",
        "publish",
        *EMPLOYER_DATA_ITEMS,
    }
    assert form_page.soup.h1.get_text() == "Я работодатель и готов брать людей после освобождения"
    assert form_page.response.headers["Cache-Control"] == "no-store"
    for box in ("consent", "publish"):
        [checkbox] = form_page.soup.select(f"input[name={box}]")
        assert not checkbox.has_attr("checked")
    hint = form_page.soup.select_one("#consent-hint")
    assert [a["href"] for a in hint.find_all("a")] == ["/rabotodateli/soglasie", "/privacy"]


def test_the_form_fields_match_the_employer_consent_data_list():
    fields = {
        name for name in dir(EmployerSignupForm) if hasattr(getattr(EmployerSignupForm, name), "field_class")
    }
    assert fields - {"consent", "publish", "website", "started", "idempotency_key"} == set(
        EMPLOYER_DATA_ITEMS
    )


def test_the_employer_consent_says_what_is_published_and_what_is_not(page):
    text = page("/rabotodateli/soglasie").text()
    for item in EMPLOYER_DATA_ITEMS.values():
        assert item in text
    assert "Что публикуется" in text and "ИНН не публикуются" in text
    assert "30 дней после того, как карточка снята с сайта" in text


def test_the_stored_consent_version_is_the_hash_of_the_employer_text(app, client):
    assert send_signup(client).status_code == 303
    [signup] = signups(app)
    with app.app_context():
        expected = hashlib.sha256(consent_text(kind="employer").encode()).hexdigest()
        assert signup.consent_version == expected != hashlib.sha256(consent_text().encode()).hexdigest()


def test_the_confirmation_follows_a_redirect_and_says_what_happens_next(client, page):
    response = send_signup(client)
    assert response.status_code == 303
    done = page(response.headers["Location"])
    assert "Пока этого не случится, карточку никто не видит" in done.text()


def test_a_double_tap_stores_one_sign_up(app, client):
    page = client.get(URL)
    data = {**hidden_fields(page.get_data(as_text=True), URL), **VALID_SIGNUP}
    assert client.post(URL, data=data).status_code == 303
    assert client.post(URL, data=data).status_code == 303
    assert len(cards(app)) == 1 and len(signups(app)) == 1


CASES = {
    "no company": ({"company": ""}, "company", "Напишите название организации."),
    "bad INN": ({"inn": "7707083894"}, "inn", "Этот ИНН не проходит проверку"),
    "short INN": ({"inn": "12345"}, "inn", "Этот ИНН не проходит проверку"),
    "no contact": ({"contact_name": ""}, "contact_name", "Напишите, с кем нам говорить."),
    "bad phone": ({"phone": "12345"}, "phone", "Проверьте номер"),
    "bad e-mail": ({"email": "hr@"}, "email", "Проверьте адрес почты"),
    "no district": ({"district": ""}, "district", "Выберите район, где работа."),
    "unknown industry": ({"industry": "mining"}, "industry", "Выберите отрасль."),
    "no work": ({"kinds_of_work": " "}, "kinds_of_work", "Опишите работу в нескольких словах."),
    "too much work": ({"kinds_of_work": "я" * 501}, "kinds_of_work", "Слишком длинно"),
    "no schedule": ({"schedule": None}, "schedule", "Выберите график."),
    "no stage": ({"asks_about_record_at": None}, "asks_about_record_at", "Выберите, когда вы спрашиваете"),
    "direct without contact": (
        {"how_to_apply": "direct", "apply_contact": ""},
        "apply_contact",
        "Напишите, куда звонить или приходить.",
    ),
    "no consent": ({"consent": None}, "consent", "Без вашего согласия мы не можем сохранить форму"),
    "no publication": ({"publish": None}, "publish", "Список открыт для всех"),
}


@pytest.mark.parametrize("fields, field_id, message", list(CASES.values()), ids=list(CASES))
def test_each_error_is_shown_in_russian_next_to_its_field_and_the_input_is_kept(
    app, client, fields, field_id, message
):
    response = send_signup(client, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert any(m.startswith(message) for m in error_messages(html)), error_messages(html)
    assert f'href="#{field_id}"' in html  # the summary links to the field
    assert "Бетонщики и подсобные рабочие на стройке." in html or "kinds_of_work" in fields
    assert cards(app) == []


def test_markup_typed_into_the_form_comes_back_escaped(client):
    response = send_signup(client, kinds_of_work="<script>alert(1)</script>", inn="1")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_direct_applications_keep_the_public_contact(app, client):
    assert (
        send_signup(client, how_to_apply="direct", apply_contact="Отдел кадров, с 9 до 16").status_code == 303
    )
    [card] = cards(app)
    assert (card.how_to_apply, card.apply_contact) == ("direct", "Отдел кадров, с 9 до 16")


def test_a_sole_trader_with_a_12_digit_inn_can_sign_up(app, client):
    assert send_signup(client, inn="5001 0073 2259").status_code == 303
    assert signups(app)[0].inn == "500100732259"


def test_without_the_csrf_token_nothing_is_stored_and_the_input_comes_back(app, client):
    page = client.get(URL)
    data = {**hidden_fields(page.get_data(as_text=True), URL), **VALID_SIGNUP, "company": "ООО Без-Токена"}
    data.pop("csrf_token")
    response = client.post(URL, data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Отправьте форму ещё раз" in html and 'value="ООО Без-Токена"' in html
    assert cards(app) == []


def test_a_flood_is_stopped_with_a_friendly_message_and_the_input_kept(tmp_path):
    app = make_app(tmp_path, EMPLOYER_SIGNUP_RATE_LIMIT="2 per hour")
    client = app.test_client()
    codes = [send_signup(client, company=f"ООО Волна-{n}").status_code for n in range(2)]
    blocked = send_signup(client, company="ООО Третья-Волна")
    assert codes == [303, 303] and blocked.status_code == 429
    html = blocked.get_data(as_text=True)
    assert "Слишком много форм с этого устройства" in html and 'value="ООО Третья-Волна"' in html
    assert len(cards(app)) == 2


def test_a_locked_database_gives_503_with_the_input_intact(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 0.2}})
    client = app.test_client()
    holder = sqlite3.connect(Path(tmp_path) / "portal.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = send_signup(client, company="ООО Замок")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Форма не отправлена" in html and 'value="ООО Замок"' in html
    assert cards(app) == []
    assert send_signup(client).status_code == 303


def test_no_contact_details_reach_the_log(app, client, caplog):
    import logging

    with caplog.at_level(logging.DEBUG):
        send_signup(client)
        send_signup(client, phone="bad")
    logged = " ".join(record.getMessage() for record in caplog.records)
    for secret in ("Анна Петровна", "hr@romashka.example", "7707083893", "1234567", "123-45-67"):
        assert secret not in logged
