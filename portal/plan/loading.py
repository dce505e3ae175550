"""Reading plan.yaml: `load_rules` reads and validates the file once at start-up (every question, step, rule
and fact, then every combination of answers); a bad file raises ContentError naming the file, the place and
the field. `check_rules` is its `flask content check`."""
import re
from datetime import date
from pathlib import Path

import yaml

from portal.apply.applications import HELP_KINDS
from portal.guides.content import ContentError
from portal.places.directory import KINDS as PLACE_KINDS
from portal.plan.rules import (
    CODE_RE,
    ID_RE,
    MONEY_RE,
    OUTCOMES,
    RELIABILITY,
    RESERVED_PARAMS,
    RULES_FILE,
    SECTION_RE,
    STAGES,
    TOOLS,
    TOPICS,
    BenefitRule,
    Condition,
    Fact,
    Note,
    Outcome,
    Question,
    Rules,
    Source,
    StepRule,
    Text,
    describe_answers,
)
from portal.yaml_files import load_yaml_file


class _Reader:
    """Collects every problem in the rules file, each naming the file, the place and the field."""

    def __init__(self, name, guide_keys):
        self.name = name
        self.guide_keys = guide_keys
        self.problems = []

    def problem(self, where, field_name, message):
        place = f"{self.name}: {where}" if where else self.name
        self.problems.append(f"{place}: поле «{field_name}»: {message}")

    def mapping(self, value, where, field_name, allowed, required=()):
        if not isinstance(value, dict):
            self.problem(where, field_name, "ожидается словарь (ключ: значение)")
            return {}
        for key in required:
            if value.get(key) in (None, "", [], {}):
                self.problem(where, key, "не заполнено")
        for key in set(value) - set(allowed):
            self.problem(where, str(key), "неизвестное поле (опечатка?)")
        return value

    def text(self, value, where, field_name, required=True, money=False):
        if value in (None, "") and not required:
            return None
        if isinstance(value, str) and value.strip():
            text = Text(value.strip())
        elif isinstance(value, dict) and isinstance(value.get("ru"), str) and value["ru"].strip() \
                and set(value) <= {"ru", "en"} and (value.get("en") is None or isinstance(value["en"], str)):
            text = Text(value["ru"].strip(), (value.get("en") or "").strip() or None)
        else:
            self.problem(where, field_name, "нужен текст: строка или {ru: «…», en: «…»}")
            return None
        if not money and (MONEY_RE.search(text.ru) or MONEY_RE.search(text.en or "")):
            self.problem(where, field_name, "суммы в рублях пишите только в facts — с годом и источником")
        return text

    def texts(self, value, where, field_name):
        if value in (None, []):
            return ()
        if not isinstance(value, list):
            self.problem(where, field_name, "ожидается список")
            return ()
        return tuple(t for i, item in enumerate(value, 1)
                     if (t := self.text(item, where, f"{field_name}[{i}]")) is not None)

    def guide(self, value, where, field_name, required=True):
        if value in (None, "") and not required:
            return None
        if not isinstance(value, str) or value not in self.guide_keys:
            self.problem(where, field_name, f"нет материала «{value}» (нужен ключ вида раздел/slug)")
            return None
        return value

    def place_kinds(self, value, where):
        """The kinds of place a step names: its page shows the places of those kinds the centre entered."""
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(kind, str) for kind in value):
            self.problem(where, "places", "ожидается список видов мест, например [centre]")
            return ()
        for kind in value:
            if kind not in PLACE_KINDS:
                self.problem(where, "places", f"неизвестный вид места «{kind}» (есть: {', '.join(PLACE_KINDS)})")
        return tuple(dict.fromkeys(kind for kind in value if kind in PLACE_KINDS))

    def fact_ids(self, value, where, facts):
        if value in (None, []):
            return ()
        if not isinstance(value, list):
            self.problem(where, "facts", "ожидается список кодов фактов")
            return ()
        for fact_id in value:
            if fact_id not in facts:
                self.problem(where, "facts", f"нет факта «{fact_id}» в разделе facts")
        return tuple(f for f in value if f in facts)

    def condition(self, value, where, questions, flow_questions):
        if value in (None, {}):
            return Condition()
        if not isinstance(value, dict):
            self.problem(where, "when", "ожидается словарь {вопрос: [ответы]}")
            return Condition()
        required = []
        for question_id, codes in value.items():
            if question_id not in flow_questions:
                self.problem(where, "when", f"вопроса «{question_id}» нет среди вопросов этой части")
                continue
            codes = codes if isinstance(codes, list) else [codes]
            known = questions[question_id].answers
            for code in codes:
                if isinstance(code, bool):
                    self.problem(where, "when", f"{question_id}: yes/no без кавычек YAML читает как да/нет — "
                                                f"пишите коды ответов из questions")
                elif code not in known:
                    self.problem(where, "when", f"у вопроса «{question_id}» нет ответа «{code}» "
                                                f"(есть: {', '.join(known)})")
            required.append((question_id, frozenset(c for c in codes if c in known)))
        return Condition(tuple(required))

    def notes(self, value, where, field_name, questions, flow_questions, facts, with_guide=False,
              money=False):
        if value in (None, []):
            return ()
        if not isinstance(value, list):
            self.problem(where, field_name, "ожидается список")
            return ()
        notes = []
        for index, item in enumerate(value, 1):
            place = f"{where} → {field_name}[{index}]"
            allowed = {"when", "text", "facts", "guide"} if with_guide else {"when", "text", "facts"}
            item = self.mapping(item, place, field_name, allowed, required=("text",))
            if not item:
                continue
            text = self.text(item.get("text"), place, "text", money=money)
            if text is None:
                continue
            notes.append(Note(self.condition(item.get("when"), place, questions, flow_questions), text,
                              self.fact_ids(item.get("facts"), place, facts),
                              self.guide(item.get("guide"), place, "guide", required=False)))
        return tuple(notes)


