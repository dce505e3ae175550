"""Staff pages of the directory: closed without a full staff session, CSRF on every POST, each change in
the audit trail, bad input shown next to its field with nothing lost."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.extensions import db
from portal.places.models import Place
from tests.helpers.app import make_app
from tests.helpers.places import add_place
from tests.helpers.staff import csrf_token, example_url, make_staff, password_step

GOOD = {"kind": "shelter", "name": "Ночлег на Тестовой", "district": "leninsky", "address": "ул. Тестовая, 9",
        "phones": "+7 351 222-33-44 — дежурный", "hours_mon": "20-8", "hours_tue": "20:00-8:00",
        "what_to_bring": "Любой документ."}


def place_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff/mesta")]


def test_every_places_staff_route_sends_an_anonymous_visitor_to_sign_in(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, SEARCH_BUILD_ON_START=False)
    add_place(app)
    client = app.test_client()
    rules = place_rules(app)
    assert {r.endpoint for r in rules} == {"places_staff.index", "places_staff.new", "places_staff.place",
                                           "places_staff.edit", "places_staff.confirm", "places_staff.hide"}
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(example_url(rule), method=method, data=GOOD)
            assert response.status_code == 302 and response.location.startswith("/staff/login"), (rule, method)
    with app.app_context():
        assert db.session.execute(select(Place)).scalars().one().name == "Отдел на Тестовой"


def test_a_password_without_the_code_opens_no_places_page(tmp_path):
    app = make_app(tmp_path, SEARCH_BUILD_ON_START=False)
    user = make_staff(app)
    client = app.test_client()
    assert password_step(client, user).status_code == 303
    assert client.get("/staff/mesta").location.startswith("/staff/login")


def test_staff_add_a_place_and_it_is_public_confirmed_and_audited(app, staff_client, clock):
    page = staff_client.get("/staff/mesta/new")
    assert page.status_code == 200
    response = staff_client.post("/staff/mesta/new", data={**GOOD, "csrf_token": csrf_token(page)})
    assert response.status_code == 303
    with app.app_context():
        place = db.session.execute(select(Place)).scalars().one()
        assert (place.hours_mon, place.confirmed_by, place.confirmed_on) == ("20:00-8:00", "anna", clock.day)
        events = db.session.execute(select(AuditEvent).where(AuditEvent.object_type == "place")).scalars().all()
        assert [(e.actor, e.action) for e in events] == [("anna", "place_created")]
        place_id = place.id
    public = staff_client.get(f"/kuda-obratitsya/{place_id}").get_data(as_text=True)
    assert "Ночлег на Тестовой" in public and 'href="tel:+73512223344"' in public


def test_a_post_without_the_csrf_token_changes_nothing(app, staff_client):
    place_id = add_place(app)
    for url in (f"/staff/mesta/{place_id}", f"/staff/mesta/{place_id}/hide", "/staff/mesta/new"):
        response = staff_client.post(url, data=GOOD)
        assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Place, place_id).name == "Отдел на Тестовой"
        assert db.session.get(Place, place_id).hidden is False
        assert db.session.execute(select(Place)).scalars().all().__len__() == 1


@pytest.mark.parametrize("field, value, message", [
    ("hours_mon", "с девяти", "Не получается прочитать «с девяти»"),
    ("name", "", "Заполните это поле."),
    ("kind", "castle", "Выберите, что это за место."),
    ("district", "moon", "Выберите район из списка."),
    ("address", "д" * 301, "Слишком длинно"),
])
def test_bad_input_is_named_next_to_its_field_and_kept(app, staff_client, field, value, message):
    page = staff_client.get("/staff/mesta/new")
    response = staff_client.post("/staff/mesta/new", data={**GOOD, field: value, "csrf_token": csrf_token(page)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and f'id="{field}-error"' in html
    assert "Ночлег на Тестовой" in html or field == "name"
    with app.app_context():
        assert db.session.execute(select(Place)).first() is None


def test_edit_confirm_hide_and_show_are_each_audited(app, staff_client, clock):
    place_id = add_place(app, confirmed_on=date(2026, 1, 1))
    page = staff_client.get(f"/staff/mesta/{place_id}")
    token = csrf_token(page)
    data = {"kind": "centre", "name": "Отдел на Тестовой", "district": "kalininsky", "address": "ул. Новая, 1",
            "phones": "+7 351 111-22-33 — приём", "csrf_token": token,
            **{f"hours_{d}": "9:00-13:00, 14:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}}
    assert staff_client.post(f"/staff/mesta/{place_id}", data=data).status_code == 303
    assert staff_client.post(f"/staff/mesta/{place_id}/confirm", data={"csrf_token": token}).status_code == 303
    assert staff_client.post(f"/staff/mesta/{place_id}/hide", data={"csrf_token": token}).status_code == 303
    assert staff_client.get(f"/kuda-obratitsya/{place_id}").status_code == 404
    staff_client.post(f"/staff/mesta/{place_id}/hide", data={"csrf_token": token, "hide": "0"})
    with app.app_context():
        place = db.session.get(Place, place_id)
        assert (place.address, place.confirmed_on, place.hidden) == ("ул. Новая, 1", clock.day, False)
        actions = db.session.execute(select(AuditEvent.action, AuditEvent.detail)
                                     .where(AuditEvent.object_id == place_id)).all()
        assert [a for a, _d in actions] == ["place_edited", "place_confirmed", "place_hidden", "place_shown"]
        assert actions[0][1] == "fields=address"  # names fields, never their values
    history = staff_client.get(f"/staff/mesta/{place_id}").get_data(as_text=True)
    assert "снова показано" in history


def test_the_staff_list_puts_stale_places_first_to_re_check(app, staff_client, clock):
    # The clock stays put: moving it past STAFF_IDLE_MINUTES would sign the staff member out.
    add_place(app, name="Давно не проверяли", confirmed_on=clock.day - timedelta(days=91))
    add_place(app, name="Свежее место", confirmed_on=clock.day - timedelta(days=1))
    html = staff_client.get("/staff/mesta").get_data(as_text=True)
    assert (html.index("Проверить заново: не подтверждались больше 90 дней") < html.index("Давно не проверяли")
            < html.index("Подтверждены (1)") < html.index("Свежее место"))
    assert "Места" in staff_client.get("/staff/").get_data(as_text=True)  # in the desk's menu
