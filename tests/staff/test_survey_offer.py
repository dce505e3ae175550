"""Marking a request done offers the person a single-use survey link and its QR code, once, on that page
only; the invitation keeps the token's hash, how the person was served and the month, nothing else."""
import hashlib
import re
from urllib.parse import urlsplit

import pytest
import segno
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.extensions import db
from portal.feedback.models import SurveyInvitation
from tests.helpers.pages import checked_page
from tests.helpers.staff import add_application, csrf_token

LINK_RE = re.compile(r"http://localhost/opros/([A-Za-z0-9_-]{22})")


def close(client, application_id, status="done", **extra):
    url = f"/staff/zayavki/{application_id}"
    return client.post(url + "/status", data={"csrf_token": csrf_token(client.get(url)), "status": status,
                                              **extra})


def invitations(app):
    with app.app_context():
        return db.session.execute(select(SurveyInvitation)).scalars().all()


def events(app, action):
    with app.app_context():
        return db.session.execute(select(AuditEvent).filter_by(action=action)).scalars().all()


def test_marking_a_request_done_shows_the_link_and_its_qr_code_once(app, signed_in):
    application_id = add_application(app)
    response = close(signed_in, application_id)
    page = checked_page(response, 200, "the status change")
    offer = page.soup.select_one("section.survey-offer")
    assert offer.h2.get_text(strip=True) == "Ссылка на опрос для человека"
    assert "по СМС или в мессенджере" in offer.get_text(" ")
    [token] = LINK_RE.findall(offer.get_text(" "))
    svg = offer.find("svg")
    assert svg.find_parent(attrs={"role": "img"})["aria-label"] == "QR-код ссылки на опрос"
    size = segno.make(f"http://localhost/opros/{token}", error="m", micro=False).symbol_size(border=2)
    assert svg["viewbox" if "viewbox" in svg.attrs else "viewBox"] == f"0 0 {size[0]} {size[1]}"
    assert not offer.find("img"), "inline SVG, no request for an image"
    assert response.headers["Cache-Control"] == "no-store"

    [invitation] = invitations(app)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invitation.served_via == "call" and re.fullmatch(r"\d{4}-\d{2}", invitation.month)

    # Shown once: the request's page afterwards, and the same status sent again, carry no link.
    again = checked_page(signed_in.get(f"/staff/zayavki/{application_id}"))
    assert again.soup.select_one("section.survey-offer") is None and token not in again.html
    resent = close(signed_in, application_id)
    assert resent.status_code == 303 and len(invitations(app)) == 1


def test_the_audit_says_a_link_was_offered_without_the_token(app, signed_in):
    application_id = add_application(app)
    token = LINK_RE.search(close(signed_in, application_id).get_data(as_text=True)).group(1)
    [event] = events(app, "survey_offered")
    assert (event.actor, event.object_type, event.object_id) == ("anna", "application", application_id)
    with app.app_context():
        everything = str(db.session.execute(select(*AuditEvent.__table__.columns)).all())
    assert token not in everything and hashlib.sha256(token.encode()).hexdigest() not in everything


@pytest.mark.parametrize(("contact_method", "chosen", "served_via"), [
    ("phone", "", "call"), ("telegram", "", "messenger"), ("whatsapp", "", "messenger"), ("max", "", "messenger"),
    ("vk", "", "messenger"), ("in_person", "", "visit"), ("phone", "visit", "visit"),
    ("in_person", "messenger", "messenger"), ("phone", "evil", "call"),
])
def test_how_the_person_was_served_comes_from_the_contact_method_or_the_clerk(app, signed_in, contact_method,
                                                                              chosen, served_via):
    application_id = add_application(app, contact_method=contact_method)
    assert close(signed_in, application_id, served_via=chosen).status_code == 200
    assert [i.served_via for i in invitations(app)] == [served_via]


def test_could_not_reach_offers_no_survey(app, signed_in):
    application_id = add_application(app)
    response = close(signed_in, application_id, status="unreachable")
    assert response.status_code == 303
    assert invitations(app) == [] and events(app, "survey_offered") == []


def test_the_offered_link_opens_the_survey_and_works_once(app, signed_in):
    application_id = add_application(app)
    link = LINK_RE.search(close(signed_in, application_id).get_data(as_text=True)).group(0)
    visitor = app.test_client()
    path = urlsplit(link).path
    assert checked_page(visitor.get(path)).soup.select_one("main form")["action"] == path
    sent = visitor.post(path, data={"score": "8"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert sent.status_code == 303 and invitations(app) == []
    assert visitor.get(path).status_code == 404


def test_the_status_form_offers_the_way_of_service(app, signed_in):
    page = checked_page(signed_in.get(f"/staff/zayavki/{add_application(app)}"))
    options = [o["value"] for o in page.soup.select("select[name=served_via] option")]
    assert options == ["", "call", "visit", "messenger"]
