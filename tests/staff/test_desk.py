"""The desk: new requests first, filters, a request's page, status changes with who and when, notes, CSV."""

import csv
import io
import json
import logging
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.apply.models import Application, ApplicationNote
from portal.audit import AuditEvent
from portal.exports import csv_cell
from portal.extensions import db
from tests.helpers.pages import Page
from tests.helpers.staff import CANARY, add_application, csrf_token


def now():
    return datetime.now(UTC).replace(tzinfo=None)


def references_on(client, url="/staff/"):
    page = Page(client.get(url)).check_invariants()
    return [a.get_text().split()[-1] for a in page.soup.select(".desk-ref")]


def reference_of(app, application_id):
    with app.app_context():
        return db.session.get(Application, application_id).reference


def post_form(client, page_url, action, **data):
    return client.post(action, data={"csrf_token": csrf_token(client.get(page_url)), **data})


def test_the_desk_lists_unanswered_requests_first_and_newest_first_within_a_status(app, signed_in):
    t = now()
    old_new = add_application(app, created_at=t - timedelta(days=3))
    in_progress = add_application(app, created_at=t - timedelta(days=2), status="in_progress")
    done = add_application(app, created_at=t - timedelta(hours=5), status="done", closed_at=t)
    fresh_new = add_application(app, created_at=t - timedelta(hours=1))
    expected = [reference_of(app, i) for i in (fresh_new, old_new, in_progress, done)]
    assert references_on(signed_in) == expected


def test_filters_by_status_and_by_help_needed(app, signed_in):
    job = add_application(app, help_needed="job")
    housing = add_application(app, help_needed="job,housing", status="in_progress")
    documents = add_application(app, help_needed="documents")
    ref = {i: reference_of(app, i) for i in (job, housing, documents)}
    assert set(references_on(signed_in, "/staff/?status=in_progress")) == {ref[housing]}
    assert set(references_on(signed_in, "/staff/?help=housing")) == {ref[housing]}
    assert set(references_on(signed_in, "/staff/?help=job")) == {ref[job], ref[housing]}
    assert set(references_on(signed_in, "/staff/?help=job&status=new")) == {ref[job]}
    assert set(references_on(signed_in, "/staff/?status=done")) == set()
    # Unknown values mean «all», never an error.
    assert set(references_on(signed_in, "/staff/?status=evil&help=%27%20OR%201=1")) == set(ref.values())


def test_the_filter_form_keeps_the_chosen_values(app, signed_in):
    page = Page(signed_in.get("/staff/?status=done&help=housing")).check_invariants()
    assert page.soup.select_one("#status option[selected]")["value"] == "done"
    assert page.soup.select_one("#help option[selected]")["value"] == "housing"


def test_the_desk_pages_through_many_requests(app, signed_in):
    app.config["STAFF_PAGE_SIZE"] = 3
    t = now()
    ids = [add_application(app, created_at=t - timedelta(minutes=i)) for i in range(7)]
    first, second, third = (references_on(signed_in, f"/staff/?page={n}") for n in (1, 2, 3))
    assert first + second + third == [reference_of(app, i) for i in ids]
    assert references_on(signed_in, "/staff/?page=99") == []
    assert signed_in.get("/staff/?page=-5").status_code == 200


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.text(max_size=60), help_code=st.text(max_size=60), page=st.text(max_size=12))
def test_any_filter_input_gives_a_page_never_an_error(app, signed_in, status, help_code, page):
    response = signed_in.get("/staff/", query_string={"status": status, "help": help_code, "page": page})
    assert response.status_code == 200
    export = signed_in.get("/staff/export.csv", query_string={"status": status, "help": help_code})
    assert export.status_code == 200


def test_the_list_shows_what_a_clerk_acts_on_but_not_the_comment(app, signed_in):
    # Issue 17: a clerk works from the list (name, channel with its action); the comment stays on the page.
    add_application(app)
    html = signed_in.get("/staff/").get_data(as_text=True)
    assert CANARY["name"] in html
    assert CANARY["comment"] not in html


