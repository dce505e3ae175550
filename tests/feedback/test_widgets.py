"""The anonymous widgets through their real endpoints: same-origin only, no cookie, nothing about the visitor
stored, plain form posts without JavaScript, JSON answers for feedback.js, limits and friendly errors."""
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from portal.extensions import csrf, db
from portal.feedback.models import PageFeedback, ServiceAnswer, ShareCount
from portal.feedback.views import CSRF_EXEMPT_VIEWS
from portal.feedback.widgets import PHONE_MASK, SHARE_TARGETS
from tests.helpers.app import ROOT, make_app
from tests.helpers.feedback import GUIDE, JSON, SAME_ORIGIN
from tests.helpers.pages import Page, checked_page

STEP_GUIDE = "/kuda-idti/pervye-30-dney"
CANARY_UA = "Canary-Agent/1.0 (ua-canary)"
CANARY_IP = "203.0.113.77"


def rows(app, model):
    with app.app_context():
        return db.session.execute(select(model)).scalars().all()


def vote(client, answer, page=GUIDE, headers=SAME_ORIGIN, **extra):
    return client.post("/otzyv", data={"page": page, "answer": answer, **extra}, headers=headers)


def share(client, channel, page=GUIDE, headers=SAME_ORIGIN, **extra):
    """What Chromium sends for <a ping>: a POST with the body PING and Content-Type text/ping."""
    query = {"page": page, "channel": channel, **extra}
    return client.post("/share", query_string=query, data="PING", content_type="text/ping", headers=headers)


def comment_token(location):
    return parse_qs(urlsplit(location).query)["t"][0]


# ---------------------------------------------------------------- what the guide page shows

def test_every_guide_has_the_useful_question_and_the_share_block(page):
    guide = page(GUIDE)
    form = guide.soup.select_one("section.feedback form")
    assert form["action"] == "/otzyv" and form["method"] == "post"
    assert form.select_one("input[name=page]")["value"] == GUIDE
    assert [(b["name"], b["value"], b.get_text(strip=True)) for b in form.find_all("button")] == \
        [("answer", "yes", "Да"), ("answer", "no", "Нет")]
    assert guide.soup.select_one("#useful-title").get_text(strip=True) == "Была ли эта страница полезной?"
    assert guide.soup.select_one("#share-title").get_text(strip=True) == "Посоветовать другу"
    assert not guide.soup.find("input", attrs={"name": "csrf_token"}), "the widgets carry no token"
    assert guide.soup.find("script", src=lambda s: s and s.startswith("/static/feedback.js"))


def test_home_page_has_the_share_block_with_its_canonical_url(page):
    home = page("/")
    assert home.soup.select_one("#share-url")["value"] == "http://localhost/"
    assert home.soup.select_one("#share-url").has_attr("readonly")


@pytest.mark.parametrize("url", [GUIDE, "/", "/en/posobie/kto-poluchaet", STEP_GUIDE])
def test_share_links_carry_only_the_canonical_url_with_no_query_string(page, url):
    rendered = page(url)
    canonical = "http://localhost" + url
    links = rendered.soup.select(".share-links a[ping]")
    labels = ["VK", "Telegram", "WhatsApp", "MAX", "SMS"] if url.startswith("/en/") else \
        ["ВКонтакте", "Telegram", "WhatsApp", "MAX", "СМС"]
    assert [link.get_text(strip=True) for link in links] == labels
    for link, (channel, target) in zip(links, SHARE_TARGETS.items(), strict=True):
        href = link["href"]
        assert href.startswith(target.split("{url}")[0])
        values = [v for vs in parse_qs(urlsplit(href).query).values() for v in vs]
        assert values == [canonical], href
        assert urlsplit(values[0]).query == "" and urlsplit(values[0]).fragment == ""
        assert link["rel"] == ["noopener", "noreferrer"]
        ping = urlsplit(link["ping"])
        assert ping.path == "/share" and parse_qs(ping.query) == {"page": [url], "channel": [channel]}
    assert rendered.soup.select_one("#share-url")["value"] == canonical


