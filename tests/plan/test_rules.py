"""«Мой план» rules as data: every combination of answers, the ordering rules, the benefit check against the
facts file, and validation that names the file and the field."""
import copy
import shutil
from pathlib import Path

import pytest
import yaml

from portal.apply.applications import HELP_KINDS
from portal.guides.content import ContentError, load_library
from portal.guides.lint import BUREAUCRATIC_RES, sentences, words
from portal.plan.loading import load_rules
from portal.plan.rules import (
    RULES_FILE,
    benefit_check,
    build_plan,
    first_missing,
    help_codes,
    plan_stages,
    read_answers,
)
from tests.helpers.app import ROOT, make_app

CONTENT = ROOT / "portal" / "content"
LIBRARY = load_library(CONTENT)
RULES = load_rules(CONTENT / RULES_FILE, LIBRARY.guides)
RAW = yaml.safe_load((CONTENT / RULES_FILE).read_text(encoding="utf-8"))
PLAN_COMBINATIONS = list(RULES.combinations("plan"))
BENEFIT_COMBINATIONS = list(RULES.combinations("benefit"))
NOT_YET = ("soon", "later")
RELEASED = ("recent", "months", "long")
MUST_SHOW = {"released": "soon", "passport": "missing", "housing": "no_place", "supervision": "none",
             "benefit": "wanted", "goal": "job", "situation": "nothing"}
UNDER_COURT_DUTIES = ("supervision", "parole", "restriction")


def test_the_answer_space_is_small_enough_to_walk_and_is_walked_whole():
    sizes = [len(q.answers) for q in RULES.flow_questions("plan")]
    expected = 1
    for size in sizes:
        expected *= size
    assert len(PLAN_COMBINATIONS) == expected == 8100
    assert len({tuple(sorted(a.items())) for a in PLAN_COMBINATIONS}) == expected


def test_every_combination_of_answers_gives_a_plan_whose_steps_all_link_to_existing_guides():
    for answers in PLAN_COMBINATIONS:
        steps = build_plan(answers, RULES)
        assert steps, answers
        assert [s.number for s in steps] == list(range(1, len(steps) + 1))
        for step in steps:
            assert step.rule.guide in LIBRARY.guides, (answers, step.rule.id)
            assert step.rule.where_guide in (None, *LIBRARY.guides), (answers, step.rule.id)
            assert step.rule.help in (None, *HELP_KINDS)
            for fact_id in step.facts:
                assert fact_id in RULES.facts, (step.rule.id, fact_id)


def test_every_step_appears_in_some_plan_so_no_rule_is_dead():
    seen = {step.rule.id for answers in PLAN_COMBINATIONS for step in build_plan(answers, RULES)}
    assert seen == {rule.id for rule in RULES.steps}


def test_every_plan_includes_registering_with_the_employment_centre():
    for answers in PLAN_COMBINATIONS:
        assert "register" in [s.rule.id for s in build_plan(answers, RULES)], answers


def test_must_show_scenario_starts_with_documents_and_housing_and_includes_the_centre():
    """«ещё не освободился, паспорта нет, жилья нет, хочу пособие» (issue 6)."""
    for goal in RULES.questions["goal"].answers:
        for situation in RULES.questions["situation"].answers:
            for released in NOT_YET:
                answers = {**MUST_SHOW, "released": released, "goal": goal, "situation": situation}
                topics = [s.rule.topic for s in build_plan(answers, RULES)]
                leading = topics[:topics.index("housing") + 1]
                assert leading[0] == "documents" and set(leading) == {"documents", "housing"}, topics
                ids = [s.rule.id for s in build_plan(answers, RULES)]
                assert ids[0] == "prison-passport"
                assert {"register", "benefit", "housing"} <= set(ids)


def test_the_same_answers_always_give_the_same_plan():
    first = [(s.number, s.rule.id, [n.text.ru for n in s.notes]) for s in build_plan(MUST_SHOW, RULES)]
    again = [(s.number, s.rule.id, [n.text.ru for n in s.notes]) for s in build_plan(dict(MUST_SHOW), RULES)]
    assert first == again


