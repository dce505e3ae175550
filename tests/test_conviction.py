"""The conviction rules (portal/conviction.py + content/conviction.yaml): expungement dates under
УК РФ ст. 86, the bans of ТК РФ and federal laws, leap days, the 3 August 2013 change, and the
validation of the rules file.

Every case in CASES names the article it checks; the expected values were worked out by hand from
/work/shared/facts/facts-ru.md sections 7 and 8 (see docs/conviction-check.md), not from the code.
"""
import shutil
from datetime import date
from urllib.parse import urlsplit

import pytest
import yaml

from portal import create_app
from portal.content import ContentError
from portal.conviction import (
    PRISON,
    UNKNOWN,
    Answers,
    add_years,
    assess_all,
    closed_jobs,
    expungement,
    expungement_date,
    load_rules,
    needed_fields,
    next_question,
    open_jobs,
    parse_date,
)
from tests.conftest import ROOT

RULES_FILE = ROOT / "portal" / "content" / "conviction.yaml"
RULES = load_rules(RULES_FILE)
TODAY = date(2026, 11, 26)
D = date.fromisoformat

BAN_CODES = {"deti": "deti", "pedagog": "pedagog", "taksi": "taksi", "bus": "obshchestvennyy-transport",
             "ohrana": "ohrana", "oruzhie": "oruzhie", "gos": "gossluzhba", "mun": "munsluzhba",
             "sil": "silovye"}
# The three bans whose answer never depends on the conviction's kind (only on intent, expungement, facts).
USUAL = "ohrana:closed_if mun:unclear sil:unclear"


def statuses(spec):
    """'deti:closed pedagog:-' -> {'deti': 'closed', 'pedagog': None}; '-': not shown (under ст. 351.1)."""
    pairs = dict(item.split(":") for item in f"{spec} {USUAL}".split())
    return {BAN_CODES[code]: (None if status == "-" else status) for code, status in pairs.items()}


