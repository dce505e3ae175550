"""The 0–10 question after the service (/opros/<token>): single use, only the token's hash stored, nothing
that joins an answer to a request or a person, no cookie, a kind page for a used link, 422 for bad input."""
import hashlib
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import inspect, select

from portal.extensions import db
from portal.feedback.models import ServiceAnswer, SurveyInvitation
from portal.feedback.widgets import PHONE_MASK
from tests.helpers.feedback import SAME_ORIGIN
from tests.helpers.pages import Page, checked_page
from tests.helpers.survey import make_invitation

CANARY_IP = "203.0.113.78"
CANARY_UA = "Canary-Agent/2.0 (survey-ua-canary)"
USED = "Эта ссылка уже использована или устарела"


def rows(app, model):
    with app.app_context():
        return db.session.execute(select(model)).scalars().all()


def answer(client, token, headers=SAME_ORIGIN, **data):
    return client.post(f"/opros/{token}", data=data, headers=headers)


# ---------------------------------------------------------------- what is stored, and what never is

FORBIDDEN_COLUMN = re.compile(r"request|application|zayav|person|people|user|staff|name|phone|contact|ip|"
                              r"addr|cookie|session|agent|ua|ref|token$|created|time|day|date", re.IGNORECASE)


@pytest.mark.parametrize("table", ["survey_invitation", "service_answer"])
def test_survey_tables_have_no_column_that_could_join_an_answer_to_a_person(app, table):
    described = db.metadata.tables[table]
    assert not described.foreign_keys, "no foreign key at all"
    assert not described.foreign_key_constraints
    for column in described.columns:
        assert not FORBIDDEN_COLUMN.search(column.name.replace("served_via", "")), column.name
    with app.app_context():
        assert inspect(db.engine).get_foreign_keys(table) == []
    assert {c.name for c in described.columns} == (
        {"token_hash", "served_via", "month"} if table == "survey_invitation"
        else {"id", "score", "served_via", "month", "improve"})


def test_the_month_is_the_finest_time_kept(app):
    for table in ("survey_invitation", "service_answer"):
        month = db.metadata.tables[table].c.month
        assert month.type.length == 7
        assert not [c for c in db.metadata.tables[table].columns
                    if c.type.__class__.__name__ in ("DateTime", "Date", "Time")]