def test_documents_come_first_whenever_the_passport_is_missing():
    for answers in PLAN_COMBINATIONS:
        if answers["passport"] in ("missing", "unsure"):
            first = build_plan(answers, RULES)[0].rule
            assert first.topic == "documents" and "паспорт" in first.title.ru.lower(), answers


def test_housing_comes_before_any_job_search_when_there_is_no_place_to_live():
    for answers in PLAN_COMBINATIONS:
        topics = [s.rule.topic for s in build_plan(answers, RULES)]
        if answers["housing"] == "no_place":
            assert "housing" in topics and topics.index("housing") < topics.index("job"), answers
        else:
            assert "housing" not in topics, answers


def test_the_benefit_path_appears_exactly_when_the_benefit_is_wanted_or_unsure():
    for answers in PLAN_COMBINATIONS:
        steps = build_plan(answers, RULES)
        has_benefit = any(s.rule.topic == "benefit" for s in steps)
        assert has_benefit == (answers["benefit"] in ("wanted", "unsure")), answers
        assert ("benefit" in help_codes(steps)) == has_benefit


def test_people_not_yet_released_get_before_release_steps_first_and_released_people_none():
    for answers in PLAN_COMBINATIONS:
        stages = [stage for stage, _ in plan_stages(build_plan(answers, RULES))]
        if answers["released"] in NOT_YET:
            assert stages == ["before", "after"], answers
            before = {s.rule.id for s in build_plan(answers, RULES) if s.rule.stage == "before"}
            assert {"prison-documents", "prison-fair", "prison-probation"} <= before
        else:
            assert stages == ["after"], answers


def test_every_step_says_what_to_do_and_where_to_turn_points_to_the_address_guide():
    for rule in RULES.steps:
        assert rule.do.ru and rule.guide
        if rule.where and "центр занятости" in rule.where.ru.lower():
            assert rule.where_guide == "kuda-idti/adresa-chelyabinsk", rule.id


def test_probation_is_offered_in_the_first_months_but_not_to_people_released_long_ago():
    for answers in PLAN_COMBINATIONS:
        ids = {s.rule.id for s in build_plan(answers, RULES)}
        probation = bool(ids & {"probation", "housing"})
        if answers["released"] == "long" and answers["housing"] != "no_place":
            assert "probation" not in ids
        elif answers["released"] != "long":
            assert probation, answers


def test_court_duties_get_their_own_step_before_the_employment_centre_and_point_to_the_guide():
    for answers in PLAN_COMBINATIONS:
        ids = [s.rule.id for s in build_plan(answers, RULES)]
        if answers["supervision"] == "none":
            assert "obligations" not in ids, answers
        else:
            assert ids.index("obligations") < ids.index("register"), answers
    rule = next(r for r in RULES.steps if r.id == "obligations")
    assert rule.guide == "kuda-idti/obyazannosti" and rule.topic == "duties"


@pytest.mark.parametrize(("supervision", "expected"), [
    ("supervision", "в течение 3 рабочих дней"),
    ("parole", "не сообщив в инспекцию"),
    ("restriction", "согласия инспекции"),
    ("unsure", "Посмотрите решение суда"),
])
def test_each_kind_of_court_duty_gets_its_own_note(supervision, expected):
    answers = {**MUST_SHOW, "released": "recent", "supervision": supervision}
    step = next(s for s in build_plan(answers, RULES) if s.rule.id == "obligations")
    assert any(expected in note.text.ru for note in step.notes), [n.text.ru for n in step.notes]


def test_quick_work_and_job_search_warn_about_night_and_travel_bans_only_under_court_duties():
    for answers in PLAN_COMBINATIONS:
        for step in build_plan(answers, RULES):
            if step.rule.id in ("job-search", "fast-money"):
                warned = any("supervision-limits" in note.facts for note in step.notes)
                assert warned == (answers["supervision"] in UNDER_COURT_DUTIES), (answers, step.rule.id)


