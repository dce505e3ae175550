"""The «Судимость и работа» pages: one question per screen over GET, the answer page, privacy (nothing stored,
logged or cached, no cookie), friendly errors and a fuzz of every parameter."""
import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.conviction import FIELDS
from tests.conftest import Page

START = "/proverka-sudimosti"
ANSWER = "/proverka-sudimosti/otvet"
FULL = {"vid": "narkotiki", "tyazhest": "tyazhkoe", "nakazanie": "lishenie-svobody", "data": "2020-03-15",
        "vozrast": "18-i-starshe", "do2013": "net"}


def _query(values):
    return "&".join(f"{k}={v}" for k, v in values.items())


def _submit(client, page, choice=None, date=None):
    """Submit the question form of `page` like a browser without JavaScript: hidden fields plus one answer."""
    form = page.soup.select_one("form.question")
    data = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    if choice is not None:
        data.append((form.select_one("input[type=radio]")["name"], choice))
    if date is not None:
        data.append(("data", date))
    return client.get(form["action"], query_string=data)


def test_first_question_is_one_question_with_progress_exit_and_back(page):
    first = page(START)
    assert first.soup.h1.get_text(strip=True) == "Какое это было преступление?"
    assert "Вопрос 1 из 6" in first.text()
    exit_link = first.soup.select_one("main .exit-link")
    assert exit_link.get_text(strip=True) == "Выйти" and exit_link["href"] == "https://ya.ru/"
    assert {"noopener", "noreferrer"} <= set(exit_link["rel"])
    assert first.soup.select_one("main a.back-link")["href"] == "/sudimost/"
    assert first.soup.select_one("form.question")["method"] == "get"
    assert len(first.soup.select("input[type=radio][name=vid]")) == 7
    assert "глава 21" in first.text()  # the Criminal Code chapter behind «against property»
    assert "Мы ничего не сохраняем" in first.text()
    assert first.soup.find("meta", attrs={"name": "robots"}) is None  # the empty start page may be found


def test_the_whole_flow_works_through_get_forms_to_the_answer(client):
    response = client.get(START)
    steps = [("narkotiki", None), ("tyazhkoe", None), ("lishenie-svobody", None), (None, "15.03.2020"),
             ("18-i-starshe", None), ("net", None)]
    for choice, date in steps:
        page = Page(response).check_invariants()
        assert response.status_code == 200
        response = _submit(client, page, choice, date)
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == ANSWER
    assert {k: v[0] for k, v in parse_qs(location.query).items()} == FULL
    answer = Page(client.get(response.headers["Location"])).check_invariants()
    assert "Судимость погасится 15 марта 2028 года." in answer.text()


def test_answer_page_has_the_date_the_rule_the_bans_and_the_next_steps(app, page):
    answer = page(f"{ANSWER}?{_query(FULL)}")
    text = answer.text()
    assert answer.soup.h1.get_text(strip=True) == "Ваш ответ: судимость и работа"
    assert "Судимость погасится 15 марта 2028 года." in text
    assert "через 8 лет после освобождения" in text and "УК РФ, ст. 86, ч. 3" in text
    assert "УК РФ, ст. 86, ч. 5" in text  # how a court can remove it earlier
    for article in ("ТК РФ, ст. 351.1", "ТК РФ, ст. 331", "ТК РФ, ст. 328.1", "№ 2487-1, ст. 11.1",
                    "№ 79-ФЗ, ст. 16", "ТК РФ, ст. 65", "ТК РФ, ст. 64"):
        assert article in text, article
    assert "Точно не знаем, закрыто ли это для вас." in text  # drugs: the chapter is not in the facts
    assert "уточните у юриста центра занятости или в бесплатной юридической помощи" in text
    links = {a["href"] for a in answer.soup.select("main a[href]")}
    guides = {"/rabota/gde-iskat", "/obuchenie/besplatnoe-obuchenie", "/sudimost/govorit-li-rabotodatelyu"}
    assert guides <= links
    if "employers.directory" in app.view_functions:  # the directory is linked only once it is installed
        with app.test_request_context():
            from flask import url_for
            assert url_for("employers.directory") in links
    assert "Коротко: большая часть работы для вас открыта." in text
    assert answer.soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert "Проверено юристом центра: —" in text
    assert "Это общая информация, а не юридическая консультация." in text
    assert len(answer.soup.select(".sources li a[rel~=noreferrer]")) >= 10


