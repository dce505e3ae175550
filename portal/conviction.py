"""«Судимость и работа»: the rules file (content/conviction.yaml) and the plain functions that apply it.

`load_rules` reads and validates the file once at start-up; a bad file raises ContentError naming the file
and the field. `expungement_date` applies УК РФ ст. 86 (and gives no date where the facts file has none:
ст. 95 for crimes before 18), `expungement` explains the date for the answer page, `closed_jobs` and
`open_jobs` sort the bans of the file for one conviction, and `next_question` turns a query string into
valid answers, problems and the question to show. Nothing here touches a request, a log or a database:
the answers live only in the URL.
"""
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from portal.clock import today_local
from portal.content import ContentError

PRISON, SUSPENDED, MILDER = "lishenie-svobody", "uslovno", "drugoe"
SENTENCE_IDS = (PRISON, SUSPENDED, MILDER)
CATEGORY_IDS = ("nebolshoy", "sredney", "tyazhkoe", "osobo-tyazhkoe")
UNKNOWN = "ne-znayu"
MINOR, ADULT = "do-18", "18-i-starshe"
BEFORE_CHANGE = {"da": True, "net": False, UNKNOWN: None}
FIELDS = ("vid", "tyazhest", "nakazanie", "data", "vozrast", "do2013")
AFTER_EXPUNGEMENT = ("lifted", "stays", "unknown")
CONFIDENCE = ("высокая", "средняя", "низкая")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

EARLIEST_DATE = date(1950, 1, 1)  # an end of sentence before this is surely a typo
YEARS_AHEAD = 30                  # a planned release date may lie this far in the future
MAX_VALUE_CHARS = 40              # longer query values are cut before they are read or shown back


# ---------------------------------------------------------------- the rules file

@dataclass(frozen=True)
class Source:
    title: str
    url: str | None


@dataclass(frozen=True)
class Rule:
    """One sourced statement: what the law says, where, and how sure the facts file is."""
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
    years: int
    article: str
    text: str
    years_before_change: int | None = None
    text_before_change: str = ""


@dataclass(frozen=True)
class Crime:
    text: str
    kinds: tuple


@dataclass(frozen=True)
class Exception_:  # noqa: N801 (a rule's exception, not a Python exception)
    categories: tuple
    not_groups: tuple
    rule: Rule


@dataclass(frozen=True)
class Ban:
    id: str
    title: str
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


@dataclass(frozen=True)
class Rules:
    name: str
    reviewed_by_lawyer: date | None
    updated: date
    groups: dict
    kinds: tuple
    categories: tuple
    sentences: tuple
    expungement: Rule
    periods: dict              # sentence id -> Period, or (for PRISON) category id -> Period
    change_date: date
    change: Rule
    parole: Rule
    court: Rule
    automatic: Rule
    effect: Rule
    minors: Rule
    bans: tuple
    employer: tuple

    def kind(self, kind_id):
        return next(k for k in self.kinds if k.id == kind_id)

    def ban(self, ban_id):
        return next(b for b in self.bans if b.id == ban_id)

    def period(self, sentence, category):
        """The ст. 86 period for this sentence and category; None after prison with an unknown category."""
        if sentence == PRISON:
            return self.periods[PRISON].get(category)
        return self.periods[sentence]


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


TOP_LEVEL = {"reviewed_by_lawyer", "updated", "sources", "groups", "kinds", "categories", "sentences",
             "expungement", "bans", "employer"}


def load_rules(path, today=None):
    """Read and validate conviction.yaml; raise ContentError listing every problem with its file and field."""
    path = Path(path)
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    periods = _read_periods(reader, reader.mapping(exp.get("rules"), "expungement.rules"))
    change_data = reader.mapping(exp.get("change"), "expungement.change")
    change_date = change_data.get("date")
    if not isinstance(change_date, date):
        reader.problem("expungement.change.date", "дата в виде ГГГГ-ММ-ДД")
        change_date = date(2013, 8, 3)
    explained = {part: reader.rule(exp.get(part), f"expungement.{part}")
                 for part in ("change", "parole", "court", "automatic", "effect", "minors")}

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

    if reader.problems:
        raise ContentError(reader.problems)
    return Rules(name, reviewed, updated, groups, tuple(kinds), categories, sentences, expungement, periods,
                 change_date, explained["change"], explained["parole"], explained["court"],
                 explained["automatic"], explained["effect"], explained["minors"], tuple(bans),
                 tuple(employer))