NEW_GUIDES = ("kuda-idti/obyazannosti", "rabota/dolgi-i-alimenty", "kuda-idti/zhenshchinam-s-detmi",
              "kuda-idti/zdorove", "kuda-idti/pravo-na-zhile", "dokumenty/drugie-dokumenty")


@pytest.mark.parametrize("guide", NEW_GUIDES)
def test_every_guide_of_issue_14_is_reached_from_some_plan(guide):
    assert any(step.rule.guide == guide for answers in PLAN_COMBINATIONS for step in build_plan(answers, RULES))


def test_the_open_jobs_step_no_longer_promises_that_everything_else_is_open():
    rule = next(r for r in RULES.steps if r.id == "open-jobs")
    assert "главные запреты, но не все" in rule.do.ru and "Остальное открыто" not in rule.do.ru
    assert "7 рабочих дней" in RULES.facts["no-registration-job"].text.ru


def test_people_under_supervision_leaving_prison_are_told_about_the_release_order():
    answers = {**MUST_SHOW, "supervision": "supervision"}
    step = next(s for s in build_plan(answers, RULES) if s.rule.id == "obligations")
    assert any("предписание" in note.text.ru for note in step.notes)


# ---------------------------------------------------------------- the benefit check against the facts file

BENEFIT_CASES = [
    # (id, answers, outcome, reasons that must be given, facts the amount rests on) — each cites facts-ru.md
    ("§2 still serving: a prison sentence blocks recognition as unemployed",
     dict(released="soon", citizen="russian", blockers="clear", worked="little", passport="have", housing="registered"),
     "no", {"serving"}, {"min-rule", "amounts-2026"}),
    ("§2 + §1.6 released, nothing blocks, no work for a year: minimum for up to 3 months",
     dict(released="recent", citizen="russian", blockers="clear", worked="little", passport="have",
          housing="registered"),
     "yes", {"clear", "difficulty-group"}, {"min-rule", "amounts-2026", "ural"}),
    ("§2 only citizens of Russia are recognised as unemployed",
     dict(released="recent", citizen="other", blockers="clear", worked="little", passport="have", housing="registered"),
     "no", {"foreign"}, {"min-rule"}),
    ("§2 a job contract, self-employment, full-time study or an old-age pension blocks it",
     dict(released="months", citizen="russian", blockers="some", worked="little", passport="have",
          housing="registered"),
     "no", {"blocked"}, {"min-rule"}),
    ("§2 not sure about those blockers: probably, the centre checks",
     dict(released="long", citizen="russian", blockers="unsure", worked="enough", passport="have",
          housing="registered"),
     "probably", {"blockers-unsure"}, {"percent-rule", "amounts-2026"}),
    ("§2 no registration where applying: profiling first; §1.6 prison work may not count",
     dict(released="recent", citizen="russian", blockers="clear", worked="colony", passport="have",
          housing="unregistered"),
     "probably", {"no-registration", "difficulty-group"}, {"colony-work", "min-rule", "amounts-2026"}),
    ("§2 nowhere to live is also no registration",
     dict(released="recent", citizen="russian", blockers="clear", worked="little", passport="have", housing="no_place"),
     "probably", {"no-registration"}, {"min-rule"}),
    ("§1.5 worked 26 weeks or more: 75 % then 60 % of average pay within the limits",
     dict(released="recent", citizen="russian", blockers="clear", worked="enough", passport="have",
          housing="registered"),
     "yes", {"clear"}, {"percent-rule", "amounts-2026", "ural"}),
    ("§2 the 'difficult to employ' group lasts one year after release only",
     dict(released="long", citizen="russian", blockers="clear", worked="little", passport="have", housing="registered"),
     "yes", {"clear"}, {"min-rule"}),
    ("§2 every blocker at once: still a plain no, with every reason",
     dict(released="later", citizen="other", blockers="some", worked="unsure", passport="have", housing="no_place"),
     "no", {"serving", "foreign", "blocked", "no-registration"}, {"min-rule", "percent-rule"}),
    ("§2 + д1.3 the rest of the term replaced by forced labour: out of the colony, but not unemployed yet",
     dict(released="recent", citizen="russian", blockers="some", worked="little", passport="have",
          housing="registered"),
     "no", {"blocked"}, {"min-rule"}),
    ("д7 no passport: the benefit is paid into a bank account, and a bank account needs a passport",
     dict(released="recent", citizen="russian", blockers="clear", worked="little", passport="missing",
          housing="registered"),
     "probably", {"no-passport", "difficulty-group"}, {"min-rule", "amounts-2026"}),
    ("д7 not sure about the passport: probably, restore it first",
     dict(released="months", citizen="russian", blockers="clear", worked="enough", passport="unsure",
          housing="registered"),
     "probably", {"no-passport"}, {"percent-rule"}),
    ("д7 with a passport the check says to open an account for the payments",
     dict(released="long", citizen="russian", blockers="clear", worked="little", passport="have",
          housing="registered"),
     "yes", {"clear", "bank-account"}, {"min-rule"}),
]


