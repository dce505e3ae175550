"""The staff dashboard: closed to the public, and after a scripted visit through the real endpoints it shows
exactly what happened — votes, the masked «Нет» comment, every share channel, the 0–10 answers, requests."""
import csv
import io
import re
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from portal.clock import today_local
from portal.extensions import db
from portal.search.stats import SearchQueryDay
from tests.helpers.feedback import GUIDE, SAME_ORIGIN
from tests.helpers.staff import add_application
from tests.helpers.survey import add_answers, make_invitation, scores

STEP_GUIDE = "/kuda-idti/pervye-30-dney"
PHONE = "+7 912 345-67-89"


def text_of(node):
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def section(soup, heading_id):
    return soup.find(id=heading_id).find_parent("section")


def table_rows(node):
    return [[text_of(cell) for cell in tr.find_all(["th", "td"])] for tr in node.select("table tbody tr")]


@pytest.mark.parametrize("url", ["/staff/dashboard/", "/staff/dashboard/export.csv",
                                 "/staff/dashboard/?from=2026-01-01&to=2026-02-01"])
def test_dashboard_routes_require_a_staff_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/staff/login"
    assert "Set-Cookie" not in response.headers or "staff" not in response.headers["Set-Cookie"]


def test_every_dashboard_rule_is_behind_the_sign_in(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("dashboard.")]
    assert {rule.endpoint for rule in rules} == {"dashboard.index", "dashboard.export"}
    client = app.test_client()
    for rule in rules:
        assert rule.rule.startswith("/staff/dashboard/")
        assert client.get(rule.rule).status_code == 302


def run_the_visit(client):
    """What the issue asks to show: through the public endpoints, as a browser without JavaScript would."""
    for _ in range(2):
        yes = client.post("/otzyv", data={"page": GUIDE, "answer": "yes"}, headers=SAME_ORIGIN)
        assert yes.status_code == 303
    voted = client.post("/otzyv", data={"page": GUIDE, "answer": "no"}, headers=SAME_ORIGIN)
    token = parse_qs(urlsplit(voted.location).query)["t"][0]
    sent = client.post("/otzyv/kommentariy", headers=SAME_ORIGIN,
                       data={"page": GUIDE, "t": token,
                             "text": f"Не нашёл адрес. Позвоните мне {PHONE} <b>срочно</b>"})
    assert sent.status_code == 303
    no = client.post("/otzyv", data={"page": STEP_GUIDE, "answer": "no"}, headers=SAME_ORIGIN)
    assert no.status_code == 303
    for channel in ["vk", "telegram", "whatsapp", "max", "sms", "copy"]:
        response = client.post("/share", query_string={"page": GUIDE, "channel": channel}, data="PING",
                               content_type="text/ping", headers=SAME_ORIGIN)
        assert response.status_code == 204
    for score in range(11):
        token = make_invitation(client.application, "call" if score % 2 else "messenger")
        response = client.post(f"/opros/{token}", data={"score": str(score)}, headers=SAME_ORIGIN)
        assert response.status_code == 303


