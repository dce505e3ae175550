"""«Мой план» pages: one question per screen through real GET forms, the plan, the benefit check, bad
addresses, no cookies, and the page invariants on every page type."""
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.guides.content import load_library
from portal.plan.loading import load_rules
from portal.plan.rules import RULES_FILE, build_plan
from tests.helpers.app import ROOT
from tests.helpers.pages import EXPECTED, Page
from tests.helpers.plan import MUST_SHOW, MUST_SHOW_URL

LIBRARY = load_library(ROOT / "portal" / "content")
RULES = load_rules(ROOT / "portal" / "content" / RULES_FILE, LIBRARY.guides)
BENEFIT_YES = {"released": "recent", "citizen": "russian", "blockers": "clear", "worked": "little",
               "passport": "have", "housing": "registered"}


def _no_cookie(response):
    assert "Set-Cookie" not in response.headers, response.headers.get("Set-Cookie")
    return response


def _submit(client, page, choice):
    """Send the question form as a browser does: its hidden fields plus the chosen radio (or none)."""
    form = page.soup.select_one("main form")
    fields = [(i["name"], i.get("value", "")) for i in form.select("input[type=hidden]")]
    if choice is not None:
        fields.append((form.select_one("input[type=radio]")["name"], choice))
    return _no_cookie(client.get(form["action"] + "?" + urlencode(fields)))


def _walk(client, answers, flow_start="/plan"):
    """Answer every question through the forms; return (the final page, the progress lines seen)."""
    page = Page(_no_cookie(client.get(flow_start))).check_invariants()
    progress = []
    for _ in range(12):
        if not page.soup.select_one("main form input[type=radio]"):
            return page, progress
        progress.append(page.soup.select_one(".progress").get_text(" ", strip=True))
        name = page.soup.select_one("main form input[type=radio]")["name"]
        response = _submit(client, page, answers[name])
        assert response.status_code == 200, response.status_code
        page = Page(response).check_invariants()
    raise AssertionError("the questionnaire never ended")


def _steps(page):
    return [re.sub(r"\s+", " ", h.get_text(" ", strip=True))
            for h in page.soup.select(".plan-step .step-title")]


def test_home_page_offers_the_plan_in_six_questions(page):
    home = page("/")
    link = home.soup.select_one(".start-plan a")
    assert link["href"] == "/plan" and link.get_text(strip=True) == "Составить план — 7 вопросов"


def test_the_whole_questionnaire_works_through_plain_get_forms_and_sets_no_cookie(client):
    final, progress = _walk(client, MUST_SHOW)
    assert progress == [f"Мой план. Вопрос {n} из 7" for n in range(1, 8)]
    assert final.soup.h1.get_text(strip=True) == "Ваш план по шагам"
    assert final.soup.select_one('link[rel="canonical"]')["href"] == "http://localhost" + MUST_SHOW_URL
    assert client.get_cookie("session") is None


def test_must_show_plan_starts_with_documents_and_housing_and_includes_the_centre(page):
    plan = page(MUST_SHOW_URL)
    steps = _steps(plan)
    assert steps[0] == "Шаг 1 Попросите сделать паспорт до выхода"
    assert steps[2] == "Шаг 3 Скажите, что вам негде жить"
    assert "Встаньте на учёт в центре занятости" in " ".join(steps)
    assert [h.get_text(strip=True) for h in plan.soup.select(".stage-title")] == [
        "Пока вы ещё в колонии", "После выхода на свободу"]
    assert "Это общая информация. С вашим случаем поможет центр занятости." in plan.text()
    assert "1 863 ₽" in plan.text() and "2026" in plan.text()