def _read_sources(name, value):
    if not isinstance(value, dict) or not value:
        return {}, [f"{name}: поле «sources»: словарь источников (код: title, url)"]
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
        sources[source_id] = Source(item["title"].strip(), url)
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


def _read_period(reader, item, where, may_change=False):
    item = reader.mapping(item, where)
    years = reader.integer(item, "years", where)
    before = reader.integer(item, "years_before_change", where, required=False) if may_change else None
    text_before = ""
    if before is not None:
        text_before = reader.text(item, "text_before_change", where)
        if before > years:
            reader.problem(f"{where}.years_before_change", "прежний срок не может быть длиннее нового")
    return Period(years, reader.text(item, "article", where), reader.text(item, "text", where), before,
                  text_before)


def _read_periods(reader, rules):
    periods = {sentence: _read_period(reader, rules.get(sentence), f"expungement.rules.{sentence}")
               for sentence in (SUSPENDED, MILDER)}
    prison = reader.mapping(rules.get(PRISON), f"expungement.rules.{PRISON}")
    periods[PRISON] = {category: _read_period(reader, prison.get(category),
                                              f"expungement.rules.{PRISON}.{category}", may_change=True)
                       for category in CATEGORY_IDS}
    return periods


def _read_ban(reader, item, where, group_ids, kind_ids):
    item = reader.mapping(item, where)
    ban_id = _choice_id(reader, item, where)
    unknown = reader.flag(item, "unknown", where)
    rule = reader.rule(item, where, text_key="covers", allow_no_sources=unknown)
    after = item.get("after_expungement", "unknown")
    if after not in AFTER_EXPUNGEMENT:
        reader.problem(f"{where}.after_expungement", f"одно из: {', '.join(AFTER_EXPUNGEMENT)}")
        after = "unknown"
    categories = reader.ids(item, "categories", where, CATEGORY_IDS) if "categories" in item else None
    groups = reader.ids(item, "groups", where, group_ids)
    any_chapter = reader.flag(item, "any_chapter", where)
    crimes = []
    for index, crime in enumerate(item.get("crimes") or []):
        crime = reader.mapping(crime, f"{where}.crimes[{index}]")
        crimes.append(Crime(reader.text(crime, "text", f"{where}.crimes[{index}]"),
                            reader.ids(crime, "kinds", f"{where}.crimes[{index}]", kind_ids, required=True)))
    if not unknown and not any_chapter and not groups and not crimes:
        reader.problem(where, "укажите groups, crimes или any_chapter: true (или unknown: true)")
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
    stays_for = reader.ids(item, "stays_for", where, CATEGORY_IDS)
    covered_by = item.get("covered_by")
    return Ban(
        id=ban_id, title=reader.text(item, "title", where), work=reader.text(item, "work", where), rule=rule,
        instead=reader.text(item, "instead", where), groups=groups, crimes=tuple(crimes),
        any_chapter=any_chapter,
        categories=categories, intentional_only=reader.flag(item, "intentional_only", where),
        after_expungement=after, stays_for=stays_for,
        after_note=reader.text(item, "after_note", where, required=bool(stays_for)), unknown=unknown,
        covered_by=str(covered_by) if covered_by is not None else None,
        category_notes=tuple((c, n.strip()) for c, n in notes.items()), exception=exception)


# ---------------------------------------------------------------- dates

def add_years(start, years):
    """`start` plus whole years; 29 February in a year without one becomes 1 March.

    Of the two possible days (28 February, 1 March) we take the later one, so the page never calls a
    conviction expunged a day before the law surely does (docs/conviction-check.md).
    """
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


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


# ---------------------------------------------------------------- expungement (УК РФ ст. 86)

def crime_before_change(rules, end, answer):
    """Whether the old (pre-3 August 2013) periods apply. A sentence that ended before that day was
    surely for a crime before it, whatever the answer; None means not known."""
    if end < rules.change_date:
        return True
    return answer


