"""The desk lists officers' referrals by release date, soonest first, and shows who referred the person."""
import re
from datetime import date

from tests.helpers.staff import add_application


def test_referrals_come_by_release_date(app, signed_in):
    add_application(app, reference="AAA-222")  # an ordinary request: not in the referrals' list
    late = add_application(app, applicant="prison_staff", release_date=date(2027, 3, 1), reference="LAT-222")
    soon = add_application(app, applicant="prison_staff", release_date=date(2026, 12, 20), reference="SNN-222",
                           institution="ИК-8 ГУФСИН России по Челябинской области")
    html = signed_in.get("/staff/", query_string={"kind": "referral"}).get_data(as_text=True)
    assert re.findall(r"Заявка ([A-Z0-9]{3}-[0-9]{3})", html) == ["SNN-222", "LAT-222"]
    assert "Освобождение: 20 декабря 2026" in html and "ИК-8" in html
    detail = signed_in.get(f"/staff/zayavki/{soon}").get_data(as_text=True)
    assert "Кто направил" in detail
    assert late != soon


def test_the_referral_page_shows_the_officer(app, signed_in):
    application_id = add_application(app, applicant="prison_staff", release_date=date(2026, 12, 20),
                                     reach_via="inspection", referrer_name="Иванова Мария, инспектор",
                                     referrer_phone="+73511234567", contact_method=None, contact_value=None)
    html = signed_in.get(f"/staff/zayavki/{application_id}").get_data(as_text=True)
    assert "Иванова Мария, инспектор" in html and 'href="tel:+73511234567"' in html
    assert "Через инспекцию (УИИ)" in html


def test_each_channel_gets_its_own_action():
    from portal.staff.desk import contact_action

    assert contact_action("phone", "+79123456789") == ("tel:+79123456789", "+79123456789")
    assert contact_action("whatsapp", "+79123456789")[0] == "https://wa.me/79123456789"
    assert contact_action("telegram", "@sergey_ivanov")[0] == "https://t.me/sergey_ivanov"
    assert contact_action("telegram", "+79123456789")[0] == "https://t.me/+79123456789"
    assert contact_action("max", "+79123456789")[0] == "tel:+79123456789"
    assert contact_action("vk", "id123")[0] == "https://vk.com/id123"
    assert contact_action("vk", "javascript:alert(1)") is None
    assert contact_action("in_person", None) is None


def test_the_request_page_names_the_consent_text(app, signed_in):
    from portal.consent import consent_version

    with app.app_context():
        current = consent_version()
    fresh = add_application(app, consent_version=current)
    old = add_application(app, consent_version="d" * 64)
    fresh_page = signed_in.get(f"/staff/zayavki/{fresh}").get_data(as_text=True)
    assert "Согласие из формы заявки, текущая редакция" in fresh_page
    old_page = signed_in.get(f"/staff/zayavki/{old}").get_data(as_text=True)
    assert "прежняя редакция (код dddddddddddd)" in old_page


def test_assigning_a_colleague_is_shown_on_the_list_and_audited(app, signed_in, staff):
    from sqlalchemy import select

    from portal.audit import AuditEvent
    from portal.extensions import db
    from tests.helpers.staff import csrf_token, make_staff

    colleague = make_staff(app, username="boris")
    application_id = add_application(app)
    page = signed_in.get(f"/staff/zayavki/{application_id}")
    assert "boris" in page.get_data(as_text=True)
    response = signed_in.post(f"/staff/zayavki/{application_id}/assign",
                              data={"csrf_token": csrf_token(page), "colleague": str(colleague.id)})
    assert response.status_code == 303
    assert "Ведёт: boris" in signed_in.get("/staff/").get_data(as_text=True)
    bad = signed_in.post(f"/staff/zayavki/{application_id}/assign",
                         data={"csrf_token": csrf_token(page), "colleague": "99999"})
    assert bad.status_code == 303
    with app.app_context():
        events = db.session.execute(select(AuditEvent).filter_by(action="assigned")).scalars().all()
        assert [(e.actor, e.object_id, e.detail) for e in events] == [("anna", application_id, "to=boris")]
