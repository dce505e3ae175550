"""The application form: fields, validation in plain Russian, input kept, consent, PRG, idempotency, bots."""
import hashlib
import logging

import pytest

from portal.apply.applications import normalise_contact
from portal.apply.forms import ApplicationForm
from portal.apply.models import Application
from portal.consent import CONSENT_DATA_ITEMS, consent_text
from portal.extensions import db
from portal.text import normalise_phone
from tests.helpers.apply import VALID, error_messages, hidden_fields, send_form


def rows(app):
    with app.app_context():
        return db.session.execute(db.select(Application)).scalars().all()


def test_form_page_asks_only_what_it_needs_and_never_about_the_conviction(app, page):
    form_page = page("/zayavka")
    names = {field.get("name") for field in form_page.soup.select("main form [name]")}
    assert names == {"csrf_token", "started", "idempotency_key", "applicant", "name", "contact_method",
                     "contact_value", "convenient_time", "help_needed", "contact_from", "district", "comment",
                     "consent", "website", "about"}  # about: hidden, the id of a vacancy or card, never typed
    text = form_page.text().lower()
    for forbidden in ("статья", "колони", "дата освобождения", "приговор"):
        assert forbidden not in " ".join(label.get_text().lower() for label in form_page.soup.select("label, legend"))
    assert "не пишите о судимости" in text


def test_form_fields_match_the_consent_data_list():
    with_data = set(ApplicationForm.__dict__) & set(CONSENT_DATA_ITEMS)
    assert with_data == set(CONSENT_DATA_ITEMS)


def test_consent_checkbox_is_separate_unchecked_and_links_to_the_consent(page):
    form_page = page("/zayavka")
    boxes = form_page.soup.select("input[name=consent]")
    assert len(boxes) == 1 and not boxes[0].has_attr("checked")
    hint = form_page.soup.select_one("#consent-hint")
    assert [a["href"] for a in hint.find_all("a")] == ["/soglasie", "/privacy"]


def test_valid_request_is_stored_whole_and_redirects_to_a_confirmation(app, client):
    response = send_form(client, contact_from="15.03.2027", district="metallurgichesky", comment="Нужна работа")
    assert response.status_code == 303
    [stored] = rows(app)
    assert response.headers["Location"] == f"/zayavka/prinyata/{stored.reference}"
    assert stored.contact_value == "+79123456789"
    assert stored.help_needed == "benefit,job"
    assert stored.district == "metallurgichesky" and stored.contact_from.isoformat() == "2027-03-15"
    with app.app_context():
        assert stored.consent_version == hashlib.sha256(consent_text().encode()).hexdigest()
    assert stored.consented_at is not None
    done = client.get(response.headers["Location"])
    assert done.status_code == 200 and stored.reference in done.get_data(as_text=True)


def test_confirmation_page_reload_does_not_send_again(app, client):
    location = send_form(client).headers["Location"]
    for _ in range(3):
        assert client.get(location).status_code == 200
    assert len(rows(app)) == 1