def test_the_token_is_stored_only_as_its_sha256(app):
    token = make_invitation(app, "messenger")
    assert len(token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    [invitation] = rows(app, SurveyInvitation)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invitation.served_via == "messenger" and re.fullmatch(r"\d{4}-\d{2}", invitation.month)
    with app.app_context():
        dump = str(db.session.execute(select(*SurveyInvitation.__table__.columns)).all())
    assert token not in dump


# ---------------------------------------------------------------- the page

def test_the_page_asks_one_accessible_question_without_javascript_or_cookie(app, client):
    token = make_invitation(app)
    response = client.get(f"/opros/{token}")
    page = checked_page(response)
    assert page.soup.h1.get_text(strip=True) == "Один вопрос о центре занятости"
    assert page.soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    form = page.soup.select_one("main form")
    assert form["method"] == "post" and form["action"] == f"/opros/{token}"
    fieldset = form.find("fieldset")
    assert fieldset.legend.get_text(strip=True) == "Посоветуете ли вы центр занятости человеку в похожей ситуации?"
    radios = fieldset.find_all("input", type="radio")
    assert [r["value"] for r in radios] == [str(n) for n in range(11)]
    assert all(r["name"] == "score" and page.soup.find("label", attrs={"for": r["id"]}) for r in radios)
    textarea = form.find("textarea", attrs={"name": "improve"})
    assert textarea["maxlength"] == "500"
    assert page.soup.find("label", attrs={"for": textarea["id"]}).get_text(strip=True) == "Что нам улучшить?"
    assert not page.soup.find("script") or all(s.get("src") for s in page.soup.find_all("script"))
    assert not page.soup.find("input", attrs={"name": "csrf_token"})
    assert "Set-Cookie" not in response.headers
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_an_answer_is_stored_masked_and_the_invitation_deleted_with_no_cookie(app, client):
    token = make_invitation(app, "visit")
    response = answer(client, token, score="9", improve="Дольше ждать не хочу, звоните +7 912 345-67-89")
    assert response.status_code == 303 and urlsplit(response.location).path == "/opros/spasibo"
    thanks = Page(client.get(response.location)).check_invariants()
    assert "Спасибо за ответ" in thanks.text()
    [stored] = rows(app, ServiceAnswer)
    assert (stored.score, stored.served_via) == (9, "visit")
    assert stored.improve == f"Дольше ждать не хочу, звоните {PHONE_MASK}"
    assert rows(app, SurveyInvitation) == []
    assert "Set-Cookie" not in response.headers
    assert not client._cookies


def test_an_empty_improve_text_is_stored_as_null(app, client):
    token = make_invitation(app)
    assert answer(client, token, score="0", improve="   ").status_code == 303
    [stored] = rows(app, ServiceAnswer)
    assert (stored.score, stored.improve) == (0, None)


def test_a_link_works_once(app, client):
    token = make_invitation(app)
    assert answer(client, token, score="10").status_code == 303
    again = answer(client, token, score="0")
    page = checked_page(again, 404)
    assert USED in page.text() and "Спасибо, что заходите!" in page.text()
    assert checked_page(client.get(f"/opros/{token}"), 404).text().count(USED) >= 1
    assert [r.score for r in rows(app, ServiceAnswer)] == [10]


def test_the_link_expires_link_days_after_its_month_and_the_purge_deletes_only_the_expired(app, client, clock):
    from datetime import date

    from portal.feedback.survey import oldest_valid_month

    assert oldest_valid_month(date(2026, 12, 3), 60) == "2026-10"
    assert oldest_valid_month(date(2026, 3, 1), 60) == "2025-12"  # across a year and a short February
    clock.set_local(date(2026, 10, 31))
    old = make_invitation(app)  # handed out in October
    clock.set_local(date(2026, 12, 30))  # 60 days back is 31 October: still valid
    fresh = make_invitation(app)
    assert client.get(f"/opros/{old}").status_code == 200
    clock.set_local(date(2027, 1, 1))  # 60 days back is 2 November: October's links are out of date
    assert USED in checked_page(client.get(f"/opros/{old}"), 404).text()
    assert USED in checked_page(answer(client, old, score="9"), 404).text()
    assert rows(app, ServiceAnswer) == [], "an out-of-date link stores nothing"
    result = app.test_cli_runner().invoke(args=["survey", "purge"])
    assert result.exit_code == 0 and "старше 60 дн.: 1." in result.output
    assert [i.month for i in rows(app, SurveyInvitation)] == ["2026-12"]
    assert "старше 60 дн.: 0." in app.test_cli_runner().invoke(args=["survey", "purge"]).output
    assert answer(client, fresh, score="9").status_code == 303


@pytest.mark.parametrize("token", ["x" * 22, "short", "a" * 300, "%00", "..%2F..%2Fstaff", "спасибо-нет"])
def test_an_unknown_link_gets_the_kind_page_never_a_500(client, token):
    for response in (client.get(f"/opros/{token}"), answer(client, token, score="5")):
        assert response.status_code in {404, 400}
        if response.status_code == 404 and "/" not in token and "%" not in token:
            assert USED in Page(response).text()
        assert "Traceback" not in response.get_data(as_text=True)
        assert "Set-Cookie" not in response.headers


def test_the_answer_stores_nothing_about_the_visitor(app):
    client = app.test_client()
    client.set_cookie("canary_cookie", "survey-cookie-canary")
    token = make_invitation(app)
    headers = {**SAME_ORIGIN, "User-Agent": CANARY_UA, "X-Forwarded-For": CANARY_IP,
               "Referer": f"http://localhost/opros/{token}?from=ref-canary"}
    response = client.post(f"/opros/{token}", data={"score": "7", "improve": "всё хорошо"}, headers=headers,
                           environ_base={"REMOTE_ADDR": CANARY_IP})
    assert response.status_code == 303
    with app.app_context():
        dump = str(db.session.execute(select(*ServiceAnswer.__table__.columns)).all())
    assert "всё хорошо" in dump
    for canary in [CANARY_IP, CANARY_UA, "survey-ua-canary", "survey-cookie-canary", "ref-canary", token,
                   hashlib.sha256(token.encode()).hexdigest(), "127.0.0.1", "localhost"]:
        assert canary not in dump


def test_a_post_from_another_site_is_refused_and_the_link_still_works(app, client):
    token = make_invitation(app)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {}):
        assert answer(client, token, headers=headers, score="9").status_code == 403
    assert rows(app, ServiceAnswer) == [] and len(rows(app, SurveyInvitation)) == 1
    assert answer(client, token, score="9").status_code == 303


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize(("data", "message"), [
    ({}, "Выберите число от 0 до 10."),
    ({"improve": "без оценки"}, "Выберите число от 0 до 10."),
    ({"score": "11"}, "Выберите число от 0 до 10."),
    ({"score": "-1"}, "Выберите число от 0 до 10."),
    ({"score": "٣"}, "Выберите число от 0 до 10."),
    ({"score": "5", "improve": "я" * 501}, "Текст слишком длинный: 501 зн. Сократите его до 500 знаков."),
])
def test_bad_input_shows_the_form_again_with_a_russian_message_and_keeps_it(app, client, data, message):
    token = make_invitation(app)
    response = answer(client, token, **data)
    page = checked_page(response, 422)
    assert message in page.soup.select_one(".error-summary").get_text(" ")
    assert message in page.soup.select_one(".error-message").get_text(" ")
    # WTForms starts a textarea with a line break, which browsers drop.
    assert page.soup.select_one("textarea[name=improve]").get_text().lstrip("\r\n") == data.get("improve", "")
    if data.get("score") == "5":
        assert page.soup.select_one("input[name=score][checked]")["value"] == "5"
    assert "Set-Cookie" not in response.headers
    assert rows(app, ServiceAnswer) == [] and len(rows(app, SurveyInvitation)) == 1


def test_the_survey_page_refuses_extra_fields(app, client):
    token = make_invitation(app)
    assert answer(client, token, score="9", phone="+79991234567").status_code == 400
    assert rows(app, ServiceAnswer) == []



def test_a_survey_token_never_reaches_a_log_line():
    """The dev server's request line and gunicorn's access-log path both hide the token after /opros/."""
    import runpy

    from portal.logs import scrub_request_line
    from tests.helpers.app import ROOT

    token = "Zq3xY7mN2pR8sT1vW4bC6d"
    assert scrub_request_line(f'"GET /opros/{token} HTTP/1.1" 200 -') == '"GET /opros/… HTTP/1.1" 200 -'
    secret_path = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["_SECRET_PATH"]  # what SafeAccessLog applies
    assert secret_path.sub(r"\1…", f"/opros/{token}") == "/opros/…"
    assert secret_path.sub(r"\1…", "/otzyv") == "/otzyv"
