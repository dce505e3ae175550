"""Reading conviction.yaml: `load_rules` reads and validates the file once at start-up; a bad file raises
ContentError naming the file and the field. `check_rules_file` is its `flask content check`."""
import re
from datetime import date
from pathlib import Path

import yaml

from portal.clock import today_local
from portal.conviction.rules import (
    AFTER_EXPUNGEMENT,
    CATEGORY_IDS,
    CONDITION_IDS,
    CONFIDENCE,
    ID_RE,
    SENTENCE_IDS,
    SOURCE_TYPES,
    Ban,
    Choice,
    Clause,
    Crime,
    Exception_,
    Group,
    Kind,
    Period,
    Rule,
    Rules,
    SentencePeriods,
    Source,
)
from portal.guides.content import ContentError
from portal.yaml_files import load_yaml_file


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
