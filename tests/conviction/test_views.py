"""The «Судимость и работа» pages: one question per screen over GET, the answer page (short answer first,
details in <details>, sources grouped), privacy (nothing stored, logged or cached, no cookie), friendly
errors and a fuzz of every parameter."""
import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.conviction.questions import FIELDS
from tests.helpers.pages import Page

START = "/proverka-sudimosti"
ANSWER = "/proverka-sudimosti/otvet"
FULL = {"vid": "narkotiki", "tyazhest": "tyazhkoe", "vozrast": "18-i-starshe", "nakazanie": "lishenie-svobody",
        "zamena": "net", "data": "2020-03-15", "dop": "net", "do2013": "net"}


def _query(values):
    return "&".join(f"{k}={v}" for k, v in values.items())


def _submit(client, page, choice=None, **typed):
    """Submit the question form of `page` like a browser without JavaScript: hidden fields plus the answer."""
    form = page.soup.select_one("form.question")
    data = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    if choice is not None:
        data.append((form.select_one("input[type=radio]")["name"], choice))
    data += list(typed.items())
    return client.get(form["action"], query_string=data)


def test_first_question_is_one_question_with_progress_exit_back_and_how_to_clear_history(page):
    first = page(START)
    assert first.soup.h1.get_text(strip=True) == "Какое это было преступление?"
    assert "Вопрос 1 из 8" in first.text()
    exit_link = first.soup.select_one("main .exit-link")
    assert exit_link.get_text(strip=True) == "Выйти" and exit_link["href"] == "https://ya.ru/"
    assert {"noopener", "noreferrer"} <= set(exit_link["rel"])
    assert first.soup.select_one("main a.back-link")["href"] == "/sudimost/"
    assert first.soup.select_one("form.question")["method"] == "get"
    assert len(first.soup.select("input[type=radio][name=vid]")) == 8
    assert "глава 21" in first.text() and "глава 25" in first.text() and "глава 20" in first.text()
    intro = first.soup.select_one(".note").get_text(" ", strip=True)
    assert "Мы ничего не сохраняем" in intro and "Инкогнито" in intro
    assert "очистите историю" in intro and "«История»" in intro
    assert first.soup.find("meta", attrs={"name": "robots"}) is None  # the empty start page may be found
    assert first.soup.select_one("script[src*='conviction.js']")
    assert first.soup.select_one(".search-form") is None  # the first screen is for the question


def test_the_whole_prison_flow_works_through_get_forms_to_the_answer(client):
    response = client.get(START)
    steps = [("narkotiki", {}), ("tyazhkoe", {}), ("18-i-starshe", {}), ("lishenie-svobody", {}), ("net", {}),
             (None, {"data": "15.03.2020"}), ("net", {}), ("net", {})]
    for choice, typed in steps:
        page = Page(response).check_invariants()
        assert response.status_code == 200, page.soup.h1
        response = _submit(client, page, choice, **typed)
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == ANSWER
    assert {k: v[0] for k, v in parse_qs(location.query).items()} == FULL
    answer = Page(client.get(response.headers["Location"])).check_invariants()
    assert "Судимость погасится 15 марта 2028 года." in answer.text()


def test_the_suspended_flow_asks_for_the_verdict_and_the_length(client):
    response = client.get(f"{START}?vid=zhizn-zdorove&tyazhest=sredney&vozrast=18-i-starshe&shag=vozrast")
    page = Page(response).check_invariants()
    response = _submit(client, page, "uslovno")
    page = Page(response).check_invariants()
    assert page.soup.h1.get_text(strip=True) == "Когда огласили приговор?"
    response = _submit(client, page, prigovor="10.02.2025")
    page = Page(response).check_invariants()
    assert page.soup.h1.get_text(strip=True) == "Какой испытательный срок назначил суд?"
    assert "прибавьте продление" in page.text()
    assert {i["name"] for i in page.soup.select("form.question input[type=text]")} == {"srok_let", "srok_mes"}
    response = _submit(client, page, srok_let="2", srok_mes="")
    page = Page(response).check_invariants()
    assert page.soup.h1.get_text(strip=True) == "Суд назначил вам ещё и дополнительное наказание?"
    response = _submit(client, page, "net")
    answer = Page(client.get(response.headers["Location"])).check_invariants()
    text = answer.text()
    assert "Судимость погасится 10 февраля 2027 года." in text
    short = answer.soup.select_one(".short-answer").get_text(" ", strip=True)
    assert short.index("продлевали") < short.index("Судимость погасится")  # the condition comes first