# (kind, category, sentence, end, minor, before 3.8.2013, expected expungement date, expected ban statuses,
#  the commission route of ст. 351.1, the article the case checks)
CASES = [
    ("sobstvennost", "nebolshoy", PRISON, "2020-03-15", False, None, "2023-03-15",
     "deti:open pedagog:open taksi:open bus:open oruzhie:lifted gos:lifted", None,
     "УК ст. 86 ч. 3 (3 года); ТК ст. 351.1 не включает гл. 21; 79-ФЗ ст. 16 снимается погашением"),
    ("sobstvennost", "sredney", PRISON, "2025-06-01", False, None, "2028-06-01",
     "deti:open pedagog:open taksi:closed_if bus:open oruzhie:closed_if gos:closed", None,
     "ТК ст. 328.1: грабёж и разбой — условие для такси"),
    ("sobstvennost", "tyazhkoe", PRISON, "2024-05-20", False, False, "2032-05-20",
     "deti:open pedagog:closed_if taksi:closed_if bus:open oruzhie:closed_if gos:closed", None,
     "УК ст. 86 ч. 3 (8 лет после 03.08.2013); ТК ст. 331 — умышленное тяжкое"),
    ("sobstvennost", "tyazhkoe", PRISON, "2019-05-20", False, True, "2025-05-20",
     "deti:open pedagog:lifted taksi:lifted bus:open oruzhie:closed_if gos:lifted", None,
     "218-ФЗ: прежние 6 лет; 150-ФЗ ст. 13 п. 3.1 — тяжкое и после погашения"),
    ("sobstvennost", "osobo-tyazhkoe", PRISON, "2022-01-10", False, False, "2032-01-10",
     "deti:open pedagog:closed_if taksi:closed_if bus:open oruzhie:closed_if gos:closed", None,
     "УК ст. 86 ч. 3 (10 лет)"),
    ("zhizn-zdorove", "osobo-tyazhkoe", PRISON, "2022-01-10", False, True, "2030-01-10",
     "deti:closed pedagog:- taksi:closed_if bus:open oruzhie:closed_if gos:closed", "no",
     "218-ФЗ: прежние 8 лет; ТК ст. 351.1; КДН только для небольшой и средней"),
    ("zhizn-zdorove", "nebolshoy", "drugoe", "2025-09-01", False, None, "2026-09-01",
     "deti:closed pedagog:- taksi:open bus:open oruzhie:lifted gos:lifted", "yes",
     "УК ст. 86 ч. 3 (1 год); ТК ст. 351.1 действует и после погашения"),
    ("zhizn-zdorove", "sredney", "uslovno", "2027-04-30", False, None, "2027-04-30",
     "deti:closed pedagog:- taksi:closed_if bus:open oruzhie:closed_if gos:closed", "after",
     "УК ст. 86 ч. 3 (условно — конец испытательного срока); ТК ст. 328.1; КДН — когда судимость в прошлом"),
    ("narkotiki", "tyazhkoe", PRISON, "2021-07-01", False, False, "2029-07-01",
     "deti:unclear pedagog:closed_if taksi:unclear bus:unclear oruzhie:closed_if gos:closed", "no",
     "ТК ст. 351.1 и 328.1: глава статей о наркотиках не в справке — «точно не знаем»"),
    ("narkotiki", "nebolshoy", "drugoe", "2026-01-15", False, None, "2027-01-15",
     "deti:unclear pedagog:open taksi:open bus:open oruzhie:closed_if gos:closed", "maybe",
     "ТК ст. 328.1: небольшая тяжесть не входит"),
    ("deti-polovye", "sredney", PRISON, "2023-02-28", False, None, "2026-02-28",
     "deti:closed pedagog:- taksi:lifted bus:open oruzhie:lifted gos:lifted", "maybe",
     "ТК ст. 351.1 (КДН — если не половое); ТК ст. 328.1 снимается погашением"),
    ("deti-polovye", "tyazhkoe", PRISON, "2016-02-29", False, False, "2024-02-29",
     "deti:closed pedagog:- taksi:lifted bus:open oruzhie:closed_if gos:lifted", "no",
     "УК ст. 86 ч. 3: 29.02 + 8 лет — снова 29.02 (високосный)"),
    ("obshchestvennaya-bezopasnost", "tyazhkoe", PRISON, "2020-02-29", False, True, "2026-03-01",
     "deti:closed pedagog:- taksi:lifted bus:lifted oruzhie:closed_if gos:lifted", "no",
     "УК ст. 86 ч. 3, 6 лет от 29.02 → 1 марта (решение о високосном дне)"),
    ("transport", "sredney", PRISON, "2024-02-29", False, None, "2027-03-01",
     "deti:unclear pedagog:open taksi:unclear bus:open oruzhie:closed_if gos:closed", "maybe",
     "УК ст. 86 ч. 3, 3 года от 29.02 → 1 марта; глава дорожных статей не в справке"),
    ("drugoe", "nebolshoy", "drugoe", "2028-02-29", False, None, "2029-03-01",
     "deti:unclear pedagog:open taksi:open bus:open oruzhie:closed_if gos:closed", "maybe",
     "УК ст. 86 ч. 3, 1 год от 29.02 → 1 марта"),
    ("sobstvennost", "sredney", "uslovno", "2028-02-29", False, None, "2028-02-29",
     "deti:open pedagog:open taksi:closed_if bus:open oruzhie:closed_if gos:closed", None,
     "УК ст. 86 ч. 3: условно — сам день конца испытательного срока, 29.02 не сдвигается"),
    ("obshchestvennaya-bezopasnost", "osobo-tyazhkoe", PRISON, "2012-02-29", False, None, "2020-02-29",
     "deti:closed pedagog:- taksi:lifted bus:lifted oruzhie:closed_if gos:lifted", "no",
     "218-ФЗ: вышел до 03.08.2013 — значит, преступление до него; 8 лет"),
    ("sobstvennost", "tyazhkoe", PRISON, "2013-08-02", False, None, "2019-08-02",
     "deti:open pedagog:lifted taksi:lifted bus:open oruzhie:closed_if gos:lifted", None,
     "218-ФЗ: освобождение за день до 03.08.2013 — прежние 6 лет без вопроса"),
    ("sobstvennost", "tyazhkoe", PRISON, "2013-08-03", False, False, "2021-08-03",
     "deti:open pedagog:lifted taksi:lifted bus:open oruzhie:closed_if gos:lifted", None,
     "218-ФЗ: преступление 03.08.2013 или позже — новые 8 лет"),
    ("sobstvennost", "tyazhkoe", PRISON, "2013-08-03", False, True, "2019-08-03",
     "deti:open pedagog:lifted taksi:lifted bus:open oruzhie:closed_if gos:lifted", None,
     "218-ФЗ и УК ст. 10: преступление до 03.08.2013 — прежние 6 лет"),
    ("sobstvennost", "tyazhkoe", PRISON, "2020-01-01", False, None, None,
     "deti:open pedagog:closed_if taksi:closed_if bus:open oruzhie:closed_if gos:closed", None,
     "218-ФЗ: дата преступления не известна — две даты, не одна"),
    ("zhizn-zdorove", UNKNOWN, PRISON, "2022-06-01", False, False, None,
     "deti:closed pedagog:- taksi:closed_if bus:open oruzhie:closed_if gos:closed", "maybe",
     "УК ст. 86 ч. 3: категория не известна — дата для каждой категории"),
    ("zhizn-zdorove", "sredney", PRISON, "2024-10-01", True, None, None,
     "deti:closed pedagog:- taksi:closed_if bus:open oruzhie:closed_if gos:closed", "maybe",
     "УК ст. 95: сроков для несовершеннолетних нет в справке — даты нет; "
     "ТК ст. 351.1 не зависит от возраста"),
    ("sobstvennost", "tyazhkoe", PRISON, "2010-01-01", True, None, None,
     "deti:open pedagog:lifted taksi:lifted bus:open oruzhie:closed_if gos:lifted", None,
     "УК ст. 95: сроки короче взрослых, взрослая дата прошла — значит, погашена"),
    ("narkotiki", "sredney", "uslovno", "2027-06-30", True, None, None,
     "deti:unclear pedagog:open taksi:unclear bus:open oruzhie:closed_if gos:closed", "maybe",
     "УК ст. 95: несовершеннолетний, условно — только «не позже»"),
    ("obshchestvennaya-bezopasnost", "sredney", PRISON, "2025-12-01", False, None, "2028-12-01",
     "deti:closed pedagog:- taksi:closed bus:open oruzhie:closed_if gos:closed", "after",
     "ТК ст. 328.1: общественная безопасность — такси закрыто; автобус только для тяжких"),
    ("obshchestvennaya-bezopasnost", "osobo-tyazhkoe", PRISON, "2021-03-03", False, False, "2031-03-03",
     "deti:closed pedagog:- taksi:closed bus:closed oruzhie:closed_if gos:closed", "no",
     "ТК ст. 328.1: автобус, трамвай, троллейбус — тяжкие и особо тяжкие против общественной безопасности"),
    ("drugoe", UNKNOWN, "uslovno", "2027-01-01", False, None, "2027-01-01",
     "deti:unclear pedagog:closed_if taksi:unclear bus:unclear oruzhie:closed_if gos:closed", "maybe",
     "УК ст. 86 ч. 3: при условном сроке категория не нужна для даты"),
    ("deti-polovye", "nebolshoy", "drugoe", "2026-05-01", False, None, "2027-05-01",
     "deti:closed pedagog:- taksi:open bus:open oruzhie:closed_if gos:closed", "maybe",
     "ТК ст. 351.1: половые преступления и против семьи — в перечне"),
    ("zhizn-zdorove", "tyazhkoe", "uslovno", "2025-01-01", False, None, "2025-01-01",
     "deti:closed pedagog:- taksi:lifted bus:open oruzhie:closed_if gos:lifted", "no",
     "ТК ст. 328.1 и 79-ФЗ ст. 16 снимаются погашением; ТК ст. 351.1 — нет"),
]


