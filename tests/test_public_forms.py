"""The public forms that store personal data (application, employer sign-up) never acknowledge what was not
stored, and every honest person gets through (issue 12; security review F-1, F-2, F-3, F-13, F-14).

Each test reproduces a failure of the review on both forms: the timer, the CSRF recovery page, the limits."""
import re
import sqlite3
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup

from portal.apply.models import Application
from portal.employers.models import EmployerSignup
from portal.extensions import db
from tests.helpers.app import make_app
from tests.helpers.apply import VALID
from tests.helpers.employers import VALID_SIGNUP


@dataclass
class PublicForm:
    url: str
    valid: dict
    model: type
    confirmation: str  # a regular expression for the Location of a stored request

    def rows(self, app):
        with app.app_context():
            return db.session.execute(db.select(self.model)).scalars().all()


APPLY = PublicForm("/zayavka", VALID, Application, r"^/zayavka/prinyata/[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$")
SIGNUP = PublicForm("/rabotodateli/stat-partnerom", VALID_SIGNUP, EmployerSignup,
                    r"^/rabotodateli/stat-partnerom/spasibo$")
BOTH = pytest.mark.parametrize("public_form", [APPLY, SIGNUP], ids=["apply", "signup"])


def form_fields(html):
    """Every field of the page's main form as a browser would send it, checkboxes ticked as shown."""
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("main").find("form", method="post")
    data = {}
    for field in form.find_all("input"):
        kind = field.get("type", "text")
        if kind in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        data.setdefault(field["name"], []).append(field.get("value", "y" if kind == "checkbox" else ""))
    for field in form.find_all("textarea"):
        data[field["name"]] = [field.get_text()]
    for field in form.find_all("select"):
        chosen = field.find("option", selected=True) or field.find("option")
        data[field["name"]] = [chosen.get("value", "")]
    return data


def first_post(client, public_form, **changes):
    page = client.get(public_form.url)
    data = {**{k: v for k, v in form_fields(page.get_data(as_text=True)).items()}, **public_form.valid, **changes}
    return client.post(public_form.url, data={k: v for k, v in data.items() if v is not None})


def resend(client, public_form, response, **changes):
    """Press «Send» again on the page `response` showed, after changing `changes`."""
    data = {**form_fields(response.get_data(as_text=True)), **changes}
    return client.post(public_form.url, data={k: v for k, v in data.items() if v is not None})


@pytest.fixture
def timed_app(tmp_path, clock):
    """The real minimum fill time (3 s), measured on the test's clock."""
    return make_app(tmp_path, APPLY_MIN_FILL_SECONDS=3)


# ---------------------------------------------------------------- the fill-time check


@BOTH
def test_a_fast_resend_after_a_typing_mistake_is_stored_and_acknowledged(timed_app, clock, public_form):
    client = timed_app.test_client()
    page = client.get(public_form.url)
    clock.advance(seconds=20)  # a person fills the form …
    data = {**form_fields(page.get_data(as_text=True)), **public_form.valid, "consent": None}
    mistake = client.post(public_form.url, data={k: v for k, v in data.items() if v is not None})
    assert mistake.status_code == 422
    clock.advance(seconds=1)  # … ticks the box and presses «Send» again a second later
    response = resend(client, public_form, mistake, consent="y")
    assert response.status_code == 303 and re.match(public_form.confirmation, response.headers["Location"])
    assert len(public_form.rows(timed_app)) == 1


def test_the_confirmation_always_shows_the_number_of_a_stored_request(timed_app, clock):
    client = timed_app.test_client()
    page = client.get(APPLY.url)
    clock.advance(seconds=20)
    response = resend(client, APPLY, page, **{k: v for k, v in VALID.items()})
    reference = response.headers["Location"].rsplit("/", 1)[1]
    confirmation = client.get(response.headers["Location"])
    assert reference in confirmation.get_data(as_text=True)
    assert confirmation.headers["Cache-Control"] == "no-store"
    # The old number-less address no longer says «принята»: it goes back to the form.
    assert client.get("/zayavka/prinyata").headers["Location"] == "/zayavka"


@BOTH
def test_a_fast_resend_after_a_storage_fault_is_stored_and_acknowledged(tmp_path, clock, public_form):
    app = make_app(tmp_path, APPLY_MIN_FILL_SECONDS=3, SQLITE_BUSY_TIMEOUT=0.2)
    client = app.test_client()
    page = client.get(public_form.url)
    clock.advance(seconds=20)
    blocker = sqlite3.connect(tmp_path / "portal.sqlite3")
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        refused = resend(client, public_form, page, **public_form.valid)
    finally:
        blocker.rollback()
        blocker.close()
    assert refused.status_code == 503 and public_form.rows(app) == []
    clock.advance(seconds=1)
    response = resend(client, public_form, refused)
    assert response.status_code == 303 and re.match(public_form.confirmation, response.headers["Location"])
    assert len(public_form.rows(app)) == 1


@BOTH
@pytest.mark.parametrize("trap", [{"website": "http://spam.example"}, {"started": "forged"}],
                         ids=["honeypot", "forged-timer"])
def test_a_suspected_bot_is_asked_to_send_again_never_told_received(timed_app, clock, public_form, trap):
    client = timed_app.test_client()
    page = client.get(public_form.url)
    clock.advance(seconds=20)
    response = resend(client, public_form, page, **public_form.valid, **trap)
    assert response.status_code == 422
    assert "ещё раз" in response.get_data(as_text=True)
    assert public_form.rows(timed_app) == []
    # A person who was wrongly suspected presses «Send» once more and gets through.
    clock.advance(seconds=5)
    response = resend(client, public_form, response)
    assert response.status_code == 303 and len(public_form.rows(timed_app)) == 1


