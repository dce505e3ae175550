"""Every /staff route is closed to anyone without a full staff session; staff responses are never cached."""

import pytest

from tests.helpers.app import make_app
from tests.helpers.pages import Page, checked_page
from tests.helpers.staff import (
    add_application,
    code_at,
    example_url,
    logout,
    make_staff,
    password_step,
    sign_in,
    staff_rules,
    sweep,
)

# Open by design: the sign-in page and the setup link page (an unknown link answers 404).
OPEN = {"staff.login": {200}, "staff.setup": {404}}
# GET on logout is refused before anything else, so that a link or an image cannot sign anyone out.
NOT_ALLOWED = {("staff.logout", "GET")}


@pytest.fixture
def no_csrf_app(tmp_path):
    """CSRF off, so that a POST reaches the staff guard itself instead of stopping at the token check."""
    return make_app(tmp_path, WTF_CSRF_ENABLED=False)


def test_the_staff_area_has_the_routes_the_desk_needs(app):
    endpoints = {rule.endpoint for rule in staff_rules(app)}
    assert {
        "staff.login",
        "staff.code",
        "staff.setup",
        "staff.logout",
        "staff.desk",
        "staff.detail",
        "staff.change_status",
        "staff.add_note",
        "staff.export",
    } <= endpoints


def test_every_staff_route_sends_an_anonymous_visitor_to_sign_in(no_csrf_app):
    add_application(no_csrf_app)
    results = sweep(no_csrf_app.test_client(), no_csrf_app)
    assert len(results) >= 10
    for endpoint, method, url, status, location in results:
        if endpoint in OPEN:
            assert status in OPEN[endpoint], (endpoint, method, status)
        elif (endpoint, method) in NOT_ALLOWED:
            assert status == 405
        else:
            assert status in (302, 401), (endpoint, method, url, status)
            if status == 302:
                assert location.startswith("/staff/login"), (endpoint, location)


def test_a_password_without_the_code_opens_nothing(no_csrf_app):
    user = make_staff(no_csrf_app)
    add_application(no_csrf_app)
    client = no_csrf_app.test_client()
    assert password_step(client, user).status_code == 303
    for endpoint, method, url, status, _location in sweep(client, no_csrf_app):
        if endpoint in OPEN or endpoint == "staff.code":
            continue
        expected = {405} if (endpoint, method) in NOT_ALLOWED else {302, 401}
        assert status in expected, (endpoint, method, url, status)
    assert client.get("/staff/").location.startswith("/staff/login")


def test_the_sweep_can_fail_a_signed_in_person_gets_the_desk(no_csrf_app, clock):
    user = make_staff(no_csrf_app)
    add_application(no_csrf_app)
    moment = clock()
    client = no_csrf_app.test_client()
    assert sign_in(client, user, lambda: moment).status_code == 303
    results = sweep(client, no_csrf_app, skip={"staff.logout"})
    statuses = {
        (endpoint, method): status
        for endpoint, method, _url, status, _loc in results
        if endpoint in ("staff.desk", "staff.detail", "staff.export")
    }
    assert set(statuses.values()) == {200}


def test_get_on_logout_is_not_allowed(client, signed_in):
    for visitor in (client, signed_in):
        response = visitor.get("/staff/logout")
        assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert signed_in.get("/staff/").status_code == 200


def test_every_staff_response_says_no_store(app, signed_in):
    application_id = add_application(app)
    urls = [
        "/staff/",
        f"/staff/zayavki/{application_id}",
        "/staff/export.csv",
        "/staff/zayavki/999999",
        "/staff/no-such-page",
        "/staff/login",
    ]
    for url in urls:
        assert signed_in.get(url).headers.get("Cache-Control") == "no-store", url
    anonymous = app.test_client()
    for url in ["/staff/", "/staff/login", "/staff/login/code", "/staff/setup?t=" + "x" * 40]:
        assert anonymous.get(url).headers.get("Cache-Control") == "no-store", url
    assert anonymous.get("/").headers.get("Cache-Control") != "no-store"


def test_every_staff_page_of_a_signed_in_person_has_a_logout_form(app, signed_in):
    application_id = add_application(app)
    for url in ["/staff/", f"/staff/zayavki/{application_id}", "/staff/?status=done"]:
        page = Page(signed_in.get(url)).check_invariants()
        form = page.soup.find("form", action="/staff/logout")
        assert form is not None and form.get("method") == "post", url
        assert form.find("input", attrs={"name": "csrf_token"})["value"]


def test_staff_pages_keep_every_page_invariant(app, staff, clock, signed_in):
    """Every HTML page a signed-in person can GET under /staff (with id 1 existing), and the sign-in steps."""
    application_id = add_application(app)
    assert application_id == 1  # example_url builds every id as 1
    checked = []
    for rule in staff_rules(app):
        if "GET" not in rule.methods or rule.endpoint in ("staff.logout", "staff.setup"):
            continue
        url = example_url(rule)
        response = signed_in.get(url)
        if response.status_code < 500 and response.mimetype == "text/html":
            checked_page(response, response.status_code, url)
            checked.append(url)
    assert {"/staff/", "/staff/zayavki/1", "/staff/dashboard/", "/staff/rabotodateli", "/staff/mesta"} <= set(checked)
    anonymous = app.test_client()
    checked_page(anonymous.get("/staff/login"))
    checked_page(anonymous.get("/staff/setup?t=" + "y" * 40), 404)
    assert password_step(anonymous, staff).status_code == 303
    checked_page(anonymous.get("/staff/login/code"))


def test_logout_without_a_form_token_does_not_sign_out(app, signed_in):
    response = signed_in.post("/staff/logout")
    assert response.status_code == 303
    assert signed_in.get("/staff/").status_code == 200


def test_logout_clears_site_data_and_the_session(app, signed_in):
    response = logout(signed_in)
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert signed_in.get("/staff/").status_code == 302


def test_staff_pages_are_not_for_search_engines(app, signed_in):
    assert signed_in.get("/staff/").headers["X-Robots-Tag"] == "noindex, nofollow"
    assert 'name="robots" content="noindex, nofollow"' in app.test_client().get("/staff/login").get_data(
        as_text=True
    )


def test_code_helper_matches_the_server_clock(staff, clock):
    from portal.staff.credentials import match_totp

    assert match_totp(staff.secret, code_at(staff.secret, clock())) is not None