@pytest.mark.parametrize(("kind", "category", "sentence", "end", "minor", "before", "expected", "bans", "kdn",
                          "article"), CASES, ids=[f"{i + 1:02d}" for i in range(len(CASES))])
def test_expungement_date_and_closed_jobs_follow_the_law(kind, category, sentence, end, minor, before,
                                                         expected, bans, kdn, article):
    got = expungement_date(RULES, sentence, category, D(end), minor=minor, before_change=before)
    assert got == (D(expected) if expected else None), article
    outcome = expungement(RULES, Answers(kind, category, sentence, D(end), minor, before), TODAY)
    assessed = {a.ban.id: a for a in assess_all(RULES, kind, category, expunged=outcome.expunged)}
    got_statuses = {ban.id: (assessed[ban.id].status if ban.id in assessed else None) for ban in RULES.bans}
    assert got_statuses == statuses(bans), article
    children = assessed["deti"]
    assert children.status == "open" or children.exception == kdn, article


def test_the_table_has_at_least_25_cases_around_2013_and_leap_days():
    assert len(CASES) >= 25
    ends = [D(case[3]) for case in CASES]
    assert any(e < date(2013, 8, 3) for e in ends) and any(e >= date(2013, 8, 3) for e in ends)
    assert sum(1 for e in ends if (e.month, e.day) == (2, 29)) >= 5
    assert {case[0] for case in CASES} == {k.id for k in RULES.kinds}