@pytest.mark.parametrize(("case", "answers", "outcome", "reasons", "amount_facts"), BENEFIT_CASES,
                         ids=[c[0] for c in BENEFIT_CASES])
def test_benefit_check_matches_the_table_of_cases_from_the_facts_file(case, answers, outcome, reasons,
                                                                        amount_facts):
    result = benefit_check(answers, RULES)
    assert result.outcome.code == outcome
    assert reasons <= {r.id for r in result.reasons}
    assert amount_facts <= {f for amount in result.amounts for f in amount.facts}
    assert result.next_steps, "every outcome says what to do next"


def test_the_difficulty_group_reason_is_given_only_within_a_year_of_release():
    for answers in BENEFIT_COMBINATIONS:
        ids = {r.id for r in benefit_check(answers, RULES).reasons}
        assert ("difficulty-group" in ids) == (answers["released"] != "long"), answers


def test_every_benefit_answer_set_gets_exactly_one_outcome_a_reason_an_amount_and_a_next_step():
    outcomes = set()
    for answers in BENEFIT_COMBINATIONS:
        result = benefit_check(answers, RULES)
        outcomes.add(result.outcome.code)
        assert result.reasons and result.amounts and result.next_steps, answers
        assert all(fact in RULES.facts for fact in result.facts)
        for step in result.next_steps:
            assert step.guide is None or step.guide in LIBRARY.guides
    assert outcomes == {"yes", "probably", "no"}


def test_yes_needs_release_citizenship_no_blocker_and_a_registration():
    for answers in BENEFIT_COMBINATIONS:
        is_yes = benefit_check(answers, RULES).outcome.code == "yes"
        assert is_yes == (answers["released"] in RELEASED and answers["citizen"] == "russian"
                          and answers["blockers"] == "clear" and answers["passport"] == "have"
                          and answers["housing"] == "registered"), answers


def test_the_blocker_list_names_correctional_and_forced_labour_and_its_reason_says_why():
    items = [item.ru for item in RULES.questions["blockers"].items]
    assert any("исправительные или принудительные работы" in item for item in items)
    blocked = next(r for r in RULES.benefit_rules if r.id == "blocked")
    assert "принудительные работы" in blocked.reason.ru and "correctional-work" in blocked.facts
    serving = next(r for r in RULES.benefit_rules if r.id == "serving")
    assert "принудительными работами" in serving.reason.ru, "leaving the colony is not always the end"


def test_without_a_passport_the_answer_is_never_yes_and_points_to_restoring_it():
    for answers in BENEFIT_COMBINATIONS:
        if answers["passport"] != "have":
            result = benefit_check(answers, RULES)
            assert result.outcome.code != "yes", answers
            assert "dokumenty/vosstanovit-pasport" in {step.guide for step in result.next_steps}, answers


def test_every_answer_set_with_a_passport_is_told_the_benefit_goes_to_a_bank_account():
    for answers in BENEFIT_COMBINATIONS:
        reasons = {r.id for r in benefit_check(answers, RULES).reasons}
        assert ("bank-account" in reasons) == (answers["passport"] == "have"), answers
    assert "«Мир»" in RULES.facts["bank-account"].text.ru


