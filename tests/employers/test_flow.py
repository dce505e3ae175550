"""From a fresh app: an employer signs up, staff confirm, the card is public, filtered and found by the site
search; unconfirmed, hidden and stale cards are not public."""

from datetime import date

import pytest

from portal.audit import AuditEvent
from portal.employers.models import Employer
from portal.extensions import db
from tests.helpers.employers import TODAY, VALID_SIGNUP, add_card, card_ids_on, cards, send_signup, signups, staff_post
from tests.helpers.pages import Page


def audit(app, action):
    with app.app_context():
        return db.session.execute(db.select(AuditEvent).filter_by(action=action)).scalars().all()


def search_links(client, query):
    page = Page(client.get("/search", query_string={"q": query})).check_invariants()
    return [a["href"] for a in page.soup.select(".search-results a.guide-link")]


def test_a_fresh_app_has_no_employer_and_says_the_centre_is_filling_the_list(app, page, today):
    directory = page("/rabotodateli")
    text = directory.text()
    assert "Центр занятости сейчас наполняет этот список" in text
    assert directory.soup.select_one("main .help") is not None  # the help block is in the page itself
    assert directory.soup.select_one('main a[href="/zayavka?help=job"]') is not None
    assert cards(app) == []


def test_signup_staff_confirm_then_public_filtered_and_searchable(app, client, signed_in, staff, today):
    response = send_signup(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/rabotodateli/stat-partnerom/spasibo"
    [card] = cards(app)
    [signup] = signups(app)
    assert card.status == "pending" and card.confirmed_at is None and not card.is_demo
    assert (
        card.name == VALID_SIGNUP["company"]
        and (card.housing, card.training, card.no_experience_ok) == (True, True, True)
        and card.transport is False
    )
    assert (signup.inn, signup.phone, signup.email) == ("7707083893", "+73511234567", "hr@romashka.example")
    assert signup.employer_id == card.id and len(signup.consent_version) == 64

    # Pending: neither the directory nor the search shows it.
    assert card_ids_on(client.get("/rabotodateli").get_data(as_text=True)) == []
    assert f"/rabotodateli#employer-{card.id}" not in search_links(client, "Ромашка")

    # Staff see it among new sign-ups, with the contacts, and confirm it.
    staff_list = Page(signed_in.get("/staff/rabotodateli")).check_invariants()
    assert 'ООО "Ромашка-Строй"' in staff_list.text()
    page_url = f"/staff/rabotodateli/{card.id}"
    card_page = Page(signed_in.get(page_url)).check_invariants().text()
    assert "Анна Петровна" in card_page and "+73511234567" in card_page and "7707083893" in card_page
    confirmed = staff_post(signed_in, f"{page_url}/confirm", page_url)
    assert confirmed.status_code == 303
    [card] = cards(app)
    assert card.status == "confirmed" and card.confirmed_at == TODAY
    [event] = audit(app, "employer_confirmed")
    assert (event.actor, event.object_id, event.detail) == (staff.username, card.id, "pending->confirmed")

    directory = Page(client.get("/rabotodateli")).check_invariants()
    assert card_ids_on(directory.html) == [card.id]
    assert "Подтверждено центром: 2 декабря 2026" in directory.text()
    for fact in (
        "Тракторозаводский",
        "Строительство",
        "Бетонщики и подсобные рабочие на стройке.",
        "от 45 000 ₽",
        "После собеседования",
        "Через центр занятости",
    ):
        assert fact in directory.text(), fact
    assert "Анна Петровна" not in directory.html and "7707083893" not in directory.html

    # Each filter finds it; a filter it does not fit leaves it out.
    for query in (
        {"district": "traktorozavodsky"},
        {"industry": "construction"},
        {"housing": "1"},
        {"training": "1"},
        {"no_experience": "1"},
        {
            "district": "traktorozavodsky",
            "industry": "construction",
            "housing": "1",
            "training": "1",
            "no_experience": "1",
        },
    ):
        assert card_ids_on(client.get("/rabotodateli", query_string=query).get_data(as_text=True)) == [
            card.id
        ]
    for query in ({"district": "kalininsky"}, {"industry": "trade"}):
        filtered = Page(client.get("/rabotodateli", query_string=query)).check_invariants()
        assert card_ids_on(filtered.html) == [] and "Ни один работодатель" in filtered.text()

    # The site search finds it by a word of the company's name and by its industry.
    assert f"/rabotodateli#employer-{card.id}" in search_links(client, "Ромашка")
    assert f"/rabotodateli#employer-{card.id}" in search_links(client, "строительство бетонщик")


def test_a_card_confirmed_seven_months_ago_is_not_public_and_is_flagged_to_staff(
    app, client, signed_in, today
):
    card_id = add_card(app, name='ООО "Старая-Карточка"', confirmed_at=date(2026, 5, 2))
    fresh_id = add_card(app, name='ООО "Свежая-Карточка"', confirmed_at=date(2026, 6, 2))  # exactly 6 months
    assert card_ids_on(client.get("/rabotodateli").get_data(as_text=True)) == [fresh_id]
    staff_list = Page(signed_in.get("/staff/rabotodateli")).check_invariants()
    stale_section = staff_list.soup.find("h2", string=lambda s: s and s.startswith("Подтверждение устарело"))
    flagged = stale_section.find_next("ul")
    assert 'ООО "Старая-Карточка"' in flagged.get_text() and "Нужно подтвердить заново" in flagged.get_text()
    assert 'ООО "Свежая-Карточка"' not in flagged.get_text()
    card_page = Page(signed_in.get(f"/staff/rabotodateli/{card_id}")).check_invariants().text()
    assert "Нужно подтвердить заново" in card_page

    # Confirming again makes it public from today.
    page_url = f"/staff/rabotodateli/{card_id}"
    assert staff_post(signed_in, f"{page_url}/confirm", page_url).status_code == 303
    assert sorted(card_ids_on(client.get("/rabotodateli").get_data(as_text=True))) == sorted(
        [card_id, fresh_id]
    )
    [event] = audit(app, "employer_confirmed")
    assert event.detail == "stale->confirmed"


def test_a_confirmed_card_ages_out_of_the_list_and_the_search_after_six_months(app, client, signed_in, today):
    card_id = add_card(app, status="pending", confirmed_at=None, name='ООО "Тюльпан-Склад"')
    page_url = f"/staff/rabotodateli/{card_id}"
    staff_post(signed_in, f"{page_url}/confirm", page_url)
    assert f"/rabotodateli#employer-{card_id}" in search_links(client, "Тюльпан")
    today.day = date(2027, 7, 3)  # seven months later, nobody touched the card
    assert card_ids_on(client.get("/rabotodateli").get_data(as_text=True)) == []
    assert f"/rabotodateli#employer-{card_id}" not in search_links(client, "Тюльпан")


def test_hidden_cards_are_not_public_and_leave_the_search(app, client, signed_in, staff, today):
    card_id = add_card(app, status="pending", confirmed_at=None, name='ООО "Тюльпан-Склад"')
    page_url = f"/staff/rabotodateli/{card_id}"
    staff_post(signed_in, f"{page_url}/confirm", page_url)
    assert card_ids_on(client.get("/rabotodateli").get_data(as_text=True)) == [card_id]
    assert staff_post(signed_in, f"{page_url}/hide", page_url).status_code == 303
    assert card_ids_on(client.get("/rabotodateli").get_data(as_text=True)) == []
    assert f"/rabotodateli#employer-{card_id}" not in search_links(client, "Тюльпан")
    with app.app_context():
        from portal.search import index as search_index
        documents, _hash = search_index.index_inputs(app)
    assert not [d for d in documents if d["section"] == "employer"]  # the index itself no longer holds it
    [event] = audit(app, "employer_hidden")
    assert (event.actor, event.detail) == (staff.username, "confirmed->hidden")


def test_staff_edits_are_saved_audited_by_column_name_and_reach_the_search(app, client, signed_in, today):
    card_id = add_card(app, status="pending", confirmed_at=None)
    page_url = f"/staff/rabotodateli/{card_id}"
    staff_post(signed_in, f"{page_url}/confirm", page_url)
    form = {
        "name": 'ООО "Гладиолус-Логистик"',
        "district": "leninsky",
        "industry": "warehouse",
        "kinds_of_work": "Кладовщики и водители погрузчика.",
        "schedule": "shifts",
        "pay_range": "",
        "offers": ["transport"],
        "cannot_accept": "",
        "asks_about_record_at": "law_only",
        "how_to_apply": "direct",
        "apply_contact": "Отдел кадров, +7 351 000-00-02",
    }
    assert staff_post(signed_in, page_url, page_url, **form).status_code == 303
    [card] = cards(app)
    assert (card.name, card.district, card.transport, card.how_to_apply) == (
        'ООО "Гладиолус-Логистик"',
        "leninsky",
        True,
        "direct",
    )
    [event] = audit(app, "employer_edited")
    assert event.detail.startswith("fields=name,district,") and "Гладиолус" not in event.detail
    assert f"/rabotodateli#employer-{card_id}" in search_links(client, "Гладиолус")
    assert (
        "Напрямую работодателю: Отдел кадров, +7 351 000-00-02"
        in Page(client.get("/rabotodateli")).check_invariants().text()
    )


def test_a_staff_edit_with_errors_is_shown_again_with_messages_and_nothing_changes(app, signed_in, today):
    card_id = add_card(app)
    page_url = f"/staff/rabotodateli/{card_id}"
    response = staff_post(
        signed_in,
        page_url,
        page_url,
        name="",
        district="nowhere",
        industry="warehouse",
        kinds_of_work="x",
        schedule="day",
        asks_about_record_at="never",
        how_to_apply="direct",
        apply_contact="",
    )
    assert response.status_code == 422
    text = Page(response).check_invariants().text()
    assert "Выберите район" in text and "Напишите, куда звонить или приходить" in text
    assert cards(app)[0].name == 'ООО "Тест-Карточка"'


@pytest.mark.parametrize("status", ["pending", "hidden"])
def test_unconfirmed_cards_are_not_indexed_for_search(app, status, today):
    add_card(app, status=status, confirmed_at=TODAY if status == "hidden" else None)
    from portal.search import index as search_index
    documents, content_hash = search_index.index_inputs(app)
    assert [d for d in documents if d["section"] == "employer"] == []
    assert not any(part.startswith("employer") for part in [d["section"] for d in documents])


def test_the_index_hash_changes_when_a_public_card_changes(app, today):
    from portal.search import index as search_index
    before = search_index.index_inputs(app)[1]
    card_id = add_card(app)
    with_card = search_index.index_inputs(app)[1]
    with app.app_context():
        card = db.session.get(Employer, card_id)
        card.kinds_of_work = "Другая работа."
        db.session.commit()
    assert len({before, with_card, search_index.index_inputs(app)[1]}) == 3
