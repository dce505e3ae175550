"""Staff management of the directory: closed to the public, every change audited, CSV export, retention."""

import csv
import io
from datetime import timedelta

from portal.audit import AuditEvent
from portal.clock import now_utc
from portal.employers import cards as employers
from portal.employers.models import Employer, EmployerSignup
from portal.extensions import db
from tests.helpers.app import make_app
from tests.helpers.employers import add_card, cards, send_signup, signups, staff_post
from tests.helpers.pages import Page
from tests.helpers.staff import staff_rules, sweep

ENDPOINTS = {
    "employers_staff.index",
    "employers_staff.card",
    "employers_staff.edit",
    "employers_staff.confirm",
    "employers_staff.hide",
    "employers_staff.export",
}


def events(app):
    with app.app_context():
        return [
            (e.actor, e.action, e.object_id, e.detail)
            for e in db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars()
        ]


def test_the_staff_area_has_the_employer_pages_and_all_sit_under_staff(app):
    rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules() if rule.endpoint in ENDPOINTS}
    assert set(rules) == ENDPOINTS
    assert all(rule.startswith("/staff/rabotodateli") for rule in rules.values())
    assert ENDPOINTS <= {rule.endpoint for rule in staff_rules(app)}  # so the desk's sweep covers them


def test_every_employer_staff_route_sends_an_anonymous_visitor_to_sign_in(tmp_path, today):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    card_id = add_card(app)
    results = [r for r in sweep(app.test_client(), app) if r[0] in ENDPOINTS]
    assert {(endpoint, method) for endpoint, method, *_ in results} == {
        ("employers_staff.index", "GET"),
        ("employers_staff.card", "GET"),
        ("employers_staff.edit", "POST"),
        ("employers_staff.confirm", "POST"),
        ("employers_staff.hide", "POST"),
        ("employers_staff.export", "GET"),
    }
    for endpoint, method, url, status, location in results:
        assert status == 302 and location.startswith("/staff/login"), (endpoint, method, url, status)
    with app.app_context():
        card = db.session.get(Employer, card_id)
        assert (card.status, card.name) == ("confirmed", 'ООО "Тест-Карточка"')  # nothing changed


def test_the_desk_menu_links_to_the_employers(app, signed_in):
    desk = Page(signed_in.get("/staff/")).check_invariants()
    link = desk.soup.select_one('.staff-nav a[href="/staff/rabotodateli"]')
    assert link is not None and link.get_text() == "Работодатели"


def test_a_staff_post_without_the_form_token_changes_nothing(app, signed_in, today):
    card_id = add_card(app, status="pending", confirmed_at=None)
    response = signed_in.post(f"/staff/rabotodateli/{card_id}/confirm")
    assert response.status_code == 303
    assert cards(app)[0].status == "pending"
    assert "Страница была открыта слишком долго" in signed_in.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_opening_a_card_with_contacts_hiding_and_exporting_are_all_audited(
    app, client, signed_in, staff, today
):
    send_signup(client)
    [card] = cards(app)
    page_url = f"/staff/rabotodateli/{card.id}"
    signed_in.get(page_url)
    staff_post(signed_in, f"{page_url}/confirm", page_url)
    staff_post(signed_in, f"{page_url}/hide", page_url)
    signed_in.get("/staff/rabotodateli/export.csv")
    mine = [
        (action, object_id, detail)
        for actor, action, object_id, detail in events(app)
        if actor == staff.username and action.startswith("employer")
    ]
    assert mine == [
        ("employer_viewed", card.id, None),
        ("employer_viewed", card.id, None),
        ("employer_confirmed", card.id, "pending->confirmed"),
        ("employer_viewed", card.id, None),
        ("employer_hidden", card.id, "confirmed->hidden"),
        ("employer_export", None, "rows=1"),
    ]
    for _actor, _action, _id, detail in events(app):
        assert "Анна" not in (detail or "") and "7707083893" not in (detail or "")
    history = Page(signed_in.get(page_url)).check_invariants().text()
    assert f"{staff.username}: подтвердил(а) карточку" in history and "скрыл(а) карточку" in history


