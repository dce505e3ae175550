"""The questions: `next_question` turns a query string into valid answers, problems and the question to
show; `answers_from` turns a complete set of them into Answers."""
import re
from dataclasses import dataclass
from datetime import date

from portal.conviction.rules import (
    ADULT,
    BEFORE_CHANGE,
    CATEGORY_IDS,
    MINOR,
    NO,
    PRISON,
    SENTENCE_IDS,
    SUSPENDED,
    UNKNOWN,
    YES,
    Answers,
    add_years,
    parse_date,
)

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