def expungement_date(rules, sentence, category, end, *, minor=False, before_change=None):
    """The day the conviction is expunged under УК РФ ст. 86, or None when the facts give no single day.

    None for a crime before 18 (ст. 95 periods are not in the facts file), for real imprisonment with an
    unknown category, and for a grave or especially grave crime when it is not known whether it was
    committed before 3 August 2013. `end` is the day of release, of the end of the sentence or of the
    end of the probation period.
    """
    if minor:
        return None
    period = rules.period(sentence, category)
    if period is None:
        return None
    before_change = crime_before_change(rules, end, before_change)
    if period.years_before_change is None:
        years = period.years
    elif before_change is None:
        return None
    else:
        years = period.years_before_change if before_change else period.years
    return add_years(end, years)


@dataclass(frozen=True)
class Option:
    """One possible expungement day when the category or the 2013 answer is not known."""
    category: str
    before_change: bool | None
    date: date


@dataclass(frozen=True)
class Expungement:
    date: date | None        # the day, when it is known
    period: Period | None    # the rule applied for that day
    old_law: bool            # the pre-3 August 2013 period was applied
    options: tuple           # Option, ... when the category or the 2013 answer is not known
    latest: date | None      # a crime before 18: the adult day, which ст. 95 can only bring earlier
    expunged: bool | None    # already expunged before `today`; None when that cannot be told


def expungement(rules, answers, today):
    """Everything the answer page says about the expungement day for these answers."""
    before = crime_before_change(rules, answers.end, answers.before_change)
    exact = expungement_date(rules, answers.sentence, answers.category, answers.end, before_change=before)
    period, old_law, options = None, False, ()
    if exact is not None:
        period = rules.period(answers.sentence, answers.category)
        old_law = bool(before and period.years_before_change is not None)
        dates = [exact]
    else:
        categories = CATEGORY_IDS if answers.category == UNKNOWN else (answers.category,)
        found = []
        for category in categories:
            changes = rules.period(answers.sentence, category).years_before_change is not None
            answers_2013 = (True, False) if changes and before is None else (before if changes else None,)
            for maybe_before in answers_2013:
                found.append(Option(category, maybe_before, expungement_date(
                    rules, answers.sentence, category, answers.end, before_change=maybe_before)))
        options = tuple(found)
        dates = [option.date for option in options]
    if answers.minor:
        latest = max(dates)
        return Expungement(None, None, False, (), latest, True if latest < today else None)
    if all(day < today for day in dates):
        expunged = True
    elif all(day >= today for day in dates):
        expunged = False
    else:
        expunged = None
    return Expungement(exact, period, old_law, options, None, expunged)


# ---------------------------------------------------------------- which work stays closed

@dataclass(frozen=True)
class Condition:
    """Something that must be true for a ban to apply: "category" (values: category ids), "subject"
    (values: ("chapter", group name) or ("crime", text) alternatives) or "intent" (no values)."""
    kind: str
    values: tuple = ()


@dataclass(frozen=True)
class Assessment:
    ban: Ban
    status: str          # closed, closed_if, unclear, lifted (was closed, the conviction is expunged), open
    conditions: tuple    # Condition, ...: all must hold for the ban to apply
    after: str           # what expungement does: lifted, stays, unknown, depends (see ban.after_note)
    exception: str | None  # the commission route of ст. 351.1: yes, after, maybe, no; None: the ban has none
    notes: tuple         # texts, e.g. sources disagree about this category


def assess(rules, ban, kind_id, category, expunged=False):
    """Whether `ban` keeps this work closed for a conviction of this kind and category. `expunged`: whether
    the conviction is already expunged (True, False, or None when that cannot be told)."""
    kind = rules.kind(kind_id)
    if ban.unknown:
        return Assessment(ban, "unclear", (), "unknown", None, ())
    conditions = []
    if ban.categories is not None:
        if category == UNKNOWN:
            conditions.append(Condition("category", ban.categories))
        elif category not in ban.categories:
            return Assessment(ban, "open", (), ban.after_expungement, None, ())
    unclear = False
    if not ban.any_chapter:
        covered = [g for g in kind.groups if g in ban.groups]
        if not (kind.groups and len(covered) == len(kind.groups)):
            alternatives = [("chapter", rules.groups[g].name) for g in covered]
            alternatives += [("crime", crime.text) for crime in ban.crimes if kind.id in crime.kinds]
            if alternatives:
                conditions.append(Condition("subject", tuple(alternatives)))
            elif kind.groups:
                return Assessment(ban, "open", (), ban.after_expungement, None, ())
            else:
                unclear = True
    if ban.intentional_only:
        conditions.append(Condition("intent"))

    after = ban.after_expungement
    if ban.stays_for:
        if category in ban.stays_for:
            after = "stays"
        elif category == UNKNOWN:
            after = "depends"
    status = "unclear" if unclear else ("closed_if" if conditions else "closed")
    if expunged is True and after == "lifted":
        status = "lifted"
    notes = tuple(note for cat, note in ban.category_notes if cat == category or category == UNKNOWN)
    return Assessment(ban, status, tuple(conditions), after, _exception(ban, kind, category, expunged), notes)


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


