"""«Судимость и работа»: the rules file (content/conviction.yaml) and the plain functions that apply it.

`load_rules` reads and validates the file once at start-up; a bad file raises ContentError naming the file
and the field. `expungement_date` applies УК РФ ст. 86 and ст. 95 to a set of answers: the period runs from
the LATER of the end of the main and of the additional punishment (ст. 86 ч. 4), after a replacement by a
milder punishment from the end of that punishment, and for a suspended sentence from the verdict plus the
probation period (ст. 73 ч. 3). Where the law or the answers leave the day open, the functions give the
later day or none, never an earlier one. `expungement` explains the day for the answer page, `assess_all`
sorts the bans of the file for one conviction, and `next_question` turns a query string into valid
answers, problems and the question to show. Nothing here touches a request, a log or a database.
"""
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from portal.clock import today_local
from portal.guides.content import ContentError
from portal.yaml_files import load_yaml_file

PRISON, SUSPENDED, MILDER = "lishenie-svobody", "uslovno", "drugoe"
SENTENCE_IDS = (PRISON, SUSPENDED, MILDER)
CATEGORY_IDS = ("nebolshoy", "sredney", "tyazhkoe", "osobo-tyazhkoe")
GRAVE = ("tyazhkoe", "osobo-tyazhkoe")
YES, NO, UNKNOWN = "da", "net", "ne-znayu"
MINOR, ADULT = "do-18", "18-i-starshe"
BEFORE_CHANGE = {YES: True, NO: False, UNKNOWN: None}
AFTER_EXPUNGEMENT = ("lifted", "stays", "unknown")
CONFIDENCE = ("высокая", "средняя", "низкая")
SOURCE_TYPES = ("law", "authority", "other")  # the order of the source list on the answer page
CONDITION_IDS = ("additional-unknown", "replacement-unknown", "replacement-period", "probation-extension",
                 "suspended-additional", "milder-especially-grave")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The questions, one per screen, in the order they are asked; a screen asks for one or more parameters.
SCREENS = ("vid", "tyazhest", "vozrast", "nakazanie", "zamena", "data", "prigovor", "srok", "dop", "dop_data",
           "do2013")
SCREEN_PARAMS = {"srok": ("srok_let", "srok_mes")}
DATE_PARAMS = ("data", "prigovor", "dop_data")
FIELDS = tuple(param for screen in SCREENS for param in SCREEN_PARAMS.get(screen, (screen,)))

EARLIEST_DATE = date(1950, 1, 1)  # an end of sentence before this is surely a typo
YEARS_AHEAD = 30                  # a planned release date may lie this far in the future
MAX_VALUE_CHARS = 40              # longer query values are cut before they are read or shown back
PROBATION_MONTHS = (6, 72)        # ст. 73 ч. 3: 6 months to 5 years, plus up to 1 year of extension (ст. 74 ч. 2)
PROBATION_YEARS_MAX = 6


def screen_params(screen):
    return SCREEN_PARAMS.get(screen, (screen,))


# ---------------------------------------------------------------- the rules file

@dataclass(frozen=True)
class Source:
    title: str
    url: str | None
    type: str = "other"


@dataclass(frozen=True)
class Rule:
    """One sourced statement: what the law says, where, and how sure the facts are."""
    article: str
    text: str
    facts: str
    confidence: str
    sources: tuple


@dataclass(frozen=True)
class Choice:
    id: str
    labels: dict

    def label(self, lang="ru"):
        return self.labels.get(lang) or self.labels["ru"]


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    chapter: int | None


@dataclass(frozen=True)
class Kind(Choice):
    groups: tuple = ()
    chapter_unknown: str = ""


@dataclass(frozen=True)
class Period:
    months: int
    article: str
    text: str
    months_before_change: int | None = None
    text_before_change: str = ""


@dataclass(frozen=True)
class SentencePeriods:
    """The periods for one kind of sentence: one for every category, or one per category."""
    default: Period | None
    by_category: dict

    def get(self, category):
        """The period for this category; None when it depends on a category that is not known."""
        if category in self.by_category:
            return self.by_category[category]
        if category == UNKNOWN and self.by_category:
            return None
        return self.default


@dataclass(frozen=True)
class Crime:
    text: str
    kinds: tuple


@dataclass(frozen=True)
class Clause:
    """What one sentence of a law covers: chapter groups, named crimes or any chapter, categories, intent."""
    groups: tuple = ()
    crimes: tuple = ()
    any_chapter: bool = False
    categories: tuple | None = None  # None: every category
    intentional_only: bool = False
    after_expungement: str = "unknown"
    stays_for: tuple = ()
    text: str = ""


@dataclass(frozen=True)
class Exception_:  # noqa: N801 (a rule's exception, not a Python exception)
    categories: tuple
    not_groups: tuple
    rule: Rule


@dataclass(frozen=True)
class Ban:
    id: str
    title: str
    short: str
    work: str
    rule: Rule                 # article, the covers text, facts, confidence, sources
    instead: str
    groups: tuple = ()
    crimes: tuple = ()
    any_chapter: bool = False
    categories: tuple | None = None  # None: every category
    intentional_only: bool = False
    after_expungement: str = "unknown"
    stays_for: tuple = ()
    after_note: str = ""
    unknown: bool = False
    covered_by: str | None = None
    category_notes: tuple = ()  # ((category id, note), ...)
    exception: Exception_ | None = None
    also: tuple = ()            # more Clauses of the same law (ст. 351.1 through ст. 331 абз. 4)

    @property
    def main(self):
        return Clause(self.groups, self.crimes, self.any_chapter, self.categories, self.intentional_only,
                      self.after_expungement, self.stays_for)