def test_the_qr_code_is_not_loaded_on_the_guide_page(page):
    guide = page(GUIDE)
    assert not guide.soup.find("img", src=lambda s: s and "qr.svg" in s)
    qr_link = urlsplit(guide.soup.select_one(".share-links a[href^='/qr?']")["href"])
    assert (qr_link.path, parse_qs(qr_link.query)) == ("/qr", {"page": [GUIDE]})


@pytest.mark.parametrize("url", [GUIDE, STEP_GUIDE, "/posobie/kak-vstat-na-uchet", "/en" + STEP_GUIDE])
def test_guide_pages_ask_only_whether_the_page_was_useful_not_the_0_to_10_question(page, url):
    # The 0–10 question goes to people the centre served (/opros/<token>), not to readers of a guide.
    rendered = page(url)
    assert rendered.soup.select_one("section.feedback form")["action"].endswith("/otzyv")
    assert rendered.soup.select_one("section.loyalty") is None
    assert not rendered.soup.find("input", attrs={"name": "score"})
    assert not rendered.soup.find("form", action=lambda a: a and ("ocenka" in a or "opros" in a))
    assert "Посоветуете ли вы центр" not in rendered.text() and "Насколько вероятно" not in rendered.text()


def test_the_old_0_to_10_endpoint_stores_nothing_and_answers_kindly(client, app):
    # A guide page kept in a browser's cache may still post the old form.
    response = client.post("/ocenka", data={"asked_on": STEP_GUIDE, "score": "9"}, headers=SAME_ORIGIN)
    rendered = checked_page(response, 410)
    assert "только после обращения в центр" in rendered.text()
    assert "Set-Cookie" not in response.headers
    assert rows(app, ServiceAnswer) == []


# ---------------------------------------------------------------- «полезна ли страница» with JavaScript off

def test_yes_without_javascript_posts_redirects_and_thanks(client, app):
    response = vote(client, "yes")
    assert response.status_code == 303
    assert urlsplit(response.location).path == "/otzyv/spasibo"
    assert parse_qs(urlsplit(response.location).query) == {"page": [GUIDE]}
    thanks = Page(client.get(response.location)).check_invariants()
    assert thanks.soup.h1.get_text(strip=True) == "Спасибо!"
    assert "Ваш ответ учтён" in thanks.text()
    assert thanks.soup.select_one("main a.button")["href"] == GUIDE
    [row] = rows(app, PageFeedback)
    assert (row.page, row.useful, row.text) == (GUIDE, True, None)


def test_no_without_javascript_asks_what_was_missing_and_stores_the_comment_masked(client, app):
    response = vote(client, "no")
    assert response.status_code == 303 and response.location.startswith("/otzyv/chto-ne-tak?")
    followup = Page(client.get(response.location)).check_invariants()
    assert "Не пишите имя, телефон и другие личные данные" in followup.text()
    textarea = followup.soup.select_one("textarea[name=text]")
    assert textarea["maxlength"] == "500"
    fields = {i["name"]: i.get("value", "") for i in followup.soup.select("form input[type=hidden]")}
    sent = client.post("/otzyv/kommentariy", headers=SAME_ORIGIN,
                       data={**fields, "text": "Не понял про справку. Мой номер +7 912 345-67-89"})
    assert sent.status_code == 303 and "kind=comment" in sent.location
    [row] = rows(app, PageFeedback)
    assert row.useful is False
    assert row.text == f"Не понял про справку. Мой номер {PHONE_MASK}"


def test_a_comment_is_attached_once_and_never_overwrites(client, app):
    token = comment_token(vote(client, "no").location)
    for text in ["первый", "второй"]:
        client.post("/otzyv/kommentariy", data={"page": GUIDE, "t": token, "text": text}, headers=SAME_ORIGIN)
    assert [r.text for r in rows(app, PageFeedback)] == ["первый"]