def test_the_replacement_and_additional_questions_lead_to_the_later_day(client, page):
    step = page(f"{START}?vid=sobstvennost&tyazhest=sredney&vozrast=18-i-starshe&nakazanie=lishenie-svobody"
                "&shag=nakazanie")
    assert step.soup.h1.get_text(strip=True) == "Остаток срока вам заменили более мягким наказанием?"
    assert "УДО — это не замена" in step.text()
    step = Page(_submit(client, step, "da")).check_invariants()
    assert step.soup.h1.get_text(strip=True) == "Когда закончилось или закончится более мягкое наказание?"
    assert "а не день выхода из колонии" in step.text()
    step = Page(_submit(client, step, data="01.05.2024")).check_invariants()
    step = Page(_submit(client, step, "da")).check_invariants()
    assert step.soup.h1.get_text(strip=True) == "Когда закончилось или закончится дополнительное наказание?"
    response = _submit(client, step, dop_data="01.05.2025")
    answer = page(response.headers["Location"])
    text = answer.text()
    assert "Судимость погасится 1 мая 2028 года." in text
    assert "Срок считают с конца дополнительного наказания — 1 мая 2025 года" in text
    assert "Мы взяли самый долгий" in answer.soup.select_one(".short-answer").get_text()


def test_the_answer_opens_with_a_short_answer_then_details_in_disclosure_widgets(page):
    answer = page(f"{ANSWER}?{_query(FULL)}")
    main = answer.soup.select_one("main")
    assert answer.soup.h1.get_text(strip=True) == "Ваш ответ"
    assert answer.soup.title.get_text().startswith("Ваш ответ: судимость и работа")
    short = main.select_one(".short-answer")
    assert short.find_previous_sibling().name == "h1"  # nothing between the heading and the answer
    lines = [el.get_text(" ", strip=True) for el in short.select("p, li")]
    assert lines[1] == "Судимость погасится 15 марта 2028 года."
    assert "Закрыто и после погашения: работа с детьми, в школах, больницах и соцзащите." in lines
    assert "Закрыто до погашения: госслужба." in lines
    assert "Открыто: почти вся другая работа — завод, стройка, склад, доставка." in lines
    assert len(short.get_text(" ", strip=True).split()) < 90  # two or three sentences, not a document
    summaries = [d.summary.get_text(strip=True) for d in main.select("details.more")]
    assert summaries[:3] == ["Как мы посчитали дату", "Как снять судимость раньше",
                             "Какую работу закрывает закон: каждый запрет подробно"]
    assert all(not d.has_attr("open") for d in main.select("details.more"))
    assert main.select(".rule-card") and all(card.find_parent("details") for card in main.select(".rule-card"))


def test_the_answer_page_has_the_rule_the_bans_and_the_next_steps(app, page):
    answer = page(f"{ANSWER}?{_query(FULL)}")
    text = answer.text()
    assert "через 8 лет" in text and "УК РФ, ст. 86, ч. 3, п. «г»" in text
    assert "УК РФ, ст. 86, ч. 5" in text
    for article in ("ТК РФ, ст. 351.1", "ТК РФ, ст. 328.1", "№ 2487-1, ст. 11.1", "№ 79-ФЗ, ст. 16",
                    "ТК РФ, ст. 65", "ТК РФ, ст. 64"):
        assert article in text, article
    assert "главные запреты из закона, но не все" in text  # M3
    assert "Работодатель обязан ответить письменно в течение 7 рабочих дней" in text  # M4
    assert "Справка бесплатная" in text  # m1
    assert "ночные смены, вахта и поездки" in text  # H4
    links = {a["href"] for a in answer.soup.select("main a[href]")}
    guides = {"/rabota/gde-iskat", "/obuchenie/besplatnoe-obuchenie", "/sudimost/govorit-li-rabotodatelyu"}
    assert guides <= links
    if "employers.directory" in app.view_functions:  # the directory is linked only once it is installed
        with app.test_request_context():
            from flask import url_for
            assert url_for("employers.directory") in links
    assert answer.soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert "Проверено юристом центра: —" in text
    assert "Это общая информация, а не юридическая консультация." in text