def test_a_crime_before_18_gives_no_date_but_the_adult_date_as_the_latest_possible():
    answers = Answers("sobstvennost", "sredney", PRISON, D("2025-05-05"), True, None)
    outcome = expungement(RULES, answers, TODAY)
    assert outcome.date is None and outcome.latest == D("2028-05-05")
    assert outcome.expunged is None
    assert "95" in RULES.minors.article


def test_unknown_2013_answer_shows_both_periods_and_cannot_tell_if_expunged():
    answers = Answers("sobstvennost", "tyazhkoe", PRISON, D("2020-01-01"), False, None)
    outcome = expungement(RULES, answers, TODAY)
    assert [(o.before_change, o.date) for o in outcome.options] == [(True, D("2026-01-01")),
                                                                     (False, D("2028-01-01"))]
    assert outcome.expunged is None


def test_old_law_is_reported_when_the_pre_2013_period_was_applied():
    answers = Answers("sobstvennost", "tyazhkoe", PRISON, D("2014-01-01"), False, True)
    outcome = expungement(RULES, answers, TODAY)
    assert outcome.old_law and outcome.date == D("2020-01-01")
    assert "6 лет" in outcome.period.text_before_change


def test_expunged_means_the_day_has_passed_not_that_it_is_today():
    def outcome(end):
        return expungement(RULES, Answers("sobstvennost", "nebolshoy", "drugoe", D(end), False, None), TODAY)
    on_the_day = outcome("2025-11-26")
    assert on_the_day.date == TODAY and on_the_day.expunged is False
    day_after = outcome("2025-11-25")
    assert day_after.expunged is True


@pytest.mark.parametrize(("start", "years", "expected"), [
    ("2020-02-29", 1, "2021-03-01"),   # not a leap year: the later day, 1 March
    ("2020-02-29", 4, "2024-02-29"),   # leap to leap: the same day
    ("2020-02-29", 6, "2026-03-01"),
    ("2020-02-29", 0, "2020-02-29"),
    ("2021-02-28", 3, "2024-02-28"),   # 28 February stays 28 February, even in a leap year
    ("2019-03-01", 1, "2020-03-01"),
    ("2023-12-31", 10, "2033-12-31"),
])
def test_adding_years_turns_29_february_into_1_march_never_earlier(start, years, expected):
    assert add_years(D(start), years) == D(expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-15", "2024-03-15"), ("15.03.2024", "2024-03-15"), ("5.3.2024", "2024-03-05"),
    (" 15. 03. 2024 ", "2024-03-15"), ("15/03/2024", "2024-03-15"), ("15-03-2024", "2024-03-15"),
    ("29.02.2024", "2024-02-29"),
])
def test_dates_are_read_from_the_date_picker_and_from_typed_text(text, expected):
    assert parse_date(text) == D(expected)


@pytest.mark.parametrize("text", ["", "31.02.2024", "29.02.2023", "15.13.2024", "2024", "15.03.24", "завтра",
                                  "0000-01-01", "15.03.2024.", "2024-03-15T10:00"])
def test_impossible_or_unclear_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_taxi_rule_warns_that_sources_disagree_about_medium_gravity():
    taxi = {a.ban.id: a for a in closed_jobs(RULES, "obshchestvennaya-bezopasnost", "sredney")}["taksi"]
    assert taxi.status == "closed" and taxi.notes and "расходятся" in taxi.notes[0]
    grave = {a.ban.id: a for a in closed_jobs(RULES, "obshchestvennaya-bezopasnost", "tyazhkoe")}["taksi"]
    assert grave.notes == ()


def test_conditions_name_what_must_be_true_for_a_conditional_ban():
    taxi = {a.ban.id: a for a in closed_jobs(RULES, "deti-polovye", UNKNOWN)}["taksi"]
    kinds = [c.kind for c in taxi.conditions]
    assert kinds == ["category", "subject"]
    assert taxi.conditions[0].values == ("sredney", "tyazhkoe", "osobo-tyazhkoe")
    sexual = "Преступления против половой неприкосновенности и половой свободы"
    assert taxi.conditions[1].values == (("chapter", sexual),)
    robbery = {a.ban.id: a for a in closed_jobs(RULES, "sobstvennost", "tyazhkoe")}["taksi"]
    assert robbery.conditions[0].values == (("crime", "это грабёж или разбой"),)