def test_answer_never_says_only_no_every_closed_job_has_what_you_can_do(page):
    values = {**FULL, "vid": "obshchestvennaya-bezopasnost", "tyazhest": "osobo-tyazhkoe"}
    answer = page(f"{ANSWER}?{_query(values)}")
    cards = answer.soup.select(".rule-card")
    assert cards
    for card in cards:
        assert "Что можно:" in card.get_text(), card.h3.get_text()
    assert answer.soup.select_one("#open-title").get_text(strip=True) == "Что открыто"


def test_children_ban_survives_expungement_and_lifted_bans_are_listed_as_open_now(page):
    values = {"vid": "zhizn-zdorove", "tyazhest": "nebolshoy", "nakazanie": "drugoe", "data": "2015-01-01",
              "vozrast": "18-i-starshe"}
    answer = page(f"{ANSWER}?{_query(values)}")
    text = answer.text()
    assert "Срок прошёл 1 января 2016 года: судимость погашена." in text
    assert "запрет остаётся и после погашения" in answer.soup.select_one("#ban-deti").parent.get_text()
    lifted = answer.soup.select_one("#lifted-title").parent.get_text()
    assert "Государственная гражданская служба" in lifted


def test_minor_gets_no_exact_date_but_the_latest_and_a_next_step(page):
    answer = page(f"{ANSWER}?{_query({**FULL, 'vozrast': 'do-18'})}")
    text = answer.text()
    assert "Не позже 15 марта 2028 года." in text
    assert "УК РФ, ст. 95" in text and "Точных сроков по ст. 95" in text
    assert "Судимость погасится" not in text


def test_unknown_category_shows_a_date_for_each_category(page):
    answer = page(f"{ANSWER}?{_query({**FULL, 'tyazhest': 'ne-znayu', 'do2013': 'ne-znayu'})}")
    rows = [tr.get_text(" ", strip=True) for tr in answer.soup.select("table.dates tbody tr")]
    assert rows[0] == "Небольшой тяжести 15 марта 2023"
    assert "Тяжкое, совершено до 3 августа 2013 года 15 марта 2026" in rows
    assert "Особо тяжкое, совершено 3 августа 2013 года или позже 15 марта 2030" in rows


def test_the_2013_question_is_skipped_when_it_cannot_matter(page):
    step = page(f"{START}?vid=sobstvennost&tyazhest=sredney&nakazanie=lishenie-svobody&shag=nakazanie")
    assert "Вопрос 4 из 5" in step.text()
    assert step.soup.h1.get_text(strip=True) == "Когда вы вышли на свободу?"


def test_empty_answer_gets_a_friendly_message_and_keeps_the_earlier_answers(page):
    step = page(f"{START}?vid=narkotiki&shag=tyazhest", status=422)
    assert step.soup.h1.get_text(strip=True) == "К какой категории относится преступление?"
    assert step.soup.select_one(".error-summary a").get_text(strip=True) == "Выберите один ответ."
    assert step.soup.select_one(".error-summary a")["href"] == "#tyazhest-1"
    assert step.soup.select_one("input[type=hidden][name=vid]")["value"] == "narkotiki"


def test_mistyped_date_is_shown_back_in_a_text_field_with_a_message(page):
    step = page(f"{START}?vid=drugoe&tyazhest=sredney&nakazanie=uslovno&data=31.02.2024&shag=data",
                status=422)
    field = step.soup.select_one("#data")
    assert field["type"] == "text" and field["value"] == "31.02.2024"
    assert "Введите дату: день, месяц и год, например 15.03.2024." in step.text()
    assert "data-error" in field["aria-describedby"]


def test_date_picker_field_has_a_label_hint_and_limits(page):
    step = page(f"{START}?vid=drugoe&tyazhest=sredney&nakazanie=uslovno&shag=nakazanie")
    field = step.soup.select_one("#data")
    assert field["type"] == "date" and field["min"] == "1950-01-01"
    label = step.soup.select_one("label[for=data]").get_text(strip=True)
    assert label == "Когда кончается испытательный срок?"


def test_back_link_returns_to_the_previous_question_with_the_answer_selected(client, page):
    step = page(f"{START}?vid=narkotiki&tyazhest=sredney&shag=tyazhest")
    back = step.soup.select_one("main a.back-link")["href"]
    previous = page(back)
    assert previous.soup.h1.get_text(strip=True) == "К какой категории относится преступление?"
    assert previous.soup.select_one("input[value=sredney]").has_attr("checked")


def test_incomplete_answer_url_goes_back_to_the_questions(client):
    response = client.get(f"{ANSWER}?vid=narkotiki&data=zzz")
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == START and parse_qs(location.query) == {"vid": ["narkotiki"], "data": ["zzz"]}