def test_the_export_is_excel_ready_and_neutralises_formulas(app, client, signed_in, today):
    send_signup(client, company='=HYPERLINK("http://evil")', kinds_of_work="+SUM(A1)")
    response = signed_in.get("/staff/rabotodateli/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="rabotodateli-')
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff") and "\r\n" in body
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:5] == ["Карточка", "Статус", "Подтверждено центром", "Организация", "ИНН"]
    assert rows[1][0].startswith("'=HYPERLINK") and "'+SUM(A1)" in rows[1]
    assert "'+73511234567" in rows[1] and "Ждёт проверки" in rows[1]  # a leading + is a formula to Excel


def test_a_stale_card_reads_as_needing_re_confirmation_in_the_export(app, signed_in, today):
    add_card(app, confirmed_at=today.day - timedelta(days=400))
    rows = list(
        csv.reader(
            io.StringIO(
                signed_in.get("/staff/rabotodateli/export.csv").get_data(as_text=True).lstrip("\ufeff")
            ),
            delimiter=";",
        )
    )
    assert rows[1][1] == "Нужно подтвердить заново"


def test_staff_see_whom_to_invite_but_the_public_never_does(app, client, signed_in, today):
    staff_page = Page(signed_in.get("/staff/rabotodateli")).check_invariants().text()
    assert "ООО «Трест Магнитострой»" in staff_page and "не подтверждена" in staff_page
    for url in ("/rabotodateli", "/", "/rabota/", "/rabotodateli/stat-partnerom"):
        html = client.get(url).get_data(as_text=True)
        for name, _source in employers.INVITE_FIRST:
            assert name not in html, (url, name)


def test_the_purge_erases_contacts_of_cards_hidden_long_ago_and_keeps_the_rest(app, client, runner, today):
    send_signup(client, company="ООО Давно-Скрытая")
    send_signup(client, company="ООО Недавно-Скрытая")
    send_signup(client, company="ООО Опубликованная")
    with app.app_context():
        old, recent, public = db.session.execute(db.select(Employer).order_by(Employer.id)).scalars().all()
        now = now_utc()
        old.status, old.status_changed_at = "hidden", now - timedelta(days=31)
        recent.status, recent.status_changed_at = "hidden", now - timedelta(days=5)
        public.status, public.confirmed_at = "confirmed", today.day
        db.session.commit()
    result = runner.invoke(args=["employers", "purge"])
    assert result.exit_code == 0 and ": 1." in result.output
    erased = {
        s.company: (s.inn, s.contact_name, s.phone, s.email, s.purged_at is not None) for s in signups(app)
    }
    assert erased["ООО Давно-Скрытая"] == (None, None, None, None, True)
    assert erased["ООО Недавно-Скрытая"][:4] == (
        "7707083893",
        "Анна Петровна",
        "+73511234567",
        "hr@romashka.example",
    )
    assert erased["ООО Опубликованная"][4] is False
    assert runner.invoke(args=["employers", "purge"]).output.endswith(": 0.\n")  # safe to run again
    assert ("system", "employer_purge", None, "purged=1; days=30") in events(app)


def test_a_purged_sign_up_says_so_on_the_staff_page(app, client, signed_in, today):
    send_signup(client)
    with app.app_context():
        signup = db.session.execute(db.select(EmployerSignup)).scalar_one()
        signup.employer.status, signup.employer.status_changed_at = (
            "hidden",
            now_utc() - timedelta(days=60),
        )
        db.session.commit()
        employers.purge_contacts(30)
        card_id = signup.employer_id
    text = Page(signed_in.get(f"/staff/rabotodateli/{card_id}")).check_invariants().text()
    assert "Контактные данные удалены" in text and "Анна Петровна" not in text


def test_an_unknown_card_is_a_404_for_staff(signed_in):
    assert signed_in.get("/staff/rabotodateli/999").status_code == 404
    response = staff_post(signed_in, "/staff/rabotodateli/999/confirm", "/staff/rabotodateli")
    assert response.status_code == 404
