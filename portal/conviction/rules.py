"""«Судимость и работа»: the rules file's data (constants, the data classes) and the dating of an expungement.

`expungement_date` applies УК РФ ст. 86 and ст. 95 to a set of answers: the period runs from
the LATER of the end of the main and of the additional punishment (ст. 86 ч. 4), after a replacement by a
milder punishment from the end of that punishment, and for a suspended sentence from the verdict plus the
probation period (ст. 73 ч. 3). Where the law or the answers leave the day open, the functions give the
later day or none, never an earlier one. `expungement` explains the day for the answer page. Reading the
file is loading.py, which work stays closed bans.py, the questions questions.py. Nothing here touches a
request, a log or a database.
"""
import re
from dataclasses import dataclass
from datetime import date

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