def test_the_same_address_gives_the_same_plan_and_shuffled_answers_the_same_canonical_link(page):
    first, again = page(MUST_SHOW_URL), page(MUST_SHOW_URL)
    assert _steps(first) == _steps(again) and _steps(first)
    shuffled = page("/plan/itog?" + urlencode(dict(reversed(list(MUST_SHOW.items())))) + "&utm_source=vk")
    assert _steps(shuffled) == _steps(first)
    canonical = shuffled.soup.select_one('link[rel="canonical"]')["href"]
    assert canonical == "http://localhost" + MUST_SHOW_URL
    assert shuffled.soup.select_one('meta[property="og:url"]')["content"] == canonical


def test_every_step_says_what_to_do_and_links_to_its_guide(page):
    plan = page(MUST_SHOW_URL)
    steps = build_plan(MUST_SHOW, RULES)
    items = plan.soup.select(".plan-step")
    assert len(items) == len(steps)
    for item, step in zip(items, steps, strict=True):
        assert item.select_one(".step-guide a")["href"] == f"/{step.rule.guide}"
        assert step.rule.do.ru.split(".")[0] in item.get_text(" ")
        if step.rule.where_guide:
            assert f"/{step.rule.where_guide}" in [a["href"] for a in item.select("a")]


def test_plan_links_to_the_application_form_with_the_help_needed_ticked(page):
    plan = page(MUST_SHOW_URL)
    link = plan.soup.select_one(".plan-actions a.button")
    assert link is not None, "the application form is installed, so the plan must link to it"
    parts = urlsplit(link["href"])
    assert parts.path == "/zayavka"
    assert [v for k, v in parse_qsl(parts.query) if k == "help"] == ["documents", "housing", "job", "benefit",
                                                                     "cv_interview"]


def test_share_links_carry_only_the_canonical_address(page):
    plan = page(MUST_SHOW_URL)
    canonical = plan.soup.select_one('link[rel="canonical"]')["href"]
    shares = [a["href"] for a in plan.soup.select(".plan-actions a")
              if "t.me" in a["href"] or "wa.me" in a["href"]]
    assert len(shares) == 2
    for href in shares:
        values = [v for _, v in parse_qsl(urlsplit(href).query)]
        assert values == [canonical]


def test_plan_pages_are_not_indexed_and_carry_the_security_headers(client):
    for url in (MUST_SHOW_URL, "/plan?released=soon", "/plan/posobie/itog?" + urlencode(BENEFIT_YES)):
        response = client.get(url)
        assert 'name="robots" content="noindex"' in response.get_data(as_text=True)
        for name, value in EXPECTED.items():
            assert response.headers.get(name) == value, (url, name)


def test_sending_a_question_without_an_answer_asks_it_again_with_a_message(client, page):
    first = page("/plan")
    question = Page(_submit(client, first, None)).check_invariants()
    assert question.soup.h1.get_text(strip=True) == "Вы уже вышли на свободу?"
    assert "Выберите один ответ, чтобы идти дальше." in question.soup.select_one(".error-message").get_text()
    assert question.soup.select_one(".error-summary a")["href"] == "#answer-soon"
    assert not question.soup.select("input[type=radio][checked]")


@pytest.mark.parametrize(("url", "h1", "message"), [
    ("/plan?released=zzz", "Вы уже вышли на свободу?", "Мы не поняли ответ в ссылке"),
    ("/plan?released=soon&passport=%3Cscript%3E&step=2", "У вас есть паспорт?", "Мы не поняли ответ"),
    ("/plan/itog?released=soon", "У вас есть паспорт?", "В ссылке не хватает ответов"),
    ("/plan/itog", "Вы уже вышли на свободу?", "В ссылке не хватает ответов"),
    ("/plan?released=soon&step=5", "У вас есть паспорт?", "Выберите один ответ"),
    ("/plan/posobie/itog?released=recent&citizen=maybe", "У вас гражданство России?", "Мы не поняли ответ"),
])
def test_a_bad_or_cut_address_asks_the_question_again_in_plain_russian(page, url, h1, message):
    asked = page(url)
    assert asked.soup.h1.get_text(strip=True) == h1
    assert message in asked.soup.select_one(".error-message").get_text()