def test_the_request_page_shows_every_field_and_records_the_view(app, signed_in):
    application_id = add_application(
        app,
        help_needed="job,housing",
        convenient_time="evening",
        contact_from=(now() + timedelta(days=60)).date(),
    )
    page = Page(signed_in.get(f"/staff/zayavki/{application_id}")).check_invariants()
    text = page.text()
    for value in (CANARY["name"], CANARY["contact_value"], CANARY["comment"], "Калининский"):
        assert value in text
    assert page.soup.find("a", href="tel:" + CANARY["contact_value"])
    with app.app_context():
        event = db.session.execute(select(AuditEvent).filter_by(action="application_viewed")).scalar_one()
        assert (event.actor, event.object_type, event.object_id) == ("anna", "application", application_id)
    assert signed_in.get("/staff/zayavki/987654").status_code == 404


def test_an_xss_payload_in_a_request_is_shown_escaped(app, signed_in):
    payloads = ["<script>alert(1)</script>", '"><svg onload=alert(1)>', "javascript:alert(1)"]
    application_id = add_application(
        app,
        comment="\n".join(payloads),
        name="<img src=x onerror=alert(1)>",
        contact_method="telegram",
        contact_value='"><b>x</b>',
    )
    html = signed_in.get(f"/staff/zayavki/{application_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<svg onload" not in html and "<img src=x" not in html
    assert "<b>x</b>" not in html and 'href="javascript:' not in html
    page = Page(signed_in.get(f"/staff/zayavki/{application_id}")).check_invariants()
    assert not page.soup.find("a", href=lambda h: h and h.startswith("tel:"))


def test_a_status_change_is_saved_with_who_and_when(app, signed_in, clock):
    application_id = add_application(app)
    url = f"/staff/zayavki/{application_id}"
    response = post_form(signed_in, url, url + "/status", status="in_progress")
    assert response.status_code == 303 and response.location == url
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application.status == "in_progress" and application.status_changed_at == clock()
        event = db.session.execute(select(AuditEvent).filter_by(action="status_changed")).scalar_one()
        assert (event.actor, event.object_id, event.detail) == ("anna", application_id, "new->in_progress")
        assert abs(event.created_at - now()) < timedelta(minutes=1)
    page = Page(signed_in.get(url)).check_invariants()
    assert (
        "anna"
        in page.soup.find("h2", string=lambda s: s and ("History" in s or "История" in s))
        .find_next("ul")
        .get_text()
    )


def test_closing_stamps_closed_at_and_reopening_clears_it(app, signed_in, clock):
    application_id = add_application(app)
    url = f"/staff/zayavki/{application_id}"

    def status_to(value):
        post_form(signed_in, url, url + "/status", status=value)
        with app.app_context():
            return db.session.get(Application, application_id).closed_at

    assert status_to("done") == clock()
    assert status_to("in_progress") is None
    assert status_to("unreachable") == clock()


def test_moving_between_closed_statuses_keeps_the_first_closing_time(app, staff):
    from types import SimpleNamespace

    from portal.staff.desk import change_status

    application_id = add_application(app)
    anna = SimpleNamespace(username=staff.username, id=staff.id)
    t = now()
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert change_status(application, "done", anna, t)
        assert change_status(application, "unreachable", anna, t + timedelta(days=2))
        assert application.closed_at == t  # the retention clock is not restarted
        assert not change_status(
            application, "unreachable", anna, t + timedelta(days=3)
        )  # no change, no event
        assert (
            change_status(application, "new", anna, t + timedelta(days=4)) and application.closed_at is None
        )
        assert change_status(application, "done", anna, t + timedelta(days=5))
        assert application.closed_at == t + timedelta(days=5)
        details = (
            db.session.execute(select(AuditEvent.detail).filter_by(action="status_changed")).scalars().all()
        )
        assert details == ["new->done", "done->unreachable", "unreachable->new", "new->done"]


def test_an_unknown_status_changes_nothing(app, signed_in):
    application_id = add_application(app)
    url = f"/staff/zayavki/{application_id}"
    response = post_form(signed_in, url, url + "/status", status="deleted")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Application, application_id).status == "new"
        assert db.session.execute(select(AuditEvent).filter_by(action="status_changed")).first() is None