def test_expungement_keeps_the_children_ban_and_says_the_guard_ban_is_unknown():
    after = {a.ban.id: a.after for a in closed_jobs(RULES, "zhizn-zdorove", "nebolshoy", expunged=True)}
    assert after["deti"] == "stays" and after["ohrana"] == "unknown" and after["gossluzhba"] == "lifted"


def test_weapons_ban_stays_after_expungement_only_for_grave_crimes():
    def after(category):
        return {a.ban.id: a.after for a in assess_all(RULES, "sobstvennost", category)}["oruzhie"]
    assert [after(c) for c in ("nebolshoy", "sredney", "tyazhkoe", "osobo-tyazhkoe", UNKNOWN)] == [
        "lifted", "lifted", "stays", "stays", "depends"]


def test_every_ban_is_either_open_or_closed_never_both():
    for kind in RULES.kinds:
        for category in ("nebolshoy", "sredney", "tyazhkoe", "osobo-tyazhkoe", UNKNOWN):
            closed = {a.ban.id for a in closed_jobs(RULES, kind.id, category)}
            opened = {a.ban.id for a in open_jobs(RULES, kind.id, category)}
            assert not closed & opened
            assert "gossluzhba" in closed  # 79-ФЗ ст. 16: any conviction until it is expunged


def test_every_rule_names_an_article_and_a_source_from_the_facts_file():
    rules = [ban.rule for ban in RULES.bans] + [rule for _id, rule in RULES.employer] + [
        RULES.expungement, RULES.change, RULES.parole, RULES.court, RULES.automatic, RULES.effect,
        RULES.minors]
    for ban in RULES.bans:
        assert ban.rule.sources or ban.unknown, ban.id
    for rule in rules:
        assert rule.article and rule.facts
    facts = ROOT.parent / "shared" / "facts" / "facts-ru.md"  # the project's facts file, next to the repo
    if not facts.exists():
        pytest.skip("the shared facts file is not next to this checkout")
    text = facts.read_text(encoding="utf-8")
    for rule in rules:
        for source in rule.sources:
            parts = urlsplit(source.url)
            tail = (parts.path + (f"?{parts.query}" if parts.query else ""))[-25:]
            assert parts.netloc in text and tail in text, f"{source.url} is not a source in facts-ru.md"


# ---------------------------------------------------------------- the questions

def test_2013_question_is_asked_only_when_it_can_change_the_date():
    assert "do2013" in needed_fields({}, RULES)
    assert "do2013" in needed_fields({"nakazanie": PRISON, "tyazhest": "tyazhkoe"}, RULES)
    assert "do2013" in needed_fields({"nakazanie": PRISON, "tyazhest": UNKNOWN}, RULES)
    assert "do2013" not in needed_fields({"nakazanie": PRISON, "tyazhest": "sredney"}, RULES)
    assert "do2013" not in needed_fields({"nakazanie": "uslovno", "tyazhest": "tyazhkoe"}, RULES)
    assert "do2013" not in needed_fields({"nakazanie": PRISON, "tyazhest": "tyazhkoe", "data": "2013-08-02"},
                                         RULES)
    assert "do2013" in needed_fields({"nakazanie": PRISON, "tyazhest": "tyazhkoe", "data": "2013-08-03"},
                                     RULES)


def test_next_question_is_the_first_unanswered_and_an_empty_submission_is_a_problem():
    assert next_question({}, RULES, TODAY).current == "vid"
    step = next_question({"shag": "vid"}, RULES, TODAY)
    assert step.current == "vid" and step.problems == {"vid": "missing"}
    step = next_question({"vid": "narkotiki", "shag": "vid"}, RULES, TODAY)
    assert step.current == "tyazhest" and not step.problems


def test_back_link_shows_an_answered_question_with_its_answer():
    args = {"vid": "narkotiki", "tyazhest": "sredney", "vopros": "vid"}
    step = next_question(args, RULES, TODAY)
    assert step.current == "vid" and step.values["vid"] == "narkotiki"