def _read_questions(reader, data):
    questions = {}
    raw = data.get("questions")
    if not isinstance(raw, dict) or not raw:
        reader.problem("", "questions", "нужен словарь вопросов")
        return questions
    for question_id, item in raw.items():
        where = f"вопрос «{question_id}»"
        if not isinstance(question_id, str) or not CODE_RE.match(question_id) \
                or question_id in RESERVED_PARAMS:
            reader.problem(where, "questions", "код вопроса — латиница, цифры и _, не step/help/lang_code")
            continue
        item = reader.mapping(item, where, "questions", {"text", "short", "hint", "items", "answers"},
                              required=("text", "short", "answers"))
        if not item:
            continue
        answers = {}
        raw_answers = item.get("answers")
        if isinstance(raw_answers, dict):
            for code, label in raw_answers.items():
                if not isinstance(code, str) or not CODE_RE.match(code):
                    hint = (" (yes/no/on/off без кавычек YAML читает как да/нет)"
                            if isinstance(code, bool) else "")
                    reader.problem(where, "answers", f"код ответа «{code}»: латиница, цифры и _{hint}")
                    continue
                text = reader.text(label, where, f"answers.{code}")
                if text:
                    answers[code] = text
            if len(raw_answers) < 2:
                reader.problem(where, "answers", "нужно хотя бы два ответа")
        elif raw_answers is not None:
            reader.problem(where, "answers", "ожидается словарь {код: текст ответа}")
        text = reader.text(item.get("text"), where, "text")
        short = reader.text(item.get("short"), where, "short")
        hint = reader.text(item.get("hint"), where, "hint", required=False)
        items = reader.texts(item.get("items"), where, "items")
        if text and short and answers:
            questions[question_id] = Question(question_id, text, short, answers, hint, items)
    return questions