def test_a_comment_with_a_bad_token_is_refused_kindly_and_the_text_is_kept(client, app):
    for token in ["", "garbage", "MQ.aaaa.bbbb"]:
        response = client.post("/otzyv/kommentariy", data={"page": GUIDE, "t": token, "text": "мой текст"},
                               headers=SAME_ORIGIN)
        assert response.status_code == 422
        rendered = Page(response).check_invariants()
        assert "комментарий добавить нельзя" in rendered.text()
        assert rendered.soup.select_one("textarea").get_text() == "мой текст"
    assert rows(app, PageFeedback) == []


def test_an_expired_comment_token_is_refused(client, app, monkeypatch):
    token = comment_token(vote(client, "no").location)
    app.config["FEEDBACK_COMMENT_WINDOW"] = -1
    response = client.post("/otzyv/kommentariy", data={"page": GUIDE, "t": token, "text": "поздно"},
                           headers=SAME_ORIGIN)
    assert response.status_code == 422
    assert [r.text for r in rows(app, PageFeedback)] == [None]


def test_a_too_long_comment_gets_a_russian_message_and_keeps_the_input(client, app):
    token = comment_token(vote(client, "no").location)
    text = "а" * 501
    response = client.post("/otzyv/kommentariy", data={"page": GUIDE, "t": token, "text": text},
                           headers=SAME_ORIGIN)
    assert response.status_code == 422
    rendered = Page(response).check_invariants()
    assert "Комментарий слишком длинный: 501 знак. Сократите его до 500." in rendered.text()
    assert rendered.soup.select_one("textarea").get_text() == text
    assert [r.text for r in rows(app, PageFeedback)] == [None]


def test_english_page_votes_keep_english_and_store_the_neutral_path(client, app):
    response = client.post("/en/otzyv", data={"page": "/en" + GUIDE, "answer": "yes"}, headers=SAME_ORIGIN)
    assert response.location.startswith("/en/otzyv/spasibo")
    assert Page(client.get(response.location)).soup.h1.get_text(strip=True) == "Thank you!"
    assert [r.page for r in rows(app, PageFeedback)] == [GUIDE]


# ---------------------------------------------------------------- with JavaScript: JSON answers in place

def test_with_javascript_yes_answers_in_place(client):
    response = vote(client, "yes", headers=JSON)
    assert response.status_code == 200 and response.mimetype == "application/json"
    fragment = BeautifulSoup(response.get_json()["html"], "html.parser")
    assert fragment.select_one("[tabindex='-1']").get_text(strip=True) == "Спасибо! Ваш ответ учтён."


def test_with_javascript_no_brings_the_comment_form_in_place(client, app):
    response = vote(client, "no", headers=JSON)
    fragment = BeautifulSoup(response.get_json()["html"], "html.parser")
    form = fragment.select_one("form[data-ajax]")
    assert form["action"] == "/otzyv/kommentariy"
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    sent = client.post("/otzyv/kommentariy", data={**fields, "text": "пишите на a.b@mail.ru"}, headers=JSON)
    assert "Мы прочитаем ваш комментарий" in sent.get_json()["html"]
    assert [r.text for r in rows(app, PageFeedback)] == ["пишите на [e-mail скрыт]"]


# ---------------------------------------------------------------- nothing about the visitor

def test_stored_rows_have_exactly_the_allowed_columns(app):
    with app.app_context():
        columns = {table: {c["name"] for c in inspect(db.engine).get_columns(table)}
                   for table in ("page_feedback", "share_count", "survey_invitation", "service_answer")}
        assert "loyalty_answer" not in inspect(db.engine).get_table_names()
    assert columns == {
        "page_feedback": {"id", "page", "useful", "text", "day"},
        "share_count": {"id", "page", "channel", "day", "count"},
        "survey_invitation": {"token_hash", "served_via", "month"},
        "service_answer": {"id", "score", "served_via", "month", "improve"},
    }