@pytest.mark.parametrize("url", [START, f"{START}?vid=narkotiki&shag=vid", f"{ANSWER}?{_query(FULL)}",
                                 f"{ANSWER}?vid=x", f"/en{START}", f"/en{ANSWER}?{_query(FULL)}"])
def test_pages_are_never_cached_and_set_no_cookie(client, url):
    response = client.get(url)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_answers_and_query_strings_never_reach_any_log(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    canary = "канарейка-7342"
    urls = [f"{START}?vid={canary}&shag=vid",
            f"{START}?vid=narkotiki&tyazhest=sredney&data={canary}&shag=data",
            f"{ANSWER}?{_query(FULL)}&note={canary}", f"{ANSWER}?vid=narkotiki&do2013={canary}",
            f"/en{ANSWER}?{_query(FULL)}"]
    for url in urls:
        assert client.get(url).status_code in (200, 303, 422)
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in (canary, "narkotiki", "2020-03-15", "vid=", "shag=", "?"):
        assert secret not in logged, secret
    assert not [r for r in caplog.records if r.name in (app.logger.name, "portal.conviction", "portal.views")]


def test_english_interface_shows_the_russian_rules_marked_as_russian(page):
    answer = page(f"/en{ANSWER}?{_query(FULL)}")
    assert answer.soup.html["lang"] == "en"
    assert answer.soup.h1.get_text(strip=True) == "Your answer: criminal record and work"
    assert answer.soup.select_one("#ban-deti")["lang"] == "ru"


def test_sudimost_section_links_to_the_check_and_other_sections_do_not(page):
    assert page("/sudimost/").soup.select_one(f"main a[href='{START}']")
    assert page("/posobie/").soup.select_one(f"main a[href='{START}']") is None


def test_lawyer_review_date_shows_once_the_centre_fills_it(tmp_path):
    import yaml

    from tests.conftest import ROOT, make_app
    data = yaml.safe_load((ROOT / "portal" / "content" / "conviction.yaml").read_text(encoding="utf-8"))
    data["reviewed_by_lawyer"] = "2026-11-20"
    rules = tmp_path / "conviction.yaml"
    rules.write_text(yaml.safe_dump(data, allow_unicode=True).replace("'2026-11-20'", "2026-11-20"),
                     encoding="utf-8")
    app = make_app(tmp_path, CONVICTION_RULES_FILE=str(rules))
    answer = Page(app.test_client().get(f"{ANSWER}?{_query(FULL)}")).check_invariants()
    assert "Проверено юристом центра: 20 ноября 2026" in answer.text()


TEXT = st.one_of(st.text(max_size=60), st.sampled_from(["", "da", "ne-znayu", "2020-02-29", "29.02.2021",
                                                        "lishenie-svobody", "do-18", "%00", "9999-12-31"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from([*FIELDS, "shag", "vopros", "x"]), TEXT, max_size=9),
       target=st.sampled_from([START, ANSWER, f"/en{START}"]))
def test_any_query_gets_a_page_or_a_redirect_never_a_500(client, values, target):
    response = client.get(target, query_string=values)
    assert response.status_code in (200, 303, 422)
    if response.status_code != 303:
        page = Page(response).check_invariants()
        assert page.soup.h1
        assert "Traceback" not in page.html


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(vid=st.sampled_from(["sobstvennost", "zhizn-zdorove", "narkotiki", "deti-polovye",
                            "obshchestvennaya-bezopasnost", "transport", "drugoe"]),
       tyazhest=st.sampled_from(["nebolshoy", "sredney", "tyazhkoe", "osobo-tyazhkoe", "ne-znayu"]),
       nakazanie=st.sampled_from(["lishenie-svobody", "uslovno", "drugoe"]),
       data=st.dates(min_value=__import__("datetime").date(1950, 1, 1),
                     max_value=__import__("datetime").date(2050, 12, 31)),
       vozrast=st.sampled_from(["do-18", "18-i-starshe"]), do2013=st.sampled_from(["da", "net", "ne-znayu"]))
def test_every_valid_combination_renders_an_answer_with_a_next_step(client, vid, tyazhest, nakazanie, data,
                                                                     vozrast, do2013):
    query = dict(vid=vid, tyazhest=tyazhest, nakazanie=nakazanie, data=data.isoformat(), vozrast=vozrast,
                 do2013=do2013)
    response = client.get(ANSWER, query_string=query, follow_redirects=True)
    assert response.status_code == 200
    page = Page(response).check_invariants()
    text = page.text()
    assert page.soup.h1.get_text(strip=True) == "Ваш ответ: судимость и работа"
    assert "Что открыто" in text and "Что сделать сейчас" in text
    assert re.search(r"(погасится|Не позже|Срок прошёл|Дата зависит)", text)
