"""Every /staff route is closed to anyone without a full staff session; staff responses are never cached."""

import pytest

from tests.conftest import Page, make_app
from tests.staff.conftest import add_application, code_at, logout, make_staff, password_step, sign_in

# Open by design: the sign-in page and the setup link page (an unknown link answers 404).
OPEN = {"staff.login": {200}, "staff.setup": {404}}
# GET on logout is refused before anything else, so that a link or an image cannot sign anyone out.
NOT_ALLOWED = {("staff.logout", "GET")}


def staff_rules(app):
    return [
        rule for rule in app.url_map.iter_rules() if rule.rule == "/staff" or rule.rule.startswith("/staff/")
    ]


def example_url(rule):
    values = {
        name: 1 if "int" in type(rule._converters[name]).__name__.lower() else "x" * 40
        for name in rule.arguments
    }
    return rule.build(values, append_unknown=False)[1]


def sweep(client, app, skip=()):
    """(endpoint, method, url, status, location) for every method of every /staff rule."""
    results = []
    for rule in staff_rules(app):
        if rule.endpoint in skip:
            continue
        url = example_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            results.append((rule.endpoint, method, url, response.status_code, response.location or ""))
    return results


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
    application_id = add_application(app)
    for url in ["/staff/", f"/staff/zayavki/{application_id}"]:
        Page(signed_in.get(url)).check_invariants()
    anonymous = app.test_client()
    Page(anonymous.get("/staff/login")).check_invariants()
    Page(anonymous.get("/staff/setup?t=" + "y" * 40)).check_invariants()
    assert password_step(anonymous, staff).status_code == 303
    Page(anonymous.get("/staff/login/code")).check_invariants()


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