def _read_facts(reader, data):
    facts = {}
    raw = data.get("facts")
    if not isinstance(raw, dict) or not raw:
        reader.problem("", "facts", "нужен словарь фактов")
        return facts
    for fact_id, item in raw.items():
        where = f"факт «{fact_id}»"
        if not isinstance(fact_id, str) or not ID_RE.match(fact_id):
            reader.problem(where, "facts", "код факта — латиница в нижнем регистре и дефисы")
            continue
        item = reader.mapping(item, where, "facts",
                              {"text", "section", "sources", "date", "reliability", "year", "inline"},
                              required=("text", "section", "sources", "date", "reliability"))
        if not item:
            continue
        text = reader.text(item.get("text"), where, "text", money=True)
        section = str(item.get("section", ""))
        if section and not SECTION_RE.match(section):
            reader.problem(where, "section",
                           "номер раздела справки по фактам, например \"1.3\" или \"3.3, 9\"")
        if item.get("reliability") not in (None, "") and item["reliability"] not in RELIABILITY:
            reader.problem(where, "reliability", f"одно из: {', '.join(RELIABILITY)}")
        year = item.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)
                                 or not 2000 <= year <= 2100):
            reader.problem(where, "year", "год числом, например 2026")
            year = None
        if text and MONEY_RE.search(text.ru) and year is None:
            reader.problem(where, "year", "у суммы в рублях нужен год, за который она верна")
        if not isinstance(item.get("inline", False), bool):
            reader.problem(where, "inline", "true или false")
        sources = []
        raw_sources = item.get("sources")
        if raw_sources not in (None, []) and not isinstance(raw_sources, list):
            reader.problem(where, "sources", "ожидается список источников")
            raw_sources = []
        for index, source in enumerate(raw_sources or [], 1):
            if not isinstance(source, dict) or not isinstance(source.get("title"), str) \
                    or not source["title"].strip():
                reader.problem(where, "sources", f"у источника {index} нет title")
            elif not re.match(r"^https?://\S+$", str(source.get("url", ""))):
                reader.problem(where, "sources", f"у источника {index} нет ссылки url (http…)")
            else:
                sources.append(Source(source["title"].strip(), source["url"]))
        if text and sources:
            facts[fact_id] = Fact(fact_id, text, section, tuple(sources), str(item.get("date", "")),
                                  str(item.get("reliability")), year, bool(item.get("inline", False)))
    return facts


def _read_flow_questions(reader, part, flow, questions):
    where = f"{flow}"
    ids = part.get("questions")
    if not isinstance(ids, list) or not ids:
        reader.problem(where, "questions", "нужен список кодов вопросов")
        return ()
    for question_id in ids:
        if question_id not in questions:
            reader.problem(where, "questions", f"нет вопроса «{question_id}» в разделе questions")
    if len(set(ids)) != len(ids):
        reader.problem(where, "questions", "вопрос повторяется")
    return tuple(dict.fromkeys(q for q in ids if q in questions))