def test_sources_are_grouped_at_the_end_with_official_texts_first(page):
    answer = page(f"{ANSWER}?{_query(FULL)}")
    sources = answer.soup.select_one("section.sources")
    assert sources is answer.soup.select("main section")[-1]
    groups = [h3.get_text(strip=True) for h3 in sources.select("h3")]
    assert groups == ["Тексты законов и решения судов", "Разъяснения государственных органов",
                      "Другие источники (официальных не нашли)"]
    first = sources.select_one("ol li a")
    assert first["href"].startswith("http://pravo.gov.ru/") and "noreferrer" in first["rel"]
    hosts = {urlsplit(a["href"]).netloc for a in sources.select("a")}
    assert not {h for h in hosts if h.endswith((".by", ".ua"))}
    assert "zoi.by" not in sources.get_text() and "РБК" not in sources.get_text()


def test_a_drug_conviction_closes_work_with_children_for_life(page):
    answer = page(f"{ANSWER}?{_query(FULL)}")
    card = answer.soup.select_one("#ban-deti").parent
    assert "Закрыто по закону для вашей судимости." in card.get_text()
    assert "запрет остаётся и после погашения" in card.get_text()
    assert "наркотики" in card.get_text()


def test_a_grave_theft_closes_work_with_children_until_expunged(page):
    values = {**FULL, "vid": "sobstvennost"}
    answer = page(f"{ANSWER}?{_query(values)}")
    card = answer.soup.select_one("#ban-deti").parent.get_text(" ", strip=True)
    assert "Закрыто, если: преступление было умышленным" in card
    assert "кражу по ч. 3 или 4 ст. 158" in card
    assert "погашение или снятие судимости снимает этот запрет" in card


def test_answer_never_says_only_no_every_closed_job_has_what_you_can_do(page):
    values = {**FULL, "vid": "obshchestvennaya-bezopasnost", "tyazhest": "osobo-tyazhkoe"}
    answer = page(f"{ANSWER}?{_query(values)}")
    cards = answer.soup.select(".rule-card[aria-labelledby^=ban-]:not([aria-labelledby=ban-court])")
    assert cards
    for card in cards:
        assert "Что можно:" in card.get_text(), card.h3.get_text()


def test_children_ban_survives_expungement_and_lifted_bans_are_listed_as_open_again(page):
    values = {"vid": "zhizn-zdorove", "tyazhest": "nebolshoy", "vozrast": "18-i-starshe", "nakazanie": "drugoe",
              "data": "2015-01-01", "dop": "net"}
    answer = page(f"{ANSWER}?{_query(values)}")
    short = answer.soup.select_one(".short-answer").get_text(" ", strip=True)
    assert "Судимость погашена: срок прошёл 1 января 2016 года." in short
    assert "Снова открыто, потому что судимость погашена: работа с оружием; госслужба." in short
    assert "Закрыто и после погашения: работа с детьми" in short


def test_a_crime_before_18_gets_its_own_exact_day(page):
    answer = page(f"{ANSWER}?vid=narkotiki&tyazhest=tyazhkoe&vozrast=do-18&nakazanie=lishenie-svobody"
                  "&zamena=net&data=2020-03-15&dop=net")
    text = answer.text()
    assert "Судимость погасится 15 марта 2023 года." in text or "Судимость погашена: срок прошёл 15 марта 2023" \
        in text
    assert "УК РФ, ст. 95, п. «в»" in text
    assert "Не позже" not in text


def test_not_knowing_gives_no_earlier_than_with_the_reason_above_it(page):
    answer = page(f"{ANSWER}?vid=sobstvennost&tyazhest=sredney&vozrast=18-i-starshe&nakazanie=lishenie-svobody"
                  "&zamena=ne-znayu&data=2025-03-01&dop=ne-znayu")
    short = answer.soup.select_one(".short-answer").get_text(" ", strip=True)
    assert "Судимость погасится не раньше 1 марта 2028 года." in short
    date_at = short.index("Судимость погасится")
    assert short.index("Если было дополнительное наказание") < date_at
    assert short.index("Если остаток срока заменяли") < date_at


def test_unknown_category_shows_a_date_for_each_category_and_says_why_there_is_no_one_day(page):
    answer = page(f"{ANSWER}?{_query({**FULL, 'tyazhest': 'ne-znayu', 'do2013': 'ne-znayu'})}")
    short = answer.soup.select_one(".short-answer")
    assert short.select_one(".result-date").get_text(" ", strip=True) == (
        "Судимость погасится между 15 марта 2023 года и 15 марта 2030 года.")
    assert "Один день назвать нельзя: дата зависит от категории и даты преступления." in short.select_one(
        ".scope").get_text(" ", strip=True)
    rows = [tr.get_text(" ", strip=True) for tr in answer.soup.select("table.dates tbody tr")]
    assert rows[0] == "Небольшой тяжести 15 марта 2023"
    assert "Тяжкое, совершено до 3 августа 2013 года 15 марта 2026" in rows
    assert "Особо тяжкое, совершено 3 августа 2013 года или позже 15 марта 2030" in rows