def test_stored_values_contain_nothing_about_the_visitor(app):
    client = app.test_client()
    client.set_cookie("canary_cookie", "cookie-canary-value")
    headers = {**SAME_ORIGIN, "User-Agent": CANARY_UA, "X-Forwarded-For": CANARY_IP,
               "Referer": "http://localhost/posobie/kto-poluchaet?from=ref-canary"}
    environ = {"REMOTE_ADDR": CANARY_IP}
    voted = client.post("/otzyv", data={"page": GUIDE, "answer": "no"}, headers=headers, environ_base=environ)
    token = comment_token(voted.location)
    client.post("/otzyv/kommentariy", data={"page": GUIDE, "t": token, "text": "мало примеров"},
                headers=headers, environ_base=environ)
    client.post("/share", query_string={"page": GUIDE, "channel": "vk"}, headers=headers,
                environ_base=environ)
    with app.app_context():
        dump = "\n".join(str(tuple(row)) for model in (PageFeedback, ShareCount)
                         for row in db.session.execute(select(*model.__table__.columns)))
    assert "мало примеров" in dump and "vk" in dump
    for canary in [CANARY_UA, "ua-canary", CANARY_IP, "cookie-canary", "ref-canary", "127.0.0.1",
                   "localhost"]:
        assert canary not in dump


def test_reading_and_voting_and_sharing_never_set_a_cookie(client):
    responses = [client.get(GUIDE), client.get("/"), client.get(STEP_GUIDE)]
    voted = vote(client, "no")
    responses += [voted, client.get(voted.location)]
    responses.append(client.post("/otzyv/kommentariy", headers=SAME_ORIGIN,
                                 data={"page": GUIDE, "t": comment_token(voted.location), "text": "ок"}))
    responses += [vote(client, "yes", headers=JSON), share(client, "telegram"),
                  client.get("/otzyv/spasibo?page=/posobie/kto-poluchaet"), client.get(f"/qr?page={GUIDE}"),
                  client.get(f"/qr.svg?page={GUIDE}"), client.get("/listovka"),
                  vote(client, "yes", headers={"Origin": "https://evil.example"})]
    for response in responses:
        assert "Set-Cookie" not in response.headers, response.request.path
    assert not client._cookies


# ---------------------------------------------------------------- same origin only

WIDGET_POSTS = {
    "vote": ("/otzyv", {"page": GUIDE, "answer": "yes"}),
    "comment": ("/otzyv/kommentariy", {"page": GUIDE, "t": "x", "text": "x"}),
    "survey": ("/opros/" + "a" * 22, {"score": "9"}),
    "loyalty_retired": ("/ocenka", {"asked_on": STEP_GUIDE, "score": "9"}),
    "share": ("/share?page=%2Fposobie%2Fkto-poluchaet&channel=vk", {}),
}
FOREIGN = {
    "evil origin": {"Origin": "https://evil.example"},
    "cross-site fetch": {"Sec-Fetch-Site": "cross-site"},
    "same-site subdomain": {"Sec-Fetch-Site": "same-site", "Origin": "http://localhost"},
    "typed into the address bar": {"Sec-Fetch-Site": "none"},
    "neither header": {},
    "null origin": {"Origin": "null"},
    "lookalike origin": {"Origin": "http://localhost.evil.example"},
}


@pytest.mark.parametrize("widget", sorted(WIDGET_POSTS))
def test_posts_from_other_sites_are_refused_with_403_and_store_nothing(client, app, widget):
    url, data = WIDGET_POSTS[widget]
    for how, headers in FOREIGN.items():
        response = client.post(url, data=data, headers=headers)
        assert response.status_code == 403, how
        assert "Set-Cookie" not in response.headers
    assert rows(app, PageFeedback) == rows(app, ShareCount) == rows(app, ServiceAnswer) == []


@pytest.mark.parametrize("origin", ["http://localhost", "https://rabota.example"])
def test_an_origin_equal_to_this_site_is_accepted_when_sec_fetch_site_is_missing(tmp_path, origin):
    app = make_app(tmp_path, SITE_URL="https://rabota.example")
    response = app.test_client().post("/otzyv", data={"page": GUIDE, "answer": "yes"},
                                      headers={"Origin": origin})
    assert response.status_code == 303
    assert len(rows(app, PageFeedback)) == 1