def test_a_status_post_without_the_form_token_changes_nothing(app, signed_in):
    application_id = add_application(app)
    response = signed_in.post(f"/staff/zayavki/{application_id}/status", data={"status": "done"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Application, application_id).status == "new"


def test_notes_are_saved_shown_and_audited_without_their_text(app, signed_in):
    application_id = add_application(app)
    url = f"/staff/zayavki/{application_id}"
    text = "Позвонили 12.03, договорились: придёт во вторник к 10:00."
    response = post_form(signed_in, url, url + "/notes", text=text)
    assert response.status_code == 303
    page = Page(signed_in.get(url)).check_invariants()
    assert text in page.soup.select_one(".notes").get_text()
    with app.app_context():
        note = db.session.execute(select(ApplicationNote)).scalar_one()
        assert note.staff.username == "anna" and note.text == text
        event = db.session.execute(select(AuditEvent).filter_by(action="note_added")).scalar_one()
        assert event.detail is None and event.object_id == application_id


def test_an_empty_or_overlong_note_is_refused_and_the_text_kept(app, signed_in):
    application_id = add_application(app)
    url = f"/staff/zayavki/{application_id}"
    empty = post_form(signed_in, url, url + "/notes", text="   \n ")
    assert empty.status_code == 422
    long_text = "длинная заметка " * 200
    long = post_form(signed_in, url, url + "/notes", text=long_text)
    assert long.status_code == 422
    page = Page(long).check_invariants()
    assert page.soup.select_one("#text").get_text().strip() == long_text.strip()
    assert page.soup.select_one("#text")["aria-invalid"] == "true"
    with app.app_context():
        assert db.session.execute(select(ApplicationNote)).first() is None


def read_csv(response):
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM: Excel would guess the wrong encoding"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_export_opens_with_a_bom_and_correct_cyrillic(app, signed_in):
    add_application(app, help_needed="job,housing", comment="Нужна работа; жильё, «срочно»\nвторая строка")
    response = signed_in.get("/staff/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="zayavki-')
    rows = read_csv(response)
    header, row = rows[0], rows[1]
    assert header[:3] == ["Номер", "Получена", "Статус"]
    record = dict(zip(header, row, strict=True))
    assert record["Имя"] == CANARY["name"]
    assert record["Комментарий"] == "Нужна работа; жильё, «срочно»\nвторая строка"
    assert record["Нужна помощь"] == "Найти работу, Жильё"
    assert record["Статус"] == "Новая"
    assert record["Контакт"] == "'" + CANARY["contact_value"]  # starts with «+»: neutralised like any formula


def test_the_csv_export_neutralises_formulas(app, signed_in):
    add_application(
        app,
        name='=HYPERLINK("http://evil.example","нажми")',
        comment="@SUM(1+1)",
        contact_method="vk",
        contact_value="-2+3",
    )
    rows = read_csv(signed_in.get("/staff/export.csv"))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Имя"] == '\'=HYPERLINK("http://evil.example","нажми")'
    assert record["Комментарий"] == "'@SUM(1+1)"
    assert record["Контакт"] == "'-2+3"


def test_csv_cell_table():
    assert [csv_cell(v) for v in ["=1", "+1", "-1", "@x", "\tx", "\rx", "a=1", "", None, 5]] == [
        "'=1",
        "'+1",
        "-1",  # a plain number stays a number (portal/exports.py)
        "'@x",
        "'\tx",
        "'\rx",
        "a=1",
        "",
        "",
        "5",
    ]


def test_the_export_follows_the_filters_and_is_audited_without_personal_data(app, signed_in):
    add_application(app, status="done", closed_at=now())
    add_application(app)
    rows = read_csv(signed_in.get("/staff/export.csv?status=done"))
    assert len(rows) == 2 and rows[1][2] == "Выполнена"
    with app.app_context():
        event = db.session.execute(select(AuditEvent).filter_by(action="export")).scalar_one()
        assert event.actor == "anna" and event.detail == "rows=1; status=done; help=any"


def test_desk_actions_log_one_json_line_each_and_no_personal_data(app, signed_in, caplog):
    application_id = add_application(app)
    url = f"/staff/zayavki/{application_id}"
    caplog.clear()
    with caplog.at_level(logging.INFO):
        signed_in.get(url)
        post_form(signed_in, url, url + "/status", status="done")
        post_form(signed_in, url, url + "/notes", text="Связались, всё хорошо, " + CANARY["contact_value"])
        signed_in.get("/staff/export.csv")
    audit = [json.loads(r.getMessage()) for r in caplog.records if r.name == "portal.audit"]
    actions = [line["event"] for line in audit]
    for action in ("application_viewed", "status_changed", "note_added", "export"):
        assert action in actions
    for line in audit:
        assert line["actor"] == "anna" and line["ts"].endswith("Z")
    logged = caplog.text
    for value in CANARY.values():
        if value != "kalininsky":
            assert value not in logged