def test_complete_answers_have_no_current_question_and_a_canonical_query():
    args = {"do2013": "da", "vid": "narkotiki", "tyazhest": "sredney", "nakazanie": PRISON,
            "data": "15.03.2024", "vozrast": "18-i-starshe", "shag": "vozrast", "extra": "x"}
    step = next_question(args, RULES, TODAY)
    assert step.current is None
    assert step.answers() == {"vid": "narkotiki", "tyazhest": "sredney", "nakazanie": PRISON,
                              "data": "2024-03-15", "vozrast": "18-i-starshe"}


@pytest.mark.parametrize(("value", "problem"), [("31.02.2024", "date_format"), ("01.01.1949", "date_range"),
                                                ("01.01.2100", "date_range"), ("", "missing")])
def test_a_bad_date_is_a_problem_and_is_kept_to_show_back(value, problem):
    step = next_question({"vid": "drugoe", "tyazhest": "sredney", "nakazanie": "uslovno", "data": value},
                         RULES, TODAY)
    assert step.current == "data" and step.problems == {"data": problem} and step.raw["data"] == value


# ---------------------------------------------------------------- the rules file

@pytest.fixture
def rules_copy(tmp_path):
    """rules_copy(change) -> path of a copy of conviction.yaml after `change(data)`."""
    def build(change):
        data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
        change(data)
        path = tmp_path / "conviction.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path
    return build


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["bans"][2].pop("article"), "bans[2].article"),
    (lambda d: d["bans"][0].update(sources=["no-such-source"]), "bans[0].sources"),
    (lambda d: d["bans"][1].update(after_expungement="maybe"), "bans[1].after_expungement"),
    (lambda d: d["bans"][0].update(groups=["no-such-group"]), "bans[0].groups"),
    (lambda d: d["expungement"]["rules"][PRISON]["tyazhkoe"].update(years="eight"),
     f"expungement.rules.{PRISON}.tyazhkoe.years"),
    (lambda d: d["expungement"]["rules"][PRISON]["tyazhkoe"].update(years_before_change=12),
     f"expungement.rules.{PRISON}.tyazhkoe.years_before_change"),
    (lambda d: d["expungement"]["court"].update(confidence="очень"), "expungement.court.confidence"),
    (lambda d: d.update(reviewed_by_lawyer="вчера"), "reviewed_by_lawyer"),
    (lambda d: d.update(reviewed_by_lawyer=date(2999, 1, 1)), "reviewed_by_lawyer"),
    (lambda d: d["categories"].pop(), "categories"),
    (lambda d: d["kinds"][2].pop("chapter_unknown"), "kinds[2].chapter_unknown"),
    (lambda d: d["bans"][1].update(covered_by="nobody"), "bans[1].covered_by"),
    (lambda d: d["sources"]["rzhev"].update(url="ftp://x"), "sources.rzhev"),
])
def test_a_bad_rules_file_fails_naming_the_file_and_the_field(rules_copy, change, field):
    with pytest.raises(ContentError) as error:
        load_rules(rules_copy(change))
    problems = error.value.problems
    assert any(p.startswith(f"conviction.yaml: поле «{field}»") for p in problems), problems


def test_the_app_refuses_to_start_with_a_bad_rules_file(rules_copy, tmp_path):
    bad = rules_copy(lambda d: d["bans"][0].pop("article"))
    with pytest.raises(ContentError, match="bans\\[0\\].article"):
        create_app({"TESTING": True, "SECRET_KEY": "k" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/d.db",
                    "SEARCH_INDEX_DIR": str(tmp_path / "idx"), "CONVICTION_RULES_FILE": str(bad)})


def test_an_unreadable_rules_file_fails_naming_the_file(tmp_path):
    broken = tmp_path / "conviction.yaml"
    broken.write_text("bans: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match="conviction.yaml: не читается"):
        load_rules(broken)


def test_the_lawyers_review_date_is_empty_until_the_centre_fills_it(rules_copy):
    assert RULES.reviewed_by_lawyer is None
    filled = load_rules(rules_copy(lambda d: d.update(reviewed_by_lawyer=date(2026, 11, 20))), today=TODAY)
    assert filled.reviewed_by_lawyer == date(2026, 11, 20)


def test_a_fixed_rules_file_loads_again(rules_copy, tmp_path):
    path = rules_copy(lambda d: None)
    shutil.copy(path, tmp_path / "again.yaml")
    assert load_rules(tmp_path / "again.yaml").bans == RULES.bans
