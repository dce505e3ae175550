"""«Информация устарела»: one anonymous tap, counted per card and day; no cookie; same origin only."""

from datetime import timedelta

import pytest
from sqlalchemy import inspect

from portal.employers.models import EmployerReport
from portal.extensions import db
from tests.helpers.app import make_app
from tests.helpers.employers import TODAY, add_card, staff_post
from tests.helpers.pages import Page
from tests.helpers.staff import sign_in

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
URL = "/rabotodateli/ustarelo"


def reports(app):
    with app.app_context():
        return [
            (r.employer_id, r.day, r.count) for r in db.session.execute(db.select(EmployerReport)).scalars()
        ]


def test_the_report_table_has_no_column_about_the_visitor(app):
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("employer_report")}
    assert columns == {"id", "employer_id", "day", "count"}


def test_a_tap_without_javascript_counts_once_per_tap_and_thanks_in_place(app, client, today):
    card_id = add_card(app)
    directory = Page(client.get("/rabotodateli")).check_invariants()
    form = directory.soup.select_one(f"#employer-{card_id} form.report-form")
    assert form["action"] == URL and form["method"] == "post"
    assert not form.find("input", attrs={"name": "csrf_token"})  # nothing that needs a cookie
    for _ in range(2):
        response = client.post(URL, data={"employer": str(card_id)}, headers=SAME_ORIGIN)
        assert response.status_code == 303
        assert response.headers["Location"] == f"/rabotodateli?reported={card_id}#employer-{card_id}"
    assert reports(app) == [(card_id, TODAY, 2)]
    thanks = Page(client.get(f"/rabotodateli?reported={card_id}")).check_invariants()
    assert "Спасибо! Сотрудники центра проверят эту карточку." in thanks.text()


def test_reporting_stores_nothing_about_the_visitor_and_sets_no_cookie(app, today):
    card_id = add_card(app)
    client = app.test_client()
    client.set_cookie("canary_cookie", "cookie-canary-value")
    response = client.post(
        URL,
        data={"employer": str(card_id)},
        headers={
            **SAME_ORIGIN,
            "User-Agent": "ua-canary",
            "Referer": "http://ref-canary/",
            "X-Forwarded-For": "203.0.113.77",
        },
        environ_base={"REMOTE_ADDR": "198.51.100.23"},
    )
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers
    assert "Set-Cookie" not in client.get("/rabotodateli").headers
    with app.app_context():
        raw = db.session.execute(db.text("SELECT * FROM employer_report")).all()
    stored = repr(raw)
    for canary in ("cookie-canary", "ua-canary", "ref-canary", "203.0.113.77", "198.51.100.23"):
        assert canary not in stored
    assert raw and len(raw[0]) == 4


HOSTILE = {
    "cross-site": {"Sec-Fetch-Site": "cross-site"},
    "same-site subdomain": {"Sec-Fetch-Site": "same-site"},
    "typed into the address bar": {"Sec-Fetch-Site": "none"},
    "another origin, no fetch metadata": {"Origin": "https://evil.example"},
    "no headers at all": {},
}


@pytest.mark.parametrize("headers", list(HOSTILE.values()), ids=list(HOSTILE))
def test_posts_from_other_sites_are_refused_and_count_nothing(app, client, today, headers):
    card_id = add_card(app)
    response = client.post(URL, data={"employer": str(card_id)}, headers=headers)
    assert response.status_code == 403
    assert reports(app) == []


def test_an_origin_equal_to_this_site_is_accepted_without_fetch_metadata(tmp_path, today):
    app = make_app(tmp_path, SITE_URL="https://rabota.example")
    card_id = add_card(app)
    response = app.test_client().post(
        URL, data={"employer": str(card_id)}, headers={"Origin": "https://rabota.example"}
    )
    assert response.status_code == 303 and len(reports(app)) == 1


@pytest.mark.parametrize(
    "data, query, status",
    [
        ({"employer": "1", "name": "Иван"}, {}, 400),
        ({"employer": "1"}, {"x": "1"}, 400),
        ({"employer": "abc"}, {}, 400),
        ({"employer": "-1"}, {}, 400),
        ({"employer": "1" * 12}, {}, 400),
        ({}, {}, 400),
        ({"employer": "999"}, {}, 404),
    ],
)
def test_bad_reports_are_refused_and_count_nothing(app, client, today, data, query, status):
    add_card(app)
    assert client.post(URL, data=data, query_string=query, headers=SAME_ORIGIN).status_code == status
    assert reports(app) == []


@pytest.mark.parametrize("fields", [{"status": "pending", "confirmed_at": None}, {"status": "hidden"}])
def test_a_card_that_is_not_public_cannot_be_reported(app, client, today, fields):
    card_id = add_card(app, **fields)
    assert client.post(URL, data={"employer": str(card_id)}, headers=SAME_ORIGIN).status_code == 404
    assert reports(app) == []


def test_reports_show_up_for_staff_per_card_since_the_last_confirmation(app, client, today, staff, signed_in):
    card_id = add_card(app)
    other_id = add_card(app, name='ООО "Без-Жалоб"')
    for _ in range(3):
        client.post(URL, data={"employer": str(card_id)}, headers=SAME_ORIGIN)
    staff_list = Page(signed_in.get("/staff/rabotodateli")).check_invariants()
    item = staff_list.soup.find("a", string='ООО "Тест-Карточка"').find_parent("li")
    assert "3 сообщения «информация устарела» с последнего подтверждения" in item.get_text(" ")
    other = staff_list.soup.find("a", string='ООО "Без-Жалоб"').find_parent("li")
    assert "устарела" not in other.get_text(" ")
    card_page = Page(signed_in.get(f"/staff/rabotodateli/{card_id}")).check_invariants().text()
    assert "02.12.2026: 3" in card_page
    assert other_id != card_id

    # Re-confirming starts the count again. A day later the clerk signs in anew (the idle timeout is 30 min).
    today.day = TODAY + timedelta(days=1)
    clerk = app.test_client()
    assert sign_in(clerk, staff, today).status_code == 303
    page_url = f"/staff/rabotodateli/{card_id}"
    staff_post(clerk, f"{page_url}/confirm", page_url)
    staff_list = Page(clerk.get("/staff/rabotodateli")).check_invariants()
    assert (
        "устарела" not in staff_list.soup.find("a", string='ООО "Тест-Карточка"').find_parent("li").get_text()
    )


def test_over_the_limit_a_visitor_gets_a_friendly_429(tmp_path, today):
    app = make_app(tmp_path, EMPLOYER_REPORT_RATE_LIMIT="2 per hour")
    card_id = add_card(app)
    client = app.test_client()
    codes = [
        client.post(URL, data={"employer": str(card_id)}, headers=SAME_ORIGIN).status_code for _ in range(3)
    ]
    assert codes == [303, 303, 429]
    refused = client.post(URL, data={"employer": str(card_id)}, headers=SAME_ORIGIN)
    assert "Traceback" not in refused.get_data(as_text=True) and "Set-Cookie" not in refused.headers
    assert reports(app) == [(card_id, TODAY, 2)]


def test_get_on_the_report_url_changes_nothing(app, client, today):
    card_id = add_card(app)
    assert client.get(URL, query_string={"employer": card_id}, headers=SAME_ORIGIN).status_code in {404, 405}
    assert reports(app) == []