def test_the_widgets_are_the_only_csrf_exempt_views(app):
    # «Информация устарела» on the employer cards is the other cookieless, same-origin-only post.
    from portal.employers.views import CSRF_EXEMPT_VIEWS as EMPLOYER_EXEMPT

    assert csrf._exempt_views == {f"portal.feedback.views.{name}" for name in CSRF_EXEMPT_VIEWS} | {
        f"portal.employers.views.{name}" for name in EMPLOYER_EXEMPT}
    assert csrf._exempt_blueprints == set()
    exempt_endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                        if rule.endpoint.startswith("feedback.") and "POST" in rule.methods}
    assert exempt_endpoints == {f"feedback.{name}" for name in CSRF_EXEMPT_VIEWS}


def test_widget_endpoints_change_nothing_on_get(client, app):
    query = {"page": GUIDE, "answer": "yes", "channel": "vk", "score": "9"}
    for url in ["/otzyv", "/otzyv/kommentariy", "/share"]:
        assert client.get(url, query_string=query, headers=SAME_ORIGIN).status_code in {308, 404, 405}, url
    assert rows(app, PageFeedback) == rows(app, ShareCount) == rows(app, ServiceAnswer) == []


# ---------------------------------------------------------------- sharing

def test_each_share_channel_is_counted_per_page_channel_and_day(client, app):
    for channel in ["vk", "telegram", "whatsapp", "max", "sms", "copy"]:
        assert share(client, channel).status_code == 204
    assert share(client, "vk").status_code == 204
    assert share(client, "vk", page="/").status_code == 204
    counted = {(r.page, r.channel): r.count for r in rows(app, ShareCount)}
    assert counted == {(GUIDE, "vk"): 2, (GUIDE, "telegram"): 1, (GUIDE, "whatsapp"): 1, (GUIDE, "max"): 1,
                       (GUIDE, "sms"): 1, (GUIDE, "copy"): 1, ("/", "vk"): 1}
    assert len({r.day for r in rows(app, ShareCount)}) == 1


def test_a_share_from_the_copy_button_beacon_without_a_body_is_counted(client, app):
    response = client.post("/share?page=%2Fen%2F&channel=copy", headers=SAME_ORIGIN)
    assert response.status_code == 204
    assert [(r.page, r.channel) for r in rows(app, ShareCount)] == [("/", "copy")]


def test_the_share_endpoint_refuses_any_field_beyond_page_and_channel(client, app):
    for extra in [{"phone": "+79991234567"}, {"friend": "Вася"}, {"email": "a@b.ru"}, {"utm_source": "x"},
                  {"ref": "abc"}]:
        assert share(client, "vk", **extra).status_code == 400, extra
        form = client.post("/share", data={"page": GUIDE, "channel": "vk", **extra}, headers=SAME_ORIGIN)
        assert form.status_code == 400, extra
    assert rows(app, ShareCount) == []


def test_unknown_pages_and_channels_are_not_counted(client, app):
    for page, channel in [("/nope/nope", "vk"), ("https://evil.example/", "vk"), ("//evil.example", "vk"),
                          (GUIDE, "facebook"), (GUIDE, "")]:
        assert share(client, channel, page=page).status_code == 400, (page, channel)
    assert rows(app, ShareCount) == []


def test_other_widgets_refuse_extra_fields_too(client, app):
    assert vote(client, "yes", phone="+79991234567").status_code == 400
    assert client.post("/opros/" + "a" * 22, data={"score": "9", "name": "Иван"},
                       headers=SAME_ORIGIN).status_code == 400
    assert rows(app, PageFeedback) == rows(app, ServiceAnswer) == []


# ---------------------------------------------------------------- QR code

def test_qr_image_encodes_the_canonical_url_and_is_cached_long(client):
    response = client.get(f"/qr.svg?page={GUIDE}&v=1")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "public, max-age=31536000"
    expected = segno.make("http://localhost" + GUIDE, error="m", micro=False)
    body = response.get_data(as_text=True)
    assert f'viewBox="0 0 {expected.symbol_size(border=2)[0]} {expected.symbol_size(border=2)[1]}"' in body
    assert "<script" not in body


