"""«Мой план»: the rules file's data (portal/content/plan.yaml), the plan builder, the benefit check.

The rules are data: questions with coded answers, ordered plan steps with conditions, benefit-check rules and
facts with their sources. They are loaded and validated once at start-up (portal/plan/loading.py); a bad file
stops the app with a message naming the file and the field, like the guides. Answers live only in the page
address, so these functions take a plain dict of answers and nothing a visitor answers is ever stored.
"""
import itertools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app

RULES_FILE = "plan.yaml"
FLOWS = ("plan", "benefit")
STAGES = ("before", "after")
TOPICS = {"documents", "housing", "centre", "benefit", "probation", "duties", "job", "training", "health", "family"}
TOOLS = {"benefit_check", "vacancy_search"}
OUTCOMES = ("yes", "probably", "no")  # from best to worst: the worst matching rule decides
RELIABILITY = ("high", "medium", "low")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# "1.6" is a section of facts-ru.md; "д4.4" one of its December 2026 supplement, facts-ru-2026-12.md.
SECTION_RE = re.compile(r"^д?\d+(?:\.\d+)*(?:, ?д?\d+(?:\.\d+)*)*$")
MONEY_RE = re.compile(r"₽|\bруб(?:\.|л)", re.I)
# Query parameters the pages use themselves, so no question may be called that.
RESERVED_PARAMS = {"step", "lang_code", "help"}


# ---------------------------------------------------------------- the model

@dataclass(frozen=True)
class Text:
    """A piece of content in Russian, optionally translated into English."""
    ru: str
    en: str | None = None

    def get(self, lang):
        return self.en if lang == "en" and self.en else self.ru

    def has(self, lang):
        return lang == "ru" or (lang == "en" and bool(self.en))

    def paragraphs(self, lang):
        return [p.strip() for p in re.split(r"\n\s*\n", self.get(lang)) if p.strip()]

    def __str__(self):
        return self.ru


@dataclass(frozen=True)
class Question:
    id: str
    text: Text
    short: Text
    answers: dict  # code -> Text, in the order they are offered
    hint: Text | None = None
    items: tuple = ()

    def translated(self, lang):
        texts = [self.text, self.short, *self.answers.values(), *self.items]
        texts += [self.hint] if self.hint else []
        return all(t.has(lang) for t in texts)


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Fact:
    id: str
    text: Text
    section: str
    sources: tuple
    date: str
    reliability: str
    year: int | None = None
    inline: bool = False


@dataclass(frozen=True)
class Condition:
    """{question: allowed answers}: matches when every listed question has one of its allowed answers."""
    required: tuple = ()  # ((question id, frozenset of codes), ...)

    def matches(self, answers):
        return all(answers.get(question) in codes for question, codes in self.required)


@dataclass(frozen=True)
class Note:
    """A sentence added to a step, a reason or an amount when its own condition matches."""
    when: Condition
    text: Text
    facts: tuple = ()
    guide: str | None = None


@dataclass(frozen=True)
class StepRule:
    id: str
    stage: str
    topic: str
    when: Condition
    title: Text
    do: Text
    guide: str
    take: tuple = ()
    where: Text | None = None
    where_guide: str | None = None
    help: str | None = None
    tool: str | None = None
    facts: tuple = ()
    notes: tuple = ()
    places: tuple = ()  # kinds of place (portal/places) whose current entries the step shows

    def texts(self):
        return [self.title, self.do, *self.take, *([self.where] if self.where else []),
                *(note.text for note in self.notes)]


@dataclass(frozen=True)
class PlanStep:
    """One step of one person's plan: the rule, its number and the notes that apply."""
    number: int
    rule: StepRule
    notes: tuple

    @property
    def facts(self):
        return _unique([*self.rule.facts, *(f for note in self.notes for f in note.facts)])

    def translated(self, lang):
        return all(t.has(lang) for t in [self.rule.title, self.rule.do, *self.rule.take,
                                         *([self.rule.where] if self.rule.where else []),
                                         *(note.text for note in self.notes)])


@dataclass(frozen=True)
class BenefitRule:
    id: str
    when: Condition
    reason: Text
    outcome: str | None = None
    facts: tuple = ()
    next: tuple = ()


@dataclass(frozen=True)
class Outcome:
    code: str
    title: Text
    lead: Text
    next: tuple = ()