def _read_plan(reader, data, questions, facts):
    part = reader.mapping(data.get("plan"), "plan", "plan", {"questions", "stages", "steps"},
                          required=("questions", "stages", "steps"))
    flow = _read_flow_questions(reader, part, "plan", questions) if part else ()
    stages = {}
    raw_stages = part.get("stages") if part else None
    if isinstance(raw_stages, dict):
        for stage in STAGES:
            text = reader.text(raw_stages.get(stage), "plan → stages", stage)
            if text:
                stages[stage] = text
        for stage in set(raw_stages) - set(STAGES):
            reader.problem("plan → stages", str(stage), f"этапы только: {', '.join(STAGES)}")
    steps, seen = [], set()
    raw_steps = part.get("steps") if part else None
    if raw_steps is not None and not isinstance(raw_steps, list):
        reader.problem("plan", "steps", "ожидается список шагов")
        raw_steps = []
    for index, item in enumerate(raw_steps or [], 1):
        step_id = item.get("id") if isinstance(item, dict) else None
        where = f"plan → steps[{index}]" + (f" «{step_id}»" if step_id else "")
        item = reader.mapping(item, where, "steps",
                              {"id", "stage", "topic", "when", "title", "do", "take", "where", "where_guide",
                               "guide", "help", "tool", "facts", "notes", "places"},
                              required=("id", "stage", "topic", "title", "do", "guide"))
        if not item:
            continue
        if not isinstance(step_id, str) or not ID_RE.match(step_id):
            reader.problem(where, "id", "латиница в нижнем регистре и дефисы")
        elif step_id in seen:
            reader.problem(where, "id", "такой id уже есть")
        seen.add(step_id)
        if item.get("stage") not in STAGES:
            reader.problem(where, "stage", f"одно из: {', '.join(STAGES)}")
        if item.get("topic") not in TOPICS:
            reader.problem(where, "topic", f"одно из: {', '.join(sorted(TOPICS))}")
        if item.get("help") is not None and item["help"] not in HELP_KINDS:
            reader.problem(where, "help", f"одно из: {', '.join(HELP_KINDS)}")
        if item.get("tool") is not None and item["tool"] not in TOOLS:
            reader.problem(where, "tool", f"одно из: {', '.join(sorted(TOOLS))}")
        if item.get("where_guide") and not item.get("where"):
            reader.problem(where, "where_guide", "нужно и поле where — куда идти")
        rule = StepRule(
            id=str(step_id), stage=item.get("stage"), topic=item.get("topic"),
            when=reader.condition(item.get("when"), where, questions, flow),
            title=reader.text(item.get("title"), where, "title"),
            do=reader.text(item.get("do"), where, "do"),
            guide=reader.guide(item.get("guide"), where, "guide"),
            take=reader.texts(item.get("take"), where, "take"),
            where=reader.text(item.get("where"), where, "where", required=False),
            where_guide=reader.guide(item.get("where_guide"), where, "where_guide", required=False),
            help=item.get("help"), tool=item.get("tool"),
            facts=reader.fact_ids(item.get("facts"), where, facts),
            notes=reader.notes(item.get("notes"), where, "notes", questions, flow, facts),
            places=reader.place_kinds(item.get("places"), where))
        steps.append(rule)
    return flow, stages, tuple(steps)


def _read_benefit(reader, data, questions, facts):
    part = reader.mapping(data.get("benefit"), "benefit", "benefit",
                          {"questions", "outcomes", "rules", "amounts"},
                          required=("questions", "outcomes", "rules", "amounts"))
    flow = _read_flow_questions(reader, part, "benefit", questions) if part else ()
    outcomes = {}
    raw_outcomes = part.get("outcomes") if part else None
    if isinstance(raw_outcomes, dict):
        keys = {("yes" if k is True else "no" if k is False else k) for k in raw_outcomes}
        if keys != set(OUTCOMES) or any(isinstance(k, bool) for k in raw_outcomes):
            reader.problem("benefit", "outcomes",
                           'нужны ровно три итога: "yes", "probably", "no" (в кавычках)')
        for code in OUTCOMES:
            item = raw_outcomes.get(code)
            where = f"benefit → outcomes «{code}»"
            item = reader.mapping(item, where, code, {"title", "lead", "next"}, required=("title", "lead"))
            if not item:
                continue
            title = reader.text(item.get("title"), where, "title")
            lead = reader.text(item.get("lead"), where, "lead")
            next_steps = reader.notes(item.get("next"), where, "next", questions, flow, facts,
                                      with_guide=True)
            if title and lead:
                outcomes[code] = Outcome(code, title, lead, next_steps)
    rules, seen = [], set()
    raw_rules = part.get("rules") if part else None
    for index, item in enumerate(raw_rules if isinstance(raw_rules, list) else [], 1):
        rule_id = item.get("id") if isinstance(item, dict) else None
        where = f"benefit → rules[{index}]" + (f" «{rule_id}»" if rule_id else "")
        item = reader.mapping(item, where, "rules", {"id", "when", "outcome", "reason", "facts", "next"},
                              required=("id", "reason"))
        if not item:
            continue
        if not isinstance(rule_id, str) or not ID_RE.match(rule_id) or rule_id in seen:
            reader.problem(where, "id", "латиница в нижнем регистре и дефисы, без повторов")
        seen.add(rule_id)
        outcome = item.get("outcome")
        if outcome is not None and outcome not in OUTCOMES:
            reader.problem(where, "outcome", 'одно из: "yes", "probably", "no" (в кавычках)')
            outcome = None
        reason = reader.text(item.get("reason"), where, "reason")
        if reason:
            rules.append(BenefitRule(
                str(rule_id), reader.condition(item.get("when"), where, questions, flow), reason, outcome,
                reader.fact_ids(item.get("facts"), where, facts),
                reader.notes(item.get("next"), where, "next", questions, flow, facts, with_guide=True)))
    amounts = reader.notes(part.get("amounts") if part else None, "benefit", "amounts", questions, flow,
                           facts)
    for index, amount in enumerate(amounts, 1):
        if not amount.facts:
            reader.problem(f"benefit → amounts[{index}]", "facts", "у суммы нужен факт с годом и источником")
    return flow, outcomes, tuple(rules), amounts


