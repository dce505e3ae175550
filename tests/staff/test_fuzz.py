"""Any input to the staff forms gives a page or a redirect, never a 500 (CSRF off and rate limits high here,
so that every example reaches the code behind them)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.app import make_app
from tests.helpers.staff import add_application, make_staff, sign_in

ANY_TEXT = st.text(max_size=300) | st.sampled_from(
    ["", " ", "\x00", "a" * 5000, "١٢٣٤٥٦", "123 456", "<script>"]
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def open_app(tmp_path):
    # High limits rather than RATELIMIT_ENABLED=False: Flask-Limiter keeps `enabled` on its global object,
    # so switching it off here would switch it off for every app created after this test.
    return make_app(
        tmp_path,
        WTF_CSRF_ENABLED=False,
        STAFF_LOGIN_RATE_LIMIT="100000 per minute",
        STAFF_ACCOUNT_RATE_LIMIT="100000 per hour",
    )


@FUZZ
@given(username=ANY_TEXT, password=ANY_TEXT, code=ANY_TEXT)
def test_sign_in_forms_never_fail(open_app, username, password, code):
    client = open_app.test_client()
    assert client.post("/staff/login", data={"username": username, "password": password}).status_code in (
        200,
        303,
    )
    assert client.post("/staff/login/code", data={"code": code}).status_code in (200, 302)
    assert (
        client.post("/staff/setup", data={"t": "x" * 40, "password": password, "code": code}).status_code == 404
    )


@pytest.fixture
def desk_client(open_app, clock):
    """A signed-in client and a request's page (fixtures run once per test, not once per example)."""
    user = make_staff(open_app)
    url = f"/staff/zayavki/{add_application(open_app)}"
    client = open_app.test_client()
    assert sign_in(client, user, clock).status_code == 303
    return client, url


@FUZZ
@given(status=ANY_TEXT, note=ANY_TEXT)
def test_desk_forms_never_fail(desk_client, status, note):
    client, url = desk_client
    assert client.post(url + "/status", data={"status": status}).status_code == 303
    assert client.post(url + "/notes", data={"text": note}).status_code in (303, 422)
    assert client.get(url).status_code == 200