@pytest.mark.parametrize("step", ["0", "7", "-1", "x", "1e3", "٣", " 2", "99999999999999999999"])
def test_a_strange_step_number_shows_the_first_unanswered_question(page, step):
    asked = page(f"/plan?released=soon&step={step}")
    assert asked.soup.h1.get_text(strip=True) == "У вас есть паспорт?"


def test_complete_answers_on_the_question_page_go_straight_to_the_plan(client):
    response = _no_cookie(client.get("/plan?" + urlencode(dict(reversed(list(MUST_SHOW.items()))))))
    assert response.status_code == 302 and response.headers["Location"] == MUST_SHOW_URL


def test_back_link_returns_to_the_previous_question_with_its_answer_kept(page):
    assert page("/plan").soup.select_one(".back-link")["href"] == "/"
    third = page("/plan?released=recent&passport=have&step=3")
    back = third.soup.select_one(".back-link")["href"]
    assert back == "/plan?step=2&released=recent&passport=have"
    second = page(back)
    assert second.soup.h1.get_text(strip=True) == "У вас есть паспорт?"
    assert second.soup.select_one("input[type=radio][checked]")["value"] == "have"


def test_change_links_reopen_each_question_with_the_plan_kept(page):
    plan = page(MUST_SHOW_URL)
    links = [a["href"] for a in plan.soup.select(".your-answers dd a")]
    assert len(links) == 7
    for number, href in enumerate(links, 1):
        reopened = page(href)
        assert f"Вопрос {number} из 7" in reopened.soup.select_one(".progress").get_text()
        assert reopened.soup.select_one("input[type=radio][checked]") is not None


def test_every_answer_appears_in_some_rendered_plan_and_every_link_on_it_resolves(client):
    """A covering set of real pages: each answer of each question at least once, all steps rendered."""
    base = {"released": "recent", "passport": "have", "housing": "registered", "benefit": "wanted",
            "goal": "job", "situation": "nothing"}
    urls = {"/plan/itog?" + urlencode({**base, q.id: code})
            for q in RULES.flow_questions("plan") for code in q.answers}
    urls |= {"/plan/itog?" + urlencode(a) for a in RULES.combinations("plan")
             if a["released"] in ("soon", "months") and a["passport"] == "missing" and a["goal"] != "job"}
    seen_steps, links = set(), set()
    for url in sorted(urls):
        rendered = Page(_no_cookie(client.get(url))).check_invariants()
        seen_steps |= {li["id"] for li in rendered.soup.select(".plan-step")}
        titles = {re.sub(r"^Шаг \d+ ", "", t) for t in _steps(rendered)}
        seen_steps |= {f"title:{t}" for t in titles}
        links |= {a["href"] for a in rendered.soup.select("main a[href^='/']")}
    all_titles = {f"title:{rule.title.ru}" for rule in RULES.steps}
    assert all_titles <= seen_steps
    broken = [href for href in sorted(links) if client.get(href).status_code not in (200, 302)]
    assert broken == []


def test_plan_links_to_the_benefit_check_with_the_shared_answers(page):
    plan = page(MUST_SHOW_URL)
    check = [a["href"] for a in plan.soup.select(".plan-step a") if a["href"].startswith("/plan/posobie")]
    assert check == ["/plan/posobie?released=soon&passport=missing&housing=no_place"]
    asked = page(check[0])
    assert asked.soup.h1.get_text(strip=True) == "У вас гражданство России?"
    progress = asked.soup.select_one(".progress").get_text(" ", strip=True)
    assert progress == "Проверка пособия. Вопрос 2 из 6"