def test_qr_of_anything_but_a_known_local_page_is_404(client):
    assert client.get("/qr.svg").status_code == 404
    for page in ["/nope", "https://evil.example/", "//evil.example/x", "/posobie/../staff",
                 "/posobie/kto-poluchaet?x=1", "/" + "a" * 300]:
        assert client.get("/qr.svg", query_string={"page": page}).status_code == 404, page
        assert client.get("/qr", query_string={"page": page}).status_code == 404, page


def test_qr_page_without_a_page_shows_the_home_page_code(page):
    assert "http://localhost/" in page("/qr").text()
    assert "http://localhost/en/" in page("/en/qr").text()


def test_qr_page_shows_the_code_and_the_address(page):
    rendered = page(f"/qr?page={GUIDE}")
    assert rendered.soup.h1.get_text(strip=True) == "QR-код страницы"
    src = urlsplit(rendered.soup.select_one("img.qr-large")["src"])
    assert src.path == "/qr.svg" and parse_qs(src.query)["page"] == [GUIDE]
    assert "http://localhost/posobie/kto-poluchaet" in rendered.text()


# ---------------------------------------------------------------- abuse limits

def test_over_the_limit_a_visitor_gets_a_friendly_russian_429(tmp_path):
    app = make_app(tmp_path, FEEDBACK_RATE_LIMIT="3 per hour", CENTRE_PHONE="+7 (351) 000-00-00")
    client = app.test_client()
    codes = [vote(client, "yes").status_code for _ in range(4)]
    assert codes == [303, 303, 303, 429]
    refused = vote(client, "yes")
    rendered = Page(refused).check_invariants()
    assert rendered.soup.h1.get_text(strip=True) == "Слишком много ответов подряд"
    assert "+7 (351) 000-00-00" in rendered.text()
    assert "Traceback" not in rendered.html and "Set-Cookie" not in refused.headers
    assert vote(client, "yes", headers=JSON).get_json() == {"error": "rate"}
    assert len(rows(app, PageFeedback)) == 3


def test_each_widget_has_its_own_limit(tmp_path):
    app = make_app(tmp_path, FEEDBACK_RATE_LIMIT="2 per hour")
    client = app.test_client()
    assert [vote(client, "yes").status_code for _ in range(3)] == [303, 303, 429]
    assert share(client, "vk").status_code == 204


# ---------------------------------------------------------------- fuzz: never a 500

FIELD_NAMES = st.sampled_from(["page", "answer", "t", "text", "improve", "score", "channel", "x", "phone"])
VALUES = st.one_of(st.text(max_size=700), st.sampled_from([GUIDE, "/", STEP_GUIDE, "yes", "no", "9", "vk",
                                                           "/zayavka", "/en/", "//evil", "\x00", "٣"]))
FORMS = st.dictionaries(FIELD_NAMES, VALUES, max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(["/otzyv", "/en/otzyv", "/otzyv/kommentariy", "/opros/" + "a" * 22, "/share"]),
       form=FORMS,
       query=FORMS, as_json=st.booleans())
def test_fuzzed_widget_posts_never_give_a_500(roomy_client, url, form, query, as_json):
    response = roomy_client.post(url, data=form, query_string=query, headers=JSON if as_json else SAME_ORIGIN)
    assert response.status_code in {200, 204, 303, 400, 404, 422}, response.status_code
    assert "Set-Cookie" not in response.headers


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(["/qr", "/qr.svg", "/otzyv/spasibo", "/otzyv/chto-ne-tak", "/listovka"]),
       query=st.dictionaries(st.sampled_from(["page", "t", "kind", "g", "v"]), VALUES, max_size=4))
def test_fuzzed_widget_pages_never_give_a_500(roomy_client, url, query):
    assert roomy_client.get(url, query_string=query).status_code in {200, 404}


def test_feedback_script_is_small_and_keeps_nothing_in_the_browser():
    script = (ROOT / "portal" / "static" / "feedback.js").read_text()
    assert len(script.encode()) < 2048
    for forbidden in ["localStorage", "sessionStorage", "document.cookie", "indexedDB", "http://", "https://"]:
        assert forbidden not in script