@dataclass(frozen=True)
class BenefitResult:
    outcome: Outcome
    reasons: tuple  # BenefitRule, in file order
    amounts: tuple  # Note
    next_steps: tuple  # Note

    @property
    def facts(self):
        items = [*self.reasons, *self.amounts, *self.next_steps]
        return _unique([f for item in items for f in item.facts])


@dataclass(frozen=True)
class Rules:
    path: Path
    updated: date
    questions: dict
    flows: dict  # flow name -> tuple of question ids
    stages: dict  # stage -> Text
    steps: tuple
    outcomes: dict
    benefit_rules: tuple
    amounts: tuple
    facts: dict

    def flow_questions(self, flow):
        return [self.questions[q] for q in self.flows[flow]]

    def combinations(self, flow):
        """Every possible set of answers to a flow's questions: the space is small enough to walk."""
        questions = self.flow_questions(flow)
        for codes in itertools.product(*(list(q.answers) for q in questions)):
            yield dict(zip((q.id for q in questions), codes, strict=True))


def _unique(items):
    return list(dict.fromkeys(items))


def describe_answers(answers):
    return ", ".join(f"{q}={a}" for q, a in answers.items())


# ---------------------------------------------------------------- answers, plan and benefit check

def read_answers(rules, flow, args):
    """Valid answers from a query string (first value of each), and the questions whose value was not valid.

    Unknown parameters (utm_*, a messenger's own additions) are ignored; nothing here can raise on input.
    """
    answers, invalid = {}, set()
    for question in rules.flow_questions(flow):
        value = args.get(question.id)
        if value is None or value == "":
            continue
        if value in question.answers:
            answers[question.id] = value
        else:
            invalid.add(question.id)
    return answers, invalid


def first_missing(rules, flow, answers):
    """Index of the first question without an answer, or None when the flow is complete."""
    for index, question_id in enumerate(rules.flows[flow]):
        if question_id not in answers:
            return index
    return None


def ordered_answers(rules, flow, answers):
    """The answers in question order: the same plan always gets the same, canonical address."""
    return {q: answers[q] for q in rules.flows[flow] if q in answers}


def build_plan(answers, rules=None):
    """The ordered steps for these answers: the file's order, each step kept when its condition matches."""
    rules = rules or get_rules()
    steps = []
    for rule in rules.steps:
        if rule.when.matches(answers):
            notes = tuple(note for note in rule.notes if note.when.matches(answers))
            steps.append(PlanStep(len(steps) + 1, rule, notes))
    return steps


def plan_stages(steps):
    """[(stage, steps)] in stage order, leaving out stages with no steps."""
    return [(stage, [s for s in steps if s.rule.stage == stage]) for stage in STAGES
            if any(s.rule.stage == stage for s in steps)]


def place_steps(steps):
    """{kind of place: number of the first step naming it}: a plan lists a kind's places once, later steps
    point back to that step, so a printed plan does not repeat the same addresses on every page."""
    first = {}
    for step in steps:
        for kind in step.rule.places:
            first.setdefault(kind, step.number)
    return first


def help_codes(steps):
    """The kinds of help a plan points to, for pre-ticking them on the application form."""
    return _unique([s.rule.help for s in steps if s.rule.help])


def benefit_check(answers, rules=None):
    """Can these answers get the benefit? Outcome yes/probably/no, reasons, amounts and next steps."""
    rules = rules or get_rules()
    reasons = tuple(r for r in rules.benefit_rules if r.when.matches(answers))
    worst = max((OUTCOMES.index(r.outcome) for r in reasons if r.outcome), default=None)
    if worst is None:  # load_rules proves this cannot happen for complete answers
        raise ValueError("no benefit rule decides these answers: " + describe_answers(answers))
    outcome = rules.outcomes[OUTCOMES[worst]]
    amounts = tuple(a for a in rules.amounts if a.when.matches(answers))
    next_steps = [n for r in reasons for n in r.next if n.when.matches(answers)]
    next_steps += [n for n in outcome.next if n.when.matches(answers)]
    unique = tuple({(n.text, n.guide): n for n in next_steps}.values())
    return BenefitResult(outcome, reasons, amounts, unique)


def facts_for(rules, fact_ids):
    return [rules.facts[f] for f in _unique(fact_ids) if f in rules.facts]


def get_rules():
    return current_app.extensions["plan"]