def test_the_benefit_check_works_through_forms_and_says_yes_why_how_much_and_what_next(client):
    final, progress = _walk(client, BENEFIT_YES, "/plan/posobie")
    assert len(progress) == 6
    assert final.soup.h1.get_text(strip=True) == "Да, скорее всего, вы можете получить пособие"
    text = final.text()
    for expected in ("Почему", "Вы на свободе и вы гражданин России", "карту «Мир»", "Сколько и как долго", "1 863 ₽",
                     "15 886 ₽", "С 1 февраля 2026 года", "Что сделать дальше",
                     "Это общая информация. С вашим случаем поможет центр занятости."):
        assert expected in text, expected
    fact_links = [a["href"] for a in final.soup.select(".fact-source a")]
    assert any("vesti-p.ru" in href for href in fact_links)
    assert final.soup.select_one(".plan-actions a.button")["href"] == "/zayavka?help=benefit"


@pytest.mark.parametrize(("answers", "h1"), [
    ({**BENEFIT_YES, "released": "later"}, "Сейчас — нет"),
    ({**BENEFIT_YES, "housing": "unregistered"}, "Возможно, да, но кое-что нужно уточнить"),
    ({**BENEFIT_YES, "passport": "missing"}, "Возможно, да, но кое-что нужно уточнить"),
    ({**BENEFIT_YES, "blockers": "some"}, "Сейчас — нет"),
])
def test_the_benefit_check_outcome_is_the_page_heading(page, answers, h1):
    checked = page("/plan/posobie/itog?" + urlencode(answers))
    assert checked.soup.h1.get_text(strip=True) == h1
    assert checked.soup.select_one(".outcome")["class"][-1].startswith("outcome-")


def test_english_interface_asks_in_english_and_marks_russian_steps(page):
    asked = page("/en/plan")
    assert asked.soup.html["lang"] == "en"
    assert asked.soup.h1.get_text(strip=True) == "Have you been released yet?"
    assert "My plan. Question 1 of 7" in asked.soup.select_one(".progress").get_text(" ", strip=True)
    plan = page("/en" + MUST_SHOW_URL)
    assert plan.soup.h1.get_text(strip=True) == "Your plan, step by step"
    assert "This plan is not translated yet" in plan.text()
    assert plan.soup.select_one(".step-title span[lang=ru]") is not None
    assert plan.soup.select_one(".step-guide a")["href"].startswith("/en/")


def test_question_pages_offer_big_radio_options_in_a_fieldset_with_the_question_as_legend(page):
    asked = page("/plan?released=soon&step=2")
    fieldset = asked.soup.select_one("fieldset")
    assert fieldset.legend.h1.get_text(strip=True) == "У вас есть паспорт?"
    radios = fieldset.select("input[type=radio]")
    assert [r["value"] for r in radios] == ["have", "missing", "unsure"]
    for radio in radios:
        assert fieldset.select_one(f"label[for={radio['id']}]")
    assert asked.soup.select_one("main form")["method"] == "get"
    assert not asked.soup.select("main input[type=text], main textarea")


QUESTION_IDS = sorted({q for flow in RULES.flows.values() for q in flow})
ENDPOINTS = ["/plan", "/plan/itog", "/plan/posobie", "/plan/posobie/itog", "/en/plan/itog"]
ANSWER_CODES = [c for q in RULES.questions.values() for c in q.answers]
answer_values = st.one_of(st.sampled_from(ANSWER_CODES), st.text())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(ENDPOINTS),
       params=st.lists(st.tuples(st.one_of(st.sampled_from([*QUESTION_IDS, "step", "help"]), st.text()),
                                 answer_values), max_size=12))
def test_any_query_string_gets_a_friendly_page_never_an_error(client, endpoint, params):
    response = client.get(endpoint + "?" + urlencode(params))
    assert response.status_code in (200, 302), response.status_code
    assert "Set-Cookie" not in response.headers
    if response.status_code == 200:
        Page(response).check_invariants()
    else:
        assert urlsplit(response.headers["Location"]).path.endswith("/itog")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_a_raw_mangled_query_string_never_breaks_the_pages(client, raw):
    for endpoint in ("/plan", "/plan/itog"):
        response = client.get(endpoint, query_string=raw)
        assert response.status_code in (200, 302)