@BOTH
def test_a_send_faster_than_a_person_can_fill_the_form_is_not_stored(timed_app, clock, public_form):
    client = timed_app.test_client()
    response = first_post(client, public_form)
    assert response.status_code == 422 and public_form.rows(timed_app) == []


@BOTH
def test_a_start_time_signed_long_ago_or_for_the_other_form_is_not_accepted(timed_app, clock, public_form):
    client = timed_app.test_client()
    old_page = client.get(public_form.url)
    clock.advance(days=30)  # the review replayed a value signed 30 days earlier
    response = resend(client, public_form, old_page, **public_form.valid)
    assert response.status_code == 422 and public_form.rows(timed_app) == []
    other = SIGNUP if public_form is APPLY else APPLY
    foreign = form_fields(client.get(other.url).get_data(as_text=True))["started"]
    clock.advance(seconds=20)
    response = first_post(client, public_form, started=foreign)
    assert response.status_code == 422 and public_form.rows(timed_app) == []


# ---------------------------------------------------------------- CSRF recovery


@BOTH
@pytest.mark.parametrize("lost", ["bad-token", "no-session"])
def test_the_page_after_an_expired_or_missing_token_carries_a_fresh_token_and_sends(app, public_form, lost):
    client = app.test_client()
    page = client.get(public_form.url)
    data = {**form_fields(page.get_data(as_text=True)), **public_form.valid}
    if lost == "bad-token":
        data["csrf_token"] = "garbage"
    else:
        client = app.test_client()  # the phone's browser lost the session cookie
    refused = client.post(public_form.url, data=data)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    typed = public_form.valid["contact_name" if public_form is SIGNUP else "name"]
    assert 'name="csrf_token"' in html and typed in html
    response = resend(client, public_form, refused)
    assert response.status_code == 303 and len(public_form.rows(app)) == 1


# ---------------------------------------------------------------- idempotency


@BOTH
def test_an_empty_idempotency_key_never_collides(app, client, public_form):
    first_post(client, public_form, idempotency_key="")
    changed = {"company": "ООО «Второе»"} if public_form is SIGNUP else {"name": "Второй"}
    first_post(client, public_form, idempotency_key="", **changed)
    assert len(public_form.rows(app)) == 2


# ---------------------------------------------------------------- limits that stop abuse, not people


def limited_app(tmp_path, limit_storage, **overrides):
    return make_app(tmp_path, **limit_storage, **overrides)


def client_at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@BOTH
def test_six_typing_mistakes_then_a_valid_send_is_accepted(tmp_path, limit_storage, public_form):
    app = limited_app(tmp_path, limit_storage)
    client = client_at(app, "10.0.0.1")
    for _ in range(6):
        assert first_post(client, public_form, consent=None).status_code == 422
    assert first_post(client, public_form).status_code == 303
    assert len(public_form.rows(app)) == 1


@BOTH
def test_450_refused_sends_from_one_client_do_not_close_the_form_for_another(tmp_path, limit_storage, public_form):
    app = limited_app(tmp_path, limit_storage)
    flooder = client_at(app, "10.84.0.1")
    token = form_fields(flooder.get(public_form.url).get_data(as_text=True))["csrf_token"]
    for index in range(5):
        changed = {"company": f"ООО «Фирма {index}»"} if public_form is SIGNUP else {}
        assert first_post(flooder, public_form, **changed).status_code == 303
    codes = {flooder.post(public_form.url, data={"csrf_token": token, "name": ""}).status_code for _ in range(450)}
    assert codes == {429}
    newcomer = client_at(app, "10.84.0.2")
    assert first_post(newcomer, public_form).status_code == 303


@BOTH
def test_over_the_global_count_the_form_slows_down_but_never_closes(tmp_path, limit_storage, public_form):
    global_key = "APPLY_GLOBAL_RATE_LIMIT" if public_form is APPLY else "EMPLOYER_SIGNUP_GLOBAL_RATE_LIMIT"
    app = limited_app(tmp_path, limit_storage, **{global_key: "3 per hour"})
    for index in range(3):
        changed = {"company": f"ООО «Фирма {index}»"} if public_form is SIGNUP else {}
        assert first_post(client_at(app, f"10.1.0.{index}"), public_form, **changed).status_code == 303
    late = client_at(app, "10.1.0.99")
    assert first_post(late, public_form).status_code == 303  # a new person still gets through
    second = first_post(late, public_form, **({"company": "ООО «Ещё»"} if public_form is SIGNUP else {}))
    assert second.status_code == 429 and int(second.headers["Retry-After"]) > 0
    assert "сохранилось" in second.get_data(as_text=True)


def test_an_officer_can_send_several_referrals_from_one_office(tmp_path, limit_storage):
    app = limited_app(tmp_path, limit_storage)
    office = client_at(app, "10.2.0.1")
    for index in range(12):
        response = first_post(office, APPLY, applicant="prison_staff", name=f"Сергей {'аб'[index % 2] * (index + 1)}")
        assert response.status_code == 303, index
    person = client_at(app, "10.2.0.2")
    codes = [first_post(person, APPLY).status_code for _ in range(6)]
    assert codes == [303] * 5 + [429]


@pytest.mark.parametrize("url", ["/zayavka", "/zayavka/napravlenie", "/rabotodateli/stat-partnerom"])
def test_the_answer_to_a_post_keeps_every_page_invariant(page, url):
    """A POST without a form token comes back as the form (400) — a page like any other."""
    answer = page.post(url, {}, status=400)
    assert answer.soup.find("form", action=True) is not None