def _check_every_combination(reader, rules):
    """Walk every set of answers: each must give a non-empty plan and a benefit outcome."""
    # any() stops at the first step that applies, so walking thousands of answer sets stays cheap at start-up.
    empty = [answers for answers in rules.combinations("plan")
             if not any(step.when.matches(answers) for step in rules.steps)]
    for answers in empty[:3]:
        reader.problem("plan", "steps", f"при ответах {describe_answers(answers)} план пустой")
    undecided = [answers for answers in rules.combinations("benefit")
                 if not any(r.outcome and r.when.matches(answers) for r in rules.benefit_rules)]
    for answers in undecided[:3]:
        reader.problem("benefit", "rules", f"при ответах {describe_answers(answers)} ни одно правило не даёт итога")


def load_rules(path, guide_keys):
    """Read and validate the rules file; raise ContentError listing every problem with its file and field."""
    path = Path(path)
    name = path.name
    try:
        data = load_yaml_file(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ContentError([f"{name}: не читается как YAML: {error}"]) from error
    reader = _Reader(name, set(guide_keys))
    data = reader.mapping(data, "", "файл", {"updated", "questions", "plan", "benefit", "facts"},
                          required=("updated", "questions", "plan", "benefit", "facts"))
    if not data:
        raise ContentError(reader.problems)
    if data.get("updated") is not None and not isinstance(data.get("updated"), date):
        reader.problem("", "updated", "дата в виде ГГГГ-ММ-ДД")
    questions = _read_questions(reader, data)
    facts = _read_facts(reader, data)
    plan_flow, stages, steps = _read_plan(reader, data, questions, facts)
    benefit_flow, outcomes, benefit_rules, amounts = _read_benefit(reader, data, questions, facts)
    if reader.problems:
        raise ContentError(reader.problems)
    rules = Rules(path, data["updated"], questions, {"plan": plan_flow, "benefit": benefit_flow}, stages,
                  steps,
                  outcomes, benefit_rules, amounts, facts)
    _check_every_combination(reader, rules)
    if reader.problems:
        raise ContentError(reader.problems)
    return rules


def check_rules(content_dir, guide_keys, echo=print):
    """`flask content check` for plan.yaml: print its problems or a one-line summary; True when valid."""
    path = Path(content_dir) / RULES_FILE
    if not path.exists():
        return True
    try:
        rules = load_rules(path, guide_keys)
    except ContentError as error:
        echo("Ошибки в правилах «Моего плана»:")
        for problem in error.problems:
            echo(f"  ✗ {problem}")
        return False
    plans = sum(1 for _ in rules.combinations("plan"))
    echo(f"«Мой план»: вопросов {len(rules.questions)}, шагов {len(rules.steps)}, фактов {len(rules.facts)}; "
         f"проверено сочетаний ответов: {plans} для плана, "
         f"{sum(1 for _ in rules.combinations('benefit'))} для пособия.")
    return True