def test_the_2013_question_is_skipped_when_it_cannot_matter(page):
    step = page(f"{START}?vid=sobstvennost&tyazhest=sredney&vozrast=18-i-starshe&nakazanie=lishenie-svobody"
                "&zamena=net&shag=zamena")
    assert "Вопрос 6 из 7" in step.text()
    assert step.soup.h1.get_text(strip=True) == "Когда вы вышли на свободу?"


def test_the_category_question_explains_article_15_behind_a_disclosure(page):
    step = page(f"{START}?vid=narkotiki&shag=vid")
    details = step.soup.select_one("details.more")
    assert details.summary.get_text(strip=True) == "Как узнать категорию"
    assert "до 3 лет — небольшой тяжести" in details.get_text() and "УК РФ, ст. 15" in details.get_text()


def test_empty_answer_gets_a_friendly_message_and_keeps_the_earlier_answers(page):
    step = page(f"{START}?vid=narkotiki&shag=tyazhest", status=422)
    assert step.soup.h1.get_text(strip=True) == "К какой категории относится преступление?"
    assert step.soup.select_one(".error-summary a").get_text(strip=True) == "Выберите один ответ."
    assert step.soup.select_one(".error-summary a")["href"] == "#tyazhest-1"
    assert step.soup.select_one("input[type=hidden][name=vid]")["value"] == "narkotiki"


def test_mistyped_date_is_shown_back_with_a_message(page):
    step = page(f"{START}?vid=drugoe&tyazhest=sredney&vozrast=18-i-starshe&nakazanie=drugoe&data=31.02.2024"
                "&shag=data", status=422)
    field = step.soup.select_one("#data")
    assert field["type"] == "text" and field["value"] == "31.02.2024" and field["aria-invalid"] == "true"
    assert "Введите дату: день, месяц и год, например 15.03.2024." in step.text()
    assert "data-error" in field["aria-describedby"]


def test_a_wrong_probation_period_is_kept_and_explained(page):
    step = page(f"{START}?vid=drugoe&tyazhest=sredney&vozrast=18-i-starshe&nakazanie=uslovno&prigovor=2024-01-01"
                "&srok_let=9&srok_mes=&shag=srok", status=422)
    assert step.soup.select_one("#srok_let")["value"] == "9"
    assert "от 6 месяцев до 5 лет, с продлением — до 6 лет" in step.text()
    assert step.soup.select_one(".error-summary a")["href"] == "#srok_let"


def test_date_field_has_a_label_a_hint_and_takes_typed_digits(page):
    step = page(f"{START}?vid=drugoe&tyazhest=sredney&vozrast=18-i-starshe&nakazanie=uslovno&shag=nakazanie")
    field = step.soup.select_one("#prigovor")
    assert field["type"] == "text" and field["inputmode"] == "numeric"
    assert step.soup.select_one("label[for=prigovor]").get_text(strip=True) == "Когда огласили приговор?"
    assert "prigovor-hint" in field["aria-describedby"]


def test_back_link_returns_to_the_previous_question_with_the_answer_selected(page):
    step = page(f"{START}?vid=narkotiki&tyazhest=sredney&shag=tyazhest")
    previous = page(step.soup.select_one("main a.back-link")["href"])
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
            f"{START}?srok_let={canary}&shag=srok", f"/en{ANSWER}?{_query(FULL)}"]
    for url in urls:
        assert client.get(url).status_code in (200, 303, 422)
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in (canary, "narkotiki", "2020-03-15", "vid=", "shag=", "?"):
        assert secret not in logged, secret
    area_loggers = (app.logger.name, "portal.conviction.rules", "portal.conviction.views")
    assert not [r for r in caplog.records if r.name in area_loggers]


def test_english_interface_shows_the_russian_rules_marked_as_russian(page):
    answer = page(f"/en{ANSWER}?{_query(FULL)}")
    assert answer.soup.html["lang"] == "en"
    assert answer.soup.h1.get_text(strip=True) == "Your answer"
    assert answer.soup.select_one("#ban-deti")["lang"] == "ru"
    assert "The conviction will be expunged on 15 March 2028." in answer.text()