@dataclass(frozen=True)
class Rules:
    name: str
    reviewed_by_lawyer: date | None
    updated: date
    groups: dict
    chapters: Rule
    kinds: tuple
    categories: tuple
    category_rule: Rule
    sentences: tuple
    expungement: Rule
    adult: dict                # sentence id -> SentencePeriods (УК РФ ст. 86 ч. 3)
    minors: Rule
    minor_periods: dict        # sentence id -> SentencePeriods (УК РФ ст. 95)
    change_date: date
    explained: dict            # change, parole, replacement, additional, suspended, court, automatic, effect
    conditions: dict           # condition id -> Rule, said above the date when it applies
    court_ban: Rule
    obligations: Rule
    guides: dict               # purpose -> candidate guide keys
    bans: tuple
    employer: tuple

    def kind(self, kind_id):
        return next(k for k in self.kinds if k.id == kind_id)

    def ban(self, ban_id):
        return next(b for b in self.bans if b.id == ban_id)

    def period(self, minor, sentence, category):
        """The period for this sentence and category (ст. 95 for a crime before 18, ст. 86 otherwise);
        None when it depends on a category that is not known."""
        return (self.minor_periods if minor else self.adult)[sentence].get(category)

    def __getattr__(self, name):
        # rules.parole, rules.court ...: the explained rules by name
        explained = self.__dict__.get("explained") or {}
        if name in explained:
            return explained[name]
        raise AttributeError(name)


class _Reader:
    """Reads one YAML mapping field by field and collects every problem as «file: поле «x»: what»."""

    def __init__(self, name, sources):
        self.name = name
        self.sources = sources
        self.problems = []

    def problem(self, where, message):
        self.problems.append(f"{self.name}: поле «{where}»: {message}")

    def mapping(self, value, where):
        if not isinstance(value, dict):
            self.problem(where, "ожидается словарь (ключ: значение)")
            return {}
        return value

    def items(self, value, where):
        if not isinstance(value, list) or not value:
            self.problem(where, "ожидается непустой список")
            return []
        return value

    def text(self, data, key, where, required=True):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value is None and not required:
            return ""
        self.problem(f"{where}.{key}", "не заполнено" if value in (None, "") else "должно быть строкой")
        return ""

    def integer(self, data, key, where, required=True):
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.problem(f"{where}.{key}", "целое число, не меньше 0")
            return 0
        return value

    def flag(self, data, key, where):
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(f"{where}.{key}", "true или false")
            return False
        return value

    def ids(self, data, key, where, allowed, required=False):
        value = data.get(key)
        if value is None and not required:
            return ()
        if not isinstance(value, list) or (required and not value):
            self.problem(f"{where}.{key}", "список кодов")
            return ()
        unknown = [item for item in value if item not in allowed]
        if unknown:
            self.problem(f"{where}.{key}", f"неизвестные коды: {', '.join(map(str, unknown))} "
                                           f"(есть: {', '.join(allowed)})")
        return tuple(item for item in value if item in allowed)

    def labels(self, data, key, where):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return {"ru": value.strip()}
        if not isinstance(value, dict) or not isinstance(value.get("ru"), str) or not value["ru"].strip():
            self.problem(f"{where}.{key}", "нужен текст ru (и, по желанию, en)")
            return {"ru": "?"}
        return {lang: text.strip() for lang, text in value.items() if isinstance(text, str) and text.strip()}

    def rule(self, data, where, text_key="text", allow_no_sources=False):
        data = self.mapping(data, where)
        article = self.text(data, "article", where)
        text = self.text(data, text_key, where)
        facts = str(data.get("facts") or "").strip()
        if not facts:
            self.problem(f"{where}.facts", "не заполнено: раздел справки facts-ru.md")
        confidence = data.get("confidence")
        if confidence not in CONFIDENCE:
            self.problem(f"{where}.confidence", f"одно из: {', '.join(CONFIDENCE)}")
        source_ids = data.get("sources")
        if not isinstance(source_ids, list) or (not source_ids and not allow_no_sources):
            self.problem(f"{where}.sources", "список кодов источников из раздела sources")
            source_ids = []
        missing = [s for s in source_ids if s not in self.sources]
        if missing:
            self.problem(f"{where}.sources", f"нет таких источников: {', '.join(map(str, missing))}")
        sources = tuple(self.sources[s] for s in source_ids if s in self.sources)
        return Rule(article, text, facts, confidence if confidence in CONFIDENCE else "низкая", sources)


TOP_LEVEL = {"reviewed_by_lawyer", "updated", "sources", "groups", "chapters", "kinds", "categories",
             "category_rule", "sentences", "expungement", "court_ban", "obligations", "guides", "bans",
             "employer"}
EXPLAINED = ("change", "parole", "replacement", "additional", "suspended", "court", "automatic", "effect")


RULES_FILE = "conviction.yaml"


