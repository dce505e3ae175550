"""An officer's referral (/zayavka/napravlenie): its fields and consent, validation in plain Russian, several
in a row without retyping the officer's own details, and the desk listing referrals by release date."""
from datetime import date, timedelta

import pytest

from portal.apply.forms import ReferralForm
from portal.apply.models import Application
from portal.consent import REFERRAL_DATA_ITEMS
from portal.extensions import db
from portal.staff.retention import PERSONAL_COLUMNS
from tests.helpers.apply import error_messages, hidden_fields

RELEASE = (date.today() + timedelta(days=40)).strftime("%d.%m.%Y")
VALID = {
    "person_name": "Сергей", "release_date": RELEASE, "institution": "ik8", "institution_other": "",
    "reach_via": "relative_phone", "reach_phone": "8 912 345-67-89", "help_needed": ["job", "documents"],
    "referrer_name": "Иванова Мария, инспектор", "referrer_phone": "8 351 123-45-67", "consent": "y",
}


def send_referral(client, url="/zayavka/napravlenie", **fields):
    page = client.get(url)
    data = {**hidden_fields(page.get_data(as_text=True)), **VALID, **fields}
    return client.post("/zayavka/napravlenie", data={k: v for k, v in data.items() if v is not None})


def referrals(app):
    with app.app_context():
        return db.session.execute(db.select(Application).order_by(Application.id)).scalars().all()


def test_the_form_is_linked_from_the_application_form_and_asks_no_conviction_question(page):
    link = page("/zayavka").soup.select_one('main a[href="/zayavka/napravlenie"]')
    assert link is not None
    form_page = page("/zayavka/napravlenie")
    assert form_page.response.headers["Cache-Control"] == "no-store"
    labels = " ".join(label.get_text().lower() for label in form_page.soup.select("label, legend"))
    for forbidden in ("статья", "приговор", "судимост"):
        assert forbidden not in labels
    options = [option.get_text() for option in form_page.soup.select("select[name=institution] option")]
    assert "ИК-8 ГУФСИН России по Челябинской области" in options


def test_referral_fields_match_its_consent(page):
    assert set(ReferralForm.__dict__) & set(REFERRAL_DATA_ITEMS) == set(REFERRAL_DATA_ITEMS)
    text = page("/zayavka/napravlenie/soglasie").text()
    for item in REFERRAL_DATA_ITEMS.values():
        assert item in text


def test_a_referral_is_stored_whole(app, client):
    response = send_referral(client)
    assert response.status_code == 303
    [stored] = referrals(app)
    assert response.headers["Location"] == f"/zayavka/napravlenie/prinyato/{stored.reference}"
    assert (stored.applicant, stored.name, stored.institution) == (
        "prison_staff", "Сергей", "ИК-8 ГУФСИН России по Челябинской области")
    assert stored.release_date.strftime("%d.%m.%Y") == RELEASE
    assert (stored.reach_via, stored.contact_method, stored.contact_value) == ("relative_phone", "phone",
                                                                             "+79123456789")
    assert (stored.referrer_name, stored.referrer_phone) == ("Иванова Мария, инспектор", "+73511234567")
    assert stored.help_codes == ["job", "documents"]


def test_through_the_inspection_needs_no_phone_and_another_institution_is_free_text(app, client):
    response = send_referral(client, reach_via="inspection", reach_phone="", institution="other",
                             institution_other="ИК-1")
    assert response.status_code == 303
    [stored] = referrals(app)
    assert (stored.reach_via, stored.contact_value, stored.institution) == ("inspection", None, "ИК-1")


@pytest.mark.parametrize("fields, message", [
    ({"person_name": ""}, "Напишите имя человека"),
    ({"release_date": ""}, "Напишите ожидаемую дату освобождения"),
    ({"release_date": "31.02.2027"}, "Напишите дату как день.месяц.год"),
    ({"release_date": "01.01.2020"}, "больше месяца назад"),
    ({"reach_phone": ""}, "Напишите номер телефона или выберите «через инспекцию»"),
    ({"reach_phone": "12345"}, "Проверьте номер"),
    ({"help_needed": []}, "Отметьте хотя бы один вид помощи"),
    ({"referrer_name": ""}, "Напишите своё имя и должность"),
    ({"referrer_phone": "нет"}, "Напишите свой рабочий телефон"),
    ({"consent": None}, "только с согласия человека"),
])
def test_each_mistake_gets_its_own_message_and_keeps_the_input(app, client, fields, message):
    response = send_referral(client, **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert any(message in text for text in error_messages(html)), error_messages(html)
    assert "Иванова Мария, инспектор" in html
    assert referrals(app) == []


def test_several_referrals_in_a_row_without_retyping_the_officer(app, client, page):
    first = send_referral(client)
    sent = page(first.headers["Location"])
    assert sent.response.headers["Cache-Control"] == "no-store"
    assert "Направление принято" in sent.text()
    fields = {field.get("name"): field.get("value") for field in sent.soup.select("main form input")}
    assert fields["referrer_name"] == "Иванова Мария, инспектор"
    assert fields["referrer_phone"] == "+73511234567"
    assert not fields.get("person_name") and not fields.get("reach_phone")
    # The officer fills only the person's fields on the page they are on and sends again.
    data = {**hidden_fields(sent.html), "person_name": "Анна", "release_date": RELEASE, "institution": "",
            "reach_via": "own_phone", "reach_phone": "8 922 111-22-33", "help_needed": ["benefit"],
            "referrer_name": fields["referrer_name"], "referrer_phone": fields["referrer_phone"], "consent": "y"}
    second = client.post("/zayavka/napravlenie", data=data)
    assert second.status_code == 303 and second.headers["Location"] != first.headers["Location"]
    assert [r.name for r in referrals(app)] == ["Сергей", "Анна"]
    cookies = {cookie.key for cookie in client._cookies.values()}
    assert cookies <= {"session"}


def test_an_ordinary_request_has_no_referral_confirmation(app, client):
    from tests.helpers.apply import send_form
    response = send_form(client)
    reference = referrals(app)[0].reference
    assert response.status_code == 303
    assert client.get(f"/zayavka/napravlenie/prinyato/{reference}").status_code == 404


def test_the_purge_covers_the_referral_columns():
    for column in ("release_date", "institution", "reach_via", "referrer_name", "referrer_phone"):
        assert column in PERSONAL_COLUMNS