def test_sudimost_section_links_to_the_check_and_other_sections_do_not(page):
    assert page("/sudimost/").soup.select_one(f"main a[href='{START}']")
    assert page("/posobie/").soup.select_one(f"main a[href='{START}']") is None


def test_the_obligations_guide_is_linked_once_the_library_has_it(app, page):
    from portal.guides.content import get_library
    with app.app_context():
        library = get_library()
        rules = app.extensions["conviction_rules"]
        present = [k for k in rules.guides["obligations"] if k in library.guides]
    answer = page(f"{ANSWER}?{_query(FULL)}")
    item = [li for li in answer.soup.select("#next-title + ol li") if "ночные смены" in li.get_text()][0]
    if present:
        section, slug = present[0].split("/")
        assert item.select_one(f"a[href='/{section}/{slug}']")
    else:
        assert "инспектора УИИ" in item.get_text()


def test_lawyer_review_date_shows_once_the_centre_fills_it(tmp_path):
    import yaml

    from tests.helpers.app import ROOT, make_app
    data = yaml.safe_load((ROOT / "portal" / "content" / "conviction.yaml").read_text(encoding="utf-8"))
    data["reviewed_by_lawyer"] = "2026-11-20"
    rules = tmp_path / "conviction.yaml"
    rules.write_text(yaml.safe_dump(data, allow_unicode=True).replace("'2026-11-20'", "2026-11-20"),
                     encoding="utf-8")
    app = make_app(tmp_path, CONVICTION_RULES_FILE=str(rules))
    answer = Page(app.test_client().get(f"{ANSWER}?{_query(FULL)}")).check_invariants()
    assert "Проверено юристом центра: 20 ноября 2026" in answer.text()


TEXT = st.one_of(st.text(max_size=60), st.sampled_from(["", "da", "net", "ne-znayu", "2020-02-29", "29.02.2021",
                                                        "lishenie-svobody", "uslovno", "do-18", "%00", "12",
                                                        "9999-12-31"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from([*FIELDS, "shag", "vopros", "x"]), TEXT, max_size=12),
       target=st.sampled_from([START, ANSWER, f"/en{START}"]))
def test_any_query_gets_a_page_or_a_redirect_never_a_500(client, values, target):
    response = client.get(target, query_string=values)
    assert response.status_code in (200, 303, 422)
    if response.status_code != 303:
        page = Page(response).check_invariants()
        assert page.soup.h1
        assert "Traceback" not in page.html


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(vid=st.sampled_from(["sobstvennost", "zhizn-zdorove", "narkotiki", "deti-polovye", "alimenty",
                            "obshchestvennaya-bezopasnost", "transport", "drugoe"]),
       tyazhest=st.sampled_from(["nebolshoy", "sredney", "tyazhkoe", "osobo-tyazhkoe", "ne-znayu"]),
       nakazanie=st.sampled_from(["lishenie-svobody", "uslovno", "drugoe"]),
       zamena=st.sampled_from(["da", "net", "ne-znayu"]), dop=st.sampled_from(["da", "net", "ne-znayu"]),
       day=st.dates(min_value=__import__("datetime").date(1950, 1, 1),
                    max_value=__import__("datetime").date(2026, 11, 1)),
       let=st.integers(0, 6), mes=st.integers(0, 11),
       vozrast=st.sampled_from(["do-18", "18-i-starshe"]), do2013=st.sampled_from(["da", "net", "ne-znayu"]))
def test_every_valid_combination_renders_an_answer_with_a_next_step(client, vid, tyazhest, nakazanie, zamena,
                                                                     dop, day, let, mes, vozrast, do2013):
    if not 6 <= let * 12 + mes <= 72:
        let, mes = 1, 0
    query = dict(vid=vid, tyazhest=tyazhest, nakazanie=nakazanie, zamena=zamena, data=day.isoformat(),
                 prigovor=day.isoformat(), srok_let=let, srok_mes=mes, dop=dop, dop_data=day.isoformat(),
                 vozrast=vozrast, do2013=do2013)
    response = client.get(ANSWER, query_string=query, follow_redirects=True)
    assert response.status_code == 200
    page = Page(response).check_invariants()
    text = page.text()
    assert page.soup.h1.get_text(strip=True) == "Ваш ответ"
    assert "Открыто: почти вся другая работа" in text and "Что сделать сейчас" in text
    assert re.match(r"Судимость (погасится|погашена)", page.soup.select_one(".short-answer .result-date").get_text())