def test_dashboard_shows_the_figures_of_a_scripted_visit_with_the_phone_masked(app, staff_client):
    run_the_visit(app.test_client())
    response = staff_client.get("/staff/dashboard/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.h1.get_text(strip=True) == "Показатели"

    useful = table_rows(section(soup, "useful-heading"))
    assert useful == [
        ["Кто может получить пособие по безработице /posobie/kto-poluchaet", "2", "1", "3", "67 %"],
        ["Первые 30 дней после освобождения — что делать по шагам /kuda-idti/pervye-30-dney",
         "0", "1", "1", "0 %"],
    ]

    comments = section(soup, "comments-heading")
    assert "Не нашёл адрес. Позвоните мне [телефон скрыт] <b>срочно</b>" in text_of(comments)
    assert "&lt;b&gt;срочно&lt;/b&gt;" in html and "<b>срочно</b>" not in html
    assert "345-67-89" not in html and "3456789" not in html

    nps_block = section(soup, "nps-heading")
    assert "Мало ответов: 11 из 20." in text_of(nps_block)
    assert "NPS:" not in text_of(nps_block), "no NPS from 11 answers"
    assert table_rows(nps_block)[0] == ["Ответов"] + ["1"] * 11
    assert table_rows(nps_block)[1:] == [["По телефону", "5"], ["Лично в центре", "0"], ["В мессенджере", "6"]]

    shares = table_rows(section(soup, "shares-heading"))
    assert shares == [["ВКонтакте", "1"], ["Telegram", "1"], ["WhatsApp", "1"], ["MAX", "1"], ["СМС", "1"],
                      ["Скопировали ссылку", "1"]]


def test_every_chart_is_inline_svg_hidden_from_screen_readers_next_to_its_table(app, staff_client):
    run_the_visit(app.test_client())
    soup = BeautifulSoup(staff_client.get("/staff/dashboard/").get_data(as_text=True), "html.parser")
    charts = soup.find_all("svg")
    assert len(charts) == 6  # four feedback charts, two of response times (issue 17)
    for chart in charts:
        assert chart["aria-hidden"] == "true"
        assert chart.find_parent("section").find("table"), "each chart has its data table"
        assert not chart.find(style=True) and not chart.has_attr("style")
    assert not soup.find("script")
    assert not soup.find(style=True)


def test_requests_per_week_are_counted_by_iso_week_and_small_counts_suppressed(app, staff_client):
    with app.app_context():
        today = today_local()
    this_monday = today - timedelta(days=today.weekday())
    noon = datetime.combine(this_monday, time(7, 0))  # 12:00 in Chelyabinsk, stored as UTC
    for i in range(6):
        add_application(app, created_at=noon + timedelta(hours=i))
    for i in range(3):
        add_application(app, created_at=noon - timedelta(days=7) + timedelta(hours=i))
    start = this_monday - timedelta(days=7)
    response = staff_client.get("/staff/dashboard/",
                                query_string={"from": start.isoformat(), "to": today.isoformat()})
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    weeks = table_rows(section(soup, "weeks-heading"))
    last_week, this_week = start.isocalendar(), this_monday.isocalendar()
    assert weeks == [[f"{last_week[0]}-W{last_week[1]:02d}", start.strftime("%d.%m.%Y"), "<5"],
                     [f"{this_week[0]}-W{this_week[1]:02d}", this_monday.strftime("%d.%m.%Y"), "6"]]
    chart = section(soup, "weeks-heading").find("svg")
    assert [t.get_text() for t in chart.find_all("text")][1::2] == ["<5", "6"]
    assert len(chart.find_all("rect")) == 1, "the suppressed week has no bar"
    html = response.get_data(as_text=True)
    assert "Иван" not in html and "+79991234567" not in html


def test_the_csv_export_holds_the_same_figures_in_utf8_with_bom_and_semicolons(app, staff_client):
    run_the_visit(app.test_client())
    add_application(app)
    response = staff_client.get("/staff/dashboard/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="pokazateli-')
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Раздел", "Строка", "Показатель", "Значение"]
    assert ["Полезность страниц", GUIDE, "Да", "2"] in rows
    assert ["Полезность страниц", GUIDE, "Доля «Да», %", "67"] in rows
    assert ["NPS", "", "Мало ответов", "11 / 20"] in rows
    assert ["Оценки 0–10", "10", "Ответов", "<5"] in rows, "the file leaves the desk: small counts hidden"
    assert ["Ответы по способу обслуживания", "В мессенджере", "Ответов", "6"] in rows
    assert ["Поделились", "MAX", "Раз", "1"] in rows
    assert [r[3] for r in rows if r[0] == "Заявки по неделям"][-1] == "<5"
    speed = [r for r in rows if r[0] == "Скорость ответа по способу связи"]
    assert ["Скорость ответа по способу связи", "Звонок или СМС", "Заявок", "<5"] in speed
    assert ["Скорость ответа по способу связи", "Звонок или СМС", "Первая попытка, медиана, ч", "—"] in speed, \
        "a median of fewer than 5 requests is nearly one person's waiting time"
    assert "телефон скрыт" not in body.decode("utf-8-sig") and "Не нашёл адрес" not in body.decode("utf-8-sig"), \
        "comments stay on screen, out of the export"


@pytest.mark.parametrize(("query", "message"), [
    ({"from": "вчера"}, "Введите дату в виде ДД.ММ.ГГГГ"),
    ({"from": "2026-11-20", "to": "2026-11-01"}, "Конец периода не может быть раньше начала."),
    ({"from": "2000-01-01", "to": "2026-01-01"}, "Выберите период не длиннее 731 дней."),
])
def test_a_bad_period_gets_a_plain_message_keeps_the_input_and_shows_the_default(staff_client, query,
                                                                                 message):
    response = staff_client.get("/staff/dashboard/", query_string=query)
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert message in text_of(soup.select_one(".error-summary"))
    assert soup.select_one("#period-from")["value"] == query["from"]
    assert "за последние 30 дней" in text_of(soup.select_one(".error-summary"))


def test_a_period_in_day_month_year_is_understood_and_filters_the_figures(app, staff_client):
    run_the_visit(app.test_client())
    with app.app_context():
        today = today_local()
    earlier = today - timedelta(days=40)
    period = {"from": earlier.strftime("%d.%m.%Y"), "to": (today - timedelta(days=35)).isoformat()}
    response = staff_client.get("/staff/dashboard/", query_string=period)
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert response.status_code == 200
    assert "За этот период ответов нет." in text_of(section(soup, "useful-heading"))
    assert all(row[1] == "0" for row in table_rows(section(soup, "shares-heading")))


def test_the_staff_menu_links_to_the_figures(staff_client):
    soup = BeautifulSoup(staff_client.get("/staff/").get_data(as_text=True), "html.parser")
    assert "/staff/dashboard/" in [a["href"] for a in soup.select(".staff-nav a")]


def test_top_searches_appear_from_three_searches(app, staff_client):
    with app.app_context():
        day = today_local()
        db.session.add_all([SearchQueryDay(query="пособие", day=day, count=5, found=True),
                            SearchQueryDay(query="вахта", day=day, count=3, found=False),
                            SearchQueryDay(query="редкий запрос", day=day, count=2, found=False)])
        db.session.commit()
    soup = BeautifulSoup(staff_client.get("/staff/dashboard/").get_data(as_text=True), "html.parser")
    tables = section(soup, "search-heading").find_all("table")
    assert table_rows(tables[0]) == [["пособие", "5"], ["вахта", "3"]]
    assert table_rows(tables[1]) == [["вахта", "3"]]
    assert "редкий запрос" not in soup.get_text()


def test_from_20_answers_the_dashboard_shows_nps_with_its_95_percent_interval(app, staff_client):
    # 10 promoters, 5 passives, 5 detractors: p = 0.5, d = 0.25, NPS = 25;
    # var = (0.5 + 0.25 − 0.25²) / 20 = 0.034375, 1.96 · 100 · √var = 36.34 → from −11.3 to +61.3.
    add_answers(app, scores(promoters=10, passives=5), served_via="visit")
    add_answers(app, scores(detractors=5), served_via="call")
    soup = BeautifulSoup(staff_client.get("/staff/dashboard/").get_data(as_text=True), "html.parser")
    nps_block = section(soup, "nps-heading")
    assert "NPS: +25,0" in text_of(nps_block)
    assert "95-процентный доверительный интервал: от -11,3 до +61,3." in text_of(nps_block)
    assert "Мало ответов" not in text_of(nps_block)
    assert table_rows(nps_block)[1:] == [["По телефону", "5"], ["Лично в центре", "15"], ["В мессенджере", "0"]]
    rows = list(csv.reader(io.StringIO(staff_client.get("/staff/dashboard/export.csv").get_data().decode(
        "utf-8-sig")), delimiter=";"))
    assert ["NPS", "", "Значение", "25,0"] in rows
    assert ["NPS", "", "Доверительный интервал 95 %, от", "-11,3"] in rows
    assert ["NPS", "", "Доверительный интервал 95 %, до", "61,3"] in rows


def test_19_answers_are_too_few_for_an_nps(app, staff_client):
    add_answers(app, scores(promoters=19))
    soup = BeautifulSoup(staff_client.get("/staff/dashboard/").get_data(as_text=True), "html.parser")
    nps_block = section(soup, "nps-heading")
    assert "Мало ответов: 19 из 20." in text_of(nps_block) and "NPS:" not in text_of(nps_block)
    assert table_rows(nps_block)[0][-1] == "19"


def test_the_answers_minimum_comes_from_the_config(app, staff_client):
    assert app.config["SURVEY_NPS_MIN_ANSWERS"] == 20
    app.config["SURVEY_NPS_MIN_ANSWERS"] = 3
    add_answers(app, scores(promoters=2, detractors=1))
    soup = BeautifulSoup(staff_client.get("/staff/dashboard/").get_data(as_text=True), "html.parser")
    assert "NPS: +33,3" in text_of(section(soup, "nps-heading"))