def check_rules_file(content_dir, guide_keys, echo=print):
    """`flask content check` for conviction.yaml: print its problems or a one-line summary; True when valid."""
    path = Path(content_dir) / RULES_FILE
    if not path.exists():
        return True
    try:
        rules = load_rules(path)
    except ContentError as error:
        echo("Ошибки в правилах проверки судимости:")
        for problem in error.problems:
            echo(f"  ✗ {problem}")
        return False
    echo(f"«Судимость и работа»: видов статей {len(rules.kinds)}, сроков {len(rules.sentences)}, "
         f"запретов {len(rules.bans)}; правила от {rules.updated:%d.%m.%Y}.")
    return True


def load_rules(path, today=None):
    """Read and validate conviction.yaml; raise ContentError listing every problem with its file and field."""
    path = Path(path)
    name = path.name
    try:
        data = load_yaml_file(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ContentError([f"{name}: не читается: {error}"]) from error
    if not isinstance(data, dict):
        raise ContentError([f"{name}: ожидается словарь с разделами {', '.join(sorted(TOP_LEVEL))}"])
    today = today or today_local()

    sources, early = _read_sources(name, data.get("sources"))
    reader = _Reader(name, sources)
    reader.problems.extend(early)
    for unknown in sorted(set(data) - TOP_LEVEL):
        reader.problem(unknown, "неизвестный раздел")

    reviewed = data.get("reviewed_by_lawyer")
    if reviewed is not None and (not isinstance(reviewed, date) or reviewed > today):
        reader.problem("reviewed_by_lawyer",
                       "пусто или дата проверки юристом в виде ГГГГ-ММ-ДД, не в будущем")
        reviewed = None
    updated = data.get("updated")
    if not isinstance(updated, date):
        reader.problem("updated", "дата в виде ГГГГ-ММ-ДД")
        updated = today

    groups = {}
    for group_id, item in reader.mapping(data.get("groups"), "groups").items():
        where = f"groups.{group_id}"
        item = reader.mapping(item, where)
        if not ID_RE.match(str(group_id)):
            reader.problem(where, "код — латиница в нижнем регистре и дефисы")
        groups[group_id] = Group(group_id, reader.text(item, "name", where),
                                 reader.integer(item, "chapter", where, required=False))

    kinds = []
    for index, item in enumerate(reader.items(data.get("kinds"), "kinds")):
        where = f"kinds[{index}]"
        item = reader.mapping(item, where)
        kind_id = _choice_id(reader, item, where)
        kind_groups = reader.ids(item, "groups", where, tuple(groups), required=False)
        if not isinstance(item.get("groups"), list):
            reader.problem(f"{where}.groups", "список групп глав (пустой, если глава не известна)")
        chapter_unknown = reader.text(item, "chapter_unknown", where, required=not kind_groups)
        kinds.append(Kind(kind_id, reader.labels(item, "label", where), kind_groups, chapter_unknown))
    _unique(reader, "kinds", [k.id for k in kinds])

    categories = _choices(reader, data.get("categories"), "categories", CATEGORY_IDS)
    sentences = _choices(reader, data.get("sentences"), "sentences", SENTENCE_IDS)

    exp = reader.mapping(data.get("expungement"), "expungement")
    expungement = reader.rule({**exp, "text": exp.get("article")}, "expungement")
    adult = _read_sentence_periods(reader, reader.mapping(exp.get("adult"), "expungement.adult"),
                                   "expungement.adult", may_change=True)
    minors_data = reader.mapping(exp.get("minors"), "expungement.minors")
    minors = reader.rule(minors_data, "expungement.minors")
    minor_periods = _read_sentence_periods(
        reader, reader.mapping(minors_data.get("periods"), "expungement.minors.periods"),
        "expungement.minors.periods", may_change=False)
    change_data = reader.mapping(exp.get("change"), "expungement.change")
    change_date = change_data.get("date")
    if not isinstance(change_date, date):
        reader.problem("expungement.change.date", "дата в виде ГГГГ-ММ-ДД")
        change_date = date(2013, 8, 3)
    explained = {part: reader.rule(exp.get(part), f"expungement.{part}") for part in EXPLAINED}
    conditions_data = reader.mapping(exp.get("conditions"), "expungement.conditions")
    for extra in sorted(set(conditions_data) - set(CONDITION_IDS)):
        reader.problem(f"expungement.conditions.{extra}", "неизвестное условие")
    conditions = {cid: reader.rule(conditions_data.get(cid), f"expungement.conditions.{cid}")
                  for cid in CONDITION_IDS}

    guides = {}
    for purpose, keys in reader.mapping(data.get("guides", {}), "guides").items():
        if not isinstance(keys, list) or not all(isinstance(k, str) and re.match(r"^[a-z0-9-]+/[a-z0-9-]+$", k)
                                                 for k in keys):
            reader.problem(f"guides.{purpose}", "список ключей материалов вида раздел/материал")
            keys = []
        guides[purpose] = tuple(keys)

    kind_ids = tuple(k.id for k in kinds)
    bans = [_read_ban(reader, item, f"bans[{index}]", tuple(groups), kind_ids)
            for index, item in enumerate(reader.items(data.get("bans"), "bans"))]
    ban_ids = [b.id for b in bans]
    _unique(reader, "bans", ban_ids)
    for index, ban in enumerate(bans):
        if ban.covered_by is not None and ban.covered_by not in ban_ids:
            reader.problem(f"bans[{index}].covered_by", f"нет запрета «{ban.covered_by}»")

    employer = []
    for index, item in enumerate(reader.items(data.get("employer"), "employer")):
        where = f"employer[{index}]"
        employer.append((_choice_id(reader, reader.mapping(item, where), where), reader.rule(item, where)))

    rules = Rules(
        name=name, reviewed_by_lawyer=reviewed, updated=updated, groups=groups,
        chapters=reader.rule(data.get("chapters"), "chapters"), kinds=tuple(kinds), categories=categories,
        category_rule=reader.rule(data.get("category_rule"), "category_rule"), sentences=sentences,
        expungement=expungement, adult=adult, minors=minors, minor_periods=minor_periods,
        change_date=change_date, explained=explained, conditions=conditions,
        court_ban=reader.rule(data.get("court_ban"), "court_ban"),
        obligations=reader.rule(data.get("obligations"), "obligations"), guides=guides, bans=tuple(bans),
        employer=tuple(employer))
    if reader.problems:
        raise ContentError(reader.problems)
    return rules


def _read_sources(name, value):
    if not isinstance(value, dict) or not value:
        return {}, [f"{name}: поле «sources»: словарь источников (код: title, url, type)"]
    sources, problems = {}, []
    for source_id, item in value.items():
        where = f"{name}: поле «sources.{source_id}»"
        if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"].strip():
            problems.append(f"{where}: нет title")
            continue
        url = item.get("url")
        if url is not None and not re.match(r"^https?://\S+$", str(url)):
            problems.append(f"{where}: url должен начинаться с http:// или https://")
            continue
        kind = item.get("type")
        if kind not in SOURCE_TYPES:
            problems.append(f"{where}: type — одно из: {', '.join(SOURCE_TYPES)}")
            continue
        sources[source_id] = Source(item["title"].strip(), url, kind)
    return sources, problems


def _choice_id(reader, item, where):
    value = item.get("id")
    if not isinstance(value, str) or not ID_RE.match(value):
        reader.problem(f"{where}.id", "код — латиница в нижнем регистре и дефисы")
        return f"?{where}"
    return value


def _unique(reader, where, ids):
    for repeated in sorted({i for i in ids if ids.count(i) > 1}):
        reader.problem(where, f"код «{repeated}» повторяется")


def _choices(reader, value, where, expected):
    """Choices whose ids the code depends on: exactly `expected`, in that order."""
    choices = []
    for index, item in enumerate(reader.items(value, where)):
        item = reader.mapping(item, f"{where}[{index}]")
        choices.append(Choice(_choice_id(reader, item, f"{where}[{index}]"),
                              reader.labels(item, "label", f"{where}[{index}]")))
    if tuple(c.id for c in choices) != expected:
        reader.problem(where, f"коды должны быть ровно такими и в таком порядке: {', '.join(expected)}")
    return tuple(choices)


def _months(reader, item, where, years_key, months_key):
    years = reader.integer(item, years_key, where, required=False)
    months = reader.integer(item, months_key, where, required=False)
    if years is None and months is None:
        return None
    return (years or 0) * 12 + (months or 0)


def _read_period(reader, item, where, may_change):
    item = reader.mapping(item, where)
    months = _months(reader, item, where, "years", "months")
    if months is None:
        reader.problem(f"{where}.years", "целое число лет (или months — месяцев), не меньше 0")
        months = 0
    before = _months(reader, item, where, "years_before_change", "months_before_change") if may_change else None
    text_before = ""
    if before is not None:
        text_before = reader.text(item, "text_before_change", where)
        if before > months:
            reader.problem(f"{where}.years_before_change", "прежний срок не может быть длиннее нового")
    return Period(months, reader.text(item, "article", where), reader.text(item, "text", where), before,
                  text_before)


def _read_sentence_periods(reader, data, where, may_change):
    periods = {}
    for sentence in SENTENCE_IDS:
        item = reader.mapping(data.get(sentence), f"{where}.{sentence}")
        by_category = {}
        for category, sub in reader.mapping(item.get("categories", {}), f"{where}.{sentence}.categories").items():
            if category not in CATEGORY_IDS:
                reader.problem(f"{where}.{sentence}.categories.{category}", "неизвестная категория")
                continue
            by_category[category] = _read_period(reader, sub, f"{where}.{sentence}.categories.{category}",
                                                 may_change)
        has_default = any(key in item for key in ("years", "months"))
        default = _read_period(reader, item, f"{where}.{sentence}", may_change) if has_default else None
        if default is None and set(by_category) != set(CATEGORY_IDS):
            reader.problem(f"{where}.{sentence}", "нужен срок (years) или срок для каждой категории")
        periods[sentence] = SentencePeriods(default, by_category)
    return periods


def _read_clause(reader, item, where, group_ids, kind_ids, text_required=False):
    crimes = []
    for index, crime in enumerate(item.get("crimes") or []):
        crime = reader.mapping(crime, f"{where}.crimes[{index}]")
        crimes.append(Crime(reader.text(crime, "text", f"{where}.crimes[{index}]"),
                            reader.ids(crime, "kinds", f"{where}.crimes[{index}]", kind_ids, required=True)))
    after = item.get("after_expungement", "unknown")
    if after not in AFTER_EXPUNGEMENT:
        reader.problem(f"{where}.after_expungement", f"одно из: {', '.join(AFTER_EXPUNGEMENT)}")
        after = "unknown"
    return Clause(
        groups=reader.ids(item, "groups", where, group_ids), crimes=tuple(crimes),
        any_chapter=reader.flag(item, "any_chapter", where),
        categories=reader.ids(item, "categories", where, CATEGORY_IDS) if "categories" in item else None,
        intentional_only=reader.flag(item, "intentional_only", where), after_expungement=after,
        stays_for=reader.ids(item, "stays_for", where, CATEGORY_IDS),
        text=reader.text(item, "text", where, required=text_required))


def _read_ban(reader, item, where, group_ids, kind_ids):
    item = reader.mapping(item, where)
    ban_id = _choice_id(reader, item, where)
    unknown = reader.flag(item, "unknown", where)
    rule = reader.rule(item, where, text_key="covers", allow_no_sources=unknown)
    main = _read_clause(reader, item, where, group_ids, kind_ids)
    if not unknown and not main.any_chapter and not main.groups and not main.crimes:
        reader.problem(where, "укажите groups, crimes или any_chapter: true (или unknown: true)")
    also = []
    for index, extra in enumerate(item.get("also") or []):
        extra_where = f"{where}.also[{index}]"
        clause = _read_clause(reader, reader.mapping(extra, extra_where), extra_where, group_ids, kind_ids,
                              text_required=True)
        if not clause.any_chapter and not clause.groups and not clause.crimes:
            reader.problem(extra_where, "укажите groups, crimes или any_chapter: true")
        also.append(clause)
    notes = item.get("category_notes") or {}
    if not isinstance(notes, dict) or not set(notes) <= set(CATEGORY_IDS) or not all(
            isinstance(n, str) and n.strip() for n in notes.values()):
        reader.problem(f"{where}.category_notes", "словарь: код категории → текст")
        notes = {}
    exception = None
    if item.get("exception") is not None:
        ex = reader.mapping(item["exception"], f"{where}.exception")
        exception = Exception_(reader.ids(ex, "categories", f"{where}.exception", CATEGORY_IDS,
                                          required=True),
                               reader.ids(ex, "not_groups", f"{where}.exception", group_ids),
                               reader.rule(ex, f"{where}.exception"))
    covered_by = item.get("covered_by")
    return Ban(
        id=ban_id, title=reader.text(item, "title", where), short=reader.text(item, "short", where),
        work=reader.text(item, "work", where), rule=rule, instead=reader.text(item, "instead", where),
        groups=main.groups, crimes=main.crimes, any_chapter=main.any_chapter, categories=main.categories,
        intentional_only=main.intentional_only, after_expungement=main.after_expungement,
        stays_for=main.stays_for,
        after_note=reader.text(item, "after_note", where, required=bool(main.stays_for)), unknown=unknown,
        covered_by=str(covered_by) if covered_by is not None else None,
        category_notes=tuple((c, n.strip()) for c, n in notes.items()), exception=exception, also=tuple(also))


# ---------------------------------------------------------------- dates

def add_months(start, months):
    """`start` plus whole months; a day the target month lacks (29–31) becomes the 1st of the next month.

    Of the two possible days (the last of the short month, the 1st of the next) we take the later one, so
    the page never calls a conviction expunged a day before the law surely does (docs/conviction-check.md).
    """
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    try:
        return date(year, month, start.day)
    except ValueError:
        return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def add_years(start, years):
    """`start` plus whole years; 29 February in a year without one becomes 1 March."""
    return add_months(start, 12 * years)


DATE_PATTERNS = (re.compile(r"^(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})$"),
                 re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"))


def parse_date(text):
    """'2024-03-15' (what <input type=date> sends) or '15.03.2024' (typed) -> date; ValueError otherwise.
    Spaces are ignored ('15. 03. 2024'); '15/03/2024' and '15-03-2024' are accepted too."""
    text = re.sub(r"\s+", "", str(text))
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
    raise ValueError("not a date")


# ---------------------------------------------------------------- expungement (УК РФ ст. 86, 95)

@dataclass(frozen=True)
class Answers:
    """Everything the person answered, as values (see `answers_from`)."""
    kind: str
    category: str
    minor: bool
    sentence: str
    end: date | None = None               # prison: the day of release, or the end of the milder replacement;
                                          # milder sentence: the day it was served
    replaced: str | None = None           # prison: was the rest replaced by a milder punishment (YES/NO/UNKNOWN)
    verdict: date | None = None           # suspended: the day the verdict was announced
    probation_months: int | None = None   # suspended: the probation period, extensions included
    additional: str = NO                  # was there an additional punishment (YES/NO/UNKNOWN)
    additional_end: date | None = None
    before_change: bool | None = None     # crime before 3 August 2013 (None: not known or not asked)

    @property
    def main_end(self):
        """The day the main punishment ended: release, the end of the replacement, of the probation period."""
        if self.sentence == SUSPENDED:
            return add_months(self.verdict, self.probation_months)
        return self.end

    @property
    def start(self):
        """The day the period runs from: the later end of the main and the additional punishment (ст. 86 ч. 4)."""
        if self.additional == YES and self.additional_end is not None:
            return max(self.main_end, self.additional_end)
        return self.main_end


def crime_before_change(rules, main_end, answer):
    """Whether the old (pre-3 August 2013) periods apply. A punishment that ended before that day was
    surely for a crime before it, whatever the answer; None means not known."""
    if main_end < rules.change_date:
        return True
    return answer


def expungement_date(rules, answers, category=None, before_change=None):
    """The day the conviction is expunged under УК РФ ст. 86 (ст. 95 for a crime before 18), or None when
    it depends on something not known: the category after real imprisonment, or whether a grave crime was
    committed before 3 August 2013. `category` and `before_change` override the answers (for the table of
    possible days). After a replacement by a milder punishment the periods for imprisonment are used, from
    the end of that punishment: the law does not say which, and these are the longer ones."""
    category = answers.category if category is None else category
    before = crime_before_change(rules, answers.main_end,
                                 answers.before_change if before_change is None else before_change)
    period = rules.period(answers.minor, answers.sentence, category)
    if period is None:
        return None
    if period.months_before_change is None:
        months = period.months
    elif before is None:
        return None
    else:
        months = period.months_before_change if before else period.months
    return add_months(answers.start, months)


@dataclass(frozen=True)
class Option:
    """One possible expungement day when the category or the 2013 answer is not known."""
    category: str
    before_change: bool | None
    date: date


@dataclass(frozen=True)
class Expungement:
    date: date | None        # the day, when one day can be named
    period: Period | None    # the rule applied for that day
    old_law: bool            # the pre-3 August 2013 period was applied
    options: tuple           # Option, ... when the category or the 2013 answer is not known
    earliest: bool           # something the person does not know can only make the day(s) later
    expunged: bool | None    # already expunged before `today`; None when that cannot be told
    start: date              # the day the period runs from
    start_from: str          # release, replacement, served, probation or additional
    conditions: tuple        # condition ids (CONDITION_IDS) to say above the date
    dates: tuple             # every day shown (the one day, or each option)

    @property
    def first(self):
        return min(self.dates)

    @property
    def last(self):
        return max(self.dates)


def conditions_for(answers):
    """What the day depends on that the answers do not settle, in the order the page says it."""
    found = []
    if answers.additional == UNKNOWN:
        found.append("additional-unknown")
    if answers.sentence == PRISON and answers.replaced == UNKNOWN:
        found.append("replacement-unknown")
    if answers.sentence == PRISON and answers.replaced == YES:
        found.append("replacement-period")
    if answers.sentence == SUSPENDED:
        found.append("probation-extension")
        if answers.additional == YES and answers.additional_end and answers.additional_end > answers.main_end:
            found.append("suspended-additional")
    if answers.sentence == MILDER and not answers.minor and answers.category in ("osobo-tyazhkoe", UNKNOWN):
        found.append("milder-especially-grave")
    return tuple(found)


def _start_from(answers):
    if answers.additional == YES and answers.additional_end and answers.additional_end > answers.main_end:
        return "additional"
    if answers.sentence == PRISON:
        return "replacement" if answers.replaced == YES else "release"
    return "probation" if answers.sentence == SUSPENDED else "served"


def expungement(rules, answers, today):
    """Everything the answer page says about the expungement day for these answers."""
    before = crime_before_change(rules, answers.main_end, answers.before_change)
    exact = expungement_date(rules, answers)
    period, old_law, options = None, False, ()
    if exact is not None:
        period = rules.period(answers.minor, answers.sentence, answers.category)
        old_law = bool(before and period.months_before_change is not None)
        dates = (exact,)
    else:
        categories = CATEGORY_IDS if answers.category == UNKNOWN else (answers.category,)
        found = []
        for category in categories:
            changes = rules.period(answers.minor, answers.sentence, category).months_before_change is not None
            answers_2013 = (True, False) if changes and before is None else (before if changes else None,)
            for maybe_before in answers_2013:
                found.append(Option(category, maybe_before, expungement_date(
                    rules, answers, category=category, before_change=maybe_before)))
        options = tuple(found)
        dates = tuple(option.date for option in options)
    earliest = answers.additional == UNKNOWN or (answers.sentence == PRISON and answers.replaced == UNKNOWN)
    if all(day >= today for day in dates):
        expunged = False
    elif all(day < today for day in dates) and not earliest:
        expunged = True
    else:
        expunged = None
    return Expungement(exact, period, old_law, options, earliest, expunged, answers.start, _start_from(answers),
                       conditions_for(answers), dates)


# ---------------------------------------------------------------- which work stays closed

@dataclass(frozen=True)
class Condition:
    """Something that must be true for a ban to apply: "category" (values: category ids), "subject"
    (values: ("chapter", group name) or ("crime", text) alternatives) or "intent" (no values)."""
    kind: str
    values: tuple = ()


@dataclass(frozen=True)
class ClauseResult:
    """A further clause of a ban (`Ban.also`) that applies to this conviction."""
    clause: Clause
    status: str          # closed, closed_if, unclear, lifted
    conditions: tuple


@dataclass(frozen=True)
class Assessment:
    ban: Ban
    status: str          # closed, closed_if, unclear, lifted (was closed, the conviction is expunged), open
    conditions: tuple    # Condition, ...: all must hold for the ban to apply
    after: str           # what expungement does: lifted, stays, unknown, depends (see ban.after_note)
    exception: str | None  # the commission route of ст. 351.1: yes, after, maybe, no; None: the ban has none
    notes: tuple         # texts, e.g. sources disagree about this category
    also: tuple = ()     # ClauseResult, ...: further clauses that apply (shown under the main one)


STRENGTH = {"closed": 4, "closed_if": 3, "unclear": 2, "lifted": 1, "open": 0}


def _assess_clause(rules, clause, kind, category):
    """(status, conditions) of one clause for this kind and category: closed, closed_if, unclear or open."""
    conditions = []
    if clause.categories is not None:
        if category == UNKNOWN:
            conditions.append(Condition("category", clause.categories))
        elif category not in clause.categories:
            return "open", ()
    unclear = False
    if not clause.any_chapter:
        covered = [g for g in kind.groups if g in clause.groups]
        if not (kind.groups and len(covered) == len(kind.groups)):
            alternatives = [("chapter", rules.groups[g].name) for g in covered]
            alternatives += [("crime", crime.text) for crime in clause.crimes if kind.id in crime.kinds]
            if alternatives:
                conditions.append(Condition("subject", tuple(alternatives)))
            elif kind.groups:
                return "open", ()
            else:
                unclear = True
    if clause.intentional_only:
        conditions.append(Condition("intent"))
    return ("unclear" if unclear else ("closed_if" if conditions else "closed")), tuple(conditions)


def _after(clause, category):
    after = clause.after_expungement
    if clause.stays_for:
        if category in clause.stays_for:
            after = "stays"
        elif category == UNKNOWN:
            after = "depends"
    return after


def assess(rules, ban, kind_id, category, expunged=False):
    """Whether `ban` keeps this work closed for a conviction of this kind and category. `expunged`: whether
    the conviction is already expunged (True, False, or None when that cannot be told)."""
    kind = rules.kind(kind_id)
    if ban.unknown:
        return Assessment(ban, "unclear", (), "unknown", None, ())
    status, conditions = _assess_clause(rules, ban.main, kind, category)
    after = _after(ban.main, category)
    also = []
    if status != "closed":
        for clause in ban.also:
            clause_status, clause_conditions = _assess_clause(rules, clause, kind, category)
            if clause_status == "open":
                continue
            if expunged is True and clause.after_expungement == "lifted":
                clause_status = "lifted"
            also.append(ClauseResult(clause, clause_status, clause_conditions))
    if status == "open":
        if not also:
            return Assessment(ban, "open", (), after, None, ())
        # The ban applies only through a further clause (ст. 351.1 for a grave theft): that clause decides.
        best = max(also, key=lambda result: STRENGTH[result.status])
        return Assessment(ban, best.status, best.conditions, best.clause.after_expungement, None,
                          (best.clause.text,))
    if expunged is True and after == "lifted":
        status = "lifted"
    live = [result.status for result in also if result.status != "lifted"]
    status = max([status, *live], key=STRENGTH.get)
    notes = tuple(note for cat, note in ban.category_notes if cat == category or category == UNKNOWN)
    return Assessment(ban, status, conditions, after, _exception(ban, kind, category, expunged), notes,
                      tuple(also))


def _exception(ban, kind, category, expunged):
    """The commission route of ст. 351.1: for a conviction a person *had* (expunged or removed), of minor or
    medium gravity, not sexual. "after": it opens once the conviction is expunged or removed."""
    exception = ban.exception
    if exception is None:
        return None
    if category != UNKNOWN and category not in exception.categories:
        return "no"
    excluded = [g for g in kind.groups if g in exception.not_groups]
    if kind.groups and len(excluded) == len(kind.groups):
        return "no"
    if category != UNKNOWN and kind.groups and not excluded:
        return {True: "yes", False: "after"}.get(expunged, "maybe")
    return "maybe"


def assess_all(rules, kind_id, category, expunged=False):
    """Every ban assessed, in file order; a ban `covered_by` one that surely applies is left out."""
    results = {ban.id: assess(rules, ban, kind_id, category, expunged) for ban in rules.bans}
    return [results[ban.id] for ban in rules.bans
            if not (ban.covered_by and results[ban.covered_by].status == "closed")]


def closed_jobs(rules, kind_id, category, expunged=False):
    """The work the law closes (or may close) for this conviction: every assessment that is not "open"."""
    return [a for a in assess_all(rules, kind_id, category, expunged) if a.status != "open"]


def open_jobs(rules, kind_id, category, expunged=False):
    """The bans of the file that do not touch this conviction."""
    return [a for a in assess_all(rules, kind_id, category, expunged) if a.status == "open"]


def summary(assessments):
    """The bans for the short answer at the top of the page, in four lists of assessments: closed even after
    expungement, closed until expungement, maybe closed (depends on the article, intent or category), and
    open again (lifted). Bans whose rule the facts do not give at all are left to the details."""
    forever, until, maybe, lifted = [], [], [], []
    for a in assessments:
        if a.status == "closed" and a.after == "stays":
            forever.append(a)
        elif a.status == "closed" and a.after == "lifted":
            until.append(a)
        elif a.status == "lifted":
            lifted.append(a)
        elif a.status in ("closed", "closed_if") or (a.status == "unclear" and not a.ban.unknown):
            maybe.append(a)
    return forever, until, maybe, lifted


# ---------------------------------------------------------------- the questions

@dataclass(frozen=True)
class Step:
    current: str | None  # the screen to show now; None when every needed answer is valid
    needed: tuple        # the screens this person has to answer, in order
    values: dict         # parameter -> valid, normalised value
    problems: dict       # screen -> "missing", "choose", "date_format", "date_range", "date_future",
                         #           "number" or "probation_range"
    raw: dict            # parameter -> what was sent (cut to MAX_VALUE_CHARS), to show it back

    def answers(self):
        """The canonical query of the answer page: only the needed parameters, in order."""
        return {param: self.values[param] for screen in self.needed for param in screen_params(screen)}


def choice_ids(rules, field):
    return {
        "vid": [k.id for k in rules.kinds],
        "tyazhest": [*CATEGORY_IDS, UNKNOWN],
        "nakazanie": list(SENTENCE_IDS),
        "vozrast": [MINOR, ADULT],
        "zamena": [NO, YES, UNKNOWN],
        "dop": [NO, YES, UNKNOWN],
        "do2013": [YES, NO, UNKNOWN],
    }[field]


def latest_date(today):
    return add_years(today, YEARS_AHEAD)


def _read_date(param, text, today):
    """(iso date, None) or (None, problem)."""
    try:
        day = parse_date(text)
    except ValueError:
        return None, "date_format"
    if day < EARLIEST_DATE or day > latest_date(today):
        return None, "date_range"
    if param == "prigovor" and day > today:
        return None, "date_future"
    return day.isoformat(), None


def _read_probation(args, values, problems, raw):
    texts = {}
    for param in SCREEN_PARAMS["srok"]:
        if param in args:
            texts[param] = raw[param] = str(args.get(param) or "")[:MAX_VALUE_CHARS].strip()
    if not texts:
        return
    if not any(texts.values()):
        problems["srok"] = "missing"
        return
    numbers = {}
    for param in SCREEN_PARAMS["srok"]:
        text = texts.get(param, "")
        if not re.fullmatch(r"\d{0,2}", text):
            problems["srok"] = "number"
            return
        numbers[param] = int(text or 0)
    years, months = numbers["srok_let"], numbers["srok_mes"]
    total = years * 12 + months
    if years > PROBATION_YEARS_MAX or months > 11 or not PROBATION_MONTHS[0] <= total <= PROBATION_MONTHS[1]:
        problems["srok"] = "probation_range"
        return
    values["srok_let"], values["srok_mes"] = str(years), str(months)


def read_values(args, rules, today):
    """(valid values, problems by screen, raw values) from a query string; never raises."""
    values, problems, raw = {}, {}, {}
    for screen in SCREENS:
        if screen == "srok":
            _read_probation(args, values, problems, raw)
            continue
        if screen not in args:
            continue
        text = str(args.get(screen) or "")[:MAX_VALUE_CHARS].strip()
        raw[screen] = text
        if not text:
            problems[screen] = "missing"
        elif screen in DATE_PARAMS:
            day, problem = _read_date(screen, text, today)
            if problem:
                problems[screen] = problem
            else:
                values[screen] = day
        elif text in choice_ids(rules, screen):
            values[screen] = text
        else:
            problems[screen] = "choose"
    return values, problems, raw


def _change_matters(values, rules):
    """Whether the 3 August 2013 question can change the day: adult, a period that changed that day (for
    this category or, when it is not known yet, for any), and a main punishment that did not end before."""
    if values.get("vozrast") == MINOR:
        return False
    sentence = values.get("nakazanie") or PRISON
    category = values.get("tyazhest")
    categories = CATEGORY_IDS if category in (None, UNKNOWN) else (category,)
    if not any(rules.period(False, sentence, c).months_before_change is not None for c in categories):
        return False
    end = values.get("data")
    return not (end and date.fromisoformat(end) < rules.change_date)


def needed_fields(values, rules):
    """The screens this person has to answer, in order. Until the sentence is known, the branch for real
    imprisonment (the longest) is assumed, so the progress line never grows by more than one."""
    screens = ["vid", "tyazhest", "vozrast", "nakazanie"]
    sentence = values.get("nakazanie")
    if sentence in (None, PRISON):
        screens += ["zamena", "data"]
    elif sentence == SUSPENDED:
        screens += ["prigovor", "srok"]
    else:
        screens.append("data")
    screens.append("dop")
    if values.get("dop") == YES:
        screens.append("dop_data")
    if _change_matters(values, rules):
        screens.append("do2013")
    return tuple(screens)


def next_question(args, rules, today):
    """The step for this query: `vopros` shows an answered question again (the back link), `shag` names the
    question just submitted (so an empty answer is a problem, not a first visit)."""
    values, problems, raw = read_values(args, rules, today)
    needed = needed_fields(values, rules)
    submitted = args.get("shag")
    if submitted in needed and not any(param in raw for param in screen_params(submitted)):
        problems[submitted] = "missing"
    shown = args.get("vopros")
    if shown in needed and shown not in problems:
        current = shown
    else:
        current = next((s for s in needed
                        if s in problems or not all(p in values for p in screen_params(s))), None)
    return Step(current, needed, values, {s: p for s, p in problems.items() if s in needed}, raw)


def answers_from(values):
    """Answers from a complete, valid set of values (Step.values when Step.current is None)."""
    def day(param):
        return date.fromisoformat(values[param]) if param in values else None
    sentence = values["nakazanie"]
    probation = None
    if sentence == SUSPENDED:
        probation = int(values["srok_let"]) * 12 + int(values["srok_mes"])
    return Answers(
        kind=values["vid"], category=values["tyazhest"], minor=values["vozrast"] == MINOR, sentence=sentence,
        end=day("data"), replaced=values.get("zamena") if sentence == PRISON else None,
        verdict=day("prigovor"), probation_months=probation, additional=values["dop"],
        additional_end=day("dop_data") if values["dop"] == YES else None,
        before_change=BEFORE_CHANGE.get(values.get("do2013", UNKNOWN)))