def test_amounts_are_the_2026_figures_of_the_facts_file_with_year_and_source():
    """facts-ru.md §1.3: from 1 February 2026 — minimum 1 863 ₽, maximum 15 886 ₽, then 6 209 ₽."""
    fact = RULES.facts["amounts-2026"]
    assert fact.year == 2026 and fact.section == "1.3" and fact.inline
    for figure in ("1 863 ₽", "15 886 ₽", "6 209 ₽", "2026"):
        assert figure in fact.text.ru
    assert "vesti-p.ru" in fact.sources[0].url
    ural = RULES.facts["ural"]  # §1.4: only a calculation, so it must say so
    assert ural.reliability == "low" and "2 142" in ural.text.ru and "уточните" in ural.text.ru


def test_roubles_appear_only_in_facts_that_carry_a_year():
    for fact in RULES.facts.values():
        if "₽" in fact.text.ru:
            assert fact.year
    texts = [t.ru for rule in RULES.steps for t in rule.texts()]
    texts += [r.reason.ru for r in RULES.benefit_rules] + [a.text.ru for a in RULES.amounts]
    assert not [t for t in texts if "₽" in t]


def test_every_fact_names_its_section_of_the_facts_file_and_a_source():
    for fact in RULES.facts.values():
        assert fact.section and fact.sources and all(s.url.startswith("http") for s in fact.sources)


def test_plan_texts_are_plain_russian_short_sentences_no_bureaucratese():
    blocks = [("p", t.ru) for rule in RULES.steps for t in rule.texts()]
    blocks += [("p", r.reason.ru) for r in RULES.benefit_rules] + [("p", a.text.ru) for a in RULES.amounts]
    blocks += [("p", q.text.ru) for q in RULES.questions.values()]
    found = sentences(blocks)
    lengths = [len(words(s)) for s in found]
    assert max(lengths) <= 30, max(zip(lengths, found, strict=True))
    assert sum(lengths) / len(lengths) <= 15
    text = " ".join(found).lower().replace("ё", "е")
    assert [w for w, pattern in BUREAUCRATIC_RES.items() if pattern.search(text)] == []


# ---------------------------------------------------------------- answers from the address

def test_read_answers_keeps_valid_answers_flags_wrong_ones_and_ignores_strangers():
    args = {"released": "soon", "passport": "<script>", "utm_source": "vk", "goal": "", "housing": "no_place"}
    answers, invalid = read_answers(RULES, "plan", args)
    assert answers == {"released": "soon", "housing": "no_place"}
    assert invalid == {"passport"}
    assert first_missing(RULES, "plan", answers) == 1


# ---------------------------------------------------------------- validation names the file and the field

def _write(tmp_path, data):
    path = tmp_path / RULES_FILE
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _step(data, step_id):
    return next(s for s in data["plan"]["steps"] if s["id"] == step_id)


