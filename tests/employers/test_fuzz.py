"""Hypothesis: whatever is posted to the sign-up or put into the directory's filters, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.app import make_app
from tests.helpers.employers import VALID_SIGNUP, hidden_fields

URL = "/rabotodateli/stat-partnerom"
FIELDS = sorted(set(VALID_SIGNUP) | {"website", "started", "idempotency_key", "csrf_token", "unknown"})
text = st.one_of(
    st.text(max_size=600),
    st.sampled_from(
        ["", " ", "0", "y", "on", "\x00", "😀" * 50, "7707083893", "=1+1", "<b>x</b>", "я" * 10_000]
    ),
)


@pytest.fixture(scope="module")
def roomy(tmp_path_factory):
    app = make_app(
        tmp_path_factory.mktemp("fuzz"),
        EMPLOYER_SIGNUP_RATE_LIMIT="100000 per hour",
        EMPLOYER_SIGNUP_GLOBAL_RATE_LIMIT="100000 per hour",
    )
    client = app.test_client()
    hidden = hidden_fields(client.get(URL).get_data(as_text=True), URL)
    return client, hidden


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.dictionaries(st.sampled_from(FIELDS), st.one_of(text, st.lists(text, max_size=3)), max_size=8),
    keep_token=st.booleans(),
)
def test_fuzzed_sign_ups_never_give_a_500(roomy, changes, keep_token):
    client, hidden = roomy
    data = {**VALID_SIGNUP, **(hidden if keep_token else {}), **changes}
    response = client.post(URL, data=data)
    assert response.status_code in {303, 400, 413, 422}, response.status_code
    assert "Traceback" not in response.get_data(as_text=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.dictionaries(
        st.sampled_from(
            ["district", "industry", "housing", "training", "no_experience", "reported", "page", "x"]
        ),
        st.one_of(text, st.lists(text, max_size=3)),
        max_size=6,
    )
)
def test_fuzzed_directory_filters_never_give_a_500(roomy, query):
    client, _hidden = roomy
    for url in ("/rabotodateli", "/en/rabotodateli"):
        response = client.get(url, query_string=query)
        assert response.status_code == 200, response.status_code


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.dictionaries(st.sampled_from(["employer", "x"]), text, max_size=2))
def test_fuzzed_reports_never_give_a_500(roomy, form):
    client, _hidden = roomy
    response = client.post("/rabotodateli/ustarelo", data=form, headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code in {303, 400, 404, 413, 429}