# ---------------------------------------------------------------- the questions

@dataclass(frozen=True)
class Answers:
    kind: str
    category: str
    sentence: str
    end: date
    minor: bool
    before_change: bool | None


@dataclass(frozen=True)
class Step:
    current: str | None  # the field to ask now; None when every needed answer is valid
    needed: tuple        # the fields this person has to answer, in order
    values: dict         # field -> valid, normalised value
    problems: dict       # field -> "missing", "choose", "date_format" or "date_range"
    raw: dict            # field -> what was sent (cut to MAX_VALUE_CHARS), to show it back

    def answers(self):
        """The canonical query of the answer page: only the needed fields, in order."""
        return {field: self.values[field] for field in self.needed}


def choice_ids(rules, field):
    return {
        "vid": [k.id for k in rules.kinds],
        "tyazhest": [*CATEGORY_IDS, UNKNOWN],
        "nakazanie": list(SENTENCE_IDS),
        "vozrast": [MINOR, ADULT],
        "do2013": list(BEFORE_CHANGE),
    }[field]


def latest_date(today):
    return add_years(today, YEARS_AHEAD)


def read_values(args, rules, today):
    """(valid values, problems, raw values) from a query string; never raises."""
    values, problems, raw = {}, {}, {}
    for field in FIELDS:
        if field not in args:
            continue
        text = str(args.get(field) or "")[:MAX_VALUE_CHARS].strip()
        raw[field] = text
        if not text:
            problems[field] = "missing"
        elif field == "data":
            try:
                day = parse_date(text)
            except ValueError:
                problems[field] = "date_format"
                continue
            if EARLIEST_DATE <= day <= latest_date(today):
                values[field] = day.isoformat()
            else:
                problems[field] = "date_range"
        elif text in choice_ids(rules, field):
            values[field] = text
        else:
            problems[field] = "choose"
    return values, problems, raw


def needed_fields(values, rules):
    """The questions this person has to answer. The 3 August 2013 question only matters after real
    imprisonment for a category whose period changed that day (or an unknown one), and not when the
    sentence ended before that day."""
    fields = list(FIELDS[:-1])
    sentence, category, end = values.get("nakazanie"), values.get("tyazhest"), values.get("data")
    matters = sentence in (None, PRISON)
    if matters and category not in (None, UNKNOWN):
        matters = rules.period(PRISON, category).years_before_change is not None
    if matters and end is not None:
        matters = date.fromisoformat(end) >= rules.change_date
    if matters:
        fields.append("do2013")
    return tuple(fields)


def next_question(args, rules, today):
    """The step for this query: `vopros` shows an answered question again (the back link), `shag` names the
    question just submitted (so an empty answer is a problem, not a first visit)."""
    values, problems, raw = read_values(args, rules, today)
    needed = needed_fields(values, rules)
    submitted = args.get("shag")
    if submitted in needed and submitted not in raw:
        problems[submitted] = "missing"
    shown = args.get("vopros")
    if shown in needed and shown not in problems:
        current = shown
    else:
        current = next((f for f in needed if f in problems or f not in values), None)
    return Step(current, needed, values, {f: p for f, p in problems.items() if f in needed}, raw)


def answers_from(values):
    """Answers from a complete, valid set of values (Step.values when Step.current is None)."""
    return Answers(kind=values["vid"], category=values["tyazhest"], sentence=values["nakazanie"],
                   end=date.fromisoformat(values["data"]), minor=values["vozrast"] == MINOR,
                   before_change=BEFORE_CHANGE.get(values.get("do2013", UNKNOWN)))