BROKEN = [
    ("a step links to a guide that does not exist",
     lambda d: _step(d, "register").update(guide="posobie/net"),
     "plan → steps[13] «register»: поле «guide»: нет материала «posobie/net»"),
    ("the where-to-go guide does not exist",
     lambda d: _step(d, "housing").update(where_guide="kuda-idti/net"), "поле «where_guide»"),
    ("a condition names an answer the question does not have",
     lambda d: _step(d, "benefit").update(when={"benefit": ["maybe"]}),
     "поле «when»: у вопроса «benefit» нет ответа «maybe»"),
    ("a condition names a question from the other part",
     lambda d: _step(d, "benefit").update(when={"citizen": ["russian"]}), "вопроса «citizen» нет среди"),
    ("a step cites a fact that is not there", lambda d: _step(d, "cv").update(facts=["net-takogo"]),
     "поле «facts»: нет факта «net-takogo»"),
    ("an amount in roubles written into a step", lambda d: _step(d, "benefit").update(do="Платят 1 863 ₽."),
     "«benefit»: поле «do»: суммы в рублях пишите только в facts"),
    ("a rouble fact without its year", lambda d: d["facts"]["amounts-2026"].pop("year"),
     "факт «amounts-2026»: поле «year»: у суммы в рублях нужен год"),
    ("a fact without a source url", lambda d: d["facts"]["serving"]["sources"][0].pop("url"),
     "факт «serving»: поле «sources»: у источника 1 нет ссылки"),
    ("a typo in a field name", lambda d: _step(d, "cv").update(gude="rabota/rezyume"),
     "«cv»: поле «gude»: неизвестное поле"),
    ("an unknown help kind", lambda d: _step(d, "cv").update(help="cv"), "«cv»: поле «help»: одно из"),
    ("a yes/no answer code YAML reads as a boolean",
     lambda d: d["questions"]["citizen"]["answers"].update({True: "Да"}), "yes/no/on/off без кавычек"),
    ("an unquoted outcome", lambda d: d["benefit"]["rules"][0].update(outcome=False), "поле «outcome»"),
    ("a combination of answers left with an empty plan",
     lambda d: d["plan"].update(steps=[dict(s, when={**s.get("when", {}), "goal": ["job"]})
                                      for s in d["plan"]["steps"]]),
     "plan: поле «steps»: при ответах released=soon, passport=have, housing=registered, supervision=supervision, "
     "benefit=wanted, "
     "goal=training, situation=health план пустой"),
    ("a benefit answer set no rule decides",
     lambda d: d["benefit"].update(rules=[r for r in d["benefit"]["rules"] if r["id"] != "clear"]),
     "benefit: поле «rules»: при ответах released=recent, citizen=russian, blockers=clear"),
    ("a question is missing its answers", lambda d: d["questions"]["goal"].pop("answers"),
     "вопрос «goal»: поле «answers»: не заполнено"),
]


@pytest.mark.parametrize(("case", "breakage", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_rules_file_fails_naming_the_file_and_the_field(tmp_path, case, breakage, message):
    data = copy.deepcopy(RAW)
    breakage(data)
    with pytest.raises(ContentError) as error:
        load_rules(_write(tmp_path, data), LIBRARY.guides)
    problems = error.value.problems
    assert all(p.startswith(f"{RULES_FILE}: ") for p in problems), problems
    assert any(message in p for p in problems), problems


def test_a_rules_file_that_is_not_yaml_fails_naming_the_file(tmp_path):
    path = tmp_path / RULES_FILE
    path.write_text("questions: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"plan\.yaml: не читается как YAML"):
        load_rules(path, LIBRARY.guides)


def test_the_app_refuses_to_start_with_a_broken_rules_file(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    data = copy.deepcopy(RAW)
    _step(data, "cv").update(guide="rabota/net-takogo")
    _write(content, data)
    with pytest.raises(ContentError, match=r"plan\.yaml: plan → steps\[\d+\] «cv»: поле «guide»"):
        make_app(tmp_path, CONTENT_DIR=str(content))


def test_a_content_folder_without_rules_has_no_plan_pages(fixture_app):
    assert fixture_app.extensions["plan"] is None
    assert fixture_app.test_client().get("/plan", follow_redirects=True).status_code == 404


def test_content_check_reports_the_rules_file(app, tmp_path):
    from portal.guides.cli import check_content
    with app.app_context():  # the plan registers its check with the app
        lines = []
        config = {"CONTENT_MAX_AVG_SENTENCE_WORDS": 15, "CONTENT_MAX_SENTENCE_WORDS": 30,
                  "CONTENT_MIN_READABILITY": 50}
        assert check_content(CONTENT, config, echo=lines.append)
        assert any("«Мой план»" in line and "8100" in line for line in lines)
        content = tmp_path / "content"
        shutil.copytree(CONTENT, content)
        data = copy.deepcopy(RAW)
        _step(data, "cv").update(guide="rabota/net")
        _write(content, data)
        lines.clear()
        assert not check_content(content, config, echo=lines.append)
        assert any("поле «guide»" in line for line in lines)


def test_rules_file_lives_in_the_content_folder():
    assert (Path(CONTENT) / RULES_FILE).is_file()