def test_double_tap_with_the_same_form_stores_one_request(app, client):
    page = client.get("/zayavka")
    data = {**hidden_fields(page.get_data(as_text=True)), **VALID}
    first = client.post("/zayavka", data=data)
    second = client.post("/zayavka", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(rows(app)) == 1


def test_help_needed_can_be_prefilled_from_the_link(page):
    form_page = page("/zayavka?help=benefit&help=housing&help=nonsense")
    checked = {box["value"] for box in form_page.soup.select("input[name=help_needed][checked]")}
    assert checked == {"benefit", "housing"}


@pytest.mark.parametrize(("fields", "field_id", "message"), [
    ({"name": ""}, "name", "Напишите, как к вам обращаться"),
    ({"name": "12345"}, "name", "только буквы"),
    ({"name": "С" * 101}, "name", "не больше 100 знаков"),
    ({"contact_value": "12-34"}, "contact_value", "11 цифр"),
    ({"contact_value": ""}, "contact_value", "Напишите телефон"),
    ({"contact_method": "telegram", "contact_value": "@a"}, "contact_value", "Проверьте контакт"),
    ({"help_needed": []}, "help_needed", "хотя бы один"),
    ({"contact_from": "31.02.2027"}, "contact_from", "день.месяц.год"),
    ({"contact_from": "01.01.2020"}, "contact_from", "уже прошла"),
    ({"contact_from": "01.01.2099"}, "contact_from", "не больше трёх лет"),
    ({"comment": "а" * 1001}, "comment", "не больше 1000 знаков"),
    ({"consent": None}, "consent", "Без вашего согласия"),
])
def test_each_error_is_shown_in_russian_next_to_its_field_and_input_is_kept(app, client, fields, field_id, message):
    response = send_form(client, **{"name": "Анна Петровна", "comment": "Мой комментарий", **fields})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert any(message in m for m in error_messages(html)), error_messages(html)
    assert f'href="#{field_id}"' in html  # the summary links to the field
    kept = fields.get("name", "Анна Петровна")
    if kept:
        assert f'value="{kept}"' in html
    if "comment" not in fields:
        assert "Мой комментарий" in html
    assert rows(app) == []


def test_in_person_needs_no_contact(app, client):
    assert send_form(client, contact_method="in_person", contact_value="").status_code == 303
    assert rows(app)[0].contact_value is None


def test_input_with_markup_is_kept_escaped(client):
    html = send_form(client, name="", comment='<script>alert(1)</script>').get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


@pytest.mark.parametrize(("raw", "expected"), [
    ("+7 912 345-67-89", "+79123456789"), ("8 (912) 345-67-89", "+79123456789"), ("89123456789", "+79123456789"),
    ("9123456789", "+79123456789"), ("+7(351)264-11-31", "+73512641131"), ("8-351-264-11-31", "+73512641131"),
    ("7 912 345 67 89", "+79123456789"), ("+1 912 345 67 89", None), ("12345", None), ("+7 912 345-67-8", None),
    ("8 012 345 67 89", None), ("телефон", None), ("", None), ("++79123456789", None), ("8+9123456789", None),
])
def test_russian_phone_numbers_in_any_common_spelling_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(("method", "raw", "expected"), [
    ("telegram", "@sergey_ivanov", "@sergey_ivanov"), ("telegram", "t.me/sergey_ivanov", "@sergey_ivanov"),
    ("telegram", "8 912 345 67 89", "+79123456789"), ("vk", "https://vk.com/id12345", "id12345"),
    ("whatsapp", "+7 912 345 67 89", "+79123456789"), ("max", "@name", None), ("telegram", "@ab", None),
    ("in_person", "anything", ""),
])
def test_messenger_contacts_are_normalised_per_method(method, raw, expected):
    assert normalise_contact(method, raw) == expected


def test_phone_normalisation_is_idempotent():
    assert normalise_phone(normalise_phone("8 (912) 345-67-89")) == "+79123456789"


def test_unknown_reference_is_a_404(client):
    assert client.get("/zayavka/prinyata/AAA-AAA").status_code == 404


def test_form_page_is_not_cached(client):
    assert client.get("/zayavka").headers["Cache-Control"] == "no-store"


def test_no_personal_data_reaches_the_application_log(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    send_form(client, name="Канарейка", contact_value="+7 999 123-45-67", comment="канарейка-коммент")
    send_form(client, name="1", contact_value="+7 999 123-45-67", comment="канарейка-коммент")
    assert len(rows(app)) == 1
    for canary in ("Канарейка", "9991234567", "999 123-45-67", "канарейка-коммент"):
        assert canary not in caplog.text
    assert "application stored" in caplog.text and "fields=name" in caplog.text


def test_consent_page_names_the_operator_purpose_data_actions_term_and_withdrawal(page):
    consent_page = page("/soglasie")
    text = consent_page.text()
    for item in CONSENT_DATA_ITEMS.values():
        assert item in text
    for heading in ("Кто обрабатывает данные", "Зачем", "Какие данные", "Что мы делаем с данными",
                    "Сколько храним", "Как отозвать согласие"):
        assert heading in text
    assert "{{" not in consent_page.html


def test_privacy_policy_is_a_separate_page_with_the_required_sections(page):
    text = page("/privacy").text()
    for heading in ("Оператор", "Цели обработки", "Основание", "Сроки хранения", "Ваши права",
                    "Как мы защищаем данные", "Cookie"):
        assert heading in text


def test_changing_the_consent_text_changes_the_stored_version(app, client):
    send_form(client)
    app.config["OPERATOR_EMAIL"] = "new@example.org"
    send_form(client)
    first, second = rows(app)
    assert first.consent_version != second.consent_version
