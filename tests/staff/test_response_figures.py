"""Status changes on the desk become response-time figures on the dashboard; a request waiting past the
promised working day is marked on the desk and counted on the dashboard."""
import re
from datetime import datetime, timedelta

from bs4 import BeautifulSoup

from portal.apply.models import Application
from portal.audit import AuditEvent
from portal.extensions import db
from tests.helpers.staff import add_application, csrf_token, sign_in


def change(client, application_id, status):
    page = client.get(f"/staff/zayavki/{application_id}")
    return client.post(f"/staff/zayavki/{application_id}/status",
                       data={"csrf_token": csrf_token(page), "status": status})


def test_desk_status_changes_give_median_hours_and_the_overdue_count(app, staff, clock):
    clock.set(datetime(2026, 12, 1, 5, 0))  # Tuesday, 10:00 in Chelyabinsk
    signed_in = app.test_client()
    assert sign_in(signed_in, staff, clock).status_code == 303
    start = clock()
    called = add_application(app, created_at=start, contact_method="phone")
    unreachable = add_application(app, created_at=start, contact_method="phone")
    waiting = add_application(app, created_at=start - timedelta(days=7), contact_method="whatsapp")
    clock.advance(hours=2)  # longer than the idle limit: the clerk signs in again
    assert sign_in(signed_in, staff, clock).status_code == 303
    assert change(signed_in, called, "in_progress").status_code == 303
    clock.advance(hours=2)
    assert sign_in(signed_in, staff, clock).status_code == 303
    assert change(signed_in, unreachable, "unreachable").status_code == 303
    with app.app_context():
        events = db.session.execute(db.select(AuditEvent).filter_by(action="status_changed")).scalars().all()
        assert sorted(e.detail for e in events) == ["new->in_progress", "new->unreachable"]

    html = signed_in.get("/staff/dashboard/", query_string={"from": "2026-11-20", "to": "2026-12-02"})
    soup = BeautifulSoup(html.get_data(as_text=True), "html.parser")
    section = soup.select_one("section[aria-labelledby=speed-heading]")
    text = re.sub(r"\s+", " ", section.get_text(" "))
    assert "Ждут дольше 2 рабочих дней без попытки связаться: 1." in text
    assert "Не дозвонились: 1 из 1 закрытых заявок (100,0 %)." in text or "(100.0 %)" in text
    rows = {row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
            for row in section.select("table")[0].select("tbody tr")}
    assert rows["Звонок или СМС"] == ["2", "3.0", "3.8", "2.0", "2.0"]
    assert section.find("svg") is not None

    desk = BeautifulSoup(signed_in.get("/staff/").get_data(as_text=True), "html.parser")
    late = [item for item in desk.select(".desk-item") if item.select_one(".status-overdue")]
    assert len(late) == 1
    with app.app_context():
        reference = db.session.get(Application, waiting).reference
    assert reference in late[0].get_text() and "ждёт 5 рабочих дней" in late[0].get_text()
